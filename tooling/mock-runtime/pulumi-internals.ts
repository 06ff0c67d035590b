/**
 * The one door to `@pulumi/pulumi`'s (and `@pulumi/policy`'s) internals.
 *
 * The mock runtime and the policy evaluator need modules the SDKs do not export from their index:
 * `runtime/{settings,stack,config,rpc,state,mocks,debuggable}`, `output`, `resource`, the generated
 * protobuf messages and google-protobuf. Every other file imports them from here, never by path
 * (tests/tooling/mock-runtime/pulumi-internals.test.ts enforces it), so an upgrade of the pinned
 * `@pulumi/pulumi` is checked in one place.
 *
 * Types come from the packages' own `.d.ts` where they declare the member (`import type`); where a
 * module's `.d.ts` strips it (`runtime/state`'s store, `runtime/debuggable`, `settings.waitForRPCs`,
 * `Resource.callsites`, `MockMonitor.newUrn`), a small interface here names just what we use.
 */
import * as path from "path";
import type * as Settings from "@pulumi/pulumi/runtime/settings";
import type * as Stack from "@pulumi/pulumi/runtime/stack";
import type * as Config from "@pulumi/pulumi/runtime/config";
import type * as Rpc from "@pulumi/pulumi/runtime/rpc";
import type * as Mocks from "@pulumi/pulumi/runtime/mocks";
import type * as Output from "@pulumi/pulumi/output";
import type * as ResourceProto from "@pulumi/pulumi/proto/resource_pb";
import type * as AnalyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import type * as StructProto from "google-protobuf/google/protobuf/struct_pb";
import type * as EmptyProto from "google-protobuf/google/protobuf/empty_pb";

/* eslint-disable @typescript-eslint/no-require-imports */
const settingsModule = require("@pulumi/pulumi/runtime/settings") as typeof Settings & {
  /** Resolves once every outstanding RPC (registration) has completed. Stripped from the `.d.ts`. */
  waitForRPCs(): Promise<void>;
};
const stackModule = require("@pulumi/pulumi/runtime/stack") as typeof Stack;
const configModule = require("@pulumi/pulumi/runtime/config") as typeof Config;
const rpcModule = require("@pulumi/pulumi/runtime/rpc") as typeof Rpc;
const mocksModule = require("@pulumi/pulumi/runtime/mocks") as typeof Mocks;
const outputModule = require("@pulumi/pulumi/output") as typeof Output;
const stateModule = require("@pulumi/pulumi/runtime/state") as { getStore(): RuntimeStore };
const resourceProto = require("@pulumi/pulumi/proto/resource_pb") as typeof ResourceProto;
const debuggableModule = require("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise: <T>(p: Promise<T>, ctx?: unknown) => Promise<T>;
};
const resourceModule = require("@pulumi/pulumi/resource") as {
  Resource: { callsites: () => unknown[]; isInstance(obj: unknown): boolean };
};
/** `runtime/dependsOn` (its `.d.ts` is stripped): how a registration's dependencies are gathered. */
interface DependsOnModule {
  gatherExplicitDependencies(dependsOn: unknown): Promise<unknown[]>;
  getAllTransitivelyReferencedResources(
    resources: Iterable<unknown>,
    exclude: Set<unknown>,
  ): Promise<unknown[]>;
  getAllTransitivelyReferencedResourceURNs(
    resources: Iterable<unknown>,
    exclude: Set<unknown>,
  ): Promise<Set<string>>;
}
const dependsOnModule = require("@pulumi/pulumi/runtime/dependsOn") as DependsOnModule;
/* eslint-enable @typescript-eslint/no-require-imports */

// ---------------------------------------------------------------------------------------------------
// The mock runtime (tooling/mock-runtime/harness.ts)

