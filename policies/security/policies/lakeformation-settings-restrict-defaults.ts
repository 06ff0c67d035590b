import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/**
 * Lake Formation decides access: no IAMAllowedPrincipals default permissions on new databases and
 * tables, and a cross-account version of at least 3 (RAM shares without per-resource invitations).
 */
export const lakeformationSettingsRestrictDefaults: ResourceValidationPolicy = {
  name: "lakeformation-settings-restrict-defaults",
  description:
    "Lake Formation settings grant IAMAllowedPrincipals nothing by default and use cross-account version 3 or more.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(
    aws.lakeformation.DataLakeSettings,
    (settings, _args, reportViolation) => {
      for (const key of ["createDatabaseDefaultPermissions", "createTableDefaultPermissions"] as const) {
        const defaults = (settings[key] as { principal?: string }[] | undefined) ?? undefined;
        if (defaults === undefined) {
          reportViolation(
            `${key} is unset, so AWS keeps IAMAllowedPrincipals ALL on new resources; set it to [].`,
          );
        } else if (defaults.some((d) => d.principal === "IAM_ALLOWED_PRINCIPALS")) {
          reportViolation(`${key} grants IAM_ALLOWED_PRINCIPALS; remove that entry (use []).`);
        }
      }
      const version = Number(
        (settings.parameters as Record<string, string> | undefined)?.CROSS_ACCOUNT_VERSION ?? "1",
      );
      if (!(version >= 3))
        reportViolation(`CROSS_ACCOUNT_VERSION is ${version}; set parameters.CROSS_ACCOUNT_VERSION to "4".`);
    },
  ),
};
