/**
 * What the platform definition tells the policies, as pack config (`npm run policy-config` writes it
 * from `stacks/platform.yaml`; the offline plan derives the same). Policies never read the definition
 * themselves: another team's program is judged against the config it is previewed with. Each type
 * here has its JSON schema beside it, for the policies' `configSchema`.
 */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** A registered dataset and the tag values its resources must carry. */
export interface RegisteredDataset {
  /** The dataset's name (its `dataset` tag). */
  readonly name: string;
  /** Its Glue database and table in the lake's catalog. */
  readonly database: string;
  readonly table: string;
  /** The governance tags its resources carry (CONTRACTS §1), e.g. `{ domain: "sales", ... }`. */
  readonly tags: Readonly<Record<string, string>>;
}

/** JSON schema of {@link RegisteredDataset}. */
export const registeredDatasetSchema: PolicyConfigJSONSchema = {
  type: "object",
  required: ["name", "database", "table", "tags"],
  properties: {
    name: { type: "string" },
    database: { type: "string" },
    table: { type: "string" },
    tags: { type: "object", additionalProperties: { type: "string" } },
  },
};

/** A producer's ingestion role, which may write its own datasets' raw-zone prefixes in the lake. */
export interface IngestionWriter {
  /** The role's ARN (in the producer's account). */
  readonly principal: string;
  /** The dataset it ingests. */
  readonly dataset: string;
  /** The lake bucket it writes to. */
  readonly bucket: string;
  /** Key prefixes it may write, e.g. `sales/orders/`. */
  readonly prefixes: readonly string[];
}

/** JSON schema of {@link IngestionWriter}. */
export const ingestionWriterSchema: PolicyConfigJSONSchema = {
  type: "object",
  required: ["principal", "dataset", "bucket", "prefixes"],
  properties: {
    principal: { type: "string" },
    dataset: { type: "string" },
    bucket: { type: "string" },
    prefixes: { type: "array", items: { type: "string" } },
  },
};

/** A lake bucket and the account that owns it. */
export interface LakeBucket {
  readonly bucket: string;
  readonly account: string;
}

/** JSON schema of {@link LakeBucket}. */
export const lakeBucketSchema: PolicyConfigJSONSchema = {
  type: "object",
  required: ["bucket", "account"],
  properties: { bucket: { type: "string" }, account: { type: "string", pattern: "^\\d{12}$" } },
};

/** What a Lake Formation grant principal is, and so which permissions fit it. */
export type PrincipalRole =
  | "consumer"
  | "ingestion"
  | "crawler"
  | "validator"
  | "consumer-account"
  | "spark-job"
  | "quicksight"
  | "redshift";

/** A principal the definition knows. */
export interface KnownPrincipal {
  /** Role ARN or account id. */
  readonly principal: string;
  readonly role: PrincipalRole;
  /** The permissions a grant to it may carry (`DESCRIBE`, `SELECT`, `DATA_LOCATION_ACCESS`...). */
  readonly permissions: readonly string[];
}

/** JSON schema of {@link KnownPrincipal}. */
export const knownPrincipalSchema: PolicyConfigJSONSchema = {
  type: "object",
  required: ["principal", "role", "permissions"],
  properties: {
    principal: { type: "string" },
    role: {
      enum: [
        "consumer",
        "ingestion",
        "crawler",
        "validator",
        "consumer-account",
        "spark-job",
        "quicksight",
        "redshift",
      ],
    },
    permissions: { type: "array", items: { type: "string" } },
  },
};

/** The message of a policy that needs the definition and was given none. */
export const NOT_CONFIGURED =
  "the pack config carries no platform definition: write it with `npm run policy-config` and pass it with --policy-pack-config";

/** An S3 ARN's bucket and key (`undefined` key for the bucket itself). */
export function parseS3Arn(arn: string): { bucket: string; key?: string } | undefined {
  const m = /^arn:aws[a-z-]*:s3:::([^/]+)(?:\/(.*))?$/.exec(arn);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

/** How a registered table's partitions reach readers that ignore projection (EMR Spark, Spectrum). */
export type PartitionRegistration = "none" | "dataset-crawler" | "partition-crawler";

/**
 * Where a registered dataset's data lands and how its table (in the lake stack) reads it, so a writer
 * in a producer stack can be judged against the table it fills (`tableLayout` of the definition).
 */
export interface DatasetLayout {
  /** The dataset's name. */
  readonly dataset: string;
  /** Its Glue database and table. */
  readonly database: string;
  readonly table: string;
  /** Its writer: the dataset's `ingestion.type` (firehose, dms, crawler, spark, upload). */
  readonly writer: string;
  /** The raw-zone bucket. */
  readonly bucket: string;
  /** The dataset's prefix (what its writers may write), e.g. `sales/orders/`. */
  readonly datasetPrefix: string;
  /** The table's key prefix (ends with `/`). */
  readonly prefix: string;
  /** The table's `storageDescriptor.location`. */
  readonly location: string;
  /** The table's partition keys, in order. */
  readonly partitionKeys: readonly { readonly name: string; readonly type: string }[];
  /** One partition's keys relative to `prefix`, `${key}` per value (`dt=${dt}/`, `${dt}/`); empty if unpartitioned. */
  readonly partitionTemplate: string;
  /** The table's Athena partition-projection parameters (empty: no projection). */
  readonly projection: Readonly<Record<string, string>>;
  /** How readers that ignore projection see the partitions. */
  readonly registration: PartitionRegistration;
}

/** JSON schema of {@link DatasetLayout}. */
export const datasetLayoutSchema: PolicyConfigJSONSchema = {
  type: "object",
  required: [
    "dataset",
    "database",
    "table",
    "writer",
    "bucket",
    "datasetPrefix",
    "prefix",
    "location",
    "partitionKeys",
    "partitionTemplate",
    "projection",
    "registration",
  ],
  properties: {
    dataset: { type: "string" },
    database: { type: "string" },
    table: { type: "string" },
    writer: { type: "string" },
    bucket: { type: "string" },
    datasetPrefix: { type: "string", pattern: "^([^/]+/)*$" },
    prefix: { type: "string", pattern: "^([^/]+/)*$" },
    location: { type: "string", pattern: "^s3://" },
    partitionKeys: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "type"],
        properties: { name: { type: "string" }, type: { type: "string" } },
      },
    },
    partitionTemplate: { type: "string" },
    projection: { type: "object", additionalProperties: { type: "string" } },
    registration: { enum: ["none", "dataset-crawler", "partition-crawler"] },
  },
};
