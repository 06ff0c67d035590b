import { StackValidationPolicy } from "@pulumi/policy";
import { policiesByBucket, Statement, statementsOf, UNKNOWN } from "@acme/lakehouse-policy-lib";

function deniesInsecureTransport(s: Statement): boolean {
  const condition = s.condition === UNKNOWN ? undefined : s.condition;
  const bool = condition?.Bool;
  const value =
    bool && typeof bool === "object" && !Array.isArray(bool) ? bool["aws:SecureTransport"] : undefined;
  return s.effect === "Deny" && s.actions.some((a) => a === "s3:*" || a === "*") && String(value) === "false";
}

/**
 * Every bucket's policy denies requests not made over TLS: an `aws.s3.BucketPolicy` of the bucket or
 * the bucket's own `policy` argument.
 */
export const s3BucketEnforceTls: StackValidationPolicy = {
  name: "s3-bucket-enforce-tls",
  description:
    "S3 bucket policies (aws.s3.BucketPolicy or the bucket's policy) deny requests not made over TLS.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    for (const [bucket, policies] of policiesByBucket(args.resources)) {
      const documents = policies.map((p) => statementsOf(p));
      // A policy not known until the deployment may hold the statement: judged once known.
      if (documents.some((d) => d === UNKNOWN || d?.some(deniesInsecureTransport))) continue;
      reportViolation(
        `Bucket ${bucket.name} has no policy denying insecure transport; add a statement ` +
          `{ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }.`,
        bucket.urn,
      );
    }
  },
};
