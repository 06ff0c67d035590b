/**
 * Runs policy packs inside a worker thread, each the way the Pulumi CLI runs it as a plugin.
 *
 * The pack's own entry point (`policies/<pack>/index.ts`, the file `pulumi preview --policy-pack` runs)
 * is loaded unchanged: its `new PolicyPack(...)` calls `@pulumi/policy`'s `serve()`, which registers
 * the analyzer service on a gRPC server. Here the server is never bound: we keep the service's
 * handlers and call them in-process with the same protobuf requests the CLI sends
 * (`GetAnalyzerInfo`, `Configure`, `Analyze` per resource with its inputs, `AnalyzeStack` with every
 * resource's outputs). `@pulumi/policy` allows one `PolicyPack` per process (its analyzer state is
 * module-level), so each pack hosted by a worker is loaded with its own instance of `@pulumi/policy`'s
 * modules; the packs share `@pulumi/pulumi`, `@pulumi/aws` and their common helpers, loaded once. The
 * stack's resources arrive once and each is analysed by every pack in turn, with the same request.
 */
import * as path from "path";
import { parentPort, workerData } from "worker_threads";
import { analyzerRuntime } from "../mock-runtime/pulumi-internals";
import type { EnforcementLevel, PolicyConfig, PolicyInfo, PolicyPackConfigFile } from "./policy-config";
import { DecodedResource, StackDecoder, WireBatch } from "./wire";

/** A resource as the worker holds it: without its dependencies, built only for `AnalyzeStack`. */
type Held = DecodedResource["record"];

/* eslint-disable @typescript-eslint/no-explicit-any */
const {
  grpc,
  analyzerProto: analyzerproto,
  struct: gstruct,
  empty: emptyproto,
  protoutil,
} = analyzerRuntime();

/**
 * What the main thread asks. A stack is evaluated as a session: `begin` (its stack tags), any number of
 * `resources` batches analysed as they arrive (the CLI's per-resource `Analyze`, during the program's
 * run), then `finish` with every resource for `AnalyzeStack`. Messages are handled strictly in order.
 */
export type WorkerRequest =
  | { kind: "configure"; id: number; pack: number; config: Record<string, PolicyConfig> }
  | { kind: "begin"; id: number; packs: number[]; stackTags: Record<string, string> }
  | { kind: "resources"; id: number; batch: WireBatch }
  | {
      kind: "finish";
      id: number;
      /** Resources new or changed since they were sent (components' registered outputs)... */
      updated: WireBatch;
      /** ...and every resource of the stack, in order, by its URN's index in the stack's table. */
      order: Int32Array;
    };

/** A diagnostic as the CLI would print it. */
export interface Diagnostic {
  readonly policy: string;
  readonly level: EnforcementLevel;
  readonly urn: string | null;
  readonly message: string;
  readonly severity?: string;
}

/** What the pack announced when it loaded. */
export interface PackInfo {
  readonly name: string;
  readonly version: string;
  readonly policies: PolicyInfo[];
  readonly initialConfig?: PolicyPackConfigFile;
}

/** The setters an analyzer request message for one resource has. */
interface AnalyzerMessage {
  setType(v: string): void;
  getProperties(): unknown;
  setUrn(v: string): void;
  setName(v: string): void;
  setOptions(v: unknown): void;
  setProvider(v: unknown): void;
}

type Handler = (call: { request: unknown }, callback: (err: unknown, response?: any) => void) => void;

function rpc(handler: Handler, request: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    handler.call(undefined, { request }, (err, response) => (err ? reject(err) : resolve(response)));
  });
}

const SEVERITIES: Record<number, string | undefined> = { 1: "low", 2: "medium", 3: "high", 4: "critical" };

/**
 * Loads the pack and returns its analyzer service handlers, with the gRPC server kept unbound. The
 * modules of `@pulumi/policy` (as the pack resolves it) are loaded afresh for each pack: its analyzer
 * keeps the pack it serves, its config and the stack's tags in module-level state.
 */
function loadPack(packDir: string): Record<string, Handler> {
  let handlers: Record<string, Handler> | undefined;
  grpc.Server.prototype.addService = function (_service: unknown, implementation: Record<string, Handler>) {
    handlers = implementation;
  };
  grpc.Server.prototype.bindAsync = function () {
    /* never listen: the plan calls the handlers directly */
  };
  const policyRoot = path.dirname(require.resolve("@pulumi/policy/package.json", { paths: [packDir] }));
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(policyRoot + path.sep)) delete require.cache[key];
  }
  // PolicyPack reads its version from `${process.cwd()}/package.json`; the CLI starts the pack with its
  // own folder as the working directory, which a worker cannot change: serve the pack's package.json.
  const pkgKey = path.join(process.cwd(), "package.json");
  const packPkg = path.join(packDir, "package.json");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(packPkg);
  const Module = require("module"); // eslint-disable-line @typescript-eslint/no-require-imports
  const m = new Module(pkgKey);
  m.filename = pkgKey;
  m.loaded = true;
  m.exports = pkg;
  require.cache[pkgKey] = m;
  require(packDir); // eslint-disable-line @typescript-eslint/no-require-imports
  if (!handlers)
    throw new Error(`${packDir} did not create a PolicyPack (its index must call new PolicyPack(...))`);
  return handlers;
}

