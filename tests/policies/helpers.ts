import type {
  PolicyProviderResource,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as path from "path";
import { expect } from "chai";
import { reconcilePolicyConfig } from "../../tooling/policy-eval/policy-config";
import { packConfigFor } from "../../tooling/plan/pack-config";
import { loadPlatform } from "../../platform";
import { runPlanCli } from "../run-cli";

/**
 * The example platform's registry as dataset-missing-required-tags takes it (`datasets`, `lakeBuckets`,
 * `lakeDatabases`), from the config `npm run policy-config` writes.
 */
export function datasetRegistryConfig(): {
  datasets: unknown[];
  lakeBuckets: string[];
  lakeDatabases: string[];
} {
  const governance = packConfigFor(loadPlatform(path.join(__dirname, "..", "..", "stacks", "platform.yaml")))[
    "lakehouse-governance"
  ] as Record<string, Record<string, unknown>>;
  const { datasets, lakeBuckets, lakeDatabases } = governance["dataset-missing-required-tags"];
  return {
    datasets: datasets as unknown[],
    lakeBuckets: lakeBuckets as string[],
    lakeDatabases: lakeDatabases as string[],
  };
}

/** What a resource policy is run against in a unit test. */
export interface ResourceCase {
  readonly type: string;
  readonly props: Record<string, unknown>;
  /** The provider's inputs (region, allowedAccountIds, defaultTags...). */
  readonly provider?: Record<string, unknown>;
  /** The policy's settings over its schema defaults, as `--policy-pack-config` gives them. */
  readonly config?: Record<string, unknown>;
}

class NotApplicable extends Error {}

/**
 * A policy's settings as the CLI sends them: its schema's defaults under `config` (the policy's entry of
 * `--policy-pack-config`; none when undefined).
 */
export function policyProperties(
  policy: Pick<ResourceValidationPolicy, "name" | "description" | "configSchema">,
  config?: Record<string, unknown>,
): Record<string, unknown> {
  return reconcilePolicyConfig(
    "test",
    [
      {
        name: policy.name,
        description: policy.description,
        enforcementLevel: "mandatory",
        configSchema: policy.configSchema as never,
      },
    ],
    undefined,
    config ? { [policy.name]: config } : undefined,
  )[policy.name].properties as Record<string, unknown>;
}

/**
 * Runs one resource policy directly (no pack, no server) with the config the CLI would send, and returns
 * the messages it reported; `undefined` when the policy declared itself not applicable.
 */
export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  c: ResourceCase,
): Promise<string[] | undefined> {
  const config = policyProperties(policy, c.config);
  const provider: PolicyProviderResource | undefined = c.provider
    ? {
        type: "pulumi:providers:aws",
        name: "acct",
        urn: "urn:pulumi:test::p::pulumi:providers:aws::acct",
        props: c.provider,
      }
    : undefined;
  const isType = (cls: { __pulumiType?: string; isInstance?: (o: unknown) => boolean }) =>
    cls.__pulumiType !== undefined
      ? cls.__pulumiType === c.type
      : cls.isInstance?.({ __pulumiType: c.type }) === true;
  const args = {
    type: c.type,
    props: c.props,
    urn: `urn:pulumi:test::p::${c.type}::r`,
    name: "r",
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    provider,
    stackTags: new Map<string, string>(),
    isType,
    asType: (cls: never) => (isType(cls) ? c.props : undefined),
    getConfig: () => config,
    notApplicable: (reason?: string) => {
      throw new NotApplicable(reason);
    },
  } as unknown as ResourceValidationArgs;
  const messages: string[] = [];
  const validations = [policy.validateResource ?? []].flat();
  try {
    for (const validate of validations)
      await validate(args, (message?: string) => messages.push(message ?? ""));
  } catch (err) {
    if (err instanceof NotApplicable) return undefined;
    throw err;
  }
  return messages;
}

