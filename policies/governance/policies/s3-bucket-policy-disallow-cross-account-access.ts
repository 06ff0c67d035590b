import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { accountOf } from "../../lib/account";
import { principalAccount } from "./lakeformation-disallow-cross-account-grant-option";

interface Statement {
  Effect?: string;
  Principal?: string | { AWS?: string | string[]; Service?: string | string[] };
}

/**
 * Bucket policies never open lake objects to another account (or to everyone): other accounts read
 * through Lake Formation grants and resource links. Service principals (log delivery...) are not
 * accounts and are left to the security pack.
 */
export const s3BucketPolicyDisallowCrossAccountAccess: ResourceValidationPolicy = {
  name: "s3-bucket-policy-disallow-cross-account-access",
  description: "S3 bucket policies allow no principal outside the bucket's account.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateResourceOfType(aws.s3.BucketPolicy, (bucketPolicy, args, reportViolation) => {
    let doc: { Statement?: Statement | Statement[] };
    try {
      const raw: unknown = bucketPolicy.policy;
      doc = typeof raw === "string" ? JSON.parse(raw) : (raw as typeof doc);
    } catch {
      return;
    }
    const own = accountOf(args.provider);
    for (const s of [doc?.Statement ?? []].flat()) {
      if (s.Effect !== "Allow" || s.Principal === undefined) continue;
      const principals =
        s.Principal === "*"
          ? ["*"]
          : [typeof s.Principal === "object" ? (s.Principal.AWS ?? []) : s.Principal].flat();
      for (const p of principals) {
        const account = p === "*" ? undefined : principalAccount(p);
        if (account !== undefined && account === own) continue;
        reportViolation(
          `The policy allows ${p === "*" ? "everyone (*)" : p}${account && own ? `, outside account ${own}` : ""}. ` +
            `Remove the statement: other accounts read lake data through Lake Formation grants and resource links, never bucket policies.`,
        );
      }
    }
  }),
};
