// Streaming ingestion: Kinesis, Firehose to Parquet, Managed Flink (`lakehouse:streaming`).
export {
  eventTimePartitionQueries,
  StreamingIngestion,
  defaults as streamingIngestionDefaults,
} from "./streaming-ingestion";
export type {
  LakeDestination,
  PartitionKeySpec,
  StreamingIngestionArgs,
  StreamSettings,
} from "./streaming-ingestion";
export { StreamAnalytics, defaults as streamAnalyticsDefaults } from "./stream-analytics";
export type { FlinkCode, StreamAnalyticsArgs } from "./stream-analytics";
