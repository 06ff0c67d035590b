import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** Symmetric customer-managed keys rotate their material yearly. */
export const kmsKeyEnableRotation: ResourceValidationPolicy = {
  name: "kms-key-enable-rotation",
  description: "KMS customer-managed keys have automatic rotation enabled.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(aws.kms.Key, (key, _args, reportViolation) => {
    const spec = key.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
    if (spec !== "SYMMETRIC_DEFAULT") return; // AWS rotates only symmetric encryption keys.
    if (key.enableKeyRotation !== true) reportViolation("Set enableKeyRotation: true.");
  }),
};
