/**
 * Policy pack configuration, reconciled the way the Pulumi CLI does it before it calls the analyzer's
 * `Configure` RPC (`ReconcilePolicyPackConfig` in pulumi/pkg/resource/analyzer/config.go):
 *
 * 1. every policy starts at its own enforcement level (or the pack's) with the `default` of each
 *    property of its `configSchema`;
 * 2. the pack's initial config (`new PolicyPack(name, args, initialConfig)`) is applied, then the
 *    user's config (`--policy-pack-config <file>`); in each, `"all": "<level>"` sets every policy's
 *    level first, then per-policy entries (a level string, or an object with `enforcementLevel` and
 *    properties) are applied on top;
 * 3. each policy's properties are validated against its schema; any error stops the run.
 */
import Ajv from "ajv";

/** The enforcement levels Pulumi knows. */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A policy as its pack announces it (`GetAnalyzerInfo`). */
export interface PolicyInfo {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly severity?: string;
  readonly remediationSteps?: string;
  readonly configSchema?: { properties: Record<string, Record<string, unknown>>; required?: string[] };
}

/** One policy's reconciled config, as sent with `Configure`. */
export interface PolicyConfig {
  readonly enforcementLevel: EnforcementLevel;
  readonly properties: Record<string, unknown>;
}

/** The JSON a user writes for `--policy-pack-config`: `{ "all": "advisory", "p": { ... } }`. */
export type PolicyPackConfigFile = Record<string, EnforcementLevel | Record<string, unknown>>;

/** Raised when the config names an invalid level or fails a policy's schema. */
export class PolicyConfigError extends Error {
  constructor(
    readonly pack: string,
    readonly problems: string[],
  ) {
    super(`policy pack ${pack}: invalid config:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "PolicyConfigError";
  }
}

function parseEntries(
  pack: string,
  config: PolicyPackConfigFile | undefined,
): Map<string, { level?: EnforcementLevel; properties: Record<string, unknown> }> {
  const out = new Map<string, { level?: EnforcementLevel; properties: Record<string, unknown> }>();
  for (const [key, value] of Object.entries(config ?? {})) {
    if (typeof value === "string") {
      if (!LEVELS.includes(value)) {
        throw new PolicyConfigError(pack, [
          `${key}: "${value}" is not an enforcement level (${LEVELS.join(", ")})`,
        ]);
      }
      out.set(key, { level: value, properties: {} });
    } else if (value && typeof value === "object" && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel as EnforcementLevel)) {
        throw new PolicyConfigError(pack, [
          `${key}.enforcementLevel: ${JSON.stringify(enforcementLevel)} is not an enforcement level (${LEVELS.join(", ")})`,
        ]);
      }
      out.set(key, { level: enforcementLevel as EnforcementLevel | undefined, properties });
    } else {
      throw new PolicyConfigError(pack, [`${key}: must be an enforcement level string or an object`]);
    }
  }
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });

/** Reconciles a pack's policies with its initial config and the user's config (see the module doc). */
export function reconcilePolicyConfig(
  pack: string,
  policies: readonly PolicyInfo[],
  initialConfig: PolicyPackConfigFile | undefined,
  userConfig: PolicyPackConfigFile | undefined,
): Record<string, PolicyConfig> {
  const result: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }> =
    {};
  for (const policy of policies) {
    const properties: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      if ("default" in schema) properties[key] = schema.default;
    }
    result[policy.name] = { enforcementLevel: policy.enforcementLevel, properties };
  }
  for (const layer of [initialConfig, userConfig]) {
    const entries = parseEntries(pack, layer);
    const all = entries.get("all")?.level;
    if (all) for (const entry of Object.values(result)) entry.enforcementLevel = all;
    for (const [name, given] of entries) {
      if (name === "all") continue;
      const entry = result[name];
      if (!entry) continue; // the CLI ignores config for policies the pack does not have
      if (given.level) entry.enforcementLevel = given.level;
      Object.assign(entry.properties, given.properties);
    }
  }
  const problems: string[] = [];
  for (const policy of policies) {
    if (!policy.configSchema) continue;
    const validate = ajv.compile({
      type: "object",
      properties: policy.configSchema.properties,
      ...(policy.configSchema.required?.length ? { required: policy.configSchema.required } : {}),
    });
    if (!validate(result[policy.name].properties)) {
      for (const e of validate.errors ?? []) {
        problems.push(`${policy.name}${e.instancePath.replace(/\//g, ".")}: ${e.message}`);
      }
    }
  }
  if (problems.length > 0) throw new PolicyConfigError(pack, problems);
  return result;
}
