/**
 * `@acme/lakehouse`: the lakehouse platform's Pulumi components and its platform definition, as a
 * library other teams build their own programs with.
 *
 * - **Components**: one `pulumi.ComponentResource` per capability, each with its args interface and its
 *   `defaults` (exported here as `<component>Defaults`, since every component names its own `defaults`).
 *   A component takes typed args only: it never reads stack config or the platform YAML itself.
 * - **The platform definition** (`stacks/platform.yaml`, CONTRACTS §1): {@link loadPlatform} and
 *   {@link parsePlatform} validate a definition into a typed {@link Platform}; the naming rules
 *   ({@link bucketName}, {@link databaseName}, {@link analystRoleArn}, ...) derive every physical name
 *   from it. The same module is published on its own as `@acme/lakehouse/platform`, which loads no
 *   `@pulumi` package.
 *
 * Type tokens (`lakehouse:<module>:<Name>`) and child names are part of the API: renaming one replaces
 * live resources, so a rename ships with `aliases` (see the README's "Compatibility" section).
 *
 * @example
 * ```ts
 * import { LakeStorage, loadPlatform, bucketName, lakeAccount } from "@acme/lakehouse";
 *
 * const platform = loadPlatform("stacks/platform.yaml");
 * const storage = new LakeStorage("lake", {
 *   accountId: lakeAccount(platform).id,
 *   bucketNames: { raw: bucketName(platform, "raw") },
 *   accessLogBucketName: bucketName(platform, "access-logs"),
 * });
 * ```
 *
 * @packageDocumentation
 */

// The lake: storage, Lake Formation, the Glue catalog.
export { LakeStorage, defaults as lakeStorageDefaults } from "./lake-storage";
export type { LakeStorageArgs, ZoneLifecycle } from "./lake-storage";
export { LakeFormation, defaults as lakeFormationDefaults } from "./lake-formation";
export type { LakeFormationArgs, LakeLocation } from "./lake-formation";
export { LakeCatalog, defaults as lakeCatalogDefaults, PARQUET } from "./catalog";
export type { ColumnSpec, DatabaseSpec, LakeCatalogArgs, LfTagValues, TableSpec } from "./catalog";

// Ingestion: streaming, Flink, DMS, crawlers, and the lake's grants to ingestion roles.
export {
  eventTimePartitionQueries,
  StreamingIngestion,
  defaults as streamingIngestionDefaults,
} from "./streaming";
export type { LakeDestination, PartitionKeySpec, StreamingIngestionArgs, StreamSettings } from "./streaming";
export { StreamAnalytics, defaults as streamAnalyticsDefaults } from "./stream-analytics";
export type { FlinkCode, StreamAnalyticsArgs } from "./stream-analytics";
export { DmsIngestion, defaults as dmsIngestionDefaults } from "./batch-ingestion";
export type { DmsDatePartitioning, DmsIngestionArgs, DmsLakeTarget, DmsSource } from "./batch-ingestion";
export { DmsVpcEndpoints, defaults as dmsVpcEndpointsDefaults } from "./network";
export type { DmsVpcEndpointsArgs, S3WriteScope } from "./network";
export { DatasetCrawler, defaults as datasetCrawlerDefaults } from "./crawler";
export type { CrawlerMode, DatasetCrawlerArgs } from "./crawler";
export { IngestionGrants, defaults as ingestionGrantsDefaults } from "./ingestion";
export type { IngestionGrantSpec, IngestionGrantsArgs } from "./ingestion";

// Sharing: the lake's grants to consumer teams, and a consumer account's access.
export { LakeShares, defaults as lakeSharesDefaults } from "./sharing";
export type {
  GrantEnd,
  LakeSharesArgs,
  NamedTableShare,
  TagExpression as ShareTagExpression,
  TeamShare,
} from "./sharing";
export { ConsumerAccess, defaults as consumerAccessDefaults } from "./consumer-access";
export type {
  AnalystResources,
  AnalystTeam,
  ConsumerAccessArgs,
  LakeCatalogRef,
  SharedDatabase,
} from "./consumer-access";

// Analytics: EMR Serverless Spark and QuickSight.
export { SparkAnalytics, defaults as sparkAnalyticsDefaults } from "./emr-serverless";
export type { SparkAnalyticsArgs, SparkArtifactsBucket, SparkNetwork } from "./emr-serverless";
export { QuickSightAnalytics, defaults as quickSightAnalyticsDefaults } from "./quicksight";
export type {
  QuickSightAnalyticsArgs,
  QuickSightColumnType,
  QuickSightDataSetResources,
  QuickSightDataSetSpec,
  RefreshInterval,
  RefreshScheduleSpec,
} from "./quicksight";

// Governance: the daily validator and its deployment.
export { GovernanceAutomation, defaults as governanceAutomationDefaults } from "./governance";
export type { GovernanceAutomationArgs, ValidatorLfTagScope } from "./governance";

// The platform definition: schema and types, validation, naming rules.
export * from "../platform";
