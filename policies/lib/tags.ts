/**
 * Reading a resource's effective tags as AWS will apply them: the provider's `defaultTags` under the
 * resource's own `tags` (the resource wins). Pure functions over policy arguments.
 */
import type { PolicyProviderResource } from "@pulumi/policy";
import { Known, known, obj, UNKNOWN } from "./known";

/** Tag values; {@link UNKNOWN} where a value is not known until the deployment. */
export type Tags = Record<string, string | typeof UNKNOWN>;

/** A tag-like map (tags, Glue table parameters) with its string values; {@link UNKNOWN} when unknown as a whole. */
export function tagMap(value: Known | undefined): Tags | typeof UNKNOWN {
  const o = obj(value);
  if (o === UNKNOWN) return UNKNOWN;
  const tags: Tags = {};
  for (const [k, v] of Object.entries(o ?? {})) {
    if (typeof v === "string" || v === UNKNOWN) tags[k] = v;
  }
  return tags;
}

/** The provider's `defaultTags.tags` (providers may pass nested inputs as JSON strings). */
export function providerDefaultTags(provider: PolicyProviderResource | undefined): Tags | typeof UNKNOWN {
  const defaultTags = obj(known(provider?.props).defaultTags);
  if (defaultTags === UNKNOWN) return UNKNOWN;
  return tagMap(defaultTags?.tags);
}

/**
 * The tags the resource will carry: provider default tags, then its own; {@link UNKNOWN} when either
 * map as a whole is not known yet.
 */
export function effectiveTags(
  props: { [key: string]: Known },
  provider: PolicyProviderResource | undefined,
): Tags | typeof UNKNOWN {
  const defaults = providerDefaultTags(provider);
  const own = tagMap(props.tags);
  if (defaults === UNKNOWN || own === UNKNOWN) return UNKNOWN;
  return { ...defaults, ...own };
}

/**
 * Where a Glue table carries a governance tag key as a table parameter: the data classification goes
 * under `data-classification`, since `classification` is Glue's data-format key (`parquet`), read by
 * crawlers and Glue jobs (CONTRACTS §1).
 */
export function glueParameterKey(tagKey: string): string {
  return tagKey === "classification" ? "data-classification" : tagKey;
}
