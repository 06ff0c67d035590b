/**
 * The one owner of Pulumi's process-global mock runtime.
 *
 * Pulumi's mocks, config and root-stack state live in module-level globals of `@pulumi/pulumi`, so two
 * programs must never run under them at once. {@link runProgram} is the only entry point the plan and
 * the tests use: it queues runs one after another, installs a fresh recording monitor, the stack's
 * config and its preview flag for each, runs the program inside a root `pulumi:pulumi:Stack` exactly as
 * the Pulumi language host does, waits for every registration and returns what was registered.
 *
 * It reaches into `@pulumi/pulumi` internals (`runtime/settings`, `runtime/stack`, `runtime/rpc`); the
 * package is pinned exactly in package.json for that reason, and tests/plan/harness.test.ts pins the
 * behaviour.
 */
import * as pulumi from "@pulumi/pulumi";
import { applyRuntimePatches } from "./runtime-patches";
import { defaultMocks, MockContext } from "./mocks";
import type {
  ReadResourceRequest,
  RegisterResourceOutputsRequest,
  RegisterResourceRequest,
  ResourceInvokeRequest,
  SupportsFeatureRequest,
} from "@pulumi/pulumi/proto/resource_pb";

/* eslint-disable @typescript-eslint/no-require-imports */
const settings = require("@pulumi/pulumi/runtime/settings");
const stackRuntime = require("@pulumi/pulumi/runtime/stack");
const configRuntime = require("@pulumi/pulumi/runtime/config");
const rpc = require("@pulumi/pulumi/runtime/rpc");
const outputModule = require("@pulumi/pulumi/output");
const state = require("@pulumi/pulumi/runtime/state");
const resproto = require("@pulumi/pulumi/proto/resource_pb");
// The same google-protobuf instance @pulumi/pulumi uses, whatever npm's hoisting did.
const gstruct = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", {
    paths: [require("path").dirname(require.resolve("@pulumi/pulumi/package.json"))],
  }),
);
const provproto = require("@pulumi/pulumi/proto/provider_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

/** One resource as the engine would have received it: the plan's unit of record. */
export interface RecordedResource {
  /** The resource's URN, derived exactly as the engine derives it (parent type chain included). */
  readonly urn: string;
  /** Pulumi type token, e.g. `aws:s3/bucket:Bucket`, `pulumi:providers:aws`, `lakehouse:storage:LakeStorage`. */
  readonly type: string;
  /** The logical name given to the constructor. */
  readonly name: string;
  /** URN of the parent resource; `null` only for the root stack. */
  readonly parent: string | null;
  /** Provider reference `urn::id` for custom resources that name one explicitly; `null` otherwise. */
  readonly provider: string | null;
  /** `true` for custom (cloud) resources, `false` for components, stacks and providers' parents. */
  readonly custom: boolean;
  /** Inputs as sent to the engine, with Outputs resolved; secrets are shown as `"[secret]"`. */
  readonly inputs: Record<string, unknown>;
  /** The state the mocks returned (outputs after the "create"). */
  readonly state: Record<string, unknown>;
  /** URNs this resource depends on (explicit `dependsOn` and through its inputs). */
  readonly dependencies: string[];
  /** Per input property, the URNs its value came from. */
  readonly propertyDependencies: Record<string, string[]>;
  /** Resource options that policies can see. */
  readonly options: {
    readonly protect: boolean;
    readonly ignoreChanges: string[];
    readonly aliases: string[];
    readonly additionalSecretOutputs: string[];
    readonly deleteBeforeReplace?: boolean;
  };
}

/** What one program run produced. */
export interface RunResult {
  /** Every resource registered, in registration order, the root stack first. */
  readonly resources: RecordedResource[];
  /** The stack outputs (what the program returned or exported), resolved. */
  readonly outputs: Record<string, unknown>;
  /** URNs of resources with inputs unknown until deployment (recorded as {@link UNKNOWN}). */
  readonly withUnknowns: ReadonlySet<string>;
  /** Messages the program logged with `pulumi.log.warn` / `pulumi.log.info`. */
  readonly logs: { readonly severity: "info" | "warning" | "error"; readonly message: string }[];
}

/** How to run a program. */
export interface RunOptions {
  /** Pulumi project name (the root stack is named `<project>-<stack>`). @default "lakehouse" */
  readonly project?: string;
  /** Pulumi stack name. @default "test" */
  readonly stack?: string;
  /** Stack config, keys fully qualified (`lakehouse:account`) or bare (taken as `<project>:key`). @default {} */
  readonly config?: Record<string, string>;
  /** Run as `pulumi preview` (true) or `pulumi up` (false). @default true */
  readonly preview?: boolean;
  /** Pulumi organization. @default "organization" */
  readonly organization?: string;
  /** Called with each resource as soon as it is registered (the plan streams them to the packs). */
  readonly onResource?: (resource: RecordedResource) => void;
  /** Mocks to use instead of {@link defaultMocks}. */
  readonly mocks?: (ctx: MockContext) => pulumi.runtime.Mocks;
}

/** A program: a function whose (awaited) return value becomes the stack's outputs. */
export type Program = () => unknown;

/** Raised when the program itself failed; `cause` is the original error with the user's stack. */
export class ProgramError extends Error {
  constructor(
    message: string,
    readonly errors: unknown[],
  ) {
    super(message);
    this.name = "ProgramError";
  }
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `program` as one Pulumi stack under mocks and returns every registered resource.
 * Runs are serialised: Pulumi's runtime state is process-global.
 */
export function runProgram(program: Program, options: RunOptions = {}): Promise<RunResult> {
  const run = queue.then(() => runExclusive(program, options));
  queue = run.catch(() => undefined);
  return run;
}

async function runExclusive(program: Program, options: RunOptions): Promise<RunResult> {
  applyRuntimePatches();
  const project = options.project ?? "lakehouse";
  const stack = options.stack ?? "test";
  const preview = options.preview ?? true;
  const ctx: MockContext = { providers: new Map() };
  const monitor = new RecordingMonitor((options.mocks ?? defaultMocks)(ctx), ctx, options.onResource);
  settings.setMockOptions(monitor, project, stack, preview, options.organization ?? "organization");
  const store = state.getStore();
  // The same feature set `pulumi.runtime.setMocks` announces.
  Object.assign(store, {
    supportsSecrets: true,
    supportsResourceReferences: true,
    supportsOutputValues: false,
    supportsDeletedWith: true,
    supportsReplaceWith: true,
    supportsAliasSpecs: true,
    supportsTransforms: false,
    supportsParameterization: true,
    supportsResourceHooks: true,
    supportsErrorHooks: true,
  });
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.config ?? {})) {
    config[key.includes(":") ? key : `${project}:${key}`] = value;
  }
  configRuntime.setAllConfig(config, []);

  const logs: RunResult["logs"] = [];
  const errors: unknown[] = [];
  const restoreLog = captureLogs(logs);
  const onRejection = (reason: unknown) => errors.push(reason);
  process.on("unhandledRejection", onRejection);
  let outputs: Record<string, unknown> = {};
  try {
    try {
      outputs = (await stackRuntime.runInPulumiStack(async () => program())) ?? {};
    } catch (err) {
      errors.push(err);
    }
    await settings.waitForRPCs();
    // Let rejections queued by the last registrations surface before deciding.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", onRejection);
    restoreLog();
  }
  const logged = logs.filter((l) => l.severity === "error");
  if (errors.length > 0 || logged.length > 0) {
    const first = errors[0];
    const message =
      first instanceof Error ? first.message : first !== undefined ? String(first) : logged[0].message;
    throw new ProgramError(message, errors.length > 0 ? errors : logged.map((l) => new Error(l.message)));
  }
  return {
    resources: monitor.records(),
    outputs: plain(outputs) as Record<string, unknown>,
    logs,
    withUnknowns: monitor.withUnknowns,
  };
}

