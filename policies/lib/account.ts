/**
 * The AWS account a resource is deployed into, judged from the provider it is created with (its
 * `allowedAccountIds`, else the account of the role it assumes) — never from the default provider.
 */
import type { PolicyProviderResource } from "@pulumi/policy";
import { inputArray } from "./provider-input";

/** The resource's account id, or `undefined` when its provider does not pin one. */
export function accountOf(provider: PolicyProviderResource | undefined): string | undefined {
  const props = provider?.props ?? {};
  const allowed = inputArray(props.allowedAccountIds);
  if (allowed?.length === 1 && typeof allowed[0] === "string") return allowed[0];
  const roles = inputArray(props.assumeRoles) as { roleArn?: string }[] | undefined;
  const arn = roles?.[0]?.roleArn;
  const match = typeof arn === "string" ? /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(arn) : null;
  return match?.[1];
}
