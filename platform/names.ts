/**
 * The one module of naming rules. Every physical name and every governance tag the account programs,
 * the policies' config and the governance validator use is derived here, deterministically, from the
 * platform definition: nothing about another account is looked up at deploy time.
 */
import type { Account, Consumer, Dataset, Platform } from "./schema";

/** The governance tags every data-holding resource carries (CONTRACTS §1). */
export const REQUIRED_TAG_KEYS = [
  "dataset",
  "domain",
  "owner",
  "owner-email",
  "classification",
  "source",
] as const;

/** A resource's governance tags. */
export type GovernanceTags = Record<(typeof REQUIRED_TAG_KEYS)[number], string>;

/** Zones that have a bucket: the storage zones plus the access-log and governance buckets. */
export type BucketZone = "raw" | "curated" | "analytics" | "access-logs" | "governance";

/** S3's bucket-name limit. */
export const MAX_BUCKET_NAME = 63;
/** IAM's role-name limit. */
export const MAX_ROLE_NAME = 64;

/** The lake account (exactly one exists in a valid definition). */
export function lakeAccount(p: Platform): Account {
  const lake = p.accounts.find((a) => a.role === "lake");
  if (!lake) throw new Error("the platform has no lake account");
  return lake;
}

/** The account of that name; throws naming the known accounts. */
export function accountByName(p: Platform, name: string): Account {
  const account = p.accounts.find((a) => a.name === name);
  if (!account)
    throw new Error(`unknown account "${name}" (accounts: ${p.accounts.map((a) => a.name).join(", ")})`);
  return account;
}

/** Storage zones the definition declares, in order. */
export function storageZones(p: Platform): ("raw" | "curated" | "analytics")[] {
  return (["raw", "curated", "analytics"] as const).filter((z) => p.lake.zones[z] !== undefined);
}

/** `<platform>-<lake account id>-<zone>`: globally unique, since account ids are. */
export function bucketName(p: Platform, zone: BucketZone): string {
  return `${p.name}-${lakeAccount(p).id}-${zone}`;
}

/** The lake's buckets that hold datasets' data: one per storage zone, in zone order. */
export function lakeDataBuckets(p: Platform): string[] {
  return storageZones(p).map((z) => bucketName(p, z));
}

/** The lake key's alias. */
export function kmsAliasName(p: Platform): string {
  return `alias/${p.name}-lake`;
}

/** Glue database of a domain: lowercase, `-` → `_`. */
export function databaseName(domain: string): string {
  return domain.toLowerCase().replace(/-/g, "_");
}

/** Glue table of a dataset. */
export function tableName(dataset: Pick<Dataset, "name">): string {
  return dataset.name.toLowerCase().replace(/-/g, "_");
}

/**
 * The raw zone's prefix of one producer account: `<account id>/`. Every dataset the account produces
 * lives below it, so the lake's bucket and key policies confine each producer account to its own
 * prefix with one statement (`${aws:PrincipalAccount}` in the resource, docs/data-path.md "One
 * statement for every producer") instead of one per writer.
 */
export function producerPrefix(p: Platform, producer: string): string {
  return `${accountByName(p, producer).id}/`;
}

/** A dataset's key prefix in the raw zone: `<producer account id>/<domain>/<dataset>/`. */
export function datasetPrefix(p: Platform, dataset: Pick<Dataset, "name" | "domain" | "producer">): string {
  return `${producerPrefix(p, dataset.producer)}${dataset.domain}/${dataset.name}/`;
}

/**
 * Where a dataset's ingestion writes records it could not convert:
 * `<producer account id>/_errors/<domain>/<dataset>/` in the raw zone, inside its producer's prefix and
 * outside the dataset's location (which holds Parquet only).
 */
export function ingestionErrorPrefix(
  p: Platform,
  dataset: Pick<Dataset, "name" | "domain" | "producer">,
): string {
  return `${producerPrefix(p, dataset.producer)}_errors/${dataset.domain}/${dataset.name}/`;
}

/** Where a dataset's data lives: `s3://<raw bucket>/<producer account id>/<domain>/<dataset>/`. */
export function datasetLocation(p: Platform, dataset: Pick<Dataset, "name" | "domain" | "producer">): string {
  return `s3://${bucketName(p, "raw")}/${datasetPrefix(p, dataset)}`;
}

/** The consumer team's analyst role name. */
export function analystRoleName(p: Platform, consumer: Pick<Consumer, "team">): string {
  return `${p.name}-${consumer.team}-analyst`;
}

/** The consumer team's analyst role ARN, in the consumer's account. */
export function analystRoleArn(p: Platform, consumer: Pick<Consumer, "team" | "account">): string {
  return `arn:aws:iam::${accountByName(p, consumer.account).id}:role/${analystRoleName(p, consumer)}`;
}

