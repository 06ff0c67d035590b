import { StackValidationPolicy } from "@pulumi/policy";
import { Known, known, list, obj, settingsByBucket, show, UNKNOWN } from "@acme/lakehouse-policy-lib";

/**
 * Every bucket has default encryption with a KMS key; SSE-S3 (AES256) is accepted only for buckets in
 * `sseS3Allowed` (by logical name pattern), such as the access-log bucket S3 cannot deliver to with KMS.
 */
export const s3BucketEnforceEncryption: StackValidationPolicy = {
  name: "s3-bucket-enforce-kms-encryption",
  description: "S3 buckets encrypt by default with a KMS key (SSE-S3 only where delivery requires it).",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: { sseS3Allowed: { type: "array", items: { type: "string" }, default: ["-access-logs$"] } },
  },
  validateStack: (args, reportViolation) => {
    const allowed = args.getConfig<{ sseS3Allowed: string[] }>().sseS3Allowed.map((p) => new RegExp(p));
    const type = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
    for (const [bucket, configs] of settingsByBucket(args.resources, type)) {
      const rules = configs.flatMap((c): Known[] => {
        const r = known(c.props).rules;
        return r === UNKNOWN ? [UNKNOWN] : list(r);
      });
      const algorithms = rules.map((r) => {
        const rule = obj(r);
        const byDefault = rule === UNKNOWN ? UNKNOWN : obj(rule?.applyServerSideEncryptionByDefault);
        return byDefault === UNKNOWN ? UNKNOWN : byDefault?.sseAlgorithm;
      });
      if (algorithms.some((a) => a === UNKNOWN || a === "aws:kms" || a === "aws:kms:dsse")) continue;
      if (algorithms.includes("AES256") && allowed.some((p) => p.test(bucket.name))) continue;
      reportViolation(
        `Bucket ${bucket.name} has ${configs.length === 0 ? "no default encryption" : `default encryption ${algorithms.map(show).join(", ")}`}; ` +
          `add aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms", the lake's key and bucketKeyEnabled.`,
        bucket.urn,
      );
    }
  },
};
