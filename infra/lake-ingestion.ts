import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { crawlerLogsKeyPolicyStatement, DatasetCrawler } from "../components/catalog";
import { IngestionGrants } from "../components/ingestion";
import {
  producerBucketStatements,
  producerKeyStatements,
  ProducerWriters,
} from "../components/shared/ingestion-statements";
import type { LakeStorageArgs } from "../components/storage";
import {
  accountByName,
  bucketName,
  crawlerName,
  partitionCrawlerName,
  crawlerRoleName,
  databaseName,
  datasetPrefix,
  datasetTags,
  hasIngestionRole,
  ingestionRoleArn,
  ingestionRoleArnPattern,
  INGESTION_KEY_PATTERNS,
  lakeAccount,
  registrationEnded,
  tableLayout,
  tableName,
} from "../platform";
import type { Dataset, Platform } from "../platform";

/** The producers' ingestion roles the lake grants Lake Formation DESCRIBE on their tables. */
export function ingestionWriters(
  p: Platform,
): { dataset: string; roleArn: string; database: string; table: string }[] {
  return p.datasets.filter(hasIngestionRole).map((d) => ({
    dataset: d.name,
    roleArn: ingestionRoleArn(p, d),
    database: databaseName(d.domain),
    table: tableName(d),
  }));
}

/**
 * The producer accounts the lake's bucket and key policies let write: those of datasets with an
 * ingestion role, each below its own account's prefix and its tagged dataset (`INGESTION_KEY_PATTERNS`).
 */
export function producerWriters(p: Platform): ProducerWriters {
  const ingested = p.datasets.filter(hasIngestionRole);
  return {
    accountIds: [...new Set(ingested.map((d) => accountByName(p, d.producer).id))].sort(),
    roleArnPattern: ingestionRoleArnPattern(p),
    keyPatterns: [...INGESTION_KEY_PATTERNS],
    // DMS's S3 target deletes and tags objects it writes (DMS S3 target prerequisites).
    dms: ingested.some((d) => d.ingestion.type === "dms"),
  };
}

/** Whether the lake runs a crawler: an `ingestion: crawler` dataset, or a partition crawler's table. */
export function hasCrawlers(p: Platform): boolean {
  return p.datasets.some(
    (d) => d.ingestion.type === "crawler" || tableLayout(p, d).registration === "partition-crawler",
  );
}

/**
 * What the lake's storage adds for ingestion: the raw bucket's statements letting the producers'
 * ingestion roles write below their own account's prefix, and the key's statement letting them use it
 * through S3 and Glue. Both name the producer accounts (not their roles, so neither grows with
 * datasets, and neither needs a role to exist first). With crawlers, the key also lets CloudWatch Logs
 * encrypt their log groups (their security configurations encrypt them under the lake key).
 */
export function ingestionStorageArgs(
  p: Platform,
): Pick<LakeStorageArgs, "bucketPolicyStatements" | "keyPolicyStatements"> {
  const writers = producerWriters(p);
  const lake = lakeAccount(p);
  const keyPolicyStatements = [
    ...producerKeyStatements(lake.region, writers),
    ...(hasCrawlers(p) ? [crawlerLogsKeyPolicyStatement({ accountId: lake.id, region: lake.region })] : []),
  ];
  return {
    ...(writers.accountIds.length > 0
      ? { bucketPolicyStatements: { raw: producerBucketStatements(bucketName(p, "raw"), writers) } }
      : {}),
    ...(keyPolicyStatements.length > 0 ? { keyPolicyStatements } : {}),
  };
}

/** What the lake's ingestion part needs of the rest of the lake. */
export interface LakeIngestionInputs {
  readonly rawBucketArn: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;
  /** What every grant and crawler waits for: Lake Formation settings and the raw location's registration. */
  readonly dependsOn: readonly pulumi.Resource[];
  /**
   * The catalog's tables by `<database>.<table>`: each grant and crawler waits for its own (one each, so
   * the dependencies grow with datasets, not with their square).
   */
  readonly tables: Readonly<Record<string, pulumi.Resource>>;
  /** "Today" (`lakehouse:date`): a dataset past its `endsOn` is not crawled. */
  readonly date: string;
}

