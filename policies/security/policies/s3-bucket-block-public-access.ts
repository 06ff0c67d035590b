import { StackValidationPolicy } from "@pulumi/policy";
import { known, settingsByBucket, UNKNOWN } from "@acme/lakehouse-policy-lib";

const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

/** Every bucket has a public access block with all four settings on. */
export const s3BucketBlockPublicAccess: StackValidationPolicy = {
  name: "s3-bucket-block-public-access",
  description: "S3 buckets block all public access.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateStack: (args, reportViolation) => {
    for (const [bucket, blocks] of settingsByBucket(
      args.resources,
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    )) {
      const values = blocks.map((b) => known(b.props));
      const off =
        blocks.length === 0
          ? FLAGS
          : FLAGS.filter((f) => !values.some((v) => v[f] === true || v[f] === UNKNOWN));
      if (off.length > 0) {
        reportViolation(
          blocks.length === 0
            ? `Bucket ${bucket.name} has no aws.s3.BucketPublicAccessBlock; add one with all four settings true.`
            : `Bucket ${bucket.name}'s public access block leaves ${off.join(", ")} off; set them true.`,
          bucket.urn,
        );
      }
    }
  },
};
