// Batch ingestion through DMS, and the lake's grants to ingestion roles (`lakehouse:ingestion`).
export { DmsIngestion, defaults as dmsIngestionDefaults } from "./dms-ingestion";
export type { DmsDatePartitioning, DmsIngestionArgs, DmsLakeTarget, DmsSource } from "./dms-ingestion";
export { IngestionGrants, defaults as ingestionGrantsDefaults } from "./ingestion-grants";
export type { IngestionGrantSpec, IngestionGrantsArgs } from "./ingestion-grants";
