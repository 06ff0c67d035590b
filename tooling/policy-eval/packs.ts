/**
 * Finds the policy packs under a folder and evaluates them, each in its own worker thread
 * (see pack-worker.ts), at the enforcement levels and with the settings the CLI would configure.
 */
import * as fs from "fs";
import * as path from "path";
import { Worker } from "worker_threads";
import type { RecordedResource } from "../mock-runtime/harness";
import type { Diagnostic, PackInfo, WorkerRequest } from "./pack-worker";
import { PolicyConfig, PolicyPackConfigFile, reconcilePolicyConfig } from "./policy-config";

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

/** One loaded pack in its worker. */
export class LoadedPack {
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (v: Diagnostic[]) => void; reject: (e: Error) => void }
  >();

  private constructor(
    readonly dir: string,
    readonly info: PackInfo,
    private readonly worker: Worker,
    /** The reconciled config sent to the pack: each policy's level and properties. */
    public config: Record<string, PolicyConfig>,
  ) {
    worker.on("message", (msg: { kind: string; id: number; diagnostics?: Diagnostic[]; error?: string }) => {
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.kind === "error") waiter.reject(new Error(`policy pack ${info.name}: ${msg.error}`));
      else waiter.resolve(msg.diagnostics ?? []);
    });
    worker.on("error", (err) => this.failAll(err));
    worker.on("exit", (code) => this.failAll(new Error(`policy pack ${info.name}: worker exited (${code})`)));
  }

  private failAll(err: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
  }

  /**
   * Starts the pack's worker, reads its policies and configures it with the user's config for that pack
   * (looked up by the pack's name, known once loaded) over the pack's defaults.
   */
  static async load(
    dir: string,
    userConfig?: (packName: string) => PolicyPackConfigFile | undefined,
  ): Promise<LoadedPack> {
    dir = path.resolve(dir);
    if (!fs.existsSync(path.join(dir, "package.json"))) {
      throw new Error(
        `policy pack ${dir} has no package.json: pulumi reads the pack's version from it; add one`,
      );
    }
    const worker = new Worker(WORKER_ENTRY, {
      workerData: { packDir: dir },
      // The main thread runs with a large young generation (npm run plan); a pack needs far less.
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    const info = await new Promise<PackInfo>((resolve, reject) => {
      worker.once("message", (msg: { kind: string; info?: PackInfo; error?: string }) =>
        msg.kind === "ready" && msg.info
          ? resolve(msg.info)
          : reject(new Error(`policy pack ${dir} failed to load:\n${msg.error}`)),
      );
      worker.once("error", reject);
    });
    let config: Record<string, PolicyConfig>;
    try {
      config = reconcilePolicyConfig(info.name, info.policies, info.initialConfig, userConfig?.(info.name));
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    const pack = new LoadedPack(dir, info, worker, config);
    await pack.send({ kind: "configure", id: 0, config });
    return pack;
  }

  private send(request: WorkerRequest): Promise<Diagnostic[]> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private post(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }

  /**
   * Starts evaluating one stack: resources given to `add` are analysed (per-resource policies) while
   * the program goes on registering more; `finish` runs the stack policies over every resource and
   * returns the stack's violations. Stacks are evaluated one after another, in the order begun.
   */
  beginStack(stackTags: Record<string, string> = {}): StackEvaluation {
    this.post({ kind: "begin", id: 0, stackTags });
    // Records already in the worker: at the end only new or replaced ones are sent again.
    const sent = new WeakSet<RecordedResource>();
    return {
      add: (resources) => {
        if (resources.length === 0) return;
        for (const r of resources) sent.add(r);
        this.post({ kind: "resources", id: 0, resources });
      },
      finish: async (resources) => {
        const urns = resources.map((r) => r.urn);
        const updated = resources.filter((r) => !sent.has(r));
        return this.toViolations(await this.send({ kind: "finish", id: 0, urns, updated }));
      },
    };
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

  private toViolations(diagnostics: Diagnostic[]): Violation[] {
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

  /** Stops the worker. */
  async close(): Promise<void> {
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }
}
