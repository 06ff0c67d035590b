import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { known, UNKNOWN } from "@acme/lakehouse-policy-lib";

/** Symmetric customer-managed keys rotate their material yearly. */
export const kmsKeyEnableRotation: ResourceValidationPolicy = {
  name: "kms-key-enable-rotation",
  description: "KMS customer-managed keys have automatic rotation enabled.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(aws.kms.Key, (_key, args, reportViolation) => {
    const key = known(args.props);
    const spec = key.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
    if (spec !== "SYMMETRIC_DEFAULT") return; // AWS rotates only symmetric encryption keys (or unknown yet).
    if (key.enableKeyRotation !== true && key.enableKeyRotation !== UNKNOWN)
      reportViolation("Set enableKeyRotation: true.");
  }),
};
