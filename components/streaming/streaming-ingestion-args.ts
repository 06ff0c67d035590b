import type * as pulumi from "@pulumi/pulumi";

/** The Kinesis data stream producers write to. */
export interface StreamSettings {
  /** Physical stream name. @default the component's name */
  readonly name?: string;
  /** Capacity mode. @default "ON_DEMAND" */
  readonly mode?: "ON_DEMAND" | "PROVISIONED";
  /** Shards of a `PROVISIONED` stream: required there, refused with `ON_DEMAND`. @default none */
  readonly shardCount?: number;
  /** Hours records stay readable (24 to 8760). @default 24 */
  readonly retentionHours?: number;
}

/** A key of a dataset partition in the lake, and where Firehose finds its value in a record. */
export interface PartitionKeySpec {
  /** The partition key (a partition key of the dataset's Glue table), e.g. `dt`. */
  readonly name: string;
  /** The JQ expression extracting its value from a JSON record. @default `.<name>` */
  readonly query?: string;
}

/** Where the delivery stream writes: the dataset's location in the lake and its Glue table. */
export interface LakeDestination {
  /** The lake account: owner of the raw bucket and the Data Catalog holding the table. */
  readonly accountId: string;
  /** The lake's region (Glue table, key). */
  readonly region: string;
  /** The raw bucket's name. */
  readonly bucketName: string;
  /** The dataset's prefix, ending in `/`, e.g. `marketing/clickstream/`. */
  readonly prefix: string;
  /** Where records that fail conversion go, ending in `/`, e.g. `_errors/marketing/clickstream/`. */
  readonly errorPrefix: string;
  /**
   * The lake key: a key ARN, or the ARN of its alias (`arn:aws:kms:<region>:<lake>:alias/<name>`), which
   * Firehose accepts and which is all a producer knows from the platform definition.
   */
  readonly kmsKeyArn: string;
  /** The dataset's Glue database in the lake's catalog. */
  readonly databaseName: string;
  /** The dataset's Glue table: the Parquet schema records are converted to. */
  readonly tableName: string;
}

/** Arguments of {@link StreamingIngestion}. */
export interface StreamingIngestionArgs {
  /** The producer account the stream, the delivery stream and the role live in. */
  readonly accountId: string;
  /** The producer account's region. */
  readonly region: string;
  /** Name of the ingestion role Firehose assumes: the one role the lake lets write the dataset's prefixes. */
  readonly roleName: string;
  /** The source stream. @default `{ mode: "ON_DEMAND", retentionHours: 24 }` */
  readonly stream?: StreamSettings;
  /**
   * Encrypt the stream with this existing KMS key instead of creating one (then `streamKeyAdminArns`
   * must not be given). @default a key created with rotation
   */
  readonly streamKeyArn?: pulumi.Input<string>;
  /** Principals that administer the created stream key (besides the account root). @default [] */
  readonly streamKeyAdminArns?: readonly string[];
  /** Physical name of the delivery stream. @default `<name>-to-lake` */
  readonly deliveryStreamName?: string;
  /** The dataset's location and table in the lake. */
  readonly lake: LakeDestination;
  /** Partition keys: records are partitioned dynamically into `<prefix><key>=<value>/...`. @default [] */
  readonly partitionKeys?: readonly PartitionKeySpec[];
  /**
   * How the Hive JSON SerDe parses the records' timestamps: Joda-Time `DateTimeFormat` patterns, or
   * `millis` for epoch milliseconds (Firehose API, `HiveJsonSerDe.TimestampFormats`).
   * @default {@link defaults.timestampFormats}: ISO-8601 with `Z` or a `±hh:mm` offset, with or without
   * 1 to 9 fractional digits, and `millis`
   */
  readonly timestampFormats?: readonly string[];
  /** Seconds Firehose buffers before writing (0 to 900). @default 300 */
  readonly bufferSeconds?: number;
  /** MiB Firehose buffers before writing (64 to 128: Parquet conversion needs at least 64). @default 128 */
  readonly bufferMB?: number;
  /** Days the delivery log group keeps Firehose's error logs. @default 365 */
  readonly logRetentionDays?: number;
  /** Tags of every taggable child: the dataset's six governance tags. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults of {@link StreamingIngestionArgs}, in one place: the code and the tests use these. */
export const defaults = {
  streamMode: "ON_DEMAND",
  retentionHours: 24,
  bufferSeconds: 300,
  bufferMB: 128,
  minBufferMB: 64,
  maxBufferMB: 128,
  maxBufferSeconds: 900,
  logRetentionDays: 365,
  keyDeletionWindowDays: 30,
  /** Seconds Firehose retries a record whose partition keys it cannot extract. */
  dynamicPartitioningRetrySeconds: 300,
  /** The log stream Firehose writes delivery errors to. */
  logStreamName: "DestinationDelivery",
  /**
   * The Hive JSON SerDe's timestamp formats (Joda-Time patterns; `millis` = epoch milliseconds).
   * `SSSSSSSSS` parses 1 to 9 fractional digits; `ZZ` parses `Z`, `+hh:mm` and `+hhmm`.
   */
  timestampFormats: ["yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSZZ", "yyyy-MM-dd'T'HH:mm:ssZZ", "millis"],
} as const;