/** Routes `pulumi.log` (which goes to the engine under a monitor) into the run's log list. */
function captureLogs(logs: RunResult["logs"]): () => void {
  const originals = { info: pulumi.log.info, warn: pulumi.log.warn, error: pulumi.log.error };
  const log = pulumi.log as { -readonly [K in keyof typeof originals]: (typeof originals)[K] };
  log.info = async (message: string) => void logs.push({ severity: "info", message });
  log.warn = async (message: string) => void logs.push({ severity: "warning", message });
  log.error = async (message: string) => void logs.push({ severity: "error", message });
  return () => Object.assign(log, originals);
}

/** How an unknown value travels between the engine and the analyzer. */
export const UNKNOWN: string = rpc.unknownValue;

/**
 * Turns deserialised RPC values into plain JSON-able data: secrets hidden, resources by name. Objects
 * met twice (the mocks' state shares its values with the inputs) are converted once and shared, through
 * `memo`, so a resource's inputs and state do not hold two copies of the same data.
 */
export function plain(
  value: unknown,
  memo: WeakMap<object, unknown> = new WeakMap(),
  onUnknown?: () => void,
): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object") return value;
  // A value not known until deployment: recorded as the engine's own unknown marker, which the policy
  // analyzer treats as unknown (its checks on it are skipped, as in `pulumi preview`).
  if (outputModule.isUnknown(value)) {
    onUnknown?.();
    return UNKNOWN;
  }
  const seen = memo.get(value);
  if (seen !== undefined) return seen;
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((v) => plain(v, memo, onUnknown));
  } else if (pulumi.Resource.isInstance(value)) {
    out = (value as unknown as { __name?: string }).__name ?? "[resource]";
  } else if ((value as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig) {
    out = "[secret]";
  } else {
    const record: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) record[k] = plain(v, memo, onUnknown);
    }
    out = record;
  }
  memo.set(value, out);
  return out;
}

