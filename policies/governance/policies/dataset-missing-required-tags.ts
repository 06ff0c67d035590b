import { StackValidationPolicy } from "@pulumi/policy";
import {
  DatasetLayout,
  datasetLayoutSchema,
  DatasetResources,
  effectiveTags,
  glueParameterKey,
  known,
  tagMap,
  UNKNOWN,
} from "@acme/lakehouse-policy-lib";

/** Resource types that can hold or move a dataset's data, and so carry its governance tags when they do. */
export const DATA_RESOURCE_TYPES = [
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:s3/bucketObject:BucketObject",
  "aws:s3/bucketObjectv2:BucketObjectv2",
  "aws:kinesis/stream:Stream",
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  "aws:kinesisanalyticsv2/application:Application",
  "aws:dms/endpoint:Endpoint",
  "aws:dms/s3Endpoint:S3Endpoint",
  "aws:dms/replicationTask:ReplicationTask",
  "aws:dms/replicationConfig:ReplicationConfig",
  "aws:emrserverless/application:Application",
  "aws:athena/workgroup:Workgroup",
  "aws:quicksight/dataSet:DataSet",
  "aws:quicksight/dataSource:DataSource",
  "aws:glue/crawler:Crawler",
  "aws:glue/catalogTable:CatalogTable",
  "aws:glue/job:Job",
];

/** Settings of the policy (its `configSchema`). */
export interface RequiredTagsConfig {
  requiredTags: string[];
  classifications: string[];
  sources: string[];
  resourceTypes: string[];
  /** The registry: what identifies a dataset resource that does not say it is one. */
  datasets: DatasetLayout[];
  lakeBuckets: string[];
  lakeDatabases: string[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const GLUE_TABLE = "aws:glue/catalogTable:CatalogTable";

/**
 * Every dataset resource — one that holds or moves a registered dataset's data or writes into the lake
 * (see `DatasetResources` in the helper package: it says so with a `dataset` tag, names a lake bucket,
 * location or registered table, is named as a dataset's copy, is an analytics engine of a stack that
 * reads the lake, or exchanges data with another dataset resource) — carries the governance tags
 * (CONTRACTS §1) with valid values. Provider `defaultTags` count. Glue tables, which take no tags, carry
 * them as table parameters. A resource that is none of these (a website's bucket and pages, a CloudFront
 * log bucket) is not judged, whatever its type. The registry reaches the policy as config (`datasets`,
 * `lakeBuckets`, `lakeDatabases`); without it only resources that carry a `dataset` tag, and those they
 * exchange data with, are judged.
 */
export const datasetMissingRequiredTags: StackValidationPolicy = {
  name: "dataset-missing-required-tags",
  description:
    "Dataset resources (tagged dataset, naming a lake bucket, location or registered table, named as a dataset's copy, " +
    "analytics engines of a stack that reads the lake, or exchanging data with one of these) carry the required governance " +
    "tags with valid values; Glue tables carry them as table parameters, the data classification under data-classification " +
    "(classification is Glue's format key: parquet).",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      requiredTags: {
        type: "array",
        items: { type: "string" },
        default: ["dataset", "domain", "owner", "owner-email", "classification", "source"],
      },
      classifications: {
        type: "array",
        items: { type: "string" },
        default: ["public", "internal", "confidential", "restricted"],
      },
      sources: {
        type: "array",
        items: { type: "string" },
        default: ["s3", "database", "iot", "stream", "saas", "manual", "shared"],
      },
      resourceTypes: { type: "array", items: { type: "string" }, default: DATA_RESOURCE_TYPES },
      datasets: { type: "array", items: datasetLayoutSchema, default: [] },
      lakeBuckets: { type: "array", items: { type: "string" }, default: [] },
      lakeDatabases: { type: "array", items: { type: "string" }, default: [] },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<RequiredTagsConfig>();
    const identified = new DatasetResources(
      args.resources,
      {
        datasets: config.datasets ?? [],
        lakeBuckets: config.lakeBuckets ?? [],
        lakeDatabases: config.lakeDatabases ?? [],
      },
      config.resourceTypes,
    );
    for (const [r, evidence] of identified.all) {
      const report = (message: string) => reportViolation(message, r.urn);
      const glue = r.type === GLUE_TABLE;
      const where = glue ? "table parameters" : "tags";
      const props = known(r.props);
      const tags = glue ? tagMap(props.parameters) : effectiveTags(props, r.provider);
      // Tags not known until the deployment: nothing can be shown missing.
      if (tags === UNKNOWN) continue;
      // Glue tables: `classification` is Glue's data-format key, the governance one is `data-classification`.
      const keyOf = (key: string) => (glue ? glueParameterKey(key) : key);
      // A table that still carries the data classification in Glue's format key is told to move it, once;
      // another format there (csv, json) is glue-table-enforce-parquet's to report.
      const format = typeof tags.classification === "string" ? tags.classification : undefined;
      const misplaced = glue && format !== undefined && config.classifications.includes(format);
      const missing = config.requiredTags
        .map(keyOf)
        .filter((key) => !tags[key] && !(misplaced && key === "data-classification"));
      if (misplaced) {
        report(
          `Table parameter classification is "${format}", the data classification, but it is Glue's data format key, read by crawlers and Glue jobs: ` +
            `set classification: parquet and data-classification: ${format}.`,
        );
      }
      if (missing.length > 0) {
        const why = evidence.declared ? "" : ` It holds or moves dataset data: ${evidence.why}.`;
        report(
          `Missing ${where}: ${missing.join(", ")}.${why} Add them with the dataset's values ` +
            `(a resource shared by several datasets uses dataset: shared and the owning team's owner/owner-email).`,
        );
      }
      const value = (key: string) => (typeof tags[key] === "string" ? (tags[key] as string) : undefined);
      const email = value("owner-email");
      const classification = value(keyOf("classification"));
      const source = value("source");
      if (email && !EMAIL.test(email)) {
        report(`owner-email "${email}" is not an e-mail address; write it as team@example.com.`);
      }
      if (classification && !config.classifications.includes(classification)) {
        report(
          `${keyOf("classification")} "${classification}" is not one of ${config.classifications.join(", ")}.`,
        );
      }
      if (source && !config.sources.includes(source)) {
        report(`source "${source}" is not one of ${config.sources.join(", ")}.`);
      }
    }
  },
};
