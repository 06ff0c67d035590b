/**
 * Reading a resource's effective tags as AWS will apply them: the provider's `defaultTags` under the
 * resource's own `tags` (the resource wins). Pure functions over policy arguments.
 */
import type { PolicyProviderResource } from "@pulumi/policy";

type Tags = Record<string, string>;

function asObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === "string" && value.startsWith("{")) {
    try {
      return JSON.parse(value) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
}

/** The provider's `defaultTags.tags` (providers may pass nested inputs as JSON strings). */
export function providerDefaultTags(provider: PolicyProviderResource | undefined): Tags {
  const defaultTags = asObject(provider?.props?.defaultTags);
  return { ...((asObject(defaultTags?.tags) as Tags | undefined) ?? {}) };
}

/** The tags the resource will carry: provider default tags, then its own. */
export function effectiveTags(
  props: Record<string, unknown>,
  provider: PolicyProviderResource | undefined,
): Tags {
  return { ...providerDefaultTags(provider), ...((asObject(props.tags) as Tags | undefined) ?? {}) };
}
