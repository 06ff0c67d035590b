/**
 * The one owner of Pulumi's process-global mock runtime.
 *
 * Pulumi's mocks, config and root-stack state live in module-level globals of `@pulumi/pulumi`, so two
 * programs must never run under them at once. {@link runProgram} is the only entry point the plan and
 * the tests use: it queues runs one after another, installs a fresh recording monitor, the stack's
 * config and its preview flag for each, runs the program inside a root `pulumi:pulumi:Stack` exactly as
 * the Pulumi language host does, waits for every registration and returns what was registered.
 *
 * It reaches `@pulumi/pulumi`'s internals only through ./pulumi-internals.ts; the package is pinned
 * exactly in package.json for that reason, and tests/tooling/mock-runtime/ pins the behaviour.
 */
import * as pulumi from "@pulumi/pulumi";
import { applyRuntimePatches } from "./runtime-patches";
import { defaultMocks, MockContext, PlanMocks, STACK_REFERENCE } from "./mocks";
import { Announced, RunWatch } from "./run-watch";
import {
  deserializeProperties,
  getProject,
  getStack,
  installMockMonitor,
  isUnknown,
  MockMonitor,
  MonitorCallback,
  ReadResourceRequest,
  ResourceInvokeRequest,
  RegisterResourceOutputsRequest,
  RegisterResourceRequest,
  RegisterResourceResponse,
  runInPulumiStack,
  serializeProperties,
  setAllConfig,
  specialArchiveSig,
  specialAssetSig,
  specialResourceSig,
  specialSecretSig,
  specialSigKey,
  unknownValue,
  waitForRPCs,
} from "./pulumi-internals";

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
  /**
   * What the run could not plan offline, one sentence each: stack references (outputs unknown), remote
   * components (children planned by their provider plugin), invokes the mocks do not answer.
   */
  readonly notices: string[];
}

/** How to run a program. */
export interface RunOptions {
  /** Pulumi project name (the root stack is named `<project>-<stack>`). @default "lakehouse" */
  readonly project?: string;
  /** Pulumi stack name. @default "test" */
  readonly stack?: string;
  /** Stack config, keys fully qualified (`lakehouse:account`) or bare (taken as `<project>:key`). @default {} */
  readonly config?: Record<string, string>;
  /** Config keys (as in {@link config}) whose values are secrets. @default [] */
  readonly secretKeys?: readonly string[];
  /** The working folder the program runs in (restored after). @default the process's */
  readonly cwd?: string;
  /** Run as `pulumi preview` (true) or `pulumi up` (false). @default true */
  readonly preview?: boolean;
  /** Pulumi organization. @default "organization" */
  readonly organization?: string;
  /** Called with each resource as soon as it is registered (the plan streams them to the packs). */
  readonly onResource?: (resource: RecordedResource) => void;
  /** Mocks to use instead of {@link defaultMocks}. */
  readonly mocks?: (ctx: MockContext) => pulumi.runtime.Mocks;
  /**
   * The run ends with a {@link ProgramError} naming what was still pending when the program has not
   * finished after this many milliseconds. @default no bound
   */
  readonly timeoutMs?: number;
  /**
   * `pulumi.log` modules of other `@pulumi/pulumi` copies the program loads (its own `node_modules`):
   * their logs are the run's too. The runtime's state is shared between copies (`global.globalStore`).
   */
  readonly extraLogModules?: readonly unknown[];
}

/** A program: a function whose (awaited) return value becomes the stack's outputs. */
export type Program = () => unknown;

/** Raised when the program itself failed; `errors` are the original errors with the user's stacks. */
export class ProgramError extends Error {
  constructor(
    message: string,
    readonly errors: unknown[],
    /** Resources whose registration failed, each with its error. */
    readonly failed: readonly { type: string; name: string; error: string }[] = [],
    /** Resources still waiting (on a failed one's outputs, or stalled) when the run ended. */
    readonly pending: readonly Announced[] = [],
    /** The run ended at its time bound. */
    readonly timedOut = false,
  ) {
    super(message);
    this.name = "ProgramError";
  }
}

