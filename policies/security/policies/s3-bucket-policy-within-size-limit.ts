import { ResourceValidationPolicy } from "@pulumi/policy";
import { BUCKET_TYPES, decodeJson, known, UNKNOWN } from "@acme/lakehouse-policy-lib";

/**
 * S3's limit on a bucket policy's size (bytes): "Bucket policies are limited to 20 KB in size"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html).
 */
export const BUCKET_POLICY_MAX_BYTES = 20 * 1024;

const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/**
 * A bucket policy S3 would refuse fails the deployment half-way: one that grows with the platform (a
 * statement per ingestion role, say) is caught at preview instead. Judged in an `aws.s3.BucketPolicy`
 * and in a bucket's own `policy` argument. Measured without whitespace, the most favourable count.
 */
export const s3BucketPolicyWithinSizeLimit: ResourceValidationPolicy = {
  name: "s3-bucket-policy-within-size-limit",
  description: "S3 bucket policies (aws.s3.BucketPolicy or a bucket's policy) stay within S3's 20 KB limit.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, reportViolation) => {
    if (args.type !== BUCKET_POLICY && !BUCKET_TYPES.includes(args.type)) return;
    const policy = known(args.props).policy;
    if (policy === UNKNOWN || policy === undefined || policy === null || policy === "") return;
    const document = decodeJson(policy);
    if (document === undefined) return;
    const size = Buffer.byteLength(JSON.stringify(document, (_k, v) => (v === UNKNOWN ? "?" : v)));
    if (size > BUCKET_POLICY_MAX_BYTES) {
      reportViolation(
        `The policy is ${size} bytes; S3 refuses bucket policies over ${BUCKET_POLICY_MAX_BYTES} bytes. ` +
          `Merge statements, or give each writer its own S3 access point (whose policy is separate).`,
      );
    }
  },
};
