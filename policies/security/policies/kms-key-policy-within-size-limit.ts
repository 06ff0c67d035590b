import { ResourceValidationPolicy } from "@pulumi/policy";
import { documentSize, known, showSize } from "@acme/lakehouse-policy-lib";

/**
 * KMS's limit on a key policy's size (bytes): "The policy size limit is 32 KiB (32768 bytes)"
 * (PutKeyPolicy / CreateKey `Policy`, https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html).
 */
export const KEY_POLICY_MAX_BYTES = 32 * 1024;

const TYPES = ["aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy"];

/**
 * A key policy that grows with the platform (a statement per consumer or service role) is caught at
 * preview rather than refused by KMS half-way through a deployment. Measured as compact JSON, the
 * most favourable count; parts unknown in a preview count as nothing.
 */
export const kmsKeyPolicyWithinSizeLimit: ResourceValidationPolicy = {
  name: "kms-key-policy-within-size-limit",
  description: "KMS key policies stay within KMS's 32 KB (32,768 bytes) limit.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, reportViolation) => {
    if (!TYPES.includes(args.type)) return;
    const size = documentSize(known(args.props).policy, "bytes");
    if (size === undefined || size.size <= KEY_POLICY_MAX_BYTES) return;
    reportViolation(
      `policy is ${showSize(size)} bytes; KMS refuses key policies over ${KEY_POLICY_MAX_BYTES} bytes. ` +
        `Merge statements that share actions (one statement listing several principals), or grant ` +
        `consumers through IAM policies (a statement allowing the account root delegates to IAM) or KMS grants.`,
    );
  },
};