/** Errors met twice (the SDK re-rejects a failed registration's error) count once: same object or text. */
function distinctErrors(errors: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const e of new Set(errors)) {
    const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(e);
  }
  return out;
}

/** Rejections of runs the harness stopped waiting for arrive later: they are no one's to report. */
let abandonedRuns = false;
function ignoreLateRejections(): void {
  if (abandonedRuns) return;
  abandonedRuns = true;
  process.on("unhandledRejection", () => undefined);
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
  // The features `pulumi.runtime.setMocks` announces (secrets, resource references, aliases specs...).
  await installMockMonitor(monitor, project, stack, preview, options.organization ?? "organization");
  const qualify = (key: string) => (key.includes(":") ? key : `${project}:${key}`);
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.config ?? {})) {
    config[qualify(key)] = value;
  }
  setAllConfig(config, (options.secretKeys ?? []).map(qualify));

  const errors: unknown[] = [];
  let stop: () => void = () => undefined;
  const stopped = new Promise<"stopped">((resolve) => (stop = () => resolve("stopped")));
  const watch = new RunWatch(stop);
  monitor.watch = watch;
  watch.install([pulumi.log, ...(options.extraLogModules ?? [])]);
  const onRejection = (reason: unknown) => {
    errors.push(reason);
    stop();
  };
  process.on("unhandledRejection", onRejection);
  let timedOut = false;
  const timer =
    options.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs)
      : undefined;
  let outputs: Record<string, unknown> = {};
  let finished = false;
  const cwd = process.cwd();
  try {
    if (options.cwd !== undefined) process.chdir(options.cwd);
    const work = (async () => {
      try {
        outputs = (await runInPulumiStack(async () => program())) ?? {};
      } catch (err) {
        errors.push(err);
        stop();
      }
      await waitForRPCs();
      // Let rejections queued by the last registrations surface before deciding.
      await new Promise((resolve) => setImmediate(resolve));
      finished = true;
    })();
    if ((await Promise.race([work, stopped])) === "stopped" && !finished) {
      // A failure or the time bound: the rest of the program may wait forever on what failed. Give the
      // registrations in flight a moment to report their own errors, then stop waiting.
      if (!timedOut) await Promise.race([work, new Promise((resolve) => setTimeout(resolve, 100))]);
      if (!finished) ignoreLateRejections();
    }
  } finally {
    if (options.cwd !== undefined) process.chdir(cwd);
    if (timer) clearTimeout(timer);
    process.off("unhandledRejection", onRejection);
    watch.restore();
  }
  const logs = watch.logs;
  const logged = logs.filter((l) => l.severity === "error");
  const pending = finished ? [] : watch.stillPending();
  if (errors.length > 0 || logged.length > 0 || watch.failed.length > 0 || !finished) {
    const distinct = distinctErrors(errors);
    const failed = watch.failed;
    const parts = [
      ...failed.map((f) => `${f.type} "${f.name}" failed to register: ${f.error}`),
      ...(failed.length === 0 && distinct.length > 0
        ? [distinct[0] instanceof Error ? distinct[0].message : String(distinct[0])]
        : []),
      ...(failed.length === 0 && distinct.length === 0 && logged.length > 0 ? [logged[0].message] : []),
      ...(timedOut
        ? [`the program did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s`]
        : []),
      ...(pending.length > 0
        ? [
            `${pending.length} resource${pending.length === 1 ? " was" : "s were"} still waiting: ` +
              pending
                .slice(0, 10)
                .map((p) => `${p.type} "${p.name}"`)
                .join(", ") +
              (pending.length > 10 ? `, and ${pending.length - 10} more` : ""),
          ]
        : []),
    ];
    throw new ProgramError(
      parts.join("; "),
      distinct.length > 0 ? distinct : logged.map((l) => new Error(l.message)),
      failed,
      pending,
      timedOut,
    );
  }
  return {
    resources: monitor.records(),
    // The stack's outputs as the engine records them, key by key: an output not known until deployment
    // is unknown on its own (the whole record, awaited, would be unknown), a secret is "[secret]".
    outputs: (monitor.records().find((r) => r.type === "pulumi:pulumi:Stack" && r.parent === null)?.state ??
      plain(outputs)) as Record<string, unknown>,
    logs,
    withUnknowns: monitor.withUnknowns,
    notices: monitor.notices(),
  };
}

