import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { DatasetCrawler } from "../components/crawler";
import {
  IngestionGrants,
  ingestionBucketStatements,
  ingestionKeyStatements,
  IngestionWriter,
} from "../components/ingestion";
import type { LakeStorageArgs } from "../components/lake-storage";
import {
  bucketName,
  crawlerName,
  crawlerRoleName,
  databaseName,
  datasetPrefix,
  datasetTags,
  hasIngestionRole,
  ingestionErrorPrefix,
  ingestionRoleArn,
  lakeAccount,
  tableName,
} from "../platform";
import type { Platform } from "../platform";

/** The producers' ingestion roles the lake lets write: datasets whose producer creates one. */
export function ingestionWriters(p: Platform): (IngestionWriter & { database: string; table: string })[] {
  return p.datasets.filter(hasIngestionRole).map((d) => ({
    dataset: d.name,
    roleArn: ingestionRoleArn(p, d),
    prefixes: [datasetPrefix(d), ingestionErrorPrefix(d)],
    database: databaseName(d.domain),
    table: tableName(d),
  }));
}

/**
 * What the lake's storage adds for ingestion: the raw bucket's statements letting each ingestion role
 * write its own prefixes, and the key's statement letting those roles use it through S3 and Glue. Both
 * name roles of the producer accounts, which must exist first: producers deploy before the lake.
 */
export function ingestionStorageArgs(
  p: Platform,
): Pick<LakeStorageArgs, "bucketPolicyStatements" | "keyPolicyStatements"> {
  const writers = ingestionWriters(p);
  if (writers.length === 0) return {};
  return {
    bucketPolicyStatements: { raw: ingestionBucketStatements(bucketName(p, "raw"), writers) },
    keyPolicyStatements: ingestionKeyStatements(
      lakeAccount(p).region,
      writers.map((w) => w.roleArn),
    ),
  };
}

/** What the lake's ingestion part needs of the rest of the lake. */
export interface LakeIngestionInputs {
  readonly rawBucketArn: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;
  /** Lake Formation settings, the raw location's registration and the catalog's tables. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * The lake's side of ingestion, besides the bucket and key policies: Lake Formation grants to each
 * ingestion role (DESCRIBE on its table, DATA_LOCATION_ACCESS on the raw location) and a Glue crawler
 * per `ingestion: crawler` dataset.
 */
export function lakeIngestion(
  p: Platform,
  provider: aws.Provider,
  inputs: LakeIngestionInputs,
): Record<string, unknown> {
  const lake = lakeAccount(p);
  const grants = new IngestionGrants(
    "lake-ingestion",
    {
      catalogId: lake.id,
      dataLocationArn: inputs.rawBucketArn,
      writers: ingestionWriters(p).map((w) => ({
        dataset: w.dataset,
        roleArn: w.roleArn,
        database: w.database,
        table: w.table,
      })),
      dependsOn: inputs.dependsOn,
    },
    { provider },
  );
  const crawlers = p.datasets.flatMap((d) =>
    d.ingestion.type === "crawler"
      ? [
          new DatasetCrawler(
            `lake-crawler-${d.name}`,
            {
              catalogId: lake.id,
              region: lake.region,
              crawlerName: crawlerName(p, d),
              roleName: crawlerRoleName(p, d),
              databaseName: databaseName(d.domain),
              tableName: tableName(d),
              bucketName: bucketName(p, "raw"),
              prefix: datasetPrefix(d),
              kmsKeyArn: inputs.keyArn,
              ...(d.ingestion.schedule !== undefined ? { schedule: d.ingestion.schedule } : {}),
              // ALTER, DESCRIBE, INSERT on its table and DATA_LOCATION_ACCESS on the raw location: what
              // the pack config allows a crawler role (plan/pack-config.ts).
              grantLakeFormation: true,
              dataLocationArn: inputs.rawBucketArn,
              dependsOn: inputs.dependsOn,
              tags: datasetTags(d),
            },
            { provider },
          ),
        ]
      : [],
  );
  return {
    ingestionGrants: Object.keys(grants.grants),
    crawlers: crawlers.map((c) => c.crawler.name),
  };
}
