import { StackValidationPolicy } from "@pulumi/policy";
import { settingsByBucket } from "../../lib/buckets";

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Condition?: { Bool?: Record<string, unknown> };
}

function deniesInsecureTransport(policy: unknown): boolean {
  let doc: { Statement?: Statement | Statement[] };
  try {
    doc = typeof policy === "string" ? JSON.parse(policy) : (policy as typeof doc);
  } catch {
    return false;
  }
  return [doc?.Statement ?? []].flat().some((s) => {
    const actions = [s.Action ?? []].flat();
    const value = s.Condition?.Bool?.["aws:SecureTransport"];
    return s.Effect === "Deny" && actions.some((a) => a === "s3:*" || a === "*") && String(value) === "false";
  });
}

/** Every bucket's policy denies requests not made over TLS. */
export const s3BucketEnforceTls: StackValidationPolicy = {
  name: "s3-bucket-enforce-tls",
  description: "S3 bucket policies deny requests not made over TLS.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    for (const [bucket, policies] of settingsByBucket(args.resources, "aws:s3/bucketPolicy:BucketPolicy")) {
      if (policies.some((p) => deniesInsecureTransport(p.props.policy))) continue;
      reportViolation(
        `Bucket ${bucket.name} has no policy denying insecure transport; add a statement ` +
          `{ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }.`,
        bucket.urn,
      );
    }
  },
};
