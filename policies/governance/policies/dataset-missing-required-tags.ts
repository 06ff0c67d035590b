import { ResourceValidationPolicy } from "@pulumi/policy";
import { effectiveTags, glueParameterKey, known, tagMap, UNKNOWN } from "@acme/lakehouse-policy-lib";

/** Resource types that hold or move a dataset's data, and so carry its governance tags. */
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
];

/** Settings of the policy (its `configSchema`). */
export interface RequiredTagsConfig {
  requiredTags: string[];
  classifications: string[];
  sources: string[];
  resourceTypes: string[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Every resource that holds or moves a dataset's data carries the governance tags (CONTRACTS §1) with
 * valid values. Provider `defaultTags` count. Glue tables, which take no tags, carry them as table
 * parameters.
 */
export const datasetMissingRequiredTags: ResourceValidationPolicy = {
  name: "dataset-missing-required-tags",
  description:
    "Resources holding or moving dataset data carry the required governance tags with valid values; Glue tables carry them as table parameters, the data classification under data-classification (classification is Glue's format key: parquet).",
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
    },
  },
  validateResource: (args, reportViolation) => {
    const config = args.getConfig<RequiredTagsConfig>();
    if (!config.resourceTypes.includes(args.type)) return;
    const glue = args.type === "aws:glue/catalogTable:CatalogTable";
    const where = glue ? "table parameters" : "tags";
    const props = known(args.props);
    const tags = glue ? tagMap(props.parameters) : effectiveTags(props, args.provider);
    // Tags not known until the deployment: nothing can be shown missing.
    if (tags === UNKNOWN) return;
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
      reportViolation(
        `Table parameter classification is "${format}", the data classification, but it is Glue's data format key, read by crawlers and Glue jobs: ` +
          `set classification: parquet and data-classification: ${format}.`,
      );
    }
    if (missing.length > 0) {
      reportViolation(
        `Missing ${where}: ${missing.join(", ")}. Add them with the dataset's values ` +
          `(a resource shared by several datasets uses dataset: shared and the owning team's owner/owner-email).`,
      );
    }
    const value = (key: string) => (typeof tags[key] === "string" ? (tags[key] as string) : undefined);
    const email = value("owner-email");
    const classification = value(keyOf("classification"));
    const source = value("source");
    if (email && !EMAIL.test(email)) {
      reportViolation(`owner-email "${email}" is not an e-mail address; write it as team@example.com.`);
    }
    if (classification && !config.classifications.includes(classification)) {
      reportViolation(
        `${keyOf("classification")} "${classification}" is not one of ${config.classifications.join(", ")}.`,
      );
    }
    if (source && !config.sources.includes(source)) {
      reportViolation(`source "${source}" is not one of ${config.sources.join(", ")}.`);
    }
  },
};
