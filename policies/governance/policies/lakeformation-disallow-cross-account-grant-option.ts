import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { accountOf, arr, known, principalAccount, show, UNKNOWN } from "@acme/lakehouse-policy-lib";

/**
 * A grant to another account never carries grant options: the consumer could re-share the lake's data
 * onward, beyond what the platform definition says.
 */
export const lakeformationDisallowCrossAccountGrantOption: ResourceValidationPolicy = {
  name: "lakeformation-disallow-cross-account-grant-option",
  description: "Lake Formation grants to another account carry no grant option.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateResourceOfType(aws.lakeformation.Permissions, (_grant, args, reportViolation) => {
    const grant = known(args.props);
    const withGrant = arr(grant.permissionsWithGrantOptions);
    if (withGrant === UNKNOWN || !withGrant?.length || grant.principal === UNKNOWN) return;
    const principal = String(grant.principal);
    const own = accountOf(args.provider);
    const target = principalAccount(principal);
    if (target !== undefined && own !== undefined && target === own) return;
    reportViolation(
      `The grant to ${principal} gives ${withGrant.map(show).join(", ")} with grant option ` +
        `${target === undefined ? "to a principal whose account cannot be shown" : `to account ${target}`}` +
        `${own ? ` (this stack deploys account ${own})` : ""}; remove permissionsWithGrantOptions so nothing can be re-shared.`,
    );
  }),
};