/**
 * When a partition crawler runs (Glue schedules are cron() in UTC): hourly for a streaming dataset,
 * whose writer opens a partition an hour, daily for a batch one — each a little after the hour, once
 * the writer's buffers have flushed.
 */
export function partitionCrawlerSchedule(dataset: Pick<Dataset, "velocity">): string {
  return dataset.velocity === "streaming" ? "cron(10 * * * ? *)" : "cron(30 1 * * ? *)";
}

/**
 * The lake's side of ingestion, besides the bucket and key policies: Lake Formation DESCRIBE on its
 * table for each ingestion role (no DATA_LOCATION_ACCESS: they write S3 through IAM and the bucket
 * policy), a Glue crawler per `ingestion: crawler` dataset, and a partition crawler on the table of each
 * partitioned dataset whose writer's layout Athena projects (`registration: partition-crawler`), so EMR
 * Spark through the Glue catalog and Redshift Spectrum, which ignore projection, see its partitions.
 * A dataset past its `endsOn` has neither crawler (its writer's grant stays: the producer retires it).
 */
export function lakeIngestion(
  p: Platform,
  provider: aws.Provider,
  inputs: LakeIngestionInputs,
): Record<string, unknown> {
  const lake = lakeAccount(p);
  const ownTable = (database: string, table: string) => {
    const t = inputs.tables[`${database}.${table}`];
    return t ? [t] : [];
  };
  const grants = new IngestionGrants(
    "lake-ingestion",
    {
      catalogId: lake.id,
      writers: ingestionWriters(p).map((w) => ({
        dataset: w.dataset,
        roleArn: w.roleArn,
        database: w.database,
        table: w.table,
        dependsOn: ownTable(w.database, w.table),
      })),
      dependsOn: inputs.dependsOn,
    },
    { provider },
  );
  const crawled = p.datasets.filter((d) => !registrationEnded(d, inputs.date));
  const crawlers = crawled.flatMap((d) =>
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
              prefix: datasetPrefix(p, d),
              kmsKeyArn: inputs.keyArn,
              ...(d.ingestion.schedule !== undefined ? { schedule: d.ingestion.schedule } : {}),
              // ALTER, DESCRIBE, INSERT on its table and DATA_LOCATION_ACCESS on the raw location: what
              // the pack config allows a crawler role (tooling/plan/pack-config.ts).
              grantLakeFormation: true,
              dataLocationArn: inputs.rawBucketArn,
              dependsOn: [...inputs.dependsOn, ...ownTable(databaseName(d.domain), tableName(d))],
              tags: datasetTags(d),
            },
            { provider },
          ),
        ]
      : [],
  );
  const partitionCrawlers = crawled.flatMap((d) => {
    const layout = tableLayout(p, d);
    if (layout.registration !== "partition-crawler") return [];
    return [
      new DatasetCrawler(
        `lake-partitions-${d.name}`,
        {
          mode: "partitions",
          catalogId: lake.id,
          region: lake.region,
          crawlerName: partitionCrawlerName(p, d),
          roleName: crawlerRoleName(p, d),
          databaseName: databaseName(d.domain),
          tableName: tableName(d),
          bucketName: layout.bucket,
          // The table's own prefix (below the dataset's for DMS): all the crawler reads.
          prefix: layout.prefix,
          kmsKeyArn: inputs.keyArn,
          schedule: partitionCrawlerSchedule(d),
          // Same-account ALTER, DESCRIBE, INSERT on its table and DATA_LOCATION_ACCESS on the raw
          // location, as a dataset crawler's.
          grantLakeFormation: true,
          dataLocationArn: inputs.rawBucketArn,
          dependsOn: [...inputs.dependsOn, ...ownTable(databaseName(d.domain), tableName(d))],
          tags: datasetTags(d),
        },
        { provider },
      ),
    ];
  });
  return {
    ingestionGrants: Object.keys(grants.grants),
    crawlers: crawlers.map((c) => c.crawler.name),
    partitionCrawlers: partitionCrawlers.map((c) => c.crawler.name),
  };
}
