/**
 * Runs one policy pack inside a worker thread, the way the Pulumi CLI runs it as a plugin.
 *
 * The pack's own entry point (`policies/<pack>/index.ts`, the file `pulumi preview --policy-pack` runs)
 * is loaded unchanged: its `new PolicyPack(...)` calls `@pulumi/policy`'s `serve()`, which registers
 * the analyzer service on a gRPC server. Here the server is never bound: we keep the service's
 * handlers and call them in-process with the same protobuf requests the CLI sends
 * (`GetAnalyzerInfo`, `Configure`, `Analyze` per resource with its inputs, `AnalyzeStack` with every
 * resource's outputs). A worker per pack gives each its own module instance, since `@pulumi/policy`
 * allows one `PolicyPack` per process.
 */
import * as path from "path";
import { parentPort, workerData } from "worker_threads";
import type { RecordedResource } from "../mock-runtime/harness";
import { analyzerRuntime } from "../mock-runtime/pulumi-internals";
import type { EnforcementLevel, PolicyConfig, PolicyInfo, PolicyPackConfigFile } from "./policy-config";

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
  | { kind: "configure"; id: number; config: Record<string, PolicyConfig> }
  | { kind: "begin"; id: number; stackTags: Record<string, string> }
  | { kind: "resources"; id: number; resources: RecordedResource[] }
  | {
      kind: "finish";
      id: number;
      /** Every resource of the stack, in order, by URN: the worker has them from the batches... */
      urns: string[];
      /** ...except these, new or changed since they were sent (components' registered outputs). */
      updated: RecordedResource[];
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

/** Loads the pack and returns its analyzer service handlers, with the gRPC server kept unbound. */
function loadPack(packDir: string): Record<string, Handler> {
  let handlers: Record<string, Handler> | undefined;
  grpc.Server.prototype.addService = function (_service: unknown, implementation: Record<string, Handler>) {
    handlers = implementation;
  };
  grpc.Server.prototype.bindAsync = function () {
    /* never listen: the plan calls the handlers directly */
  };
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

function resourceOptions(r: RecordedResource): unknown {
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
  r: RecordedResource,
  byUrn: Map<string, RecordedResource>,
  cache: Map<string, unknown>,
): unknown {
  if (!r.provider) return undefined;
  const urn = r.provider.split("::").slice(0, -1).join("::");
  if (cache.has(urn)) return cache.get(urn);
  const p = byUrn.get(urn);
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

/** One stack's evaluation. */
class StackSession {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly byUrn = new Map<string, RecordedResource>();
  private readonly providers = new Map<string, unknown>();

  constructor(private readonly handlers: Record<string, Handler>) {}

  /** The fields AnalyzeRequest and AnalyzerResource share, filled the same way. */
  private describe<T extends AnalyzerMessage>(
    msg: T,
    r: RecordedResource,
    properties: Record<string, unknown>,
  ): T {
    msg.setType(r.type);
    attachProperties(msg, properties);
    msg.setUrn(r.urn);
    msg.setName(r.name);
    msg.setOptions(resourceOptions(r));
    const prov = providerResource(r, this.byUrn, this.providers);
    if (prov) msg.setProvider(prov);
    return msg;
  }

  async begin(stackTags: Record<string, string>): Promise<void> {
    const configureStack = new analyzerproto.AnalyzerStackConfigureRequest();
    const tags = configureStack.getTagsMap();
    for (const [k, v] of Object.entries(stackTags)) tags.set(k, v);
    await rpc(this.handlers.configureStack, configureStack);
  }

  /** Analyze: one call per resource with its inputs, as during `pulumi preview`. */
  async analyzeResources(resources: RecordedResource[]): Promise<void> {
    for (const r of resources) {
      this.byUrn.set(r.urn, r);
      const req = this.describe(new analyzerproto.AnalyzeRequest(), r, r.inputs);
      collect(await rpc(this.handlers.analyze, req), this.diagnostics, r.urn);
    }
  }

  /** AnalyzeStack: every resource with its outputs, parents, dependencies and providers. */
  async finish(urns: string[], updated: RecordedResource[]): Promise<Diagnostic[]> {
    for (const r of updated) this.byUrn.set(r.urn, r);
    const resources = urns.map((urn) => {
      const r = this.byUrn.get(urn);
      if (!r) throw new Error(`resource ${urn} was never sent to the pack`);
      return r;
    });
    const stackReq = new analyzerproto.AnalyzeStackRequest();
    stackReq.setResourcesList(
      resources.map((r) => {
        const res = this.describe(new analyzerproto.AnalyzerResource(), r, r.state);
        if (r.parent) res.setParent(r.parent);
        res.setDependenciesList(r.dependencies);
        const deps = res.getPropertydependenciesMap();
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
          const d = new analyzerproto.AnalyzerPropertyDependencies();
          d.setUrnsList(urns);
          deps.set(key, d);
        }
        return res;
      }),
    );
    collect(await rpc(this.handlers.analyzeStack, stackReq), this.diagnostics, null);
    return this.diagnostics;
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
  const { packDir } = workerData as { packDir: string };
  let handlers: Record<string, Handler>;
  try {
    handlers = loadPack(packDir);
    port.postMessage({
      kind: "ready",
      info: describe(await rpc(handlers.getAnalyzerInfo, new emptyproto.Empty())),
    });
  } catch (err) {
    port.postMessage({ kind: "failed", error: (err as Error).stack ?? String(err) });
    return;
  }
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
          await rpc(handlers.configure, req);
          port.postMessage({ kind: "done", id: msg.id });
          return;
        }
        case "begin":
          session = new StackSession(handlers);
          failure = undefined;
          await session.begin(msg.stackTags);
          return;
        case "resources":
          // A failure is reported with the stack's finish, not per batch.
          if (!failure) await session!.analyzeResources(msg.resources);
          return;
        case "finish": {
          if (failure) throw failure;
          const diagnostics = await session!.finish(msg.urns, msg.updated);
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
      port.postMessage({ kind: "error", id: msg.id, error: (err as Error).message ?? String(err) });
    }
  };
  // Strictly in order: a batch is analysed before the next message is looked at.
  let queue = Promise.resolve();
  port.on("message", (msg: WorkerRequest) => {
    queue = queue.then(() => handle(msg));
  });
}

void main();
