import type * as pulumi from "@pulumi/pulumi";

/** The source database DMS replicates from. */
export interface DmsSource {
  /** DMS engine name. */
  readonly engine: "postgres" | "mysql" | "oracle" | "sqlserver" | "mariadb";
  /** The Secrets Manager secret holding its connection details (host, port, username, password). */
  readonly secretArn: string;
  /** The KMS key encrypting the secret, when it is a customer-managed one. @default the AWS-managed key */
  readonly secretKmsKeyArn?: string;
  /**
   * The database name: PostgreSQL, Oracle and SQL Server endpoints need it (the secret carries none).
   * @default none (MySQL and MariaDB endpoints connect to the server)
   */
  readonly databaseName?: string;
  /** The schema replicated (no wildcard: DMS writes one folder per table, the lake's table reads one). */
  readonly schema: string;
  /** The table replicated (no wildcard), e.g. the dataset's name. */
  readonly table: string;
  /** SSL mode of the connection (`none`, `require`, `verify-ca`, `verify-full`). @default "require" */
  readonly sslMode?: "none" | "require" | "verify-ca" | "verify-full";
}

/** Where DMS writes: the dataset's location in the lake. */
export interface DmsLakeTarget {
  /** The lake account: owner of the raw bucket (DMS checks it, `expectedBucketOwner`). */
  readonly accountId: string;
  /** The lake's region. */
  readonly region: string;
  /** The raw bucket's name. */
  readonly bucketName: string;
  /**
   * The dataset's prefix, ending in `/`, e.g. `sales/orders/`: the role may write under it, and DMS writes
   * the table's files under `<prefix><schema>/<table>/` (the endpoint's `bucketFolder` is the prefix
   * without its trailing `/`, since DMS adds `/<schema>/<table>/` itself).
   */
  readonly prefix: string;
  /** The lake key: objects are written SSE-KMS with it (a key ARN or the ARN of its alias). */
  readonly kmsKeyArn: string;
  /**
   * Write CDC files into date folders `YYYY-MM-DD/` of the transaction commit date (`DatePartitionEnabled`,
   * sequence `YYYYMMDD`, delimiter `DASH`), for a table partitioned by `dt` whose partition template is
   * `${dt}/`. Full-load files are not dated: see components/ingestion/README.md. @default none (no date folders)
   */
  readonly datePartitioning?: DmsDatePartitioning;
}

/** DMS's date folders. */
export interface DmsDatePartitioning {
  /**
   * The IANA time zone (Area/Location, e.g. `Europe/Berlin`) the commit time is converted to when naming
   * a date folder (`DatePartitionTimezone`); `UTC` (or `Etc/UTC`) leaves the setting out, as DMS names
   * folders in UTC without it. @default "UTC"
   */
  readonly timezone?: string;
}

/** Arguments of {@link DmsIngestion}. */
export interface DmsIngestionArgs {
  /** The producer account DMS runs in. */
  readonly accountId: string;
  /** Its region. */
  readonly region: string;
  /** Identifier of the replication config, endpoints and subnet group. @default the component's name */
  readonly identifier?: string;
  /** Name of the ingestion role DMS writes the lake as (the S3 target's service access role). */
  readonly roleName: string;
  /** Name of the role DMS reads the source's secret as. */
  readonly secretRoleName: string;
  /** Subnets of the replication (at least two, in different Availability Zones). */
  readonly subnetIds: readonly string[];
  /** Security groups of the replication. @default [] */
  readonly securityGroupIds?: readonly string[];
  /** The source database, schema and table replicated. */
  readonly source: DmsSource;
  /** Where the replication writes its Parquet files: the dataset's location in the lake's raw bucket. */
  readonly lake: DmsLakeTarget;
  /**
   * Encrypt the replication's storage and the endpoints' connection settings with this existing key
   * instead of creating one (then `keyAdminArns` must not be given). @default a key created with rotation
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Principals that administer the created key (besides the account root). @default [] */
  readonly keyAdminArns?: readonly string[];
  /** Smallest DMS capacity (DCUs: 1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384). @default 1 */
  readonly minCapacityUnits?: number;
  /** Largest DMS capacity (DCUs). @default 16 */
  readonly maxCapacityUnits?: number;
  /** Run the replication in two Availability Zones. @default false */
  readonly multiAz?: boolean;
  /**
   * Start the replication once created. Off by default: on a first deployment the lake (its bucket
   * policy, key policy) is deployed after the producers, and the replication can only write then.
   * @default false
   */
  readonly startReplication?: boolean;
  /**
   * Replicate inserts only (`CdcInsertsOnly`): no file carries an `Op` column, and updates and deletes
   * are lost. Otherwise every file, the full load's too (`IncludeOpForFullLoad`), carries the `Op` column
   * (`I`, `U` or `D`) as its first column, which the table declares as `op`. @default false
   */
  readonly insertsOnly?: boolean;
  /**
   * A column DMS adds to every row with its commit time (`TimestampColumnName`): the source commit for
   * a CDC row, the replication's start for a full-load row (`UseTaskStartTimeForFullLoadTimestamp`), so
   * the latest version of a key is the row with the greatest value. DMS writes it as a string
   * `yyyy-MM-dd HH:mm:ss.SSSSSS`: declare it `string` in the table. @default none (no such column)
   */
  readonly commitTimestampColumn?: string;
  /**
   * Resources the replication is created after: the VPC endpoints it reaches S3 and Secrets Manager
   * through (DMS Serverless has no other path to them). @default []
   */
  readonly dependsOn?: readonly pulumi.Resource[];
  /** Tags of every taggable child: the dataset's six governance tags. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults of {@link DmsIngestionArgs}, in one place. */
export const defaults = {
  minCapacityUnits: 1,
  maxCapacityUnits: 16,
  multiAz: false,
  startReplication: false,
  sslMode: "require",
  replicationType: "full-load-and-cdc",
  parquetVersion: "parquet-2-0",
  keyDeletionWindowDays: 30,
  insertsOnly: false,
  /** DMS's date folders: `YYYY-MM-DD`, the layout's `${dt}/` template. */
  datePartitionSequence: "YYYYMMDD",
  datePartitionDelimiter: "DASH",
  datePartitionTimezone: "UTC",
  /** DMS capacity units it accepts. */
  capacityUnits: [1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384],
} as const;
