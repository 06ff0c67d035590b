import type * as pulumi from "@pulumi/pulumi";

/** One dataset's ingestion role and the table it feeds. */
export interface IngestionGrantSpec {
  /** The dataset (child names). */
  readonly dataset: string;
  /** The ingestion role's ARN, in the producer account. */
  readonly roleArn: string;
  /** The Glue database of the dataset's table, in the lake's catalog. */
  readonly database: string;
  /** The dataset's Glue table. */
  readonly table: string;
}

/** Arguments of {@link IngestionGrants}. */
export interface IngestionGrantsArgs {
  /** The lake's Data Catalog (account id). */
  readonly catalogId: string;
  /** One entry per ingestion role. @default [] */
  readonly writers?: readonly IngestionGrantSpec[];
  /**
   * Resources the grants wait for: the data lake settings, the location's registration, and the tables
   * (Lake Formation refuses a grant on what does not exist yet). @default []
   */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/** Defaults of {@link IngestionGrantsArgs}, in one place. */
export const defaults = {
  /**
   * Lake Formation permissions on the dataset's table: Firehose's record format conversion reads the
   * table's schema through Glue (`glue:GetTable`, `GetTableVersion(s)`), and the Data Catalog returns
   * only the metadata a role holds Lake Formation permissions on ("Metadata permissions",
   * https://docs.aws.amazon.com/lake-formation/latest/dg/metadata-permissions.html). DESCRIBE is the
   * permission on metadata alone; SELECT would add reading the data, which Firehose never does.
   */
  tablePermissions: ["DESCRIBE"],
} as const;
