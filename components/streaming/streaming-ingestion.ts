import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  policyDocument,
  PolicyDocument,
  PolicyStatement,
  readStreamStatements,
  serviceTrustPolicy,
} from "../shared/iam";
import { writerKeyStatement, writerS3Statements } from "../shared/ingestion-statements";
import { accountKeyPolicy } from "../shared/key-policy";
import { defaults, PartitionKeySpec, StreamingIngestionArgs } from "./streaming-ingestion-args";

export {
  defaults,
  LakeDestination,
  PartitionKeySpec,
  StreamingIngestionArgs,
  StreamSettings,
} from "./streaming-ingestion-args";

/** Firehose's S3 prefix for the partition keys: `<prefix><key>=!{partitionKeyFromQuery:<key>}/...`. */
export function partitionedPrefix(prefix: string, keys: readonly PartitionKeySpec[]): string {
  return prefix + keys.map((k) => `${k.name}=!{partitionKeyFromQuery:${k.name}}/`).join("");
}

/** A JQ path to a record's field: `.event_time`, or `.["1st"]` where the name is not an identifier. */
function fieldPath(field: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(field) ? `.${field}` : `.[${JSON.stringify(field)}]`;
}

/**
 * The JQ 1.6 expression giving a record's event time in epoch seconds (UTC), from an ISO-8601 string
 * `yyyy-MM-ddTHH:mm:ss[.f]` ending in `Z` or a `±hh:mm` offset, or from a number of epoch milliseconds
 * (the formats {@link defaults.timestampFormats} parses). Regex-free: JQ 1.6's `fromdateiso8601` reads
 * `yyyy-MM-ddTHH:mm:ssZ` only, so the fraction is dropped and the offset subtracted by hand.
 */
export function eventTimeEpochQuery(field: string): string {
  return (
    `${fieldPath(field)} | if type == "number" then . / 1000 | floor ` +
    `else (.[0:19] + "Z" | fromdateiso8601) - (if endswith("Z") then 0 else .[-6:] | ` +
    `(if .[0:1] == "-" then -1 else 1 end) * ((.[1:3] | tonumber) * 3600 + (.[4:6] | tonumber) * 60) end) end`
  );
}

/**
 * The JQ queries of the partition keys derived from the event time: `dt` as `yyyy-MM-dd` and `hour` as
 * two digits `00`..`23`, both of the event time in UTC — the formats of the table's projection
 * (`platform/layout.ts`), so every partition Firehose writes is one Athena projects.
 */
export function eventTimePartitionQueries(field: string): { readonly dt: string; readonly hour: string } {
  const epoch = eventTimeEpochQuery(field);
  return { dt: `((${epoch}) | strftime("%Y-%m-%d"))`, hour: `((${epoch}) | strftime("%H"))` };
}

/** The JQ query extracting every partition key: `{dt: .dt, hour: .hour}`. */
export function partitionQuery(keys: readonly PartitionKeySpec[]): string {
  return `{${keys.map((k) => `${k.name}: ${k.query ?? `.${k.name}`}`).join(", ")}}`;
}

/** What the ingestion role may do: read its stream, write its prefixes, read its table, log. */
export function ingestionRolePolicy(spec: {
  streamArn: string;
  streamKeyArn: string;
  region: string;
  lake: StreamingIngestionArgs["lake"];
  logStreamArn: string;
}): PolicyDocument {
  const { lake } = spec;
  const glue = `arn:aws:glue:${lake.region}:${lake.accountId}`;
  const statements: PolicyStatement[] = [
    ...readStreamStatements(spec),
    ...writerS3Statements({ bucketName: lake.bucketName, prefixes: [lake.prefix, lake.errorPrefix] }),
    writerKeyStatement(lake.kmsKeyArn, [
      `s3.${lake.region}.amazonaws.com`,
      `glue.${lake.region}.amazonaws.com`,
    ]),
    {
      Sid: "ReadLakeTable",
      Effect: "Allow",
      Action: ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"],
      Resource: [
        `${glue}:catalog`,
        `${glue}:database/${lake.databaseName}`,
        `${glue}:table/${lake.databaseName}/${lake.tableName}`,
      ],
    },
    {
      Sid: "LakeFormationDataAccess",
      Effect: "Allow",
      Action: "lakeformation:GetDataAccess",
      Resource: "*",
    },
    { Sid: "WriteDeliveryLogs", Effect: "Allow", Action: "logs:PutLogEvents", Resource: spec.logStreamArn },
  ];
  return policyDocument(statements);
}

