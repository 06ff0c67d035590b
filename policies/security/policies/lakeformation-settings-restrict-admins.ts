import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { accountOf, arnMatches, arr, known, NOT_CONFIGURED } from "@acme/lakehouse-policy-lib";

interface Config {
  admins?: Record<string, string[]>;
}

/**
 * Data lake administrators can grant anything: in every account they are exactly those the platform
 * definition names (the lake's admins, each account's deployment role). An admin not known until the
 * deployment (the deployer's role read from the credentials) is judged once known.
 */
export const lakeformationSettingsRestrictAdmins: ResourceValidationPolicy = {
  name: "lakeformation-settings-restrict-admins",
  description: "Lake Formation data lake administrators are only those the platform definition names.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      admins: {
        type: "object",
        description: "account id → the admin ARNs (or ARN patterns with *) the definition allows there",
        additionalProperties: { type: "array", items: { type: "string" } },
      },
    },
  },
  validateResource: validateResourceOfType(
    aws.lakeformation.DataLakeSettings,
    (_settings, args, reportViolation) => {
      const { admins } = args.getConfig<Config>();
      if (!admins) {
        args.notApplicable(NOT_CONFIGURED);
        return;
      }
      const account = accountOf(args.provider);
      const allowed = account ? (admins[account] ?? []) : Object.values(admins).flat();
      const given = arr(known(args.props).admins);
      if (!Array.isArray(given)) return;
      const outside = given.filter(
        (a): a is string => typeof a === "string" && !allowed.some((pattern) => arnMatches(pattern, a)),
      );
      if (outside.length > 0) {
        reportViolation(
          `${outside.join(", ")} ${outside.length > 1 ? "are" : "is"} not a data lake administrator the platform definition names ` +
            `for ${account ? `account ${account}` : "any account"} (${allowed.join(", ") || "none"}). ` +
            `Add ${outside.length > 1 ? "them" : "it"} to lake.admins (or the account's deploymentRoleArn) in stacks/platform.yaml, or remove ${outside.length > 1 ? "them" : "it"}.`,
        );
      }
    },
  ),
};