/** One resource of a stack a stack policy is run against in a unit test. */
export interface StackResourceCase {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  /** The provider's inputs (region, allowedAccountIds, defaultTags...). */
  readonly provider?: Record<string, unknown>;
  /** Per input property, the names of the stack's resources its value came from. */
  readonly dependsOn?: Record<string, string[]>;
}

/**
 * Runs one stack policy directly over `resources` with the config the CLI would send (its schema's
 * defaults under `config`), and returns what it reported as `{ name, message }` (`name` of the resource
 * the violation names, `"(stack)"` for none); `undefined` when the policy declared itself not applicable.
 */
export async function runStackPolicy(
  policy: StackValidationPolicy,
  resources: readonly StackResourceCase[],
  config?: Record<string, unknown>,
): Promise<{ name: string; message: string }[] | undefined> {
  const properties = policyProperties(policy, config);
  const urn = (c: { type: string; name: string }) => `urn:pulumi:test::p::${c.type}::${c.name}`;
  const built = resources.map(
    (c) =>
      ({
        type: c.type,
        name: c.name,
        urn: urn(c),
        props: c.props,
        provider: c.provider
          ? {
              type: "pulumi:providers:aws",
              name: "acct",
              urn: "urn:pulumi:test::p::pulumi:providers:aws::acct",
              props: c.provider,
            }
          : undefined,
        dependencies: [],
        propertyDependencies: {},
        opts: {},
        isType: () => false,
        asType: () => undefined,
      }) as unknown as PolicyResource,
  );
  const byName = new Map(built.map((r) => [r.name, r]));
  resources.forEach((c, i) => {
    const deps: Record<string, PolicyResource[]> = {};
    for (const [property, names] of Object.entries(c.dependsOn ?? {})) {
      deps[property] = names.map((n) => {
        const d = byName.get(n);
        if (!d) throw new Error(`${c.name}.${property} depends on ${n}, which is not in the stack`);
        return d;
      });
    }
    Object.assign(built[i], {
      propertyDependencies: deps,
      dependencies: [...new Set(Object.values(deps).flat())],
    });
  });
  const found: { name: string; message: string }[] = [];
  const args = {
    resources: built,
    stackTags: new Map<string, string>(),
    getConfig: () => properties,
    notApplicable: (reason?: string) => {
      throw new NotApplicable(reason);
    },
  } as unknown as StackValidationArgs;
  try {
    await policy.validateStack(args, (message?: string, urnOf?: string) =>
      found.push({ name: urnOf?.split("::").pop() ?? "(stack)", message: message ?? "" }),
    );
  } catch (err) {
    if (err instanceof NotApplicable) return undefined;
    throw err;
  }
  return found;
}

/**
 * Plans a hand-written program of `tests/fixtures/forbidden/` with the plan CLI, expects exit 1, and
 * returns its violations from `pack` as sorted `"<level> <policy> <resource name>"` lines.
 */
/** A forbidden fixture's violations from `pack`, as `{ name: "<level> <policy> <resource>", message }`. */
export async function forbiddenFixtureReport(
  fixture: string,
  pack: string,
): Promise<Array<{ name: string; message: string }>> {
  const r = await runPlanCli(
    "--program",
    path.join(__dirname, "..", "fixtures", "forbidden", fixture),
    "--format",
    "json",
  );
  expect(r.code, r.stderr).to.equal(1);
  return JSON.parse(r.stdout)
    .stacks[0].violations.filter((v: { pack: string }) => v.pack === pack)
    .map((v: { policy: string; level: string; urn: string | null; message: string }) => ({
      name: `${v.level} ${v.policy} ${v.urn?.split("::").pop() ?? "(stack)"}`,
      message: v.message,
    }))
    .sort((a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name));
}

/** A forbidden fixture's violations from `pack`, as sorted `<level> <policy> <resource>` strings. */
export async function forbiddenFixtureViolations(fixture: string, pack: string): Promise<string[]> {
  return (await forbiddenFixtureReport(fixture, pack)).map((v) => v.name);
}