/**
 * Streaming ingestion of one dataset, in its producer account: a KMS-encrypted Kinesis data stream
 * producers write JSON records to, and a Firehose delivery stream reading it that converts every record
 * to Parquet against the dataset's Glue table in the lake's catalog, partitions it dynamically on the
 * dataset's partition keys and writes it into the dataset's prefix of the lake's raw bucket under the
 * lake key (records it cannot convert go to the dataset's error prefix). Firehose runs as the dataset's
 * ingestion role, whose one inline policy allows exactly that; delivery errors go to CloudWatch Logs.
 */
export class StreamingIngestion extends pulumi.ComponentResource {
  /** The Kinesis data stream producers write to. */
  public readonly stream: aws.kinesis.Stream;
  /** The key encrypting the stream; undefined with `streamKeyArn`. */
  public readonly streamKey?: aws.kms.Key;
  /** The ARN of the key encrypting the stream. */
  public readonly streamKeyArn: pulumi.Output<string>;
  /** The delivery stream into the lake. */
  public readonly deliveryStream: aws.kinesis.FirehoseDeliveryStream;
  /** The ingestion role Firehose assumes. */
  public readonly role: aws.iam.Role;
  /** The log group of delivery errors. */
  public readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: StreamingIngestionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:streaming:StreamingIngestion", name, {}, opts);
    const fail = (message: string) => new pulumi.ResourceError(`StreamingIngestion: ${message}`, this);
    const mode = args.stream?.mode ?? defaults.streamMode;
    const shards = args.stream?.shardCount;
    if (mode === "PROVISIONED" && (shards === undefined || !Number.isInteger(shards) || shards < 1))
      throw fail("a PROVISIONED stream needs stream.shardCount, a whole number of at least 1");
    if (mode === "ON_DEMAND" && shards !== undefined)
      throw fail("an ON_DEMAND stream takes no stream.shardCount; remove it or use mode PROVISIONED");
    const retentionHours = args.stream?.retentionHours ?? defaults.retentionHours;
    if (retentionHours < 24 || retentionHours > 8760)
      throw fail(`stream.retentionHours ${retentionHours} is outside Kinesis's 24 to 8760`);
    const bufferMB = args.bufferMB ?? defaults.bufferMB;
    if (bufferMB < defaults.minBufferMB || bufferMB > defaults.maxBufferMB)
      throw fail(
        `bufferMB ${bufferMB} is outside ${defaults.minBufferMB} to ${defaults.maxBufferMB}: Firehose's Parquet conversion buffers at least ${defaults.minBufferMB} MiB`,
      );
    const bufferSeconds = args.bufferSeconds ?? defaults.bufferSeconds;
    if (bufferSeconds < 0 || bufferSeconds > defaults.maxBufferSeconds)
      throw fail(`bufferSeconds ${bufferSeconds} is outside 0 to ${defaults.maxBufferSeconds}`);
    if (args.streamKeyArn !== undefined && args.streamKeyAdminArns?.length)
      throw fail("give either streamKeyArn (use that key) or streamKeyAdminArns (create a key), not both");
    for (const p of [args.lake.prefix, args.lake.errorPrefix])
      if (!p.endsWith("/") || p.startsWith("/"))
        throw fail(`lake prefix "${p}" must end with "/" and not start with one, e.g. sales/orders/`);
    const keys = args.partitionKeys ?? [];
    if (new Set(keys.map((k) => k.name)).size !== keys.length)
      throw fail(`partitionKeys name a key twice (${keys.map((k) => k.name).join(", ")})`);
    const timestampFormats = args.timestampFormats ?? defaults.timestampFormats;
    if (timestampFormats.length === 0 || timestampFormats.some((f) => f.trim() === ""))
      throw fail(
        `timestampFormats must name at least one non-empty Joda-Time pattern or "millis", e.g. ["yyyy-MM-dd'T'HH:mm:ssZZ"]`,
      );
    const tags = { ...(args.tags ?? {}) };
    const { lake } = args;

    if (args.streamKeyArn !== undefined) {
      this.streamKeyArn = pulumi.output(args.streamKeyArn);
    } else {
      this.streamKey = new aws.kms.Key(
        `${name}-stream-key`,
        {
          description: `Encrypts the ${name} Kinesis data stream`,
          enableKeyRotation: true,
          deletionWindowInDays: defaults.keyDeletionWindowDays,
          policy: JSON.stringify(accountKeyPolicy(args.accountId, args.streamKeyAdminArns ?? [])),
          tags,
        },
        { parent: this },
      );
      this.streamKeyArn = this.streamKey.arn;
    }