/**
 * Replaces the resource references of a wire value (`{ [sig]: resource, urn, id? }`) by what the engine
 * sends a policy analyzer in their place: a custom resource's id, else its URN (the engine marshals
 * analyzer properties without resource references); assets and archives become plain records.
 */
export function decodeResourceReferences(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(decodeResourceReferences);
  const record = value as Record<string, unknown>;
  const sig = record[specialSigKey];
  if (sig === specialResourceSig) {
    const id = record.id;
    return typeof id === "string" && id !== "" ? id : record.urn;
  }
  // Assets and archives (a Lambda's code, a bucket object's source) as plain records of what they hold:
  // deserialised, an archive's assets would be a promise the report and the packs cannot read.
  if (sig === specialAssetSig || sig === specialArchiveSig) {
    const { [specialSigKey]: _sig, ...rest } = record;
    void _sig;
    return {
      [sig === specialAssetSig ? "__pulumiAsset" : "__pulumiArchive"]: true,
      ...(decodeResourceReferences(rest) as Record<string, unknown>),
    };
  }
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(record)) {
    const decoded = decodeResourceReferences(v);
    if (decoded !== v) {
      out ??= { ...record };
      out[k] = decoded;
    }
  }
  return out ?? record;
}

/** How an unknown value travels between the engine and the analyzer. */
export const UNKNOWN: string = unknownValue;

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
  if (isUnknown(value)) {
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
  } else if ((value as Record<string, unknown>)[specialSigKey] === specialSecretSig) {
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
  return Object.assign(out, await serializeProperties("", rest));
}

/** The `Struct` face the SDK reads a response's properties through (`toJavaScript()`). */
function structView(serialized: Record<string, unknown>): { toJavaScript(): Record<string, unknown> } {
  return { toJavaScript: () => serialized };
}

/**
 * Pulumi's `MockMonitor`, extended to record every registration with the parent, provider,
 * dependencies and options the engine (and so a policy pack) would see. What it changes:
 * - `newUrn`: the engine's rule, the parent's whole qualified type chain (`MockMonitor` keeps only the
 *   parent's last type), for registrations and reads alike;
 * - `registerResource`: records the resource, keeps provider inputs for the mocks, gives a custom
 *   resource without a mocked id `<name>_id`, and answers without building a protobuf Struct;
 * - `registerResourceOutputs`: a component's registered outputs become its recorded state.
 * Invokes (`getResource` included), reads, `supportsFeature` and `registerPackage` are `MockMonitor`'s.
 */
class RecordingMonitor extends MockMonitor {
  /** Told of every registration and read the monitor receives. */
  watch?: RunWatch;
  private readonly notes = new Set<string>();
  private readonly recorded: RecordedResource[] = [];
  private readonly recordIndex = new Map<string, number>();
  /** URNs of resources some of whose inputs are unknown until deployment. */
  readonly withUnknowns = new Set<string>();

  constructor(
    mocks: pulumi.runtime.Mocks,
    private readonly ctx: MockContext,
    private readonly onResource?: (resource: RecordedResource) => void,
  ) {
    super(mocks);
  }

  records(): RecordedResource[] {
    return this.recorded;
  }

  notices(): string[] {
    return [...this.notes];
  }