export type { Mocks, MockCallArgs, MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime/mocks";
export type {
  ReadResourceRequest,
  ResourceInvokeRequest,
  RegisterResourceOutputsRequest,
  RegisterResourceRequest,
} from "@pulumi/pulumi/proto/resource_pb";

/** The per-run store of `runtime/state` (its `.d.ts` is stripped): the feature flags are its `supports*`. */
interface RuntimeStore {
  [key: string]: unknown;
}

/** The monitor callback shape of the SDK's resource monitor client. */
export type MonitorCallback = (err: unknown, response?: unknown) => void;

/** What the monitor keeps of a registered or read resource (for `getResource` invokes). */
export interface MockedResource {
  readonly urn: string;
  readonly id: string | null;
  readonly state: unknown;
}

/**
 * Pulumi's `MockMonitor` (the monitor `pulumi.runtime.setMocks` installs), typed for extension. Its
 * `.d.ts` marks `newUrn` private and types requests as `any`; `readResource` and `registerResource`
 * call `newUrn` through `this`, so a subclass that overrides it changes the URN rule of both.
 */
declare class ExtensibleMockMonitor {
  constructor(mocks: Mocks.Mocks);
  readonly mocks: Mocks.Mocks;
  /** URN → the resource, as `invoke("pulumi:pulumi:getResource")` answers it. */
  readonly resources: Map<string, MockedResource>;
  /** The URN of a resource named `name` of type `type` under `parent` (`""` for none). */
  protected newUrn(parent: string, type: string, name: string): string;
  invoke(req: ResourceProto.ResourceInvokeRequest, callback: MonitorCallback): Promise<void>;
  readResource(req: ResourceProto.ReadResourceRequest, callback: MonitorCallback): Promise<void>;
  registerResource(req: ResourceProto.RegisterResourceRequest, callback: MonitorCallback): Promise<void>;
  registerResourceOutputs(req: ResourceProto.RegisterResourceOutputsRequest, callback: MonitorCallback): void;
  supportsFeature(req: ResourceProto.SupportsFeatureRequest, callback: MonitorCallback): void;
  registerPackage(req: ResourceProto.RegisterPackageRequest, callback: MonitorCallback): void;
}
/** Pulumi's own mock monitor, to extend. */
export const MockMonitor = mocksModule.MockMonitor as unknown as typeof ExtensibleMockMonitor;
export type MockMonitor = ExtensibleMockMonitor;

/** The response message of a resource registration. */
export const RegisterResourceResponse = resourceProto.RegisterResourceResponse;

/** The project and stack the runtime is set to (`pulumi.getProject()`/`getStack()` read the same). */
export const getProject = settingsModule.getProject;
export const getStack = settingsModule.getStack;
/** Waits for every registration the program started. */
export const waitForRPCs = settingsModule.waitForRPCs;
/** Runs `init` inside a root `pulumi:pulumi:Stack`, as the language host does; resolves to its outputs. */
export const runInPulumiStack = stackModule.runInPulumiStack;
/** Replaces the stack config (keys `<namespace>:<key>`), and the keys holding secrets. */
export const setAllConfig = configModule.setAllConfig;
export const serializeProperties = rpcModule.serializeProperties;
export const deserializeProperties = rpcModule.deserializeProperties;
/** The engine's marker for a value unknown until deployment. */
export const unknownValue: string = rpcModule.unknownValue;
/** The key and value by which a serialised secret is recognised. */
export const specialSigKey: string = rpcModule.specialSigKey;
export const specialSecretSig: string = rpcModule.specialSecretSig;
/** The value of {@link specialSigKey} that marks a serialised resource reference (`{ urn, id? }`). */
export const specialResourceSig: string = rpcModule.specialResourceSig;
/** The values of {@link specialSigKey} that mark a serialised asset and archive. */
export const specialAssetSig: string = rpcModule.specialAssetSig;
export const specialArchiveSig: string = rpcModule.specialArchiveSig;
/** True for an unknown value (an output not known during preview). */
export const isUnknown = outputModule.isUnknown;

/** The feature flags (`supports*`) the runtime's store holds now. */
export function featureFlags(): Record<string, boolean> {
  const flags: Record<string, boolean> = {};
  const store = stateModule.getStore();
  for (const key of Object.keys(store).sort()) {
    if (/^supports[A-Z]/.test(key) && typeof store[key] === "boolean") flags[key] = store[key] as boolean;
  }
  return flags;
}

/**
 * Sets the runtime up exactly as `pulumi.runtime.setMocks(mocks, project, stack, preview, organization)`
 * does, then puts `monitor` in place of the `MockMonitor` it created. The feature flags are the ones
 * `setMocks` set (taken from the store, not listed here), so an upgrade that announces a new feature to
 * mocked programs announces it to ours too. Returns those flags.
 */
export async function installMockMonitor(
  monitor: MockMonitor,
  project: string,
  stack: string,
  preview: boolean,
  organization: string,
): Promise<Record<string, boolean>> {
  await mocksModule.setMocks(monitor.mocks, project, stack, preview, organization);
  const flags = featureFlags();
  // setMockOptions resets the options and flags (as setMocks did first) and installs the monitor.
  settingsModule.setMockOptions(monitor, project, stack, preview, organization);
  Object.assign(stateModule.getStore(), flags);
  return flags;
}

/**
 * What a program run under `pulumi.runtime.setMocks` sees: set up a throwaway mock runtime, run an empty
 * program in its root stack (which also asks the monitor's `supportsFeature`) and read the flags there.
 * Changes the process-global runtime: only for tests, outside a run.
 */
export async function setMocksFeatureFlags(): Promise<Record<string, boolean>> {
  const none = { newResource: () => ({ id: undefined, state: {} }), call: () => ({}) };
  await mocksModule.setMocks(none, "flags", "flags", true);
  let flags: Record<string, boolean> = {};
  await stackModule.runInPulumiStack(async () => {
    flags = featureFlags();
    return {};
  });
  await settingsModule.waitForRPCs();
  return flags;
}

/** Replaces the SDK's leak-tracking promise wrapper (a stack trace per runtime promise). */
export function disablePromiseLeakTracking(): void {
  debuggableModule.debuggablePromise = <T>(p: Promise<T>): Promise<T> => p;
}

/** Registers resources without a source position (no stack trace formatted per resource). */
export function disableResourceCallsites(): void {
  resourceModule.Resource.callsites = (): unknown[] => [];
}

/**
 * Replaces `runtime/dependsOn`'s two gatherers, which every registration calls (the SDK calls them
 * through the module's exports), with versions that return the same values in the same order with
 * less work. The SDK's cost grows with the number of dependencies times the number of resources:
 * a `dependsOn` of N resources is awaited element by element, and each dependency's URN is read
 * through a new promise chain for every resource that depends on it, where a program in which each
 * of N grants waits for N tables makes N² of them.
 * - `gatherExplicitDependencies`: resources of an array are taken as they are; only promises, outputs
 *   and nested arrays are awaited (the SDK's own function does that, and still refuses the rest).
 * - `getAllTransitivelyReferencedResourceURNs`: the SDK's walk through components' children is kept;
 *   a resource's URN, once resolved, is remembered and read from there (a URN never changes).
 */
export function speedUpDependencyGathering(): void {
  const gatherSdk = dependsOnModule.gatherExplicitDependencies;
  const isOutput = outputModule.Output.isInstance;
  const isResource = resourceModule.Resource.isInstance;
  const gather = async (dependsOn: unknown): Promise<unknown[]> => {
    if (!Array.isArray(dependsOn)) return gatherSdk(dependsOn);
    const found: unknown[] = [];
    for (const d of dependsOn) {
      if (d && !Array.isArray(d) && !(d instanceof Promise) && !isOutput(d) && isResource(d)) found.push(d);
      else for (const r of await gather(d)) found.push(r);
    }
    return found;
  };
  const walk = dependsOnModule.getAllTransitivelyReferencedResources;
  /** A resource as the walk returns it: its URN output's `promise()` is internal to the SDK. */
  type Reached = { urn: { promise(): Promise<string> } };
  // Per resource, its URN once resolved, and until then the one promise every dependent waits on.
  const known = new WeakMap<object, string>();
  const waiting = new WeakMap<object, Promise<string>>();
  const urnOf = (r: Reached): Promise<string> => {
    let p = waiting.get(r);
    if (p === undefined) {
      p = r.urn.promise().then((urn) => {
        if (typeof urn === "string") known.set(r, urn);
        return urn;
      });
      waiting.set(r, p);
    }
    return p;
  };
  const urnsOf = async (resources: Iterable<unknown>, exclude: Set<unknown>): Promise<Set<string>> => {
    const reached = (await walk(resources, exclude)) as Reached[];
    const out = new Set<string>();
    // One URN awaited at a time: a dependent waits on one registration, not on a reaction per
    // dependency (thousands of dependents waiting on thousands of tables held gigabytes of them).
    for (const r of reached) out.add(known.get(r) ?? (await urnOf(r)));
    return out;
  };
  dependsOnModule.gatherExplicitDependencies = gather;
  dependsOnModule.getAllTransitivelyReferencedResourceURNs = urnsOf;
}

// ---------------------------------------------------------------------------------------------------
// The policy evaluator (tooling/policy-eval/pack-worker.ts)

/** The gRPC server class, whose `addService`/`bindAsync` the evaluator replaces to keep a pack unbound. */
interface GrpcServerClass {
  prototype: {
    addService(service: unknown, implementation: Record<string, unknown>): void;
    bindAsync(...args: unknown[]): void;
  };
}

/** `@pulumi/policy/protoutil` (its `.d.ts` is stripped): enforcement levels to and from the wire. */
interface PolicyProtoUtil {
  convertEnforcementLevel(level: number): string;
  mapEnforcementLevel(level: string): number;
}

/** The modules a policy pack's analyzer speaks, in the instances `@pulumi/policy` itself loads. */
export interface AnalyzerRuntime {
  readonly grpc: { Server: GrpcServerClass };
  readonly analyzerProto: typeof AnalyzerProto;
  readonly struct: typeof StructProto;
  readonly empty: typeof EmptyProto;
  readonly protoutil: PolicyProtoUtil;
}

let analyzer: AnalyzerRuntime | undefined;

/**
 * The analyzer's modules, resolved from `@pulumi/policy`'s folder (the copies the pack's `serve()` uses,
 * whatever npm's hoisting did). Loaded on first use: only the pack worker needs them.
 */
export function analyzerRuntime(): AnalyzerRuntime {
  if (analyzer) return analyzer;
  const policyRoot = path.dirname(require.resolve("@pulumi/policy/package.json"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (id: string): unknown => require(require.resolve(id, { paths: [policyRoot] }));
  analyzer = {
    grpc: load("@grpc/grpc-js") as AnalyzerRuntime["grpc"],
    analyzerProto: load("@pulumi/pulumi/proto/analyzer_pb") as typeof AnalyzerProto,
    struct: load("google-protobuf/google/protobuf/struct_pb") as typeof StructProto,
    empty: load("google-protobuf/google/protobuf/empty_pb") as typeof EmptyProto,
    protoutil: load("@pulumi/policy/protoutil") as PolicyProtoUtil,
  };
  return analyzer;
}
