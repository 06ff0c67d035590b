import type * as pulumi from "@pulumi/pulumi";
import type { LakeCatalogRef, SharedDatabase } from "../shared/consumer-args";

export type { LakeCatalogRef, SharedDatabase } from "../shared/consumer-args";

/** Column types of a QuickSight data set's physical table. */
export type QuickSightColumnType = "STRING" | "INTEGER" | "DECIMAL" | "DATETIME" | "BIT" | "BOOLEAN" | "JSON";

/** How often SPICE refreshes a data set (QuickSight's `scheduleFrequency.interval`). */
export type RefreshInterval = "MINUTE15" | "MINUTE30" | "HOURLY" | "DAILY" | "WEEKLY" | "MONTHLY";

/** When a SPICE data set is refreshed (a full refresh). */
export interface RefreshScheduleSpec {
  /** How often the data set is refreshed. */
  readonly interval: RefreshInterval;
  /** `HH:MM`, for DAILY, WEEKLY and MONTHLY (ignored below a day). @default "00:00" */
  readonly timeOfDay?: string;
  /** IANA time zone of `timeOfDay`. @default "UTC" */
  readonly timezone?: string;
  /** Day of a WEEKLY refresh, `MONDAY`... @default "MONDAY" */
  readonly dayOfWeek?: string;
  /** Day of a MONTHLY refresh, `1`...`31`. @default "1" */
  readonly dayOfMonth?: string;
  /**
   * Refresh incrementally: only the rows whose `column` falls in the last `size` `unit`s are re-imported.
   * QuickSight refreshes MINUTE15 and MINUTE30 schedules incrementally only, so those need it.
   * @default none (a full refresh)
   */
  readonly incremental?: {
    readonly column: string;
    readonly size: number;
    readonly unit: "HOUR" | "DAY" | "WEEK";
  };
}

/** One SPICE data set imported through the Athena data source. */
export interface QuickSightDataSetSpec {
  /** Its `dataSetId` (unique in the account). */
  readonly id: string;
  /** Its display name. @default the id */
  readonly name?: string;
  /** The Glue database Athena reads it from: the resource link of the lake database. */
  readonly database: string;
  /** The table. */
  readonly table: string;
  /** The columns imported, with QuickSight types (`quickSightColumnType` maps Glue types). */
  readonly columns: readonly { readonly name: string; readonly type: QuickSightColumnType }[];
  /** A query instead of the whole table (its columns are `columns`). @default none (the table) */
  readonly customSql?: string;
  /** The SPICE refresh schedule. */
  readonly refresh: RefreshScheduleSpec;
  /** Its tags (the dataset's governance tags). @default the component's `tags` */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Arguments of {@link QuickSightAnalytics}. */
export interface QuickSightAnalyticsArgs {
  /** This account's id (QuickSight's `awsAccountId`, the id of its Data Catalog). */
  readonly accountId: string;
  /** This account's region (for ARNs). */
  readonly region: string;
  /** The team's QuickSight group: owner of the permissions on the data source and data sets. */
  readonly groupName: string;
  /** The QuickSight namespace of the group. @default "default" */
  readonly namespace?: string;
  /** Create the group (false: it exists, managed elsewhere). @default true */
  readonly createGroup?: boolean;
  /** The Athena data source's id. */
  readonly dataSourceId: string;
  /** The data source's display name. @default the id */
  readonly dataSourceName?: string;
  /** The team's Athena workgroup the data source queries through (its results location and key). */
  readonly workgroupName: string;
  /** Name of the IAM role created for QuickSight to query Athena (the data source's `roleArn`). */
  readonly roleName: string;
  /** The lake whose catalog the data sets read. */
  readonly lake: LakeCatalogRef;
  /** The lake databases the data sets read, with their resource links here: DESCRIBE and Glue reads on them. */
  readonly sharedDatabases: readonly SharedDatabase[];
  /** Physical name of the bucket of the workgroup's query results (its `<workgroupName>/` prefix). */
  readonly resultsBucketName: string;
  /** The key encrypting the workgroup's query results. */
  readonly resultsKeyArn: pulumi.Input<string>;
  /** The SPICE data sets. @default [] */
  readonly dataSets?: readonly QuickSightDataSetSpec[];
  /** What the group may do with the data source. @default use it (`defaults.dataSourceActions`) */
  readonly dataSourceActions?: readonly string[];
  /** What the group may do with the data sets. @default use them and watch ingestions (`defaults.dataSetActions`) */
  readonly dataSetActions?: readonly string[];
  /** Resources Lake Formation grants in this account must wait for (settings, resource links). @default [] */
  readonly lakeFormationDependencies?: readonly pulumi.Resource[];
  /** Tags of the data source, the role and data sets without their own. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults of {@link QuickSightAnalyticsArgs}, in one place. */
export const defaults = {
  namespace: "default",
  createGroup: true,
  catalogName: "AwsDataCatalog",
  refreshType: "FULL_REFRESH",
  timeOfDay: "00:00",
  timezone: "UTC",
  dayOfWeek: "MONDAY",
  dayOfMonth: "1",
  dataSourceActions: [
    "quicksight:DescribeDataSource",
    "quicksight:DescribeDataSourcePermissions",
    "quicksight:PassDataSource",
  ],
  dataSetActions: [
    "quicksight:DescribeDataSet",
    "quicksight:DescribeDataSetPermissions",
    "quicksight:PassDataSet",
    "quicksight:DescribeIngestion",
    "quicksight:ListIngestions",
  ],
} as const;
