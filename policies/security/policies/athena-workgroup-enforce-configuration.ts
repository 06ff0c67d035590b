import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { known, obj, UNKNOWN } from "@acme/lakehouse-policy-lib";

/**
 * Athena workgroups enforce their configuration (clients cannot send results elsewhere or unencrypted)
 * and cap the data one query may scan.
 */
export const athenaWorkgroupEnforceConfiguration: ResourceValidationPolicy = {
  name: "athena-workgroup-enforce-configuration",
  description: "Athena workgroups enforce their configuration and cap the bytes scanned per query.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(aws.athena.Workgroup, (_workgroup, args, reportViolation) => {
    const configuration = obj(known(args.props).configuration);
    if (configuration === UNKNOWN) return;
    const enforce = configuration?.enforceWorkgroupConfiguration;
    // AWS enforces by default when the argument is left out.
    if (enforce === false) {
      reportViolation(
        "The workgroup lets clients override its settings (result location, encryption); set configuration.enforceWorkgroupConfiguration: true.",
      );
    }
    const cutoff = configuration?.bytesScannedCutoffPerQuery;
    if (cutoff === undefined || cutoff === null) {
      reportViolation(
        "No query may be stopped for scanning too much; set configuration.bytesScannedCutoffPerQuery (e.g. 10 GiB).",
      );
    }
  }),
};
