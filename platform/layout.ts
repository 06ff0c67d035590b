/**
 * Where each dataset's data lands and how its table reads it: the one place that knows the S3 keys
 * every writer produces (Firehose's dynamic-partitioning prefix, DMS's `<folder>/<schema>/<table>/`
 * with its date folders, the platform's Hive-style convention for Spark jobs and uploads), the table
 * location and partition layout that match them, the partition-projection parameters Athena reads,
 * and which readers see the partitions how. The catalog, the writers, the governance pack's config and
 * the governance validator all read it, so a writer and its table cannot drift apart.
 *
 * Readers (see docs/data-path.md, "From a producer's write to a consumer's query"):
 * - Athena (and QuickSight SPICE, which queries through Athena) uses partition projection when the
 *   table has `projection.enabled` and then ignores registered partitions (Athena docs, "Partition
 *   projection with Amazon Athena").
 * - EMR Serverless Spark through the Glue Data Catalog and Redshift Spectrum ignore projection and read
 *   registered partitions only: every partitioned table therefore also has partitions registered, by
 *   the dataset's own crawler (`ingestion.type: crawler`) or by a partition crawler on the table.
 */
import { bucketName, datasetPrefix } from "./names";
import type { Dataset, Platform } from "./schema";

/** The partition keys Athena's projection can enumerate for the platform's writers. */
const PROJECTABLE = {
  dt: ["date", "string"],
  hour: ["int", "tinyint", "smallint", "bigint", "string"],
} as const;

/** How a table's partitions become visible to readers that ignore projection. */
export type PartitionRegistration =
  /** The table is not partitioned: every reader sees every object under its location. */
  | "none"
  /** The dataset's own crawler (ingestion.type crawler) crawls its location and adds partitions. */
  | "dataset-crawler"
  /** A partition crawler on the table (a catalog target) adds the partitions the writer created. */
  | "partition-crawler";

/** Where one dataset's data lands and how its table reads it. */
export interface TableLayout {
  /** The dataset. */
  readonly dataset: string;
  /** Its writer: the dataset's `ingestion.type`. */
  readonly writer: Dataset["ingestion"]["type"];
  /** The raw-zone bucket. */
  readonly bucket: string;
  /** The dataset's prefix in it (what its writers may write): `<domain>/<dataset>/`. */
  readonly datasetPrefix: string;
  /** The table's key prefix (ends with `/`): the dataset prefix, or below it where the writer nests. */
  readonly prefix: string;
  /** The table's `storageDescriptor.location`: `s3://<bucket>/<prefix>`. */
  readonly location: string;
  /** The table's partition keys, in order. */
  readonly partitionKeys: readonly { readonly name: string; readonly type: string }[];
  /**
   * The keys one partition's objects lie under, relative to `prefix`, with `${key}` for each partition
   * value: `dt=${dt}/hour=${hour}/` (Hive style) or `${dt}/` (DMS's date folders); empty when the
   * table is not partitioned.
   */
  readonly partitionTemplate: string;
  /** Athena partition-projection table parameters; empty when the table does not use projection. */
  readonly projection: Readonly<Record<string, string>>;
  /** How readers that ignore projection see the partitions. */
  readonly registration: PartitionRegistration;
}

/** The column DMS writes every row's commit time into (`TimestampColumnName`; full load: the task start). */
export const DMS_COMMIT_TIMESTAMP_COLUMN = "dms_commit_ts";

/** The Firehose partition keys whose values are derived from the record's event time. */
export const EVENT_TIME_KEYS = ["dt", "hour"] as const;

/** The column a Firehose dataset's `dt`/`hour` partitions are derived from, if any. */
export function eventTimeColumn(dataset: Dataset): string | undefined {
  const ing = dataset.ingestion;
  if (ing.type !== "firehose") return undefined;
  return ing.eventTimeColumn ?? dataset.schema.columns.find((c) => c.type === "timestamp")?.name;
}

/** True when Athena's projection can enumerate every partition key of the dataset. */
function projectable(dataset: Dataset): boolean {
  const keys = dataset.schema.partitionKeys;
  return (
    keys.length > 0 &&
    keys.every((k) => {
      const types = (PROJECTABLE as Record<string, readonly string[]>)[k.name];
      return types !== undefined && types.includes(k.type);
    })
  );
}

/** The projection parameters of one key (Athena: "Supported types for partition projection"). */
function keyProjection(dataset: Dataset, key: { name: string; type: string }): Record<string, string> {
  const p = `projection.${key.name}`;
  if (key.name === "dt")
    // Athena's date projection reads ISO dates only (yyyy-MM-dd) for a `date` column; from the day the
    // dataset was registered to today.
    return {
      [`${p}.type`]: "date",
      [`${p}.format`]: "yyyy-MM-dd",
      [`${p}.range`]: `${dataset.registeredOn},NOW`,
      [`${p}.interval`]: "1",
      [`${p}.interval.unit`]: "DAYS",
    };
  // hour: 00..23, two digits as the writers print it.
  return { [`${p}.type`]: "integer", [`${p}.range`]: "0,23", [`${p}.digits`]: "2" };
}

/** The DMS source table a dataset replicates (the dataset's name unless the definition names one). */
export function dmsSourceTable(dataset: Dataset): string | undefined {
  return dataset.ingestion.type === "dms" ? (dataset.ingestion.dms.sourceTable ?? dataset.name) : undefined;
}

/** Where the dataset's data lands and how its table reads it. */
export function tableLayout(p: Platform, dataset: Dataset): TableLayout {
  const bucket = bucketName(p, "raw");
  const base = datasetPrefix(p, dataset);
  const keys = dataset.schema.partitionKeys.map((k) => ({ name: k.name, type: k.type }));
  const ing = dataset.ingestion;
  // DMS writes `<bucketFolder>/<schema>/<table>/`. The definition keeps DMS tables unpartitioned (a full
  // load lands in the table folder, outside any date folder); a DMS writer with date folders
  // (DatePartitionSequence YYYYMMDD, DatePartitionDelimiter DASH) writes `YYYY-MM-DD/` below it.
  const prefix = ing.type === "dms" ? `${base}${ing.dms.sourceSchema}/${dmsSourceTable(dataset)}/` : base;
  const partitionTemplate =
    ing.type === "dms"
      ? keys.map((k) => `\${${k.name}}/`).join("")
      : keys.map((k) => `${k.name}=\${${k.name}}/`).join("");
  const location = `s3://${bucket}/${prefix}`;
  // Projection where the writer's layout is the platform's (Firehose, DMS, Spark, uploads); a crawled
  // dataset's layout is whatever its producer writes, so its crawler registers what it finds.
  const projection: Record<string, string> =
    ing.type !== "crawler" && projectable(dataset)
      ? {
          "projection.enabled": "true",
          ...Object.assign({}, ...keys.map((k) => keyProjection(dataset, k))),
          "storage.location.template": `${location}${partitionTemplate}`,
        }
      : {};
  const registration: PartitionRegistration =
    keys.length === 0 ? "none" : ing.type === "crawler" ? "dataset-crawler" : "partition-crawler";
  return {
    dataset: dataset.name,
    writer: ing.type,
    bucket,
    datasetPrefix: base,
    prefix,
    location,
    partitionKeys: keys,
    partitionTemplate,
    projection,
    registration,
  };
}

/** The layout of every dataset, keyed by dataset name. */
export function tableLayouts(p: Platform): Record<string, TableLayout> {
  return Object.fromEntries(p.datasets.map((d) => [d.name, tableLayout(p, d)]));
}
