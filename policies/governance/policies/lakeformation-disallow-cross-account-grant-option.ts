import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { accountOf } from "../../lib/account";

/** The account a Lake Formation principal belongs to: an account id itself, or an IAM ARN's account. */
export function principalAccount(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(principal)?.[1];
}

/**
 * A grant to another account never carries grant options: the consumer could re-share the lake's data
 * onward, beyond what the platform definition says.
 */
export const lakeformationDisallowCrossAccountGrantOption: ResourceValidationPolicy = {
  name: "lakeformation-disallow-cross-account-grant-option",
  description: "Lake Formation grants to another account carry no grant option.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateResourceOfType(aws.lakeformation.Permissions, (grant, args, reportViolation) => {
    const withGrant = grant.permissionsWithGrantOptions ?? [];
    if (withGrant.length === 0) return;
    const own = accountOf(args.provider);
    const target = principalAccount(grant.principal);
    if (target !== undefined && own !== undefined && target === own) return;
    reportViolation(
      `The grant to ${grant.principal} gives ${withGrant.join(", ")} with grant option ` +
        `${target === undefined ? "to a principal whose account cannot be shown" : `to account ${target}`}` +
        `${own ? ` (this stack deploys account ${own})` : ""}; remove permissionsWithGrantOptions so nothing can be re-shared.`,
    );
  }),
};