/** Recorded values are already plain JSON data (see harness.plain), so they convert directly. */
function toStruct(value: Record<string, unknown>): ReturnType<typeof gstruct.Struct.fromJavaScript> {
  return gstruct.Struct.fromJavaScript((value ?? {}) as Parameters<typeof gstruct.Struct.fromJavaScript>[0]);
}

/**
 * Gives an in-process request message its properties without building a protobuf Struct: the analyzer
 * handlers read a message's properties only through `getProperties().toJavaScript()`, and these
 * messages never cross a wire. The JSON is the recorded one, which the handlers copy, never change.
 */
function attachProperties(msg: { getProperties: () => unknown }, properties: Record<string, unknown>): void {
  const view = { toJavaScript: () => properties };
  msg.getProperties = () => view;
}

function resourceOptions(r: Held): unknown {
  const opts = new analyzerproto.AnalyzerResourceOptions();
  opts.setProtect(r.options.protect);
  opts.setIgnorechangesList(r.options.ignoreChanges);
  opts.setAliasesList(r.options.aliases);
  opts.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
  if (r.options.deleteBeforeReplace !== undefined) {
    opts.setDeletebeforereplacedefined(true);
    opts.setDeletebeforereplace(r.options.deleteBeforeReplace);
  }
  if (r.parent) opts.setParent(r.parent);
  return opts;
}

function providerResource(
  r: Held,
  byUrn: Map<string, DecodedResource>,
  cache: Map<string, unknown>,
): unknown {
  if (!r.provider) return undefined;
  const urn = r.provider.split("::").slice(0, -1).join("::");
  if (cache.has(urn)) return cache.get(urn);
  const p = byUrn.get(urn)?.record;
  let prov: unknown = undefined;
  if (p) {
    const msg = new analyzerproto.AnalyzerProviderResource();
    msg.setType(p.type);
    msg.setName(p.name);
    msg.setUrn(p.urn);
    attachProperties(msg, p.inputs);
    prov = msg;
  }
  cache.set(urn, prov);
  return prov;
}

function collect(response: any, into: Diagnostic[], fallbackUrn: string | null): void {
  for (const d of response.getDiagnosticsList()) {
    const level = protoutil.convertEnforcementLevel(d.getEnforcementlevel()) as EnforcementLevel;
    into.push({
      policy: d.getPolicyname(),
      level: level === "remediate" ? "mandatory" : level,
      urn: d.getUrn() || fallbackUrn,
      message: d.getMessage(),
      severity: SEVERITIES[d.getSeverity?.() ?? 0],
    });
  }
}

/** A pack's part of a stack's evaluation. */
interface PackSession {
  readonly pack: number;
  readonly handlers: Record<string, Handler>;
  readonly diagnostics: Diagnostic[];
}

/** Raised by one pack's analyzer: the main thread names that pack. */
class PackFailure extends Error {
  constructor(
    readonly pack: number,
    cause: unknown,
  ) {
    super((cause as Error)?.message ?? String(cause));
  }
}

/** One stack's evaluation by the packs asked for. */
class StackSession {
  private readonly decoder = new StackDecoder();
  private readonly byUrn = new Map<string, DecodedResource>();
  private readonly providers = new Map<string, unknown>();

  constructor(private readonly packs: readonly PackSession[]) {}

  /** The fields AnalyzeRequest and AnalyzerResource share, filled the same way. */
  private describe<T extends AnalyzerMessage>(msg: T, r: Held, properties: Record<string, unknown>): T {
    msg.setType(r.type);
    attachProperties(msg, properties);
    msg.setUrn(r.urn);
    msg.setName(r.name);
    msg.setOptions(resourceOptions(r));
    const prov = providerResource(r, this.byUrn, this.providers);
    if (prov) msg.setProvider(prov);
    return msg;
  }

  /** Calls one RPC of every pack with the same request. */
  private async each(
    rpcName: string,
    request: unknown,
    fallbackUrn: string | null,
    keep: boolean,
  ): Promise<void> {
    for (const p of this.packs) {
      let response: any;
      try {
        response = await rpc(p.handlers[rpcName], request);
      } catch (err) {
        throw new PackFailure(p.pack, err);
      }
      if (keep) collect(response, p.diagnostics, fallbackUrn);
    }
  }

  async begin(stackTags: Record<string, string>): Promise<void> {
    const configureStack = new analyzerproto.AnalyzerStackConfigureRequest();
    const tags = configureStack.getTagsMap();
    for (const [k, v] of Object.entries(stackTags)) tags.set(k, v);
    await this.each("configureStack", configureStack, null, false);
  }

  /** Analyze: one call per resource with its inputs, as during `pulumi preview`. */
  async analyzeResources(batch: WireBatch): Promise<void> {
    for (const decoded of this.decoder.decode(batch)) {
      const r = decoded.record;
      this.byUrn.set(r.urn, decoded);
      const req = this.describe(new analyzerproto.AnalyzeRequest(), r, r.inputs);
      await this.each("analyze", req, r.urn, true);
    }
  }

