import type * as pulumi from "@pulumi/pulumi";

/** LF-tag key → value assigned to a database, table or column. */
export type LfTagValues = Readonly<Record<string, string>>;

/** A Glue database. */
export interface DatabaseSpec {
  /** Glue database name (lowercase, underscores). */
  readonly name: string;
  /** The database's description in the catalog. @default none */
  readonly description?: string;
  /** LF-tags assigned to the database (its tables inherit them). @default {} */
  readonly lfTags?: LfTagValues;
}

/** A column of a table. */
export interface ColumnSpec {
  /** Column name (lowercase, as Glue stores it). */
  readonly name: string;
  /** Glue/Hive type name, e.g. `string`, `decimal(18,2)`, `array<string>`. */
  readonly type: string;
  /** The column's comment in the catalog. @default none */
  readonly comment?: string;
  /** LF-tags of this column where they differ from the table's (e.g. a stricter classification). @default {} */
  readonly lfTags?: LfTagValues;
}

/** A Glue table of Parquet data. */
export interface TableSpec {
  /** Name of its database: one of the `databases`. */
  readonly database: string;
  /** Glue table name. */
  readonly name: string;
  /** The table's description in the catalog. @default none */
  readonly description?: string;
  /** Where its Parquet files live, `s3://bucket/prefix/`. */
  readonly location: string;
  /** Its columns, in order, without the partition keys. */
  readonly columns: readonly ColumnSpec[];
  /** Its partition keys, in order; none of them also a column. @default [] */
  readonly partitionKeys?: readonly Omit<ColumnSpec, "lfTags">[];
  /**
   * Table parameters: Glue tables take no tags, so the dataset's registration and governance keys go
   * here. Partition projection goes in `projection`, not here. @default {}
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * Athena partition-projection parameters, merged into the table parameters: `projection.enabled`,
   * `projection.<partition key>.<property>` (`type`, `format`, `range`, `interval`, `interval.unit`,
   * `digits`, `values`, ...) and `storage.location.template`, which must lie under `location` and name
   * every partition key as `${key}`. With projection enabled Athena computes the partitions and ignores
   * registered ones; readers that ignore projection need them registered (a partition crawler).
   * @default {} (no projection)
   */
  readonly projection?: Readonly<Record<string, string>>;
  /** LF-tags assigned to the table. @default {} */
  readonly lfTags?: LfTagValues;
}

/** Arguments of {@link LakeCatalog}. */
export interface LakeCatalogArgs {
  /** The Data Catalog (account id). */
  readonly catalogId: string;
  /** The Glue databases to create, one per domain. */
  readonly databases: readonly DatabaseSpec[];
  /** The Parquet tables to create, each in one of `databases`. @default [] */
  readonly tables?: readonly TableSpec[];
  /** KMS key for Data Catalog encryption at rest and connection passwords. */
  readonly encryptionKeyArn: pulumi.Input<string>;
  /** Assign the LF-tags of databases, tables and columns. @default true */
  readonly assignLfTags?: boolean;
  /**
   * Lake Formation resources the catalog must wait for: the data lake settings (so new databases get
   * no IAMAllowedPrincipals defaults) and the LF-tags the assignments use. @default []
   */
  readonly lakeFormationDependencies?: readonly pulumi.Resource[];
  /** Tags for every taggable child (databases). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Parquet's Hive SerDe and formats: every table of the lake is Parquet. */
export const PARQUET = {
  serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
  inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
  outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
} as const;

/** Defaults of {@link LakeCatalogArgs}, in one place. */
export const defaults = {
  assignLfTags: true,
  /** Parameters every table carries, under the caller's. */
  tableParameters: { classification: "parquet", EXTERNAL: "TRUE", "parquet.compression": "SNAPPY" },
} as const;