/** A producer dataset's ingestion role (Firehose, DMS or Spark writer), in the producer's account. */
export function ingestionRoleName(p: Platform, dataset: Pick<Dataset, "name">): string {
  return `${p.name}-${dataset.name.replace(/_/g, "-")}-ingest`;
}

/** The ingestion role's ARN, in the dataset's producer account. */
export function ingestionRoleArn(p: Platform, dataset: Pick<Dataset, "name" | "producer">): string {
  return `arn:aws:iam::${accountByName(p, dataset.producer).id}:role/${ingestionRoleName(p, dataset)}`;
}

/**
 * Every ingestion role's ARN, whichever producer account it is in, as an `ArnLike` pattern for
 * `aws:PrincipalArn`: `arn:aws:iam::*:role/<platform>-*-ingest` (what `ingestionRoleName` makes). The
 * lake's bucket and key policies let only such roles of the producer accounts write.
 */
export function ingestionRoleArnPattern(p: Platform): string {
  return `arn:aws:iam::*:role/${p.name}-*-ingest`;
}

/**
 * The raw-zone keys the lake's bucket policy lets a producer's ingestion role write, as IAM policy
 * variables: its own account's prefix (`${aws:PrincipalAccount}`, which AWS sets from the caller's
 * credentials and no producer can change) and, below it, the dataset its governance tags name
 * (`${aws:PrincipalTag/domain}`, `${aws:PrincipalTag/dataset}`). With a role's account and tags put in,
 * they are `datasetPrefix` and `ingestionErrorPrefix` of the dataset it is tagged with (tested), so
 * one statement confines every writer to its own account's prefix, whatever it tags itself with.
 */
export const INGESTION_KEY_PATTERNS = [
  "${aws:PrincipalAccount}/${aws:PrincipalTag/domain}/${aws:PrincipalTag/dataset}/",
  "${aws:PrincipalAccount}/_errors/${aws:PrincipalTag/domain}/${aws:PrincipalTag/dataset}/",
] as const;

/** The governance validator's execution role, in the lake account. */
export function validatorRoleName(p: Platform): string {
  return `${p.name}-governance-validator`;
}

/** The governance validator's Lambda function, in the lake account: `<platform>-governance-validator`. */
export function validatorFunctionName(p: Platform): string {
  return `${p.name}-governance-validator`;
}

/** The EventBridge Scheduler schedule that runs the validator daily: named after its function. */
export function validatorScheduleName(p: Platform): string {
  return validatorFunctionName(p);
}

/** The governance validator's role ARN, in the lake account. */
export function validatorRoleArn(p: Platform): string {
  return `arn:aws:iam::${lakeAccount(p).id}:role/${validatorRoleName(p)}`;
}

/** The role Lake Formation uses to reach registered S3 locations. */
export function lakeFormationDataAccessRoleName(p: Platform): string {
  return `${p.name}-lf-data-access`;
}

/** The consumer team's Athena workgroup. */
export function athenaWorkgroupName(consumer: Pick<Consumer, "team">): string {
  return `${consumer.team}-analytics`;
}

/**
 * The resource link, in a consumer account's catalog, to the lake database of a domain:
 * `<database>_shared`, so it never shadows a database of the consumer's own.
 */
export function resourceLinkName(domain: string): string {
  return `${databaseName(domain)}_shared`;
}

/** A consumer account's bucket of Athena query results: `<platform>-<account id>-athena-results`. */
export function athenaResultsBucketName(p: Platform, account: Pick<Account, "id">): string {
  return `${p.name}-${account.id}-athena-results`;
}

/** The bucket of an account's S3 server access logs: `<platform>-<account id>-access-logs` (the lake's too). */
export function accessLogBucketName(p: Platform, account: Pick<Account, "id">): string {
  return `${p.name}-${account.id}-access-logs`;
}

/** The alias of a consumer account's key for Athena query results. */
export function athenaResultsKeyAlias(p: Platform): string {
  return `alias/${p.name}-athena-results`;
}

/** The Lake Formation data cells filter holding a team's row filter on a dataset. */
export function dataCellsFilterName(
  consumer: Pick<Consumer, "team">,
  dataset: Pick<Dataset, "name">,
): string {
  return `${consumer.team.replace(/-/g, "_")}__${tableName(dataset)}`;
}

/** The six governance tags of a resource that holds or moves one dataset's data. */
export function datasetTags(dataset: Dataset): GovernanceTags {
  return {
    dataset: dataset.name,
    domain: dataset.domain,
    owner: dataset.owner.team,
    "owner-email": dataset.owner.email,
    classification: dataset.classification,
    source: dataset.source,
  };
}

