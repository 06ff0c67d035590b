import { execFileSync } from "child_process";
import * as path from "path";
import { expect } from "chai";
import {
  defaults,
  eventTimePartitionQueries,
  partitionedPrefix,
  partitionQuery,
  StreamingIngestion,
  StreamingIngestionArgs,
} from "../../../components/streaming/streaming-ingestion";
import { loadPlatform, tableLayout } from "../../../platform";
import type { RunResult } from "../../../tooling/mock-runtime/harness";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:streaming:StreamingIngestion";
const LAKE = "999999999999";

const base: StreamingIngestionArgs = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  roleName: "acme-clicks-ingest",
  lake: {
    accountId: LAKE,
    region: "eu-west-1",
    bucketName: "acme-raw",
    prefix: "marketing/clicks/",
    errorPrefix: "_errors/marketing/clicks/",
    kmsKeyArn: `arn:aws:kms:eu-west-1:${LAKE}:alias/acme-lake`,
    databaseName: "marketing",
    tableName: "clicks",
  },
  tags: { dataset: "clicks", owner: "web" },
};

const plan = (args: Partial<StreamingIngestionArgs> = {}) =>
  withProvider((provider) => new StreamingIngestion("clicks", { ...base, ...args }, { provider }));

type Statement = { Sid: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const statements = (r: RunResult, name: string): Statement[] =>
  JSON.parse(String(named(r, name).inputs.policy)).Statement as Statement[];
const s3Config = (r: RunResult) =>
  named(r, "clicks-delivery").inputs.extendedS3Configuration as Record<string, Record<string, unknown>>;

describe("StreamingIngestion", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("creates a key, the stream, the logs, the ingestion role with its inline policy and the delivery stream", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:kms/key:Key": 1,
      "aws:kinesis/stream:Stream": 1,
      "aws:cloudwatch/logGroup:LogGroup": 1,
      "aws:cloudwatch/logStream:LogStream": 1,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicy:RolePolicy": 1,
      "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": 1,
    });
  });

  it("hangs every child under the component with the explicit provider", () => {
    expectWiredUnder(r, TYPE, "clicks");
  });

  it("encrypts an on-demand stream with its own rotating key, keeping records 24 hours by default", () => {
    const stream = named(r, "clicks-stream").inputs;
    expect(stream).to.deep.include({
      encryptionType: "KMS",
      kmsKeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/clicks-stream-key-id`,
      retentionPeriod: defaults.retentionHours,
      streamModeDetails: { streamMode: "ON_DEMAND" },
    });
    expect(stream.shardCount).to.equal(undefined);
    expect(named(r, "clicks-stream-key").inputs.enableKeyRotation).to.equal(true);
  });

  it("makes a provisioned stream with its shards and retention", async () => {
    const p = await plan({ stream: { mode: "PROVISIONED", shardCount: 4, retentionHours: 48 } });
    expect(named(p, "clicks-stream").inputs).to.deep.include({
      shardCount: 4,
      retentionPeriod: 48,
      streamModeDetails: { streamMode: "PROVISIONED" },
    });
  });

  it("uses an existing stream key instead of creating one, and refuses both", async () => {
    const keyArn = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/existing`;
    const p = await plan({ streamKeyArn: keyArn });
    expect(ofType(p, "aws:kms/key:Key")).to.have.length(0);
    expect(named(p, "clicks-stream").inputs.kmsKeyId).to.equal(keyArn);
    const err = await rejection(
      plan({ streamKeyArn: keyArn, streamKeyAdminArns: ["arn:aws:iam::1:role/a"] }),
    );
    expect(err.message).to.contain("give either streamKeyArn");
  });

  it("refuses shards on an on-demand stream and a provisioned stream without them", async () => {
    expect((await rejection(plan({ stream: { mode: "PROVISIONED" } }))).message).to.contain(
      "needs stream.shardCount",
    );
    expect((await rejection(plan({ stream: { shardCount: 2 } }))).message).to.contain(
      "takes no stream.shardCount",
    );
  });

  it("reads the stream and writes Parquet converted against the lake's table, under the lake key", () => {
    const delivery = named(r, "clicks-delivery").inputs;
    expect(delivery.destination).to.equal("extended_s3");
    expect(delivery.kinesisSourceConfiguration).to.deep.equal({
      kinesisStreamArn: `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/clicks`,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/acme-clicks-ingest`,
    });
    expect(delivery.serverSideEncryption).to.equal(undefined);
    const s3 = s3Config(r);
    expect(s3).to.deep.include({
      bucketArn: "arn:aws:s3:::acme-raw",
      prefix: "marketing/clicks/",
      errorOutputPrefix: "_errors/marketing/clicks/!{firehose:error-output-type}/",
      kmsKeyArn: `arn:aws:kms:eu-west-1:${LAKE}:alias/acme-lake`,
      bufferingInterval: defaults.bufferSeconds,
      bufferingSize: defaults.bufferMB,
      compressionFormat: "UNCOMPRESSED",
    });
    expect(s3.dataFormatConversionConfiguration).to.deep.equal({
      enabled: true,
      inputFormatConfiguration: {
        deserializer: { hiveJsonSerDe: { timestampFormats: [...defaults.timestampFormats] } },
      },
      outputFormatConfiguration: { serializer: { parquetSerDe: { compression: "SNAPPY" } } },
      schemaConfiguration: {
        catalogId: LAKE,
        region: "eu-west-1",
        databaseName: "marketing",
        tableName: "clicks",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/acme-clicks-ingest`,
      },
    });
    expect(s3.cloudwatchLoggingOptions).to.deep.equal({
      enabled: true,
      logGroupName: "/aws/kinesisfirehose/clicks-to-lake",
      logStreamName: "DestinationDelivery",
    });
  });

  it("has no dynamic partitioning without partition keys", () => {
    expect(s3Config(r).dynamicPartitioningConfiguration).to.equal(undefined);
    expect(s3Config(r).processingConfiguration).to.equal(undefined);
  });

  it("partitions dynamically on each partition key with a JQ query", async () => {
    const p = await plan({
      partitionKeys: [{ name: "dt" }, { name: "hour", query: '.ts | strftime("%H")' }],
    });
    const s3 = s3Config(p);
    expect(s3.prefix).to.equal(
      "marketing/clicks/dt=!{partitionKeyFromQuery:dt}/hour=!{partitionKeyFromQuery:hour}/",
    );
    expect(s3.dynamicPartitioningConfiguration).to.deep.include({ enabled: true });
    expect(s3.processingConfiguration).to.deep.equal({
      enabled: true,
      processors: [
        {
          type: "MetadataExtraction",
          parameters: [
            {
              parameterName: "MetadataExtractionQuery",
              parameterValue: '{dt: .dt, hour: .ts | strftime("%H")}',
            },
            { parameterName: "JsonParsingEngine", parameterValue: "JQ-1.6" },
          ],
        },
      ],
    });
  });

  it("reads records with the Hive JSON SerDe, parsing ISO-8601 times with Z or an offset, with or without a fraction, and epoch millis", () => {
    // Joda-Time: SSSSSSSSS parses 1 to 9 fractional digits; ZZ parses Z, +hh:mm and +hhmm.
    expect(defaults.timestampFormats).to.deep.equal([
      "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSZZ",
      "yyyy-MM-dd'T'HH:mm:ssZZ",
      "millis",
    ]);
    const input = s3Config(r).dataFormatConversionConfiguration.inputFormatConfiguration as Record<
      string,
      Record<string, unknown>
    >;
    expect(input.deserializer).to.have.keys("hiveJsonSerDe");
  });

  it("takes the timestamp formats given and refuses an empty list", async () => {
    const p = await plan({ timestampFormats: ["yyyy-MM-dd HH:mm:ss"] });
    expect(
      (s3Config(p).dataFormatConversionConfiguration.inputFormatConfiguration as Record<string, unknown>)
        .deserializer,
    ).to.deep.equal({ hiveJsonSerDe: { timestampFormats: ["yyyy-MM-dd HH:mm:ss"] } });
    expect((await rejection(plan({ timestampFormats: [] }))).message).to.contain("timestampFormats");
  });

  it("derives dt and hour from the event time in UTC, as the projection formats them", async () => {
    const q = eventTimePartitionQueries("event_time");
    const p = await plan({
      partitionKeys: [
        { name: "dt", query: q.dt },
        { name: "hour", query: q.hour },
      ],
    });
    const processors = (s3Config(p).processingConfiguration as { processors: { parameters: unknown[] }[] })
      .processors;
    expect(processors[0].parameters[0]).to.deep.equal({
      parameterName: "MetadataExtractionQuery",
      parameterValue: `{dt: ${q.dt}, hour: ${q.hour}}`,
    });
    expect(q.dt).to.contain('.event_time | if type == "number" then . / 1000');
    expect(q.dt).to.match(/strftime\("%Y-%m-%d"\)\)$/);
    expect(q.hour).to.match(/strftime\("%H"\)\)$/);
    expect(eventTimePartitionQueries("1st").dt).to.contain('.["1st"] | if');
  });

  it("evaluates the event-time partition query with JQ 1.6 to the UTC date and two-digit hour", function () {
    let version = "";
    try {
      version = execFileSync("jq", ["--version"], { encoding: "utf8" }).trim();
    } catch {
      this.skip(); // no jq binary on this machine: the query's text is pinned by the test above
    }
    expect(version).to.equal("jq-1.6");
    const query = partitionQuery([
      { name: "dt", query: eventTimePartitionQueries("event_time").dt },
      { name: "hour", query: eventTimePartitionQueries("event_time").hour },
    ]);
    const run = (eventTime: unknown) =>
      JSON.parse(
        execFileSync("jq", ["-c", query], { input: JSON.stringify({ event_time: eventTime }) }).toString(),
      );
    expect(run("2026-12-03T10:15:30Z")).to.deep.equal({ dt: "2026-12-03", hour: "10" });
    expect(run("2026-12-03T10:15:30.123456789Z")).to.deep.equal({ dt: "2026-12-03", hour: "10" });
    expect(run("2026-12-03T01:15:30+02:00")).to.deep.equal({ dt: "2026-12-02", hour: "23" });
    expect(run("2026-12-02T23:15:30.5-01:30")).to.deep.equal({ dt: "2026-12-03", hour: "00" });
    expect(run(Date.UTC(2026, 11, 3, 7, 5, 0, 250))).to.deep.equal({ dt: "2026-12-03", hour: "07" });
  });

  it("writes under the prefix the dataset's table projects: its layout's template with partitionKeyFromQuery", () => {
    const platform = loadPlatform(path.join(__dirname, "..", "..", "..", "stacks", "platform.yaml"));
    const partitioned = platform.datasets.filter(
      (d) => d.ingestion.type === "firehose" && d.schema.partitionKeys.length > 0,
    );
    expect(partitioned.length).to.be.greaterThan(0);
    for (const d of partitioned) {
      const layout = tableLayout(platform, d);
      expect(partitionedPrefix(layout.prefix, layout.partitionKeys), d.name).to.equal(
        layout.prefix + layout.partitionTemplate.replace(/\$\{(\w+)\}/g, "!{partitionKeyFromQuery:$1}"),
      );
    }
  });

  it("keeps a buffer of 0 seconds and refuses less than 64 MiB (Parquet conversion)", async () => {
    const p = await plan({ bufferSeconds: 0, bufferMB: 64 });
    expect(s3Config(p)).to.deep.include({ bufferingInterval: 0, bufferingSize: 64 });
    expect((await rejection(plan({ bufferMB: 32 }))).message).to.contain("at least 64 MiB");
  });

  it("trusts Firehose of its own account only", () => {
    const trust = JSON.parse(String(named(r, "clicks-role").inputs.assumeRolePolicy)).Statement[0];
    expect(trust).to.deep.include({
      Principal: { Service: "firehose.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
    });
    expect(named(r, "clicks-role").inputs.name).to.equal("acme-clicks-ingest");
  });

  it("allows the role exactly its stream, its prefixes, the lake key and table, and its logs — no wildcard action", () => {
    const policy = statements(r, "clicks-role-policy");
    expect(named(r, "clicks-role-policy").inputs.role).to.equal("acme-clicks-ingest");
    const by = (sid: string) => policy.find((s) => s.Sid === sid)!;
    expect(by("WriteDatasetPrefixes")).to.deep.include({
      Action: [
        "s3:PutObject",
        "s3:PutObjectAcl",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
        "s3:GetObject",
      ],
      Resource: [
        "arn:aws:s3:::acme-raw/marketing/clicks/*",
        "arn:aws:s3:::acme-raw/_errors/marketing/clicks/*",
      ],
    });
    expect(by("LocateLakeBucket")).to.deep.include({
      Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
      Resource: "arn:aws:s3:::acme-raw",
    });
    // The lake key is known by its alias: IAM names the lake's keys and requires that alias.
    expect(by("UseLakeKey")).to.deep.include({
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: `arn:aws:kms:eu-west-1:${LAKE}:key/*`,
      Condition: {
        StringEquals: { "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "glue.eu-west-1.amazonaws.com"] },
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/acme-lake" },
      },
    });
    expect(by("ReadLakeTable").Resource).to.deep.equal([
      `arn:aws:glue:eu-west-1:${LAKE}:catalog`,
      `arn:aws:glue:eu-west-1:${LAKE}:database/marketing`,
      `arn:aws:glue:eu-west-1:${LAKE}:table/marketing/clicks`,
    ]);
    expect(by("ReadSourceStream").Resource).to.equal(`arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/clicks`);
    expect(by("WriteDeliveryLogs").Resource).to.equal(
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/kinesisfirehose/clicks-to-lake:log-stream:DestinationDelivery`,
    );
    const actions = policy.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.filter((a) => a.includes("*"))).to.deep.equal([]);
  });

  it("names a key ARN of the lake as it is", async () => {
    const keyArn = `arn:aws:kms:eu-west-1:${LAKE}:key/abcd`;
    const p = await plan({ lake: { ...base.lake, kmsKeyArn: keyArn } });
    const key = statements(p, "clicks-role-policy").find((s) => s.Sid === "UseLakeKey")!;
    expect(key.Resource).to.equal(keyArn);
    expect(key.Condition).to.not.have.property("ForAnyValue:StringEquals");
  });

  it("creates the delivery stream only once its role's policy exists, and tags everything with the dataset", () => {
    const delivery = named(r, "clicks-delivery");
    expect(delivery.dependencies).to.include(named(r, "clicks-role-policy").urn);
    for (const n of ["clicks-stream", "clicks-delivery", "clicks-stream-key", "clicks-role", "clicks-logs"])
      expect(named(r, n).inputs.tags, n).to.deep.equal({ dataset: "clicks", owner: "web" });
  });
});