/**
 * Serialises the mocks' state for the response. Values the mocks passed through unchanged from the
 * inputs (the same object or primitive) are answered with the inputs' own wire form; only the rest is
 * serialised. Same result as `serializeProperties(state)`, without walking every input again.
 */
async function serializeState(
  state: Record<string, unknown>,
  inputs: Record<string, unknown>,
  wire: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state ?? {})) {
    if (key in inputs && inputs[key] === value && key in wire) out[key] = wire[key];
    else rest[key] = value;
  }
  return Object.assign(out, await rpc.serializeProperties("", rest));
}

/** The `Struct` face the SDK reads a response's properties through (`toJavaScript()`). */
function structView(serialized: Record<string, unknown>): { toJavaScript(): Record<string, unknown> } {
  return { toJavaScript: () => serialized };
}

/**
 * A resource monitor that answers like Pulumi's `MockMonitor` and records every registration with the
 * parent, provider, dependencies and options the engine (and so a policy pack) would see.
 */
class RecordingMonitor {
  /** URN → the resource's id, and its state as JSON (for `getResource` invokes and `read`). */
  private readonly byUrn = new Map<string, { id: string | null; state: () => Record<string, unknown> }>();
  private readonly recorded: RecordedResource[] = [];
  private readonly recordIndex = new Map<string, number>();
  /** URNs of resources some of whose inputs are unknown until deployment. */
  readonly withUnknowns = new Set<string>();

  constructor(
    private readonly mocks: pulumi.runtime.Mocks,
    private readonly ctx: MockContext,
    private readonly onResource?: (resource: RecordedResource) => void,
  ) {}

  records(): RecordedResource[] {
    return this.recorded;
  }

  /** The engine's URN rule: the parent's qualified type chain (the root stack excluded) + `$` + type. */
  private newUrn(parent: string, type: string, name: string): string {
    if (parent) {
      const parentType = parent.split("::")[2];
      if (parentType !== "pulumi:pulumi:Stack") type = `${parentType}$${type}`;
    }
    return `urn:pulumi:${settings.getStack()}::${settings.getProject()}::${type}::${name}`;
  }