/** Classification values from least to most sensitive. */
export function classifications(p: Platform): string[] {
  return p.lake.lfTags.classification ?? [];
}

/** Rank of a classification (0 = least sensitive); -1 when unknown. */
export function classificationRank(p: Platform, value: string): number {
  return classifications(p).indexOf(value);
}

/**
 * Tags of a resource shared by several datasets: `dataset: shared`, the owning team (by default the
 * platform team; a consumer team for its own workgroup) and the highest classification it may hold (by
 * default the most sensitive value of the ontology).
 */
export function sharedTags(
  p: Platform,
  classification?: string,
  owner?: { readonly team: string; readonly email: string },
): GovernanceTags {
  const all = classifications(p);
  return {
    dataset: "shared",
    domain: "shared",
    owner: owner?.team ?? p.lake.platformTeam.team,
    "owner-email": owner?.email ?? p.lake.platformTeam.email,
    classification: classification ?? all[all.length - 1] ?? "restricted",
    source: "shared",
  };
}

/** The EMR Serverless Spark application of a consumer team (`consumers[].analytics.emrServerless`). */
export function sparkApplicationName(consumer: Pick<Consumer, "team">): string {
  return `${consumer.team}-spark`;
}

/**
 * The job runtime role of a team's Spark jobs: the principal Lake Formation judges when the job reads
 * the lake, so the lake grants to it what it grants to the team.
 */
export function sparkJobRoleName(p: Platform, consumer: Pick<Consumer, "team">): string {
  return `${p.name}-${consumer.team}-spark-job`;
}

/** The Spark job runtime role's ARN, in the consumer's account. */
export function sparkJobRoleArn(p: Platform, consumer: Pick<Consumer, "team" | "account">): string {
  return `arn:aws:iam::${accountByName(p, consumer.account).id}:role/${sparkJobRoleName(p, consumer)}`;
}

/**
 * Where a team's Spark scripts and job logs live in its account's results bucket:
 * `emr-serverless/<team>/` (`scripts/` and `logs/` under it).
 */
export function sparkArtifactsPrefix(consumer: Pick<Consumer, "team">): string {
  return `emr-serverless/${consumer.team}/`;
}

/** The role QuickSight assumes to query Athena for a team's data source (its `roleArn`). */
export function quicksightRoleName(p: Platform, consumer: Pick<Consumer, "team">): string {
  return `${p.name}-${consumer.team}-quicksight`;
}

/** The QuickSight role's ARN, in the consumer's account. */
export function quicksightRoleArn(p: Platform, consumer: Pick<Consumer, "team" | "account">): string {
  return `arn:aws:iam::${accountByName(p, consumer.account).id}:role/${quicksightRoleName(p, consumer)}`;
}

/**
 * A team's Redshift Serverless namespace and workgroup (`consumers[].analytics.redshift`): both named
 * `<team>-spectrum` (Redshift Serverless names: 3-64 lowercase letters, digits and hyphens).
 */
export function redshiftWorkgroupName(consumer: Pick<Consumer, "team">): string {
  return `${consumer.team}-spectrum`;
}

/** The database BI tools connect to in a team's namespace; the external schemas are created in it. */
export const REDSHIFT_DATABASE = "lake";

/**
 * The role Redshift assumes for a team's Spectrum queries (the namespace's default IAM role): the
 * principal Lake Formation judges, so the lake grants to it what it grants to the team.
 */
export function redshiftRoleName(p: Platform, consumer: Pick<Consumer, "team">): string {
  return `${p.name}-${consumer.team}-redshift`;
}

/** The Spectrum role's ARN, in the consumer's account. */
export function redshiftRoleArn(p: Platform, consumer: Pick<Consumer, "team" | "account">): string {
  return `arn:aws:iam::${accountByName(p, consumer.account).id}:role/${redshiftRoleName(p, consumer)}`;
}

/**
 * The read-only database role BI tools' users are granted (`GRANT ROLE <role> TO <user>`): USAGE on the
 * team's external schemas, nothing else. A Redshift identifier: the team with `-` as `_`, then `_bi`.
 */
export function redshiftReaderRoleName(consumer: Pick<Consumer, "team">): string {
  return `${consumer.team.replace(/-/g, "_")}_bi`;
}

/** A team's QuickSight group, in the `default` namespace of its account (named after the team). */
export function quicksightGroupArn(p: Platform, consumer: Pick<Consumer, "team" | "account">): string {
  const account = accountByName(p, consumer.account);
  return `arn:aws:quicksight:${account.region}:${account.id}:group/default/${consumer.team}`;
}

/** The id of a team's Athena data source in QuickSight. */
export function quicksightDataSourceId(consumer: Pick<Consumer, "team">): string {
  return `${consumer.team}-athena`;
}

