// The Glue Data Catalog: databases, tables, LF-tags, and the crawlers that fill it (`lakehouse:catalog`).
export { LakeCatalog, defaults as lakeCatalogDefaults, PARQUET } from "./lake-catalog";
export type { ColumnSpec, DatabaseSpec, LakeCatalogArgs, LfTagValues, TableSpec } from "./lake-catalog";
export {
  crawlerLogGroupName,
  crawlerLogsKeyPolicyStatement,
  DatasetCrawler,
  defaults as datasetCrawlerDefaults,
} from "./dataset-crawler";
export type { CrawlerMode, DatasetCrawlerArgs } from "./dataset-crawler";
