import { expect } from "chai";
import { defaults, StreamAnalytics, StreamAnalyticsArgs } from "../../components/stream-analytics";
import type { RunResult } from "../../plan/harness";
import { ACCOUNT, childCounts, expectWiredUnder, named, rejection, withProvider } from "./helpers";

const TYPE = "lakehouse:streaming:StreamAnalytics";
const STREAM = `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/clicks`;
const base: StreamAnalyticsArgs = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  roleName: "acme-clicks-flink",
  streamArn: STREAM,
  streamKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/stream`,
  code: {
    bucketName: "acme-artifacts",
    fileKey: "flink/sessions.zip",
    kmsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/art`,
  },
  tags: { dataset: "clicks" },
};
const plan = (args: Partial<StreamAnalyticsArgs> = {}) =>
  withProvider((provider) => new StreamAnalytics("sessions", { ...base, ...args }, { provider }));
type Statement = { Sid: string; Action: string | string[]; Resource: unknown };

describe("StreamAnalytics", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("creates the application, its role and inline policy, its log group and stream", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:cloudwatch/logGroup:LogGroup": 1,
      "aws:cloudwatch/logStream:LogStream": 1,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicy:RolePolicy": 1,
      "aws:kinesisanalyticsv2/application:Application": 1,
    });
    expectWiredUnder(r, TYPE, "sessions");
  });

  it("runs the code from S3 on the Flink runtime, reading the stream, checkpointing and logging", () => {
    const app = named(r, "sessions-app").inputs;
    expect(app).to.deep.include({
      name: "sessions",
      runtimeEnvironment: defaults.runtime,
      serviceExecutionRole: `arn:aws:iam::${ACCOUNT}:role/acme-clicks-flink`,
      startApplication: false,
      cloudwatchLoggingOptions: {
        logStreamArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/kinesis-analytics/sessions:log-stream:application`,
      },
      tags: { dataset: "clicks" },
    });
    const config = app.applicationConfiguration as Record<string, Record<string, unknown>>;
    expect(config.applicationCodeConfiguration).to.deep.equal({
      codeContentType: "ZIPFILE",
      codeContent: {
        s3ContentLocation: { bucketArn: "arn:aws:s3:::acme-artifacts", fileKey: "flink/sessions.zip" },
      },
    });
    expect(config.environmentProperties.propertyGroups).to.deep.equal([
      { propertyGroupId: "source", propertyMap: { streamArn: STREAM, region: "eu-west-1" } },
    ]);
    expect(config.flinkApplicationConfiguration.checkpointConfiguration).to.deep.include({
      checkpointingEnabled: true,
      checkpointInterval: defaults.checkpointIntervalMs,
    });
    expect(config.flinkApplicationConfiguration.parallelismConfiguration).to.deep.include({
      parallelism: 1,
      autoScalingEnabled: true,
    });
  });

  it("keeps autoScaling false and the runtime and properties given", async () => {
    const p = await plan({ autoScaling: false, runtime: "FLINK-2_2", properties: { sink: { topic: "x" } } });
    const app = named(p, "sessions-app").inputs;
    expect(app.runtimeEnvironment).to.equal("FLINK-2_2");
    const config = app.applicationConfiguration as Record<string, Record<string, Record<string, unknown>>>;
    expect(config.flinkApplicationConfiguration.parallelismConfiguration.autoScalingEnabled).to.equal(false);
    expect(config.environmentProperties.propertyGroups).to.have.length(2);
  });

  it("allows its role its stream, its code and its logs only — no wildcard action", () => {
    const policy = JSON.parse(String(named(r, "sessions-role-policy").inputs.policy))
      .Statement as Statement[];
    expect(policy.map((s) => s.Sid)).to.deep.equal([
      "ReadSourceStream",
      "DecryptSourceStream",
      "ReadApplicationCode",
      "DecryptApplicationCode",
      "WriteApplicationLogs",
      "FindLogGroups",
    ]);
    expect(policy[2].Resource).to.equal("arn:aws:s3:::acme-artifacts/flink/sessions.zip");
    const actions = policy.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.filter((a) => a.includes("*"))).to.deep.equal([]);
    expect(actions.some((a) => a.startsWith("s3:Put"))).to.equal(false);
  });

  it("refuses a parallelism under 1 and the reserved property group", async () => {
    expect(await rejection(plan({ parallelism: 0 })).then((e) => e.message)).to.contain("parallelism 0");
    expect((await rejection(plan({ properties: { source: {} } }))).message).to.contain(
      "property group `source`",
    );
  });
});
