import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import {
  defaults,
  StreamAnalytics,
  StreamAnalyticsArgs,
} from "../../../components/streaming/stream-analytics";
import { defaultMocks } from "../../../tooling/mock-runtime/mocks";
import { RunResult, runProgram } from "../../../tooling/mock-runtime/harness";
import { ACCOUNT, childCounts, expectWiredUnder, named, rejection, withProvider } from "../helpers";

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

  describe("with a built artefact (code.source)", () => {
    let dir: string;
    let artefact: string;
    let u: RunResult;
    // The mocks give the uploaded object the version S3 would assign (versioned bucket).
    const versioned = (source: string, args: Partial<StreamAnalyticsArgs> = {}) =>
      runProgram(
        () => {
          const provider = new aws.Provider("lake", { region: "eu-west-1", allowedAccountIds: [ACCOUNT] });
          const key = new aws.kms.Key("artifacts-key", {}, { provider });
          const bucketPolicy = new aws.s3.BucketPolicy(
            "artifacts-policy",
            { bucket: "acme-artifacts", policy: "{}" },
            { provider },
          );
          return new StreamAnalytics(
            "sessions",
            { ...base, ...args, code: { ...base.code, source, dependsOn: [key, bucketPolicy] } },
            { provider },
          );
        },
        {
          mocks: (ctx) => {
            const mocks = defaultMocks(ctx);
            return {
              ...mocks,
              newResource: async (a) => {
                const created = await mocks.newResource(a);
                return a.type === "aws:s3/bucketObjectv2:BucketObjectv2"
                  ? { ...created, state: { ...created.state, versionId: "v-built-1" } }
                  : created;
              },
            };
          },
        },
      );
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "flink-"));
      artefact = path.join(dir, "sessions.zip");
      fs.writeFileSync(artefact, "not really a zip: the upload is planned, never run");
      u = await versioned(artefact);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("uploads the artefact as the code object, SSE-KMS with the bucket's key", () => {
      const object = named(u, "sessions-code");
      expect(object.type).to.equal("aws:s3/bucketObjectv2:BucketObjectv2");
      expect(object.inputs).to.deep.include({
        bucket: "acme-artifacts",
        key: "flink/sessions.zip",
        serverSideEncryption: "aws:kms",
        kmsKeyId: base.code.kmsKeyArn,
      });
      // A file asset (the harness records assets without their path: see the component's README).
      expect(object.inputs.source).to.have.property("__pulumiAsset", true);
      expect(object.parent).to.equal(u.resources.find((r) => r.type === TYPE)!.urn);
    });

    it("pins the uploaded object's version in the application, so a new artefact redeploys it", () => {
      const config = named(u, "sessions-app").inputs.applicationConfiguration as Record<
        string,
        Record<string, Record<string, unknown>>
      >;
      expect(config.applicationCodeConfiguration.codeContent.s3ContentLocation).to.deep.equal({
        bucketArn: "arn:aws:s3:::acme-artifacts",
        fileKey: "flink/sessions.zip",
        objectVersion: "v-built-1",
      });
    });

    it("creates the object after the bucket policy and the key, and the application after all three", () => {
      const urn = (name: string) => named(u, name).urn;
      expect(named(u, "sessions-code").dependencies).to.include.members([
        urn("artifacts-key"),
        urn("artifacts-policy"),
      ]);
      expect(named(u, "sessions-app").dependencies).to.include.members([
        urn("sessions-code"),
        urn("artifacts-key"),
        urn("artifacts-policy"),
      ]);
    });

    it("refuses an artefact that is not a file, and a source together with an objectVersion", async () => {
      const missing = path.join(dir, "missing.zip");
      expect((await rejection(versioned(missing))).message).to.contain(
        `code.source ${missing} is not a file`,
      );
      const both = await rejection(
        withProvider(
          (provider) =>
            new StreamAnalytics(
              "sessions",
              { ...base, code: { ...base.code, source: artefact, objectVersion: "v1" } },
              { provider },
            ),
        ),
      );
      expect(both.message).to.contain("not both");
    });
  });

  it("uploads nothing without code.source, and pins an existing object's version when given", async () => {
    expect(r.resources.filter((x) => x.type === "aws:s3/bucketObjectv2:BucketObjectv2")).to.deep.equal([]);
    const p = await plan({ code: { ...base.code, objectVersion: "v7" } });
    const config = named(p, "sessions-app").inputs.applicationConfiguration as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    expect(config.applicationCodeConfiguration.codeContent.s3ContentLocation).to.deep.include({
      objectVersion: "v7",
    });
  });

  it("refuses a parallelism under 1 and the reserved property group", async () => {
    expect(await rejection(plan({ parallelism: 0 })).then((e) => e.message)).to.contain("parallelism 0");
    expect((await rejection(plan({ properties: { source: {} } }))).message).to.contain(
      "property group `source`",
    );
  });
});
