import { StackValidationPolicy } from "@pulumi/policy";
import {
  BUCKET_SETTINGS,
  bucketNameOf,
  bucketsServedByOai,
  inlineEncryptionRules,
  Known,
  known,
  list,
  logBuckets,
  ruleAlgorithm,
  settingsByBucket,
  show,
  UNKNOWN,
} from "@acme/lakehouse-policy-lib";

interface Config {
  sseS3Allowed: string[];
  lakeBuckets: string[];
}

/**
 * Every bucket has default encryption with a KMS key, whether written as an
 * `aws.s3.BucketServerSideEncryptionConfiguration(V2)` or on the bucket itself
 * (`serverSideEncryptionConfiguration`, `serverSideEncryptionConfigurations[]` on `aws.s3.BucketV2`).
 * S3 encrypts every bucket with SSE-S3 when nothing is set ("Amazon S3 now applies server-side encryption
 * with Amazon S3 managed keys (SSE-S3) as the base level of encryption for every bucket", since January
 * 5, 2023: https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption.html), so a
 * bucket without a setting is SSE-S3, not unencrypted.
 *
 * SSE-S3 is enough for a log bucket — one the stack delivers logs to (see `logBuckets`), whatever its
 * name: S3 server access logs can only be delivered to SSE-S3 buckets ("You can use default bucket
 * encryption on the target bucket only if you use server-side encryption with Amazon S3 managed keys
 * (SSE-S3) ... Default server-side encryption with AWS Key Management Service (AWS KMS) keys (SSE-KMS) is
 * not supported": https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html),
 * and CloudFront standard logs hold no dataset data. `sseS3Allowed` (logical-name patterns) adds others.
 */
export const s3BucketEnforceEncryption: StackValidationPolicy = {
  name: "s3-bucket-enforce-kms-encryption",
  description:
    "S3 buckets encrypt by default with a KMS key (a settings resource or the bucket's own serverSideEncryptionConfiguration); " +
    "SSE-S3 only for log buckets (those receiving S3 access logs or CloudFront logs) and sseS3Allowed.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      sseS3Allowed: { type: "array", items: { type: "string" }, default: [] },
      lakeBuckets: { type: "array", items: { type: "string" }, default: [] },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<Config>();
    const allowed = config.sseS3Allowed.map((p) => new RegExp(p));
    const logs = logBuckets(args.resources);
    const oai = bucketsServedByOai(args.resources);
    for (const [bucket, configs] of settingsByBucket(args.resources, BUCKET_SETTINGS.encryption)) {
      const rules: Known[] = [
        ...configs.flatMap((c): Known[] => {
          const r = known(c.props).rules;
          return r === UNKNOWN ? [UNKNOWN] : list(r);
        }),
        ...inlineEncryptionRules(known(bucket.props)),
      ];
      const algorithms = rules.map(ruleAlgorithm);
      if (algorithms.some((a) => a === UNKNOWN || a === "aws:kms" || a === "aws:kms:dsse")) continue;
      // Nothing set (no rule, or a rule without a default algorithm), or AES256: SSE-S3.
      const sseS3 = algorithms.every((a) => a === "AES256" || a === undefined || a === null);
      if (sseS3 && (logs.has(bucket) || allowed.some((p) => p.test(bucket.name)))) continue;
      const name = bucketNameOf(bucket);
      const lake = typeof name === "string" && config.lakeBuckets.includes(name);
      reportViolation(
        `Bucket ${bucket.name} ${
          rules.length === 0
            ? "sets no default encryption, so S3 encrypts it with SSE-S3 (S3 managed keys) only"
            : `has default encryption ${algorithms.map(show).join(", ")}`
        }; add aws.s3.BucketServerSideEncryptionConfiguration (or the bucket's serverSideEncryptionConfiguration) with ` +
          `sseAlgorithm "aws:kms", ${lake ? "the lake's key" : "a customer-managed KMS key"} and bucketKeyEnabled.` +
          (oai.has(bucket)
            ? " CloudFront reads it through an origin access identity, which cannot read SSE-KMS objects: " +
              "serve it through an aws.cloudfront.OriginAccessControl instead, and let cloudfront.amazonaws.com " +
              "use the key for that distribution (kms:Decrypt with an AWS:SourceArn condition)."
            : ""),
        bucket.urn,
      );
    }
  },
};