  async registerResource(
    req: RegisterResourceRequest,
    callback: (err: unknown, resp?: unknown) => void,
  ): Promise<void> {
    try {
      const type: string = req.getType();
      const name: string = req.getName();
      const parent: string = req.getParent();
      const provider: string = req.getProvider();
      const custom: boolean = req.getCustom();
      const wire: Record<string, unknown> = req.getObject()?.toJavaScript() ?? {};
      const inputs = rpc.deserializeProperties(structView(wire));
      const urn = this.newUrn(parent, type, name);
      const result = await this.mocks.newResource({
        type,
        name,
        inputs,
        provider,
        custom,
        id: req.getImportid(),
      });
      const id = custom ? (result.id ?? `${name}_id`) : null;
      if (type.startsWith("pulumi:providers:")) {
        this.ctx.providers.set(`${urn}::${id}`, inputs);
      }
      const serializedState = await serializeState(result.state, inputs, wire);
      const index = this.recorded.length;
      this.byUrn.set(urn, { id, state: () => this.recorded[index].state });
      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((deps, key) => {
        propertyDependencies[key] = deps.getUrnsList();
      });
      this.recordIndex.set(urn, index);
      const memo = new WeakMap<object, unknown>();
      this.recorded.push({
        urn,
        type,
        name,
        parent: parent || null,
        provider: provider || null,
        custom,
        inputs: plain(inputs, memo, () => this.withUnknowns.add(urn)) as Record<string, unknown>,
        state: plain(result.state, memo) as Record<string, unknown>,
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        options: {
          protect: req.getProtect() ?? false,
          ignoreChanges: req.getIgnorechangesList(),
          aliases: req.getAliasesList().map((a) => a.getUrn() || JSON.stringify(a.toObject())),
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
          ...(req.getDeletebeforereplacedefined()
            ? { deleteBeforeReplace: req.getDeletebeforereplace() }
            : {}),
        },
      });
      this.onResource?.(this.recorded[index]);
      const response = new resproto.RegisterResourceResponse();
      response.setUrn(urn);
      response.setId(id ?? "");
      // The SDK only calls toJavaScript() on the response's object: skip building a protobuf Struct.
      const view = structView(serializedState);
      response.getObject = (() => view) as unknown as typeof response.getObject;
      callback(null, response);
    } catch (err) {
      callback(err);
    }
  }

  registerResourceOutputs(
    req: RegisterResourceOutputsRequest,
    callback: (err: unknown, resp?: unknown) => void,
  ): void {
    try {
      const urn: string = req.getUrn();
      const entry = this.byUrn.get(urn);
      if (!entry) throw new Error(`unknown resource ${urn}`);
      const outputs = req.getOutputs()?.toJavaScript() ?? {};
      const index = this.recordIndex.get(urn);
      if (index !== undefined) {
        this.recorded[index] = { ...this.recorded[index], state: plain(outputs) as Record<string, unknown> };
      }
      callback(null, {});
    } catch (err) {
      callback(err);
    }
  }

  async invoke(req: ResourceInvokeRequest, callback: (err: unknown, resp?: unknown) => void): Promise<void> {
    try {
      const tok: string = req.getTok();
      const args = rpc.deserializeProperties(req.getArgs());
      let result: Record<string, unknown>;
      if (tok === "pulumi:pulumi:getResource") {
        const entry = this.byUrn.get(args.urn);
        if (!entry) throw new Error(`unknown resource ${args.urn}`);
        result = { urn: args.urn, id: entry.id, state: entry.state() };
        const response = new provproto.InvokeResponse();
        response.setReturn(gstruct.Struct.fromJavaScript(result));
        callback(null, response);
        return;
      }
      result = await this.mocks.call({ token: tok, inputs: args, provider: req.getProvider() });
      const response = new provproto.InvokeResponse();
      response.setReturn(gstruct.Struct.fromJavaScript(await rpc.serializeProperties("", result)));
      callback(null, response);
    } catch (err) {
      callback(err);
    }
  }

  async readResource(
    req: ReadResourceRequest,
    callback: (err: unknown, resp?: unknown) => void,
  ): Promise<void> {
    try {
      const result = await this.mocks.newResource({
        type: req.getType(),
        name: req.getName(),
        inputs: rpc.deserializeProperties(req.getProperties()),
        provider: req.getProvider(),
        custom: true,
        id: req.getId(),
      });
      const urn = this.newUrn(req.getParent(), req.getType(), req.getName());
      const serializedState = await rpc.serializeProperties("", result.state);
      this.byUrn.set(urn, { id: result.id ?? null, state: () => serializedState });
      const response = new resproto.ReadResourceResponse();
      response.setUrn(urn);
      response.setProperties(gstruct.Struct.fromJavaScript(serializedState));
      callback(null, response);
    } catch (err) {
      callback(err);
    }
  }

  supportsFeature(req: SupportsFeatureRequest, callback: (err: unknown, resp?: unknown) => void): void {
    const hasSupport = req.getId() !== "outputValues";
    callback(null, { getHassupport: () => hasSupport });
  }

  registerPackage(_req: unknown, callback: (err: unknown, resp?: unknown) => void): void {
    const response = new resproto.RegisterPackageResponse();
    response.setRef("mock-uuid");
    callback(null, response);
  }
}