  /** AnalyzeStack: every resource with its outputs, parents, dependencies and providers. */
  async finish(updated: WireBatch, order: Int32Array): Promise<Diagnostic[][]> {
    for (const decoded of this.decoder.decode(updated)) this.byUrn.set(decoded.record.urn, decoded);
    const resources = Array.from(order, (index) => {
      const urn = this.decoder.urn(index);
      const r = this.byUrn.get(urn);
      if (!r) throw new Error(`resource ${urn} was never sent to the pack`);
      return r;
    });
    const stackReq = new analyzerproto.AnalyzeStackRequest();
    stackReq.setResourcesList(
      resources.map(({ record: r, dependencies }) => {
        const res = this.describe(new analyzerproto.AnalyzerResource(), r, r.state);
        if (r.parent) res.setParent(r.parent);
        res.setDependenciesList(this.decoder.dependencies(dependencies));
        const deps = res.getPropertydependenciesMap();
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
          const d = new analyzerproto.AnalyzerPropertyDependencies();
          d.setUrnsList(urns);
          deps.set(key, d);
        }
        return res;
      }),
    );
    await this.each("analyzeStack", stackReq, null, true);
    return this.packs.map((p) => p.diagnostics);
  }
}

function describe(info: any): PackInfo {
  const policies: PolicyInfo[] = info.getPoliciesList().map((p: any) => {
    const schema = p.getConfigschema();
    return {
      name: p.getName(),
      description: p.getDescription(),
      enforcementLevel: protoutil.convertEnforcementLevel(p.getEnforcementlevel()),
      severity: SEVERITIES[p.getSeverity?.() ?? 0],
      remediationSteps: p.getRemediationSteps?.() || undefined,
      configSchema: schema
        ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() }
        : undefined,
    };
  });
  const initialConfig: PolicyPackConfigFile = {};
  info.getInitialconfigMap().forEach((c: any, key: string) => {
    initialConfig[key] = {
      ...(c.getProperties()?.toJavaScript() ?? {}),
      enforcementLevel: protoutil.convertEnforcementLevel(c.getEnforcementlevel()),
    };
  });
  return {
    name: info.getName(),
    version: info.getVersion(),
    policies,
    initialConfig: Object.keys(initialConfig).length ? initialConfig : undefined,
  };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("pack-worker must run as a worker thread");
  const { packDirs } = workerData as { packDirs: string[] };
  const handlers: Record<string, Handler>[] = [];
  const infos: PackInfo[] = [];
  for (const dir of packDirs) {
    try {
      const h = loadPack(dir);
      infos.push(describe(await rpc(h.getAnalyzerInfo, new emptyproto.Empty())));
      handlers.push(h);
    } catch (err) {
      port.postMessage({ kind: "failed", dir, error: (err as Error).stack ?? String(err) });
      return;
    }
  }
  port.postMessage({ kind: "ready", infos });
  let session: StackSession | undefined;
  let failure: Error | undefined;
  const handle = async (msg: WorkerRequest): Promise<void> => {
    try {
      switch (msg.kind) {
        case "configure": {
          const req = new analyzerproto.ConfigureAnalyzerRequest();
          const map = req.getPolicyconfigMap();
          for (const [name, c] of Object.entries(msg.config)) {
            const pc = new analyzerproto.PolicyConfig();
            pc.setEnforcementlevel(protoutil.mapEnforcementLevel(c.enforcementLevel));
            pc.setProperties(toStruct(c.properties));
            map.set(name, pc);
          }
          try {
            await rpc(handlers[msg.pack].configure, req);
          } catch (err) {
            throw new PackFailure(msg.pack, err);
          }
          port.postMessage({ kind: "done", id: msg.id });
          return;
        }
        case "begin":
          failure = undefined;
          session = new StackSession(
            msg.packs.map((pack) => ({ pack, handlers: handlers[pack], diagnostics: [] })),
          );
          await session.begin(msg.stackTags);
          return;
        case "resources":
          // A failure is reported with the stack's finish, not per batch.
          if (!failure) await session!.analyzeResources(msg.batch);
          return;
        case "finish": {
          if (failure) throw failure;
          const diagnostics = await session!.finish(msg.updated, msg.order);
          session = undefined;
          port.postMessage({ kind: "done", id: msg.id, diagnostics });
          return;
        }
      }
    } catch (err) {
      if (msg.kind === "resources" || msg.kind === "begin") {
        failure = err as Error;
        return;
      }
      port.postMessage({
        kind: "error",
        id: msg.id,
        ...(err instanceof PackFailure ? { pack: err.pack } : {}),
        error: (err as Error).message ?? String(err),
      });
    }
  };
  // Strictly in order: a batch is analysed before the next message is looked at.
  let queue = Promise.resolve();
  port.on("message", (msg: WorkerRequest) => {
    queue = queue.then(() => handle(msg));
  });
}

void main();