  /** Invokes are MockMonitor's; one the mocks do not answer as the provider would is named in the notices. */
  override async invoke(req: ResourceInvokeRequest, callback: MonitorCallback): Promise<void> {
    const token = req.getTok();
    const answers = (this.mocks as PlanMocks).answers;
    if (answers && token !== "pulumi:pulumi:getResource" && !answers(token)) {
      this.notes.add(
        `invoke ${token}: a data source the offline plan does not answer; the program got its own ` +
          `arguments back as the result, so what it derives from it is not what AWS would return`,
      );
    }
    // The SDK reports a failed invoke by the gRPC error's `details`, which the engine fills with the
    // provider's error; the mocks throw plain errors.
    return super.invoke(req, (err, response) => {
      if (err && (err as { details?: unknown }).details === undefined) {
        const message = err instanceof Error ? err.message : String(err);
        Object.assign(err as object, { details: `invocation of ${token} returned an error: ${message}` });
      }
      callback(err, response);
    });
  }

  /** Reads (`Resource.get`, stack references) are MockMonitor's; a stack reference's outputs are unknown. */
  override async readResource(req: ReadResourceRequest, callback: MonitorCallback): Promise<void> {
    this.watch?.registered(req.getType(), req.getName());
    if (req.getType() === STACK_REFERENCE) {
      const stack = String(
        (req.getProperties()?.toJavaScript() as { name?: unknown } | undefined)?.name ?? req.getName(),
      );
      this.notes.add(
        `stack reference ${stack} (pulumi.StackReference "${req.getName()}"): another stack's outputs cannot ` +
          `be read offline, so every output read from it is unknown in this plan (as a value not known ` +
          `until deployment); policies skip what depends on them`,
      );
    }
    return super.readResource(req, callback);
  }

  /** The engine's URN rule: the parent's qualified type chain (the root stack excluded) + `$` + type. */
  protected override newUrn(parent: string, type: string, name: string): string {
    if (parent) {
      const parentType = parent.split("::")[2];
      if (parentType !== "pulumi:pulumi:Stack") type = `${parentType}$${type}`;
    }
    return `urn:pulumi:${getStack()}::${getProject()}::${type}::${name}`;
  }

  override async registerResource(req: RegisterResourceRequest, callback: MonitorCallback): Promise<void> {
    try {
      const type = req.getType();
      const name = req.getName();
      const parent = req.getParent();
      const provider = req.getProvider();
      const custom = req.getCustom();
      this.watch?.registered(type, name);
      if (req.getRemote()) {
        this.notes.add(
          `${type} "${name}" is a remote component: its children are declared by its provider plugin ` +
            `(a multi-language component such as awsx's), which the offline plan does not run; the plan ` +
            `and the packs see the component and its inputs only, not the resources it would create`,
        );
      }
      const wire = decodeResourceReferences(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const inputs = deserializeProperties(structView(wire) as Parameters<typeof deserializeProperties>[0]);
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
      // What a `getResource` invoke answers: the recorded state, as it stands when asked.
      const recorded = this.recorded;
      this.resources.set(urn, {
        urn,
        id,
        get state() {
          return recorded[index].state;
        },
      });
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
      const response = new RegisterResourceResponse();
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

  override registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: MonitorCallback): void {
    try {
      const urn = req.getUrn();
      if (!this.resources.has(urn)) throw new Error(`unknown resource ${urn}`);
      // Outputs holding resources (`registerOutputs({ stream })`) arrive as resource references: decoded
      // as the engine gives them to an analyzer, a custom resource's id or a component's URN.
      const wire = decodeResourceReferences(req.getOutputs()?.toJavaScript() ?? {}) as Record<
        string,
        unknown
      >;
      const outputs = deserializeProperties(structView(wire) as Parameters<typeof deserializeProperties>[0]);
      const index = this.recordIndex.get(urn);
      if (index !== undefined) {
        this.recorded[index] = { ...this.recorded[index], state: plain(outputs) as Record<string, unknown> };
      }
      callback(null, {});
    } catch (err) {
      callback(err);
    }
  }
}
