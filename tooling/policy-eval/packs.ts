/**
 * Finds the policy packs under a folder and evaluates them in worker threads (see pack-worker.ts), at
 * the enforcement levels and with the settings the CLI would configure. A worker hosts one pack or
 * several, each with its own instance of `@pulumi/policy` (its own analyzer, as its own plugin
 * process would have); see {@link defaultPackWorkers}.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import type { RecordedResource } from "../mock-runtime/harness";
import type { Diagnostic, PackInfo, WorkerRequest } from "./pack-worker";
import { PolicyConfig, PolicyPackConfigFile, reconcilePolicyConfig } from "./policy-config";
import { StackEncoder } from "./wire";

/** A policy violation, as the plan reports it (CONTRACTS §3). */
export interface Violation {
  readonly pack: string;
  readonly policy: string;
  readonly level: "mandatory" | "advisory";
  readonly urn: string | null;
  readonly message: string;
  readonly severity?: string;
}

/** One stack's evaluation by one pack (see {@link LoadedPack.beginStack}). */
export interface StackEvaluation {
  /** Analyses these resources now (per-resource policies). */
  add(resources: RecordedResource[]): void;
  /** Runs the stack policies over all of the stack's resources; resolves with the stack's violations. */
  finish(resources: RecordedResource[]): Promise<Violation[]>;
}

/** A pack folder is one that holds a `PulumiPolicy.yaml`, as `pulumi preview --policy-pack` requires. */
export function discoverPacks(policiesDir: string): string[] {
  if (!fs.existsSync(policiesDir)) return [];
  return fs
    .readdirSync(policiesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(policiesDir, d.name, "PulumiPolicy.yaml")))
    .map((d) => path.resolve(policiesDir, d.name))
    .sort();
}

/** Young-generation size of a pack worker (MB). */
const WORKER_YOUNG_GENERATION_MB = 48;

const WORKER_ENTRY = path.join(__dirname, "pack-worker-entry.js");

/**
 * How many pack workers the plan starts by default: one per core the programs leave free (the main
 * thread runs the programs), at least one, at most one per pack. Each worker loads `@pulumi/aws` and
 * holds a copy of the stack being judged, so on a 2-core machine one worker hosting every pack is
 * both faster to start and half the memory of one worker per pack.
 */
export function defaultPackWorkers(packs: number): number {
  return Math.max(1, Math.min(packs, os.availableParallelism() - 1));
}

type Reply = { kind: string; id: number; diagnostics?: Diagnostic[][]; error?: string; pack?: number };

/** A worker thread hosting one or more packs (pack-worker.ts); each pack keeps its own analyzer. */
class PackHost {
  private nextId = 0;
  private closed = false;
  private readonly pending = new Map<
    number,
    { resolve: (v: Diagnostic[][]) => void; reject: (e: Error) => void }
  >();

