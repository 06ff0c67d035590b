import * as aws from "@pulumi/aws";
import { expect } from "chai";
import {
  defaults,
  jobRolePolicy,
  SparkAnalytics,
  SparkAnalyticsArgs,
  sparkDefaults,
} from "../../../components/analytics/spark-analytics";
import type { RunResult } from "../../../tooling/mock-runtime/harness";
import { iamPolicyDisallowWildcardActions } from "../../../policies/security/policies/iam-policy-disallow-wildcard-actions";
import { emrServerlessEnforceLogEncryption } from "../../../policies/security/policies/emr-serverless-enforce-log-encryption";
import { runResourcePolicy } from "../../policies/helpers";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:analytics:SparkAnalytics";
const APP = "aws:emrserverless/application:Application";
const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
const LAKE = "999999999999";
const BUCKET = "acme-111111111111-athena-results";
const tags = {
  dataset: "shared",
  domain: "shared",
  owner: "growth",
  "owner-email": "growth@acme.example",
  classification: "internal",
  source: "shared",
};

const base: SparkAnalyticsArgs = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  applicationName: "growth-spark",
  lake: { accountId: LAKE, region: "eu-west-1", catalogKeyAlias: "alias/acme-lake" },
  sharedDatabases: [
    { database: "marketing", linkName: "marketing_shared" },
    { database: "sales", linkName: "sales_shared" },
  ],
  artifacts: { bucketName: BUCKET, keyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/results` },
  submitters: { analyst: "acme-growth-analyst" },
  tags,
};

const plan = (args: Partial<SparkAnalyticsArgs> = {}) =>
  withProvider((provider) => new SparkAnalytics("growth", { ...base, ...args }, { provider }));

type Statement = {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
} & Record<string, unknown>;
const statements = (r: RunResult, name: string): Statement[] =>
  JSON.parse(String(named(r, name).inputs.policy)).Statement as Statement[];
const actions = (s: Statement[]) => s.flatMap((x) => [x.Action].flat());
const resources = (s: Statement[]) => s.flatMap((x) => [x.Resource].flat());
const app = (r: RunResult) => named(r, "growth-app").inputs;

describe("SparkAnalytics", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("creates the key, log group, application, job role and policy, link grants and a submitter policy", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:kms/key:Key": 1,
      "aws:cloudwatch/logGroup:LogGroup": 1,
      [APP]: 1,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicy:RolePolicy": 2,
      [PERMISSIONS]: 2,
    });
  });

  it("hangs every child under the component with the explicit provider", () => {
    expectWiredUnder(r, TYPE, "growth");
  });

  it("runs Spark on the default EMR 7 release, starting on demand and stopping when idle", () => {
    expect(app(r)).to.deep.include({
      name: "growth-spark",
      type: "spark",
      releaseLabel: defaults.releaseLabel,
      autoStartConfiguration: { enabled: true },
      autoStopConfiguration: { enabled: true, idleTimeoutMinutes: 15 },
      maximumCapacity: { cpu: "32 vCPU", memory: "128 GB" },
    });
    expect(defaults.releaseLabel).to.match(/^emr-7\.\d+\.\d+$/);
    expect(app(r).networkConfiguration).to.equal(undefined);
  });

  it("uses the Glue Data Catalog as metastore with Lake Formation fine-grained access on", () => {
    expect(app(r).runtimeConfigurations).to.deep.equal([
      {
        classification: "spark-defaults",
        properties: {
          "spark.hadoop.hive.metastore.client.factory.class":
            "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory",
          "spark.emr-serverless.lakeformation.enabled": "true",
        },
      },
    ]);
    // Extra properties cannot switch either off.
    expect(
      sparkDefaults(true, {
        "spark.emr-serverless.lakeformation.enabled": "false",
        "spark.sql.shuffle.partitions": "64",
      }),
    ).to.deep.include({
      "spark.emr-serverless.lakeformation.enabled": "true",
      "spark.sql.shuffle.partitions": "64",
    });
  });

  it("encrypts S3 and CloudWatch logs with its own rotating key and keeps managed persistence off", async () => {
    const key = named(r, "growth-key");
    expect(key.inputs.enableKeyRotation).to.equal(true);
    expect(key.inputs.deletionWindowInDays).to.equal(30);
    const keyArn = key.state.arn;
    expect(app(r).monitoringConfiguration).to.deep.equal({
      s3MonitoringConfiguration: {
        logUri: `s3://${BUCKET}/emr-serverless/growth-spark/logs/`,
        encryptionKeyArn: keyArn,
      },
      cloudwatchLoggingConfiguration: {
        enabled: true,
        logGroupName: "/aws/emr-serverless/growth-spark",
        encryptionKeyArn: keyArn,
      },
      managedPersistenceMonitoringConfiguration: { enabled: false },
    });
    const logs = named(r, "growth-logs").inputs;
    expect(logs).to.deep.include({
      name: "/aws/emr-serverless/growth-spark",
      retentionInDays: 30,
      kmsKeyId: keyArn,
    });
    // CloudWatch Logs may use the key for this log group only; EMR Serverless not at all.
    const policy = JSON.parse(String(key.inputs.policy)).Statement as Statement[];
    expect(policy.map((s) => s.Sid)).to.deep.equal(["AccountRootControl", "CloudWatchLogsForTheLogGroup"]);
    expect(policy[1].Condition).to.deep.equal({
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/emr-serverless/growth-spark`,
      },
    });
    expect(
      await runResourcePolicy(emrServerlessEnforceLogEncryption, { type: APP, props: app(r) }),
    ).to.deep.equal([]);
  });

  it("keeps managed persistence under the key when asked, and passes the log-encryption policy", async () => {
    const result = await plan({ managedPersistence: true });
    const key = named(result, "growth-key");
    expect(
      (app(result).monitoringConfiguration as Record<string, unknown>)
        .managedPersistenceMonitoringConfiguration,
    ).to.deep.equal({ enabled: true, encryptionKeyArn: key.state.arn });
    const sids = (JSON.parse(String(key.inputs.policy)).Statement as Statement[]).map((s) => s.Sid);
    expect(sids).to.include("EmrServerlessManagedPersistence");
    expect(
      await runResourcePolicy(emrServerlessEnforceLogEncryption, { type: APP, props: app(result) }),
    ).to.deep.equal([]);
  });

  it("takes capacity, idle timeout, release, network, retention and the destruction opt-in from its args", async () => {
    const result = await plan({
      maxVcpu: 64,
      maxMemoryGb: 256,
      idleTimeoutMinutes: 60,
      releaseLabel: "emr-7.2.0",
      network: { subnetIds: ["subnet-0a"], securityGroupIds: ["sg-0b"] },
      logRetentionDays: 90,
      allowDataDestruction: true,
      lakeFormation: false,
    });
    expect(app(result)).to.deep.include({
      releaseLabel: "emr-7.2.0",
      maximumCapacity: { cpu: "64 vCPU", memory: "256 GB" },
      autoStopConfiguration: { enabled: true, idleTimeoutMinutes: 60 },
      networkConfiguration: { subnetIds: ["subnet-0a"], securityGroupIds: ["sg-0b"] },
    });
    expect(
      (app(result).runtimeConfigurations as { properties: Record<string, string> }[])[0].properties[
        "spark.emr-serverless.lakeformation.enabled"
      ],
    ).to.equal("false");
    expect(named(result, "growth-logs").inputs.retentionInDays).to.equal(90);
    expect(named(result, "growth-key").inputs.deletionWindowInDays).to.equal(7);
  });

  it("lets only EMR Serverless jobs of this application, in this account, assume the job role", () => {
    const role = named(r, "growth-job-role").inputs;
    expect(role.name).to.equal("growth-spark-job");
    const [trust] = JSON.parse(String(role.assumeRolePolicy)).Statement;
    expect(trust).to.deep.equal({
      Effect: "Allow",
      Principal: { Service: "emr-serverless.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        ArnLike: { "aws:SourceArn": named(r, "growth-app").state.arn },
      },
    });
  });

  it("gives the job role no wildcard action and no access to the lake's buckets", async () => {
    for (const name of ["growth-job-policy", "growth-submit-analyst"]) {
      const s = statements(r, name);
      expect(
        actions(s).filter((a) => a === "*" || a.endsWith(":*")),
        name,
      ).to.deep.equal([]);
      expect(
        await runResourcePolicy(iamPolicyDisallowWildcardActions, {
          type: "aws:iam/rolePolicy:RolePolicy",
          props: named(r, name).inputs,
        }),
        name,
      ).to.deep.equal([]);
      const s3 = resources(s.filter((x) => actions([x]).some((a) => a.startsWith("s3:"))));
      for (const res of s3) expect(res.startsWith(`arn:aws:s3:::${BUCKET}`), res).to.equal(true);
    }
  });

  it("lets the job role get Lake Formation credentials, read the links and the lake's databases, its scripts and logs", () => {
    const s = statements(r, "growth-job-policy");
    const by = (sid: string) => s.find((x) => x.Sid === sid)!;
    expect(by("LakeFormationCredentials").Action).to.equal("lakeformation:GetDataAccess");
    expect(by("ReadCatalogThroughLinks").Resource).to.include.members([
      `arn:aws:glue:eu-west-1:${ACCOUNT}:database/marketing_shared`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:table/sales_shared/*`,
      `arn:aws:glue:eu-west-1:${LAKE}:database/marketing`,
      `arn:aws:glue:eu-west-1:${LAKE}:table/sales/*`,
    ]);
    expect(
      actions([by("ReadCatalogThroughLinks")]).every(
        (a) => a.startsWith("glue:Get") || a === "glue:BatchGetPartition",
      ),
    ).to.equal(true);
    expect(by("ReadScripts").Resource).to.equal(
      `arn:aws:s3:::${BUCKET}/emr-serverless/growth-spark/scripts/*`,
    );
    expect(by("WriteLogs").Resource).to.equal(`arn:aws:s3:::${BUCKET}/emr-serverless/growth-spark/logs/*`);
    expect(by("UseLogKey").Resource).to.equal(named(r, "growth-key").state.arn);
    expect(by("WriteLogGroup").Resource).to.deep.equal([
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/emr-serverless/growth-spark`,
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/emr-serverless/growth-spark:*`,
    ]);
    expect(by("DecryptLakeCatalogMetadata").Condition).to.deep.include({
      StringEquals: { "kms:ViaService": "glue.eu-west-1.amazonaws.com" },
    });
  });

  it("asks for no lake catalog key when the lake names none", () => {
    const policy = JSON.parse(
      JSON.stringify(
        jobRolePolicy({
          accountId: ACCOUNT,
          region: "eu-west-1",
          lake: { accountId: LAKE, region: "eu-west-1" },
          databases: [],
          bucketName: BUCKET,
          prefix: "p/",
          logKeyArn: "k",
          artifactsKeyArn: "a",
          logGroupArn: "g",
        }),
      ),
    ) as { Statement: Statement[] };
    expect(policy.Statement.map((s) => s.Sid)).to.not.include("DecryptLakeCatalogMetadata");
  });

  it("grants the job role DESCRIBE on each link only, in this account, after the Lake Formation dependencies", async () => {
    const grants = ofType(r, PERMISSIONS);
    expect(grants.map((g) => g.inputs.database)).to.deep.equal([
      { catalogId: ACCOUNT, name: "marketing_shared" },
      { catalogId: ACCOUNT, name: "sales_shared" },
    ]);
    for (const g of grants) {
      expect(g.inputs).to.deep.include({
        catalogId: ACCOUNT,
        principal: named(r, "growth-job-role").state.arn,
        permissions: ["DESCRIBE"],
      });
      expect(g.inputs.permissionsWithGrantOptions ?? []).to.deep.equal([]);
    }
    const withDeps = await withProvider((provider) => {
      const settings = new aws.lakeformation.DataLakeSettings(
        "settings",
        { catalogId: ACCOUNT, admins: [`arn:aws:iam::${ACCOUNT}:role/deploy`] },
        { provider },
      );
      return new SparkAnalytics("growth", { ...base, lakeFormationDependencies: [settings] }, { provider });
    });
    const settingsUrn = named(withDeps, "settings").urn;
    for (const g of ofType(withDeps, PERMISSIONS)) expect(g.dependencies, g.name).to.include(settingsUrn);
    const none = await plan({ sharedDatabases: [] });
    expect(ofType(none, PERMISSIONS)).to.deep.equal([]);
  });

  it("lets the submitter run jobs on this application and pass the job role to EMR Serverless only", () => {
    expect(named(r, "growth-submit-analyst").inputs.role).to.equal("acme-growth-analyst");
    const s = statements(r, "growth-submit-analyst");
    const appArn = named(r, "growth-app").state.arn;
    expect(s.find((x) => x.Sid === "RunJobsOnTheApplication")!.Resource).to.deep.equal([
      appArn,
      `${appArn}/jobruns/*`,
    ]);
    expect(s.find((x) => x.Sid === "PassTheJobRole")).to.deep.include({
      Action: "iam:PassRole",
      Resource: named(r, "growth-job-role").state.arn,
      Condition: { StringEquals: { "iam:PassedToService": "emr-serverless.amazonaws.com" } },
    });
  });

  it("tags the application, role, key and log group with its tags", () => {
    for (const name of ["growth-app", "growth-job-role", "growth-key", "growth-logs"])
      expect(named(r, name).inputs.tags, name).to.deep.equal(tags);
  });

  it("rejects 0 capacity, a 0 idle timeout and a retention CloudWatch refuses instead of replacing them", async () => {
    const bad = async (args: Partial<SparkAnalyticsArgs>) => (await rejection(plan(args))).message;
    expect(await bad({ maxVcpu: 0 })).to.contain("maxVcpu 0");
    expect(await bad({ maxMemoryGb: 0 })).to.contain("maxMemoryGb 0");
    expect(await bad({ idleTimeoutMinutes: 0 })).to.contain("idleTimeoutMinutes 0");
    expect(await bad({ logRetentionDays: 0 })).to.contain("logRetentionDays 0");
    expect(await bad({ logRetentionDays: 31 })).to.contain("logRetentionDays 31");
  });

  it("rejects a release before Lake Formation support, an empty network, the lake's own account and a bad prefix", async () => {
    const bad = async (args: Partial<SparkAnalyticsArgs>) => (await rejection(plan(args))).message;
    expect(await bad({ releaseLabel: "emr-6.15.0" })).to.contain("not an EMR 7.x release");
    expect(await bad({ releaseLabel: "emr-7.1.0" })).to.contain("needs emr-7.2.0 or later");
    expect(await bad({ network: { subnetIds: [] } })).to.contain("network.subnetIds is empty");
    expect(await bad({ lake: { accountId: ACCOUNT, region: "eu-west-1" } })).to.contain("is this account");
    expect(await bad({ artifactsPrefix: "no-slash" })).to.contain('artifactsPrefix "no-slash"');
    expect(
      await bad({
        sharedDatabases: [
          { database: "a", linkName: "x" },
          { database: "b", linkName: "x" },
        ],
      }),
    ).to.contain("link name x is used twice");
    // An old release is fine without Lake Formation.
    expect(app(await plan({ releaseLabel: "emr-7.0.0", lakeFormation: false })).releaseLabel).to.equal(
      "emr-7.0.0",
    );
  });

  it("registers its outputs", () => {
    const [component] = ofType(r, TYPE);
    expect(Object.keys(component.state)).to.include.members([
      "applicationArn",
      "jobRoleArn",
      "keyArn",
      "logUri",
      "scriptsUri",
    ]);
  });
});