/** The id of a team's SPICE data set of a dataset. */
export function quicksightDataSetId(
  consumer: Pick<Consumer, "team">,
  dataset: Pick<Dataset, "name">,
): string {
  return `${consumer.team}-${dataset.name.replace(/_/g, "-")}`;
}

/** A dataset's name as it appears in AWS resource names: `_` → `-` (as in its ingestion role). */
function kebabName(dataset: Pick<Dataset, "name">): string {
  return dataset.name.replace(/_/g, "-");
}

/**
 * The ARN of the lake key's alias, `arn:aws:kms:<lake region>:<lake id>:alias/<platform>-lake`: what a
 * producer knows of the lake key from the definition alone (the key's own id is random and the lake
 * deploys after the producers). KMS cryptographic calls and Firehose's `kmsKeyArn` accept it; IAM
 * policies cannot name a key by alias, so they name `key/*` of the lake account with a
 * `kms:ResourceAliases` condition instead.
 */
export function lakeKeyAliasArn(p: Platform): string {
  const lake = lakeAccount(p);
  return `arn:aws:kms:${lake.region}:${lake.id}:${kmsAliasName(p)}`;
}

/**
 * Whether the dataset's producer account creates its ingestion role (`ingestionRoleName`): Firehose and
 * DMS ingestion do; crawler, Spark and upload datasets have no writer role in their producer account
 * yet. The lake grants (bucket policy, key policy, Lake Formation) only to roles that exist.
 */
export function hasIngestionRole(dataset: Pick<Dataset, "ingestion">): boolean {
  return dataset.ingestion.type === "firehose" || dataset.ingestion.type === "dms";
}

/** A streaming dataset's Kinesis data stream, in its producer account: `<platform>-<dataset>`. */
export function ingestionStreamName(p: Platform, dataset: Pick<Dataset, "name">): string {
  return `${p.name}-${kebabName(dataset)}`;
}

/** A streaming dataset's Firehose delivery stream into the lake: `<platform>-<dataset>-to-lake`. */
export function deliveryStreamName(p: Platform, dataset: Pick<Dataset, "name">): string {
  return `${p.name}-${kebabName(dataset)}-to-lake`;
}

/** A streaming dataset's Managed Service for Apache Flink application: `<platform>-<dataset>-analytics`. */
export function flinkApplicationName(p: Platform, dataset: Pick<Dataset, "name">): string {
  return `${p.name}-${kebabName(dataset)}-analytics`;
}

/** The Flink application's execution role (no longer than the dataset's ingestion role). */
export function flinkRoleName(p: Platform, dataset: Pick<Dataset, "name">): string {
  return `${p.name}-${kebabName(dataset)}-flink`;
}

/** A producer account's bucket of deployment artifacts (Flink code): `<platform>-<account id>-artifacts`. */
export function artifactsBucketName(p: Platform, account: Pick<Account, "id">): string {
  return `${p.name}-${account.id}-artifacts`;
}

/** A DMS dataset's replication (config, endpoints, subnet group) identifier: `<platform>-<dataset>`. */
export function dmsReplicationId(p: Platform, dataset: Pick<Dataset, "name">): string {
  return `${p.name}-${kebabName(dataset)}`;
}

/** The role DMS assumes to read a DMS dataset's source credentials secret (no longer than the ingestion role). */
export function dmsSecretRoleName(p: Platform, dataset: Pick<Dataset, "name">): string {
  return `${p.name}-${kebabName(dataset)}-secret`;
}

/** A crawler dataset's Glue crawler, in the lake account: `<platform>-<dataset>`. */
export function crawlerName(p: Platform, dataset: Pick<Dataset, "name">): string {
  return `${p.name}-${kebabName(dataset)}`;
}

/**
 * The partition crawler of a partitioned table whose writer the lake projects: `<crawler name>-partitions`
 * (Glue crawler names take up to 255 characters). A dataset has a dataset crawler or a partition crawler,
 * never both, so it shares `crawlerRoleName`.
 */
export function partitionCrawlerName(p: Platform, dataset: Pick<Dataset, "name">): string {
  return `${crawlerName(p, dataset)}-partitions`;
}

/** The crawler's role, in the lake account (no longer than the dataset's ingestion role). */
export function crawlerRoleName(p: Platform, dataset: Pick<Dataset, "name">): string {
  return `${p.name}-${kebabName(dataset)}-crawl`;
}

/** The crawler's role ARN, in the lake account. */
export function crawlerRoleArn(p: Platform, dataset: Pick<Dataset, "name">): string {
  return `arn:aws:iam::${lakeAccount(p).id}:role/${crawlerRoleName(p, dataset)}`;
}
