/**
 * The AWS account a resource is deployed into, judged from the provider it is created with (its
 * `allowedAccountIds`, else the account of the role it assumes) — never from the default provider.
 */
import type { PolicyProviderResource } from "@pulumi/policy";
import { arr, known, obj, str } from "./known";

/** The resource's account id, or `undefined` when its provider does not pin one (or it is unknown). */
export function accountOf(provider: PolicyProviderResource | undefined): string | undefined {
  const props = known(provider?.props);
  const allowed = arr(props.allowedAccountIds);
  if (Array.isArray(allowed) && allowed.length === 1 && typeof allowed[0] === "string") return allowed[0];
  const roles = arr(props.assumeRoles);
  const first = Array.isArray(roles) ? obj(roles[0]) : undefined;
  const arn = first && typeof first === "object" ? str(first.roleArn) : undefined;
  return typeof arn === "string" ? principalAccount(arn) : undefined;
}

/** The account an IAM principal belongs to: an account id itself, or an IAM/STS ARN's account. */
export function principalAccount(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}
