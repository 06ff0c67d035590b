/**
 * Reading a resource's effective tags as AWS will apply them: the provider's `defaultTags` under the
 * resource's own `tags` (the resource wins). Pure functions over policy arguments.
 */
import type { PolicyProviderResource } from "@pulumi/policy";
import { inputObject } from "./provider-input";

type Tags = Record<string, string>;

/** The provider's `defaultTags.tags` (providers may pass nested inputs as JSON strings). */
export function providerDefaultTags(provider: PolicyProviderResource | undefined): Tags {
  const defaultTags = inputObject(provider?.props?.defaultTags);
  return { ...((inputObject(defaultTags?.tags) as Tags | undefined) ?? {}) };
}

/** The tags the resource will carry: provider default tags, then its own. */
export function effectiveTags(
  props: Record<string, unknown>,
  provider: PolicyProviderResource | undefined,
): Tags {
  return { ...providerDefaultTags(provider), ...((inputObject(props.tags) as Tags | undefined) ?? {}) };
}