    this.stream = new aws.kinesis.Stream(
      `${name}-stream`,
      {
        name: args.stream?.name ?? name,
        encryptionType: "KMS",
        kmsKeyId: this.streamKeyArn,
        retentionPeriod: retentionHours,
        streamModeDetails: { streamMode: mode },
        ...(mode === "PROVISIONED" ? { shardCount: shards } : {}),
        tags,
      },
      { parent: this },
    );

    const deliveryStreamName = args.deliveryStreamName ?? `${name}-to-lake`;
    const logGroupName = `/aws/kinesisfirehose/${deliveryStreamName}`;
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: logGroupName, retentionInDays: args.logRetentionDays ?? defaults.logRetentionDays, tags },
      { parent: this },
    );
    const logStream = new aws.cloudwatch.LogStream(
      `${name}-log-stream`,
      { logGroupName: this.logGroup.name, name: defaults.logStreamName },
      { parent: this },
    );
    const logStreamArn = `arn:aws:logs:${args.region}:${args.accountId}:log-group:${logGroupName}:log-stream:${defaults.logStreamName}`;

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: `Firehose delivers ${lake.databaseName}.${lake.tableName} into the lake as this role`,
        assumeRolePolicy: serviceTrustPolicy("firehose.amazonaws.com", args.accountId),
        tags,
      },
      { parent: this },
    );
    // Inline, named by the role's name (known before the role exists): the governance pack accepts lake
    // writes from another account only in the ingestion role's own inline policy.
    const policy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: args.roleName,
        policy: pulumi
          .all([this.stream.arn, this.streamKeyArn])
          .apply(([streamArn, streamKeyArn]) =>
            JSON.stringify(
              ingestionRolePolicy({ streamArn, streamKeyArn, region: args.region, lake, logStreamArn }),
            ),
          ),
      },
      { parent: this, dependsOn: [this.role] },
    );

    const processors =
      keys.length > 0
        ? [
            {
              type: "MetadataExtraction",
              parameters: [
                { parameterName: "MetadataExtractionQuery", parameterValue: partitionQuery(keys) },
                { parameterName: "JsonParsingEngine", parameterValue: "JQ-1.6" },
              ],
            },
          ]
        : [];
    this.deliveryStream = new aws.kinesis.FirehoseDeliveryStream(
      `${name}-delivery`,
      {
        name: deliveryStreamName,
        destination: "extended_s3",
        // Reading a Kinesis stream: records stay under the stream's key, Firehose takes no SSE of its own.
        kinesisSourceConfiguration: { kinesisStreamArn: this.stream.arn, roleArn: this.role.arn },
        extendedS3Configuration: {
          roleArn: this.role.arn,
          bucketArn: `arn:aws:s3:::${lake.bucketName}`,
          prefix: partitionedPrefix(lake.prefix, keys),
          errorOutputPrefix: `${lake.errorPrefix}!{firehose:error-output-type}/`,
          bufferingInterval: bufferSeconds,
          bufferingSize: bufferMB,
          // Parquet compresses its pages itself (SNAPPY); Firehose must not compress the files again.
          compressionFormat: "UNCOMPRESSED",
          kmsKeyArn: lake.kmsKeyArn,
          cloudwatchLoggingOptions: {
            enabled: true,
            logGroupName: this.logGroup.name,
            logStreamName: logStream.name,
          },
          dataFormatConversionConfiguration: {
            enabled: true,
            // The Hive JSON SerDe parses the timestamp formats given (the OpenX SerDe has no setting for
            // them and refuses ISO-8601 offsets): https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion.html
            inputFormatConfiguration: {
              deserializer: { hiveJsonSerDe: { timestampFormats: [...timestampFormats] } },
            },
            outputFormatConfiguration: { serializer: { parquetSerDe: { compression: "SNAPPY" } } },
            schemaConfiguration: {
              catalogId: lake.accountId,
              region: lake.region,
              databaseName: lake.databaseName,
              tableName: lake.tableName,
              roleArn: this.role.arn,
            },
          },
          ...(keys.length > 0
            ? {
                dynamicPartitioningConfiguration: {
                  enabled: true,
                  retryDuration: defaults.dynamicPartitioningRetrySeconds,
                },
                processingConfiguration: { enabled: true, processors },
              }
            : {}),
        },
        tags,
      },
      // Firehose checks at creation that it can assume the role and read the stream.
      { parent: this, dependsOn: [policy] },
    );

    this.registerOutputs({
      streamArn: this.stream.arn,
      streamKeyArn: this.streamKeyArn,
      deliveryStreamArn: this.deliveryStream.arn,
      roleArn: this.role.arn,
    });
  }
}
