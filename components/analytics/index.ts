// Analytics: EMR Serverless Spark and QuickSight SPICE (`lakehouse:analytics`).
export { SparkAnalytics, defaults as sparkAnalyticsDefaults } from "./spark-analytics";
export type { SparkAnalyticsArgs, SparkArtifactsBucket, SparkNetwork } from "./spark-analytics";
export { QuickSightAnalytics, defaults as quickSightAnalyticsDefaults } from "./quicksight-analytics";
export type {
  QuickSightAnalyticsArgs,
  QuickSightColumnType,
  QuickSightDataSetResources,
  QuickSightDataSetSpec,
  RefreshInterval,
  RefreshScheduleSpec,
} from "./quicksight-analytics";
