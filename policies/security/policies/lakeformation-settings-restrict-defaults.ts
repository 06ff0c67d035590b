import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { arr, known, obj, UNKNOWN } from "@acme/lakehouse-policy-lib";

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
    (_settings, args, reportViolation) => {
      const settings = known(args.props);
      for (const key of ["createDatabaseDefaultPermissions", "createTableDefaultPermissions"] as const) {
        const defaults = arr(settings[key]);
        if (defaults === UNKNOWN) continue;
        if (defaults === undefined) {
          reportViolation(
            `${key} is unset, so AWS keeps IAMAllowedPrincipals ALL on new resources; set it to [].`,
          );
        } else if (
          defaults.some((d) => {
            const o = obj(d);
            return o !== UNKNOWN && o?.principal === "IAM_ALLOWED_PRINCIPALS";
          })
        ) {
          reportViolation(`${key} grants IAM_ALLOWED_PRINCIPALS; remove that entry (use []).`);
        }
      }
      const parameters = obj(settings.parameters);
      if (parameters === UNKNOWN || parameters?.CROSS_ACCOUNT_VERSION === UNKNOWN) return;
      const version = Number(parameters?.CROSS_ACCOUNT_VERSION ?? "1");
      if (!(version >= 3))
        reportViolation(`CROSS_ACCOUNT_VERSION is ${version}; set parameters.CROSS_ACCOUNT_VERSION to "4".`);
    },
  ),
};
