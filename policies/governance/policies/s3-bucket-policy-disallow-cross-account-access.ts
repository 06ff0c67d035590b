import { ResourceValidationPolicy } from "@pulumi/policy";
import {
  accountOf,
  BUCKET_TYPES,
  INGESTION_BUCKET_ACTIONS,
  INGESTION_OBJECT_ACTIONS,
  IngestionWriter,
  ingestionWriterSchema,
  isAccountBoundIngestion,
  isOwnIngestion,
  known,
  principalAccount,
  principalIdentity,
  PRINCIPAL_ACCOUNT_VARIABLE,
  statementsOf,
  str,
  UNKNOWN,
} from "@acme/lakehouse-policy-lib";

interface Config {
  ingestionWriters: IngestionWriter[];
  lakeBuckets: string[];
}

const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/**
 * Bucket policies never open a bucket's objects to another account (or to everyone): other accounts
 * read lake data through Lake Formation grants and resource links. The one exception is ingestion: a
 * registered producer's ingestion role may be allowed to write its own datasets' raw-zone prefixes,
 * or a registered producer account (its root) the keys below its own account's prefix
 * (`${aws:PrincipalAccount}/...`, `isAccountBoundIngestion`): the lake's one statement for them all.
 * Judged wherever a policy is written: an `aws.s3.BucketPolicy`, or a bucket's own `policy` argument.
 * Principals that are not accounts are not another account: AWS service principals
 * (`cloudfront.amazonaws.com` with origin access control, `logging.s3.amazonaws.com`...) act for the
 * bucket's account and are left to the security pack, and a CloudFront origin access identity is
 * CloudFront's (see `principalIdentity`).
 */
export const s3BucketPolicyDisallowCrossAccountAccess: ResourceValidationPolicy = {
  name: "s3-bucket-policy-disallow-cross-account-access",
  description:
    "S3 bucket policies (aws.s3.BucketPolicy or a bucket's policy) allow no principal outside the bucket's account, but registered " +
    "ingestion roles writing their own prefixes; AWS service principals and CloudFront origin access identities are not accounts.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      ingestionWriters: { type: "array", items: ingestionWriterSchema, default: [] },
      lakeBuckets: { type: "array", items: { type: "string" }, default: [] },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== BUCKET_POLICY && !BUCKET_TYPES.includes(args.type)) return;
    const { ingestionWriters, lakeBuckets } = args.getConfig<Config>();
    const props = known(args.props);
    const statements = statementsOf(props.policy);
    if (statements === UNKNOWN || statements === undefined) return;
    const name = str(props.bucket);
    const bucket = typeof name === "string" ? name : undefined;
    const lake =
      bucket !== undefined &&
      (lakeBuckets.includes(bucket) || ingestionWriters.some((w) => w.bucket === bucket));
    const own = accountOf(args.provider);
    for (const s of statements) {
      if (s.effect !== "Allow") continue;
      for (const p of s.awsPrincipals) {
        if (p === UNKNOWN) continue;
        const who = principalIdentity(p);
        if (who.kind === "cloudfront-oai" || who.kind === "service") continue;
        const account = who.kind === "account" ? who.account : undefined;
        if (account !== undefined && account === own) continue;
        const writer = ingestionWriters.find((w) => w.principal === p);
        if (writer && bucket && isOwnIngestion(s, writer, bucket)) continue;
        // A registered producer account (its root: the account's IAM policies then confine each role)
        // writing below its own account's prefix. A role named by ARN is held to its own dataset's.
        const producer =
          account !== undefined &&
          bucket !== undefined &&
          (p === account || p.endsWith(`:iam::${account}:root`)) &&
          ingestionWriters.some((w) => w.bucket === bucket && principalAccount(w.principal) === account);
        if (producer && isAccountBoundIngestion(s, account, bucket)) continue;
        const fix = lake
          ? "Remove the statement: other accounts read lake data through Lake Formation grants and resource links, never bucket policies."
          : who.kind === "everyone"
            ? "Remove the statement, or allow only principals of the bucket's own account; to serve public content, put CloudFront in front " +
              "with origin access control (Principal Service cloudfront.amazonaws.com, Condition AWS:SourceArn of the distribution)."
            : `Remove the statement, or allow only principals of the bucket's own account${own ? ` (${own})` : " (pin it with the provider's allowedAccountIds)"}.`;
        reportViolation(
          `The policy allows ${who.kind === "everyone" ? "everyone (*)" : p}${account && own ? `, outside account ${own}` : ""}` +
            `${writer ? ` beyond its own ingestion prefixes (${writer.prefixes.join(", ")}: ${[...INGESTION_OBJECT_ACTIONS].join(", ")} on keys there, ${INGESTION_BUCKET_ACTIONS.join(", ")} on the bucket)` : ""}` +
            `${!writer && producer ? ` beyond its own account's prefix (${[...INGESTION_OBJECT_ACTIONS].join(", ")} on keys starting with ${PRINCIPAL_ACCOUNT_VARIABLE}/ or ${account}/, ${INGESTION_BUCKET_ACTIONS.join(", ")} on the bucket)` : ""}. ` +
            fix,
        );
      }
    }
  },
};
