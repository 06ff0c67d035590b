import { StackValidationPolicy } from "@pulumi/policy";
import { known, obj, settingsByBucket, UNKNOWN } from "@acme/lakehouse-policy-lib";

/** Lake buckets keep versions and log access (the access-log bucket itself logs nowhere). */
export const s3BucketEnableVersioningAndLogging: StackValidationPolicy = {
  name: "s3-bucket-enable-versioning-and-logging",
  description: "S3 buckets are versioned and log their access.",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: { loggingExempt: { type: "array", items: { type: "string" }, default: ["-access-logs$"] } },
  },
  validateStack: (args, reportViolation) => {
    const exempt = args.getConfig<{ loggingExempt: string[] }>().loggingExempt.map((p) => new RegExp(p));
    const versioning = settingsByBucket(args.resources, "aws:s3/bucketVersioning:BucketVersioning");
    const logging = settingsByBucket(args.resources, "aws:s3/bucketLogging:BucketLogging");
    for (const [bucket, configs] of versioning) {
      const enabled = configs.some((c) => {
        const v = obj(known(c.props).versioningConfiguration);
        return v === UNKNOWN || v?.status === "Enabled" || v?.status === UNKNOWN;
      });
      if (!enabled)
        reportViolation(
          `Bucket ${bucket.name} is not versioned; add aws.s3.BucketVersioning with status "Enabled".`,
          bucket.urn,
        );
      if ((logging.get(bucket) ?? []).length === 0 && !exempt.some((p) => p.test(bucket.name))) {
        reportViolation(
          `Bucket ${bucket.name} logs no access; add aws.s3.BucketLogging to the access-log bucket.`,
          bucket.urn,
        );
      }
    }
  },
};
