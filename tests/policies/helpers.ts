import type {
  PolicyProviderResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import * as path from "path";
import { expect } from "chai";
import { reconcilePolicyConfig } from "../../tooling/policy-eval/policy-config";
import { runPlanCli } from "../run-cli";

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
