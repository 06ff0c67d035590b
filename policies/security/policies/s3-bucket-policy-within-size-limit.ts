import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { decodeJson, known, UNKNOWN } from "@acme/lakehouse-policy-lib";

/** S3's limit on a bucket policy's size (bytes). */
export const BUCKET_POLICY_MAX_BYTES = 20 * 1024;

/**
 * A bucket policy S3 would refuse fails the deployment half-way: one that grows with the platform (a
 * statement per ingestion role, say) is caught at preview instead. Measured without whitespace, the
 * most favourable count.
 */
export const s3BucketPolicyWithinSizeLimit: ResourceValidationPolicy = {
  name: "s3-bucket-policy-within-size-limit",
  description: "S3 bucket policies stay within S3's 20 KB limit.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(aws.s3.BucketPolicy, (_policy, args, reportViolation) => {
    const policy = known(args.props).policy;
    if (policy === UNKNOWN || policy === undefined) return;
    const document = decodeJson(policy);
    if (document === undefined) return;
    const size = Buffer.byteLength(JSON.stringify(document, (_k, v) => (v === UNKNOWN ? "?" : v)));
    if (size > BUCKET_POLICY_MAX_BYTES) {
      reportViolation(
        `The policy is ${size} bytes; S3 refuses bucket policies over ${BUCKET_POLICY_MAX_BYTES} bytes. ` +
          `Merge statements, or give each writer its own S3 access point (whose policy is separate).`,
      );
    }
  }),
};
