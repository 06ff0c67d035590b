import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import {
  accountOf,
  INGESTION_BUCKET_ACTIONS,
  INGESTION_OBJECT_ACTIONS,
  IngestionWriter,
  ingestionWriterSchema,
  isOwnIngestion,
  known,
  principalAccount,
  statementsOf,
  UNKNOWN,
} from "@acme/lakehouse-policy-lib";

interface Config {
  ingestionWriters: IngestionWriter[];
}

/**
 * Bucket policies never open lake objects to another account (or to everyone): other accounts read
 * through Lake Formation grants and resource links. The one exception is ingestion: a registered
 * producer's ingestion role may be allowed to write its own datasets' raw-zone prefixes. Service
 * principals (log delivery...) are not accounts and are left to the security pack.
 */
export const s3BucketPolicyDisallowCrossAccountAccess: ResourceValidationPolicy = {
  name: "s3-bucket-policy-disallow-cross-account-access",
  description:
    "S3 bucket policies allow no principal outside the bucket's account, but registered ingestion roles writing their own prefixes.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: { ingestionWriters: { type: "array", items: ingestionWriterSchema, default: [] } },
  },
  validateResource: validateResourceOfType(aws.s3.BucketPolicy, (_policy, args, reportViolation) => {
    const { ingestionWriters } = args.getConfig<Config>();
    const props = known(args.props);
    const statements = statementsOf(props.policy);
    if (statements === UNKNOWN || statements === undefined) return;
    const bucket = typeof props.bucket === "string" ? props.bucket : undefined;
    const own = accountOf(args.provider);
    for (const s of statements) {
      if (s.effect !== "Allow") continue;
      for (const p of s.awsPrincipals) {
        if (p === UNKNOWN) continue;
        const account = p === "*" ? undefined : principalAccount(p);
        if (account !== undefined && account === own) continue;
        const writer = ingestionWriters.find((w) => w.principal === p);
        if (writer && bucket && isOwnIngestion(s, writer, bucket)) continue;
        reportViolation(
          `The policy allows ${p === "*" ? "everyone (*)" : p}${account && own ? `, outside account ${own}` : ""}` +
            `${writer ? ` beyond its own ingestion prefixes (${writer.prefixes.join(", ")}: ${[...INGESTION_OBJECT_ACTIONS].join(", ")} on keys there, ${INGESTION_BUCKET_ACTIONS.join(", ")} on the bucket)` : ""}. ` +
            `Remove the statement: other accounts read lake data through Lake Formation grants and resource links, never bucket policies.`,
        );
      }
    }
  }),
};
