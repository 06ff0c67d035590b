import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { known, obj, show, UNKNOWN } from "@acme/lakehouse-policy-lib";

/** Athena query results are encrypted with a customer-managed KMS key. */
export const athenaWorkgroupEnforceKmsEncryption: ResourceValidationPolicy = {
  name: "athena-workgroup-enforce-kms-encryption",
  description: "Athena workgroups encrypt query results with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(aws.athena.Workgroup, (_workgroup, args, reportViolation) => {
    const configuration = obj(known(args.props).configuration);
    if (configuration === UNKNOWN) return;
    const result = obj(configuration?.resultConfiguration);
    if (result === UNKNOWN) return;
    const encryption = obj(result?.encryptionConfiguration);
    if (encryption === UNKNOWN || encryption?.encryptionOption === UNKNOWN) return;
    const option = encryption?.encryptionOption;
    if ((option !== "SSE_KMS" && option !== "CSE_KMS") || !encryption?.kmsKeyArn) {
      reportViolation(
        `Query results are ${option ? `encrypted with ${show(option)}${encryption?.kmsKeyArn ? "" : " and no key"}` : "not encrypted"}; ` +
          `set configuration.resultConfiguration.encryptionConfiguration { encryptionOption: "SSE_KMS", kmsKeyArn }.`,
      );
    }
  }),
};
