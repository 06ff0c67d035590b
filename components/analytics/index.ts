// Analytics: EMR Serverless Spark, QuickSight SPICE and Redshift Spectrum (`lakehouse:analytics`).
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
export { RedshiftSpectrum, defaults as redshiftSpectrumDefaults } from "./redshift-spectrum";
export type { RedshiftNetwork, RedshiftSpectrumArgs, RedshiftUsageLimit } from "./redshift-spectrum";
