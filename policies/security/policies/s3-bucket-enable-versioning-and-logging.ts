import { StackValidationPolicy } from "@pulumi/policy";
import {
  BUCKET_SETTINGS,
  inlineLoggingTargets,
  inlineVersioningEnabled,
  known,
  logBuckets,
  obj,
  settingsByBucket,
  UNKNOWN,
} from "@acme/lakehouse-policy-lib";

/**
 * Buckets keep versions and log access, whether written as `aws.s3.BucketVersioning(V2)` /
 * `aws.s3.BucketLogging(V2)` or on the bucket itself (`versioning`, `logging`; `versionings[]`,
 * `loggings[]` on `aws.s3.BucketV2` and before provider 7). A log bucket — one the stack delivers S3
 * access logs or CloudFront logs to (see `logBuckets`), whatever its name — logs its own access nowhere:
 * "Your target bucket should not have server access logging enabled ... delivering logs to the source
 * bucket will cause an infinite loop of logs"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
 * `loggingExempt` (logical-name patterns) exempts others.
 */
export const s3BucketEnableVersioningAndLogging: StackValidationPolicy = {
  name: "s3-bucket-enable-versioning-and-logging",
  description:
    "S3 buckets are versioned and log their access (settings resources or the bucket's own versioning/logging); log buckets log nowhere.",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: { loggingExempt: { type: "array", items: { type: "string" }, default: [] } },
  },
  validateStack: (args, reportViolation) => {
    const exempt = args.getConfig<{ loggingExempt: string[] }>().loggingExempt.map((p) => new RegExp(p));
    const versioning = settingsByBucket(args.resources, BUCKET_SETTINGS.versioning);
    const logging = settingsByBucket(args.resources, BUCKET_SETTINGS.logging);
    const logs = logBuckets(args.resources);
    for (const [bucket, configs] of versioning) {
      const props = known(bucket.props);
      const enabled =
        inlineVersioningEnabled(props) !== false ||
        configs.some((c) => {
          const v = obj(known(c.props).versioningConfiguration);
          return v === UNKNOWN || v?.status === "Enabled" || v?.status === UNKNOWN;
        });
      if (!enabled)
        reportViolation(
          `Bucket ${bucket.name} is not versioned; add aws.s3.BucketVersioning with status "Enabled" (or versioning { enabled: true } on the bucket).`,
          bucket.urn,
        );
      const logsAccess = (logging.get(bucket) ?? []).length > 0 || inlineLoggingTargets(props).length > 0;
      if (!logsAccess && !logs.has(bucket) && !exempt.some((p) => p.test(bucket.name))) {
        reportViolation(
          `Bucket ${bucket.name} logs no access; add aws.s3.BucketLogging (or logging on the bucket) with a targetBucket that receives ` +
            `this account's server access logs.`,
          bucket.urn,
        );
      }
    }
  },
};
