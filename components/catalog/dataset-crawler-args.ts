import type * as pulumi from "@pulumi/pulumi";

/**
 * What the crawler is for:
 * - `dataset`: an `ingestion: crawler` dataset, whose producer's layout the platform does not know;
 * - `partitions`: a table whose writer's layout is known and which Athena reads through partition
 *   projection; the crawler registers the partitions the writer created for the readers that ignore
 *   projection (EMR Spark through the Glue catalog, Redshift Spectrum), and never changes the schema.
 */
export type CrawlerMode = "dataset" | "partitions";

/** Arguments of {@link DatasetCrawler}. */
export interface DatasetCrawlerArgs {
  /** What the crawler is for ({@link CrawlerMode}). @default "dataset" */
  readonly mode?: CrawlerMode;
  /** The account the crawler, its role and the Data Catalog live in (the lake account). */
  readonly catalogId: string;
  /** The account's region. */
  readonly region: string;
  /** Physical crawler name. @default the component's name */
  readonly crawlerName?: string;
  /**
   * Physical name of the crawler's Glue security configuration, which encrypts its CloudWatch logs
   * (and, were it reused by a job, S3 output and bookmarks) under `kmsKeyArn`. Its logs then go to
   * `/aws-glue/crawlers-role/<roleName>-<securityConfigurationName>`. @default the crawler's name
   */
  readonly securityConfigurationName?: string;
  /** Name of the crawler's IAM role. */
  readonly roleName: string;
  /** The dataset's Glue database. */
  readonly databaseName: string;
  /** The dataset's Glue table: the only table the crawler updates. */
  readonly tableName: string;
  /** The bucket holding the dataset's objects (the raw bucket). */
  readonly bucketName: string;
  /**
   * The table's prefix in it (its location's key prefix), ending in `/`, e.g. `marketing/product_catalog/`:
   * all the crawler reads.
   */
  readonly prefix: string;
  /**
   * The key encrypting the objects and the catalog (the lake key's ARN), and the crawler's logs: its
   * policy must let CloudWatch Logs use it for them (`crawlerLogsKeyPolicyStatement`).
   */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** When it runs: a Glue `cron(...)` expression. @default none (on demand) */
  readonly schedule?: string;
  /**
   * What the crawler does with a schema change it finds: `LOG` keeps the registered schema (and only
   * adds partitions), `UPDATE_IN_DATABASE` rewrites the table (refused in `partitions` mode). @default "LOG"
   */
  readonly updateBehavior?: "LOG" | "UPDATE_IN_DATABASE";
  /**
   * Grant the crawler's role, in Lake Formation, what it needs on its table (`tablePermissions`) and on
   * `dataLocationArn`. @default true
   */
  readonly grantLakeFormation?: boolean;
  /** The registered location holding the dataset (the raw bucket's ARN); with `grantLakeFormation`. @default none */
  readonly dataLocationArn?: pulumi.Input<string>;
  /** Resources the crawler and its grants wait for (the table, the Lake Formation settings). @default [] */
  readonly dependsOn?: readonly pulumi.Resource[];
  /** Tags of the crawler and its role: the dataset's six governance tags. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults of {@link DatasetCrawlerArgs}, in one place. */
export const defaults = {
  mode: "dataset",
  updateBehavior: "LOG",
  /** Never delete a table or partition: a vanished object is only logged. */
  deleteBehavior: "LOG",
  /** Glue requires crawling everything when the targets are catalog tables. */
  recrawlBehavior: "CRAWL_EVERYTHING",
  grantLakeFormation: true,
  /** Lake Formation permissions on the table: read it, update it, add partitions. */
  tablePermissions: ["ALTER", "DESCRIBE", "INSERT"],
  /** Lake Formation permission on the location. */
  locationPermissions: ["DATA_LOCATION_ACCESS"],
  /**
   * Where a crawler with a security configuration encrypting CloudWatch Logs logs: below this, in
   * `<roleName>-<securityConfigurationName>` (unencrypted crawlers log to `/aws-glue/crawlers`).
   */
  logGroupPrefix: "/aws-glue/crawlers-role/",
} as const;
