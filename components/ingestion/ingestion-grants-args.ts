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
  /**
   * What this grant waits for besides `IngestionGrantsArgs.dependsOn`: its own table. Name one table
   * per grant, not every table in `dependsOn`: each dependency is recorded in the stack's state, so N
   * grants waiting on N tables grow it with N² (11 million URNs at 2 000 datasets). @default []
   */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/** Arguments of {@link IngestionGrants}. */
export interface IngestionGrantsArgs {
  /** The lake's Data Catalog (account id). */
  readonly catalogId: string;
  /** One entry per ingestion role. @default [] */
  readonly writers?: readonly IngestionGrantSpec[];
  /**
   * Resources every grant waits for: the data lake settings and the location's registration (Lake
   * Formation refuses a grant on what does not exist yet); each grant's table goes in its writer's own
   * `dependsOn`. @default []
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
