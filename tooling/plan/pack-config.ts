/**
 * The policy packs' config that matches a platform definition: what `npm run policy-config` writes
 * for `pulumi preview --policy-pack policies/<pack> --policy-pack-config <file>`, and what the offline
 * plan passes to the packs. Every name comes from the naming rules (`platform/names.ts`), so the
 * policies judge a program against the same buckets, roles and datasets the account programs build.
 */
import {
  bucketName,
  lakeDataBuckets,
  BucketZone,
  databaseName,
  datasetPrefix,
  datasetTags,
  ingestionErrorPrefix,
  hasIngestionRole,
  ingestionRoleArn,
  ingestionRoleArnPattern,
  INGESTION_KEY_PATTERNS,
  lakeAccount,
  Platform,
  PrincipalKind,
  principals as accessPrincipals,
  resourceLinkName,
  storageZones,
  tableLayout,
  tableName,
} from "../../platform";
import type { PolicyPackConfigFile } from "../policy-eval/policy-config";

/** Lake Formation permissions each kind of principal may be granted (least privilege). */
export const PRINCIPAL_PERMISSIONS = {
  consumer: ["DESCRIBE", "SELECT"],
  "consumer-account": ["DESCRIBE", "SELECT"],
  // Firehose and DMS write S3 through IAM and the bucket policy; Firehose reads its table's schema.
  ingestion: ["DESCRIBE"],
  crawler: ["ALTER", "DESCRIBE", "INSERT", "DATA_LOCATION_ACCESS"],
  validator: ["DESCRIBE", "SELECT"],
  "spark-job": ["DESCRIBE", "SELECT"],
  quicksight: ["DESCRIBE", "SELECT"],
  redshift: ["DESCRIBE", "SELECT"],
} as const;

/** The pack config's role of each kind of principal of the access model (`platform/access.ts`). */
const ROLE_OF: Record<PrincipalKind, keyof typeof PRINCIPAL_PERMISSIONS> = {
  analyst: "consumer",
  spark: "spark-job",
  quicksight: "quicksight",
  redshift: "redshift",
  ingestion: "ingestion",
  crawler: "crawler",
  validator: "validator",
};

/** The pack names the config is keyed by (each pack's `PACK_NAME`). */
export const PACKS = { governance: "lakehouse-governance", security: "lakehouse-security" } as const;

/** Each pack's config for the platform, keyed by pack name. */
export function packConfigFor(p: Platform): Record<string, PolicyPackConfigFile> {
  const lake = lakeAccount(p);
  // The lake's databases and the consumers' resource links to them.
  const lakeDatabases = [...new Set(p.datasets.map((d) => d.domain))].flatMap((domain) => [
    databaseName(domain),
    resourceLinkName(domain),
  ]);
  const rawBucket = bucketName(p, "raw");
  const zones: BucketZone[] = [...storageZones(p), "access-logs", "governance"];
  // Every lake bucket by name: the policies that tell the lake's resources from any other program's.
  const lakeBuckets = zones.map((z) => bucketName(p, z));
  // Only datasets written from their producer account (Firehose, DMS) have an ingestion role.
  const ingested = p.datasets.filter((d) => hasIngestionRole(d));
  const ingestionWriters = ingested.map((d) => ({
    principal: ingestionRoleArn(p, d),
    dataset: d.name,
    bucket: rawBucket,
    prefixes: [datasetPrefix(p, d), ingestionErrorPrefix(p, d)],
  }));
  // Every principal of the access model, and the consumer accounts (as a grant may name an account).
  const principals = [
    ...accessPrincipals(p).map((x) => ({
      principal: x.arn,
      role: ROLE_OF[x.kind],
      permissions: [...PRINCIPAL_PERMISSIONS[ROLE_OF[x.kind]]],
    })),
    ...[...new Set(p.accounts.filter((a) => a.role === "consumer").map((a) => a.id))].map((id) => ({
      principal: id,
      role: "consumer-account",
      permissions: [...PRINCIPAL_PERMISSIONS["consumer-account"]],
    })),
  ];
  // Admins per account: the lake's admins in the lake account, and in every account its deployment
  // role, or any of its roles where the definition leaves the deployer to the credentials.
  const admins = Object.fromEntries(
    p.accounts.map((a) => [
      a.id,
      [...(a.role === "lake" ? p.lake.admins : []), a.deploymentRoleArn ?? `arn:aws:iam::${a.id}:role/*`],
    ]),
  );
  // Each registered dataset's table layout (platform/layout.ts): its table, bucket and prefix.
  const layouts = p.datasets.map((d) => {
    const layout = tableLayout(p, d);
    return {
      dataset: d.name,
      database: databaseName(d.domain),
      table: tableName(d),
      writer: layout.writer,
      bucket: layout.bucket,
      datasetPrefix: layout.datasetPrefix,
      prefix: layout.prefix,
      location: layout.location,
      partitionKeys: layout.partitionKeys.map((k) => ({ name: k.name, type: k.type })),
      partitionTemplate: layout.partitionTemplate,
      projection: { ...layout.projection },
      registration: layout.registration,
    };
  });
  return {
    [PACKS.governance]: {
      // The registry, to tell a dataset resource (one holding or moving a dataset's data) from any other.
      "dataset-missing-required-tags": {
        classifications: p.lake.lfTags.classification ?? [],
        datasets: layouts,
        lakeBuckets,
        lakeDatabases,
      },
      "dataset-require-registration": {
        lakeAccount: lake.id,
        datasets: p.datasets.map((d) => ({
          name: d.name,
          database: databaseName(d.domain),
          table: tableName(d),
          tags: { ...datasetTags(d) },
        })),
      },
      "s3-bucket-policy-disallow-cross-account-access": { ingestionWriters, lakeBuckets },
      "s3-bucket-disallow-cross-account-replication": { lakeBuckets },
      "lake-storage-disallow-cross-account-writes": {
        lakeBuckets: zones.map((z) => ({ bucket: bucketName(p, z), account: lake.id })),
        ingestionWriters,
        // What the lake's bucket policy lets a producer's role write (infra/lake-ingestion.ts
        // producerWriters): a role tagged with another dataset than its own is caught in its stack.
        producerWriteScope: {
          bucket: rawBucket,
          roleArnPattern: ingestionRoleArnPattern(p),
          keyPatterns: [...INGESTION_KEY_PATTERNS],
        },
      },
      "lakeformation-grant-require-known-principal": { principals },
      // Each registered dataset's table layout (platform/layout.ts), for the producer stacks' writers.
      "lake-writer-require-matching-table": {
        datasets: layouts,
      },
      // The lake's databases and the consumers' resource links to them, its account and its buckets: what a
      // team's Redshift SQL may read in place but not copy (CTAS, INSERT ... SELECT, COPY, UNLOAD).
      "redshift-disallow-lake-copies": {
        lakeDatabases,
        lakeAccount: lake.id,
        lakeBuckets: lakeDataBuckets(p),
      },
      // The same lake for Athena's saved queries: a table they create there is Parquet.
      "athena-named-query-enforce-parquet": { lakeDatabases, lakeBuckets: lakeDataBuckets(p) },
    },
    [PACKS.security]: {
      "lakeformation-settings-restrict-admins": { admins },
      // Their fixes name the lake's key for the lake's buckets only.
      "s3-bucket-enforce-kms-encryption": { lakeBuckets },
      "firehose-enforce-kms-encryption": { lakeBuckets },
      "dms-enforce-kms-encryption": { lakeBuckets },
    },
  };
}
