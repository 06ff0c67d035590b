// Plant engineering's streaming ingestion of `device_telemetry` (the conveyors' and cold-storage units'
// sensor readings, published through AWS IoT Core) into the lake, written in its own Pulumi project
// with the platform's components. Everything about the dataset, its producer account and the lake
// comes from the platform definition and its naming rules.
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
// From the published package, the component and the naming rules alike:
// import { StreamingIngestion, loadPlatform, ingestionRoleName, ... } from "@acme/lakehouse";
import {
  eventTimePartitionQueries,
  StreamingIngestion,
} from "../../components/streaming/streaming-ingestion";
import {
  accountByName,
  bucketName,
  databaseName,
  datasetPrefix,
  datasetTags,
  deliveryStreamName,
  ingestionErrorPrefix,
  ingestionRoleName,
  ingestionStreamName,
  lakeAccount,
  lakeKeyAliasArn,
  loadPlatform,
  tableName,
} from "../../platform";

const DATASET = "device_telemetry";

// `lakehouse:platform` (also what `npm run plan -- --platform` sets) names the definition; by default
// the repository's example platform.
const definition = new pulumi.Config("lakehouse").get("platform");
const platform = loadPlatform(
  definition ? path.resolve(definition) : path.join(__dirname, "..", "..", "stacks", "platform.yaml"),
);

const dataset = platform.datasets.find((d) => d.name === DATASET);
if (!dataset) throw new Error(`${DATASET} is not registered in the platform definition`);
const ingestion = dataset.ingestion;
if (ingestion.type !== "firehose")
  throw new Error(`${DATASET} is registered with ${ingestion.type} ingestion, not firehose`);
const account = accountByName(platform, dataset.producer);
const lake = lakeAccount(platform);

// Deploy into the dataset's producer account only, as its deployment role.
const provider = new aws.Provider(account.name, {
  region: account.region as aws.Region,
  allowedAccountIds: [account.id],
  ...(account.deploymentRoleArn
    ? { assumeRoles: [{ roleArn: account.deploymentRoleArn, sessionName: "producer-iot-stream" }] }
    : {}),
});

// The devices send `reading_time` (ISO 8601 with an offset, or epoch milliseconds) but no `dt` or `hour`:
// the partition values are its UTC date and hour, the formats the table's projection reads. A partition
// key not listed here is read from the record field of the same name.
const partitionQueries: Readonly<Record<string, string>> = eventTimePartitionQueries("reading_time");

const telemetry = new StreamingIngestion(
  "device-telemetry",
  {
    accountId: account.id,
    region: account.region,
    roleName: ingestionRoleName(platform, dataset),
    stream: {
      name: ingestionStreamName(platform, dataset),
      mode: ingestion.stream.mode === "provisioned" ? "PROVISIONED" : "ON_DEMAND",
      ...(ingestion.stream.shards !== undefined ? { shardCount: ingestion.stream.shards } : {}),
      ...(ingestion.stream.retentionHours !== undefined
        ? { retentionHours: ingestion.stream.retentionHours }
        : {}),
    },
    streamKeyAdminArns: account.deploymentRoleArn ? [account.deploymentRoleArn] : [],
    deliveryStreamName: deliveryStreamName(platform, dataset),
    lake: {
      accountId: lake.id,
      region: lake.region,
      bucketName: bucketName(platform, "raw"),
      prefix: datasetPrefix(platform, dataset),
      errorPrefix: ingestionErrorPrefix(platform, dataset),
      kmsKeyArn: lakeKeyAliasArn(platform),
      databaseName: databaseName(dataset.domain),
      tableName: tableName(dataset),
    },
    partitionKeys: dataset.schema.partitionKeys.map((k) => ({
      name: k.name,
      query: partitionQueries[k.name] ?? `.${k.name}`,
    })),
    ...(ingestion.bufferSeconds !== undefined ? { bufferSeconds: ingestion.bufferSeconds } : {}),
    ...(ingestion.bufferMB !== undefined ? { bufferMB: ingestion.bufferMB } : {}),
    tags: datasetTags(dataset),
  },
  { provider },
);

/** Where the IoT Core rule puts the devices' records. */
export const streamName = telemetry.stream.name;
export const streamArn = telemetry.stream.arn;
export const deliveryStream = telemetry.deliveryStream.name;
/** The role the lake lets write `operations/device_telemetry/` of its raw bucket. */
export const ingestionRoleArn = telemetry.role.arn;