  private constructor(
    private readonly worker: Worker,
    /** The packs' names, by their index in the host. */
    readonly names: readonly string[],
  ) {
    worker.on("message", (msg: Reply) => {
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.kind === "error") {
        waiter.reject(new Error(`policy pack ${this.names[msg.pack ?? 0] ?? "?"}: ${msg.error}`));
      } else waiter.resolve(msg.diagnostics ?? []);
    });
    worker.on("error", (err) => this.failAll(err));
    worker.on("exit", (code) =>
      this.failAll(new Error(`policy pack ${this.names.join(", ")}: worker exited (${code})`)),
    );
  }

  private failAll(err: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
  }

  /** Starts a worker and loads `dirs` into it, in order; resolves with the host and each pack's info. */
  static async start(dirs: readonly string[]): Promise<{ host: PackHost; infos: PackInfo[] }> {
    const worker = new Worker(WORKER_ENTRY, {
      workerData: { packDirs: dirs },
      // The main thread runs with a large young generation (npm run plan); a pack needs far less.
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    const infos = await new Promise<PackInfo[]>((resolve, reject) => {
      worker.once("message", (msg: { kind: string; infos?: PackInfo[]; error?: string; dir?: string }) =>
        msg.kind === "ready" && msg.infos
          ? resolve(msg.infos)
          : reject(new Error(`policy pack ${msg.dir ?? dirs.join(", ")} failed to load:\n${msg.error}`)),
      );
      worker.once("error", reject);
    }).catch(async (err) => {
      await worker.terminate();
      throw err;
    });
    return {
      host: new PackHost(
        worker,
        infos.map((i) => i.name),
      ),
      infos,
    };
  }

  send(request: WorkerRequest): Promise<Diagnostic[][]> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  post(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }
}

/** One loaded pack, in the worker that hosts it. */
export class LoadedPack {
  private constructor(
    readonly dir: string,
    readonly info: PackInfo,
    /** @internal The worker hosting the pack, and the pack's index there. */
    readonly host: PackHost,
    /** @internal */
    readonly index: number,
    /** The reconciled config sent to the pack: each policy's level and properties. */
    public config: Record<string, PolicyConfig>,
  ) {}

  /**
   * Starts a worker for the pack, reads its policies and configures it with the user's config for that
   * pack (looked up by the pack's name, known once loaded) over the pack's defaults.
   */
  static async load(
    dir: string,
    userConfig?: (packName: string) => PolicyPackConfigFile | undefined,
  ): Promise<LoadedPack> {
    return (await LoadedPack.loadAll([dir], userConfig, { workers: 1 }))[0];
  }

  /**
   * Loads `dirs` (in order) into `workers` worker threads (default {@link defaultPackWorkers}), the packs
   * spread over them in turn, and configures each as {@link load} does. Resolves with the packs in the
   * order of `dirs`; if any fails to load, every worker is stopped and the first failure is thrown.
   */
  static async loadAll(
    dirs: readonly string[],
    userConfig?: (packName: string) => PolicyPackConfigFile | undefined,
    options: { workers?: number } = {},
  ): Promise<LoadedPack[]> {
    const resolved = dirs.map((d) => path.resolve(d));
    for (const dir of resolved) {
      if (!fs.existsSync(path.join(dir, "package.json"))) {
        throw new Error(
          `policy pack ${dir} has no package.json: pulumi reads the pack's version from it; add one`,
        );
      }
    }
    const workers = Math.max(
      1,
      Math.min(resolved.length, options.workers ?? defaultPackWorkers(resolved.length)),
    );
    const groups = Array.from({ length: workers }, (_, w) => resolved.filter((_, i) => i % workers === w));
    const settled = await Promise.allSettled(groups.map((g) => PackHost.start(g)));
    const hosts = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value.host] : []));
    const packs: LoadedPack[] = new Array(resolved.length);
    try {
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
      if (failed) throw failed.reason;
      for (let w = 0; w < workers; w++) {
        const { host, infos } = (settled[w] as PromiseFulfilledResult<{ host: PackHost; infos: PackInfo[] }>)
          .value;
        infos.forEach((info, index) => {
          const config = reconcilePolicyConfig(
            info.name,
            info.policies,
            info.initialConfig,
            userConfig?.(info.name),
          );
          packs[w + index * workers] = new LoadedPack(groups[w][index], info, host, index, config);
        });
      }
      await Promise.all(
        packs.map((p) => p.host.send({ kind: "configure", id: 0, pack: p.index, config: p.config })),
      );
    } catch (err) {
      await Promise.all(hosts.map((h) => h.close()));
      throw err;
    }
    return packs;
  }

  /**
   * Starts evaluating one stack with this pack alone (see {@link beginStack}, which judges a stack
   * with several packs at once).
   */
  beginStack(stackTags: Record<string, string> = {}): StackEvaluation {
    return beginStack([this], stackTags);
  }

  /** Runs every resource policy on each resource and every stack policy on the whole stack. */
  async evaluate(
    resources: RecordedResource[],
    stackTags: Record<string, string> = {},
  ): Promise<Violation[]> {
    const evaluation = this.beginStack(stackTags);
    evaluation.add(resources);
    return evaluation.finish(resources);
  }

  /** @internal The CLI's violations from this pack's diagnostics. */
  toViolations(diagnostics: Diagnostic[]): Violation[] {
    return diagnostics
      .filter((d) => d.level !== "disabled")
      .map((d) => ({
        pack: this.info.name,
        policy: d.policy,
        level: d.level === "advisory" ? "advisory" : "mandatory",
        urn: d.urn,
        message: d.message,
        ...(d.severity ? { severity: d.severity } : {}),
      }));
  }

  /** Stops the pack's worker (and with it every pack it hosts). */
  async close(): Promise<void> {
    await this.host.close();
  }
}

/**
 * Starts evaluating one stack with `packs`: resources given to `add` are analysed (per-resource
 * policies) while the program goes on registering more; `finish` runs the stack policies over every
 * resource and returns the stack's violations, pack by pack in the order of `packs`. Each worker is
 * sent the resources once, whatever the number of packs it hosts. Stacks are evaluated one after
 * another, in the order begun.
 */
export function beginStack(
  packs: readonly LoadedPack[],
  stackTags: Record<string, string> = {},
): StackEvaluation {
  const hosts = [...new Set(packs.map((p) => p.host))];
  const judged = hosts.map((host) => ({
    host,
    packs: packs.filter((p) => p.host === host).map((p) => p.index),
    // URNs travel as indices into the stack's table (wire.ts), one table per worker.
    encoder: new StackEncoder(),
  }));
  for (const j of judged) j.host.post({ kind: "begin", id: 0, packs: j.packs, stackTags });
  // Records already in the workers: at the end only new or replaced ones are sent again.
  const sent = new WeakSet<RecordedResource>();
  return {
    add: (resources) => {
      if (resources.length === 0) return;
      for (const r of resources) sent.add(r);
      for (const j of judged) j.host.post({ kind: "resources", id: 0, batch: j.encoder.encode(resources) });
    },
    finish: async (resources) => {
      const updated = resources.filter((r) => !sent.has(r));
      const found = await Promise.all(
        judged.map(async (j) => {
          const batch = j.encoder.encode(updated);
          const order = j.encoder.indices(resources.map((r) => r.urn));
          return j.host.send({ kind: "finish", id: 0, updated: batch, order });
        }),
      );
      // Back in the order of `packs`.
      return packs.flatMap((p) => {
        const j = judged.findIndex((x) => x.host === p.host);
        return p.toViolations(found[j][judged[j].packs.indexOf(p.index)]);
      });
    },
  };
}
