import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
  defaults,
  GovernanceAutomation,
  GovernanceAutomationArgs,
  logsKeyPolicyStatement,
  packagedValidatorHandler,
  validatorCode,
} from "../../../components/governance/governance-automation";
import { REGISTRY_KEY } from "../../../validator/defaults";
import { HANDLER, validatorDeployment } from "../../../validator/deployment";
import { runProgram, RunResult } from "../../../tooling/mock-runtime/harness";
import { defaultMocks } from "../../../tooling/mock-runtime/mocks";
import {
  bucketName,
  loadPlatform,
  parsePlatform,
  sharedTags,
  validatorRoleArn,
  validatorRoleName,
} from "../../../platform";
import { runPlanCli } from "../../run-cli";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:governance:GovernanceAutomation";
const ROOT = path.join(__dirname, "..", "..", "..");
const platform = loadPlatform(path.join(ROOT, "stacks", "platform.yaml"));
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/lake`;
const LOGS = bucketName(platform, "access-logs");
const GOVERNANCE = bucketName(platform, "governance");
const FUNCTION = `${platform.name}-governance-validator`;
const FUNCTION_ARN = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${FUNCTION}`;
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:governance-alarms`;

const base: GovernanceAutomationArgs = {
  platform,
  validator: validatorDeployment(platform, { governanceBucket: GOVERNANCE, kmsKeyArn: KEY }),
  kmsKeyArn: KEY,
  bucketName: GOVERNANCE,
  accessLogBucketName: LOGS,
  tags: sharedTags(platform),
};

const plan = (args: Partial<GovernanceAutomationArgs> = {}) =>
  withProvider((provider) => new GovernanceAutomation("governance", { ...base, ...args }, { provider }));

type Statement = { Sid: string; Effect: string; Action: string[]; Resource: string[] };
const statements = (r: RunResult, name: string): Statement[] =>
  JSON.parse(String(named(r, name).inputs.policy)).Statement as Statement[];
const bySid = (r: RunResult, name: string): Record<string, Statement> =>
  Object.fromEntries(statements(r, name).map((s) => [s.Sid, s]));

describe("GovernanceAutomation", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("declares the bucket with its settings, the registry, the function, its roles, grants, sender, schedule and alarms", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:s3/bucket:Bucket": 1,
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
      "aws:s3/bucketVersioning:BucketVersioning": 1,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 1,
      "aws:s3/bucketLogging:BucketLogging": 1,
      "aws:s3/bucketPolicy:BucketPolicy": 1,
      "aws:s3/bucketObjectv2:BucketObjectv2": 1,
      "aws:iam/role:Role": 2,
      "aws:iam/rolePolicy:RolePolicy": 2,
      "aws:lakeformation/permissions:Permissions": 2,
      "aws:sesv2/emailIdentity:EmailIdentity": 1,
      "aws:cloudwatch/logGroup:LogGroup": 1,
      "aws:lambda/function:Function": 1,
      "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": 1,
      "aws:scheduler/schedule:Schedule": 1,
      "aws:cloudwatch/metricAlarm:MetricAlarm": 2,
    });
  });

  it("leaves retries to the schedule: Lambda does not retry a failed run (it would e-mail again)", () => {
    const [config] = ofType(r, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");
    expect(config.inputs.maximumRetryAttempts).to.equal(0);
  });

  it("hangs every child under the component with the explicit provider", () => {
    expectWiredUnder(r, TYPE, "governance");
  });

  it("creates the governance bucket encrypted with the lake key, versioned, TLS-only and logging to the lake's log bucket", () => {
    expect(named(r, "governance-bucket").inputs).to.deep.include({ bucket: GOVERNANCE, forceDestroy: false });
    const sse = named(r, "governance-bucket-encryption").inputs.rules as Record<string, unknown>[];
    expect(sse[0]).to.deep.equal({
      applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
      bucketKeyEnabled: true,
    });
    expect(named(r, "governance-bucket-versioning").inputs.versioningConfiguration).to.deep.equal({
      status: "Enabled",
    });
    expect(named(r, "governance-bucket-logging").inputs).to.deep.include({
      targetBucket: LOGS,
      targetPrefix: defaults.accessLogPrefix,
    });
    expect(named(r, "governance-bucket-public-access").inputs).to.deep.include({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(statements(r, "governance-bucket-policy").map((s) => s.Sid)).to.deep.equal([
      "DenyInsecureTransport",
      "DenyUnencryptedOrForeignKeyWrites",
    ]);
    const rules = named(r, "governance-bucket-lifecycle").inputs.rules as Record<string, unknown>[];
    expect(rules[0]).to.deep.include({
      filter: { prefix: "findings/" },
      expiration: { days: defaults.findingsRetentionDays },
    });
  });

  it("publishes the definition at the registry key as JSON the runtime's parser accepts, SSE-KMS with the lake key", () => {
    const registry = named(r, "governance-registry");
    expect(registry.inputs).to.deep.include({
      bucket: GOVERNANCE,
      key: REGISTRY_KEY,
      contentType: "application/json",
      serverSideEncryption: "aws:kms",
      kmsKeyId: KEY,
    });
    const published = JSON.parse(String(registry.inputs.content));
    expect(parsePlatform(published, "registry")).to.deep.equal(JSON.parse(JSON.stringify(platform)));
  });

  it("runs the bundled validator on arm64 Node.js 22 with the governance bucket in its environment", () => {
    const fn = named(r, "governance-function");
    expect(fn.inputs).to.deep.include({
      name: FUNCTION,
      runtime: "nodejs22.x",
      handler: HANDLER,
      architectures: ["arm64"],
      memorySize: defaults.memorySize,
      timeout: defaults.timeout,
      role: validatorRoleArn(platform),
      environment: { variables: { GOVERNANCE_BUCKET: GOVERNANCE } },
      tracingConfig: { mode: "PassThrough" },
      loggingConfig: { logFormat: "Text", logGroup: `/aws/lambda/${FUNCTION}` },
    });
    // No reserved concurrency: it fails where the account's quota is low; the run lock keeps runs apart.
    expect(fn.inputs).to.not.have.property("reservedConcurrentExecutions");
    expect(fn.dependencies).to.include.members([
      named(r, "governance-role-policy").urn,
      named(r, "governance-registry").urn,
    ]);
    expect(named(r, "governance-logs").inputs).to.deep.include({
      name: `/aws/lambda/${FUNCTION}`,
      retentionInDays: defaults.logRetentionDays,
    });
    expect(named(r, "governance-logs").inputs).to.not.have.property("kmsKeyId");
  });

  it("deploys the packaged handler artefact by default, as the archive's index.js, without bundling anything", async () => {
    let code: pulumi.asset.AssetArchive | undefined;
    await runProgram(
      () =>
        new GovernanceAutomation("governance", base, {
          provider: new aws.Provider("lake", { region: "eu-west-1", allowedAccountIds: [ACCOUNT] }),
        }),
      {
        // The recorded inputs keep an archive's shape only: read the archive the engine receives.
        mocks: (ctx) => {
          const mocks = defaultMocks(ctx);
          return {
            ...mocks,
            newResource: (args) => {
              if (args.type === "aws:lambda/function:Function") code = args.inputs.code;
              return mocks.newResource(args);
            },
          };
        },
      },
    );
    expect(pulumi.asset.Archive.isInstance(code)).to.equal(true);
    const assets = (await code!.assets) as Record<string, pulumi.asset.FileAsset>;
    expect(Object.keys(assets)).to.deep.equal(["index.js"]);
    // A file asset: the engine reads it when deploying; the program only names it.
    expect(await assets["index.js"].path).to.equal(packagedValidatorHandler());
    expect(packagedValidatorHandler()).to.equal(path.join(ROOT, "dist", "validator-handler", "index.js"));
    // The component no longer loads esbuild or the validator at all.
    const source = fs.readFileSync(
      path.join(ROOT, "components", "governance", "governance-automation.ts"),
      "utf8",
    );
    expect(source).to.not.match(/from "esbuild"|from "(\.\.\/)+validator|require\(/);
  });

  it("finds the packaged artefact next to the compiled component, two folders up in dist/", () => {
    const compiled = path.join("/pkg", "dist", "components", "governance");
    expect(packagedValidatorHandler(compiled, path.join(compiled, "governance-automation.js"))).to.equal(
      path.join("/pkg", "dist", "validator-handler", "index.js"),
    );
  });

  it("deploys the code it is given: an archive as it is, a path as the handler module's file", async () => {
    const archive = new pulumi.asset.AssetArchive({
      "main.js": new pulumi.asset.StringAsset("exports.run=1"),
    });
    const given = await plan({ validator: { ...base.validator, code: archive, handler: "main.run" } });
    expect(named(given, "governance-function").inputs.handler).to.equal("main.run");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "governance-code-"));
    try {
      const file = path.join(dir, "bundle.js");
      fs.writeFileSync(file, "exports.handler = async () => ({});\n");
      const fromPath = validatorCode({ code: file, file: "index.js", deploying: true });
      const assets = (await (fromPath as pulumi.asset.AssetArchive).assets) as Record<
        string,
        pulumi.asset.FileAsset
      >;
      expect(Object.keys(assets)).to.deep.equal(["index.js"]);
      expect(await assets["index.js"].path).to.equal(file);
      expect(validatorCode({ code: archive, file: "index.js", deploying: true })).to.equal(archive);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a missing artefact where the engine would read it, naming validator.code and npm run build:validator", async () => {
    const missing = path.join(os.tmpdir(), "no-such-dir", "index.js");
    const packaged = () => validatorCode({ file: "index.js", deploying: true, packaged: missing });
    expect(packaged).to.throw(/validator\.code: the packaged validator handler .*index\.js is missing/);
    expect(packaged).to.throw("npm run build:validator");
    // Under the mocks (no engine: the plan, the tests) the path is only serialized.
    expect(() => validatorCode({ file: "index.js", deploying: false, packaged: missing })).to.not.throw();
    // A path given explicitly is checked always.
    const message = (await rejection(plan({ validator: { ...base.validator, code: missing } }))).message;
    expect(message).to.contain(`validator.code: ${missing} does not exist`);
    expect(() => validatorCode({ code: os.tmpdir(), file: "index.js", deploying: false })).to.throw(
      "is not a file",
    );
  });

  it("rejects validator statements built for another bucket than the one it uses", async () => {
    const other = validatorDeployment(platform, { governanceBucket: "acme-other-bucket", kmsKeyArn: KEY });
    const message = (await rejection(plan({ validator: other }))).message;
    expect(message).to.contain(
      `validator.statements do not let the role read the registry arn:aws:s3:::${GOVERNANCE}/${REGISTRY_KEY}`,
    );
    expect(message).to.contain(`governanceBucket: "${GOVERNANCE}"`);
  });

  it("rejects a missing validator, a malformed handler setting and an invalid environment variable name", async () => {
    const { validator: _omitted, ...rest } = base;
    void _omitted;
    const missing = await rejection(
      withProvider(
        (provider) => new GovernanceAutomation("governance", rest as GovernanceAutomationArgs, { provider }),
      ),
    );
    expect(missing.message).to.contain("validator is required");
    expect(
      (await rejection(plan({ validator: { ...base.validator, handler: "index" } }))).message,
    ).to.contain('validator.handler "index" must be <module>.<export>');
    expect(
      (await rejection(plan({ validator: { ...base.validator, bucketEnvironmentVariable: "GOV-BUCKET" } })))
        .message,
    ).to.contain('validator.bucketEnvironmentVariable "GOV-BUCKET" is not a valid');
  });

  it("publishes the registry content it is given instead of the definition", async () => {
    const content = JSON.stringify({ published: "elsewhere" });
    const result = await plan({ validator: { ...base.validator, registryContent: content } });
    expect(named(result, "governance-registry").inputs.content).to.equal(content);
  });

  it("lets only Lambda of the lake account assume the validator role", () => {
    const role = named(r, "governance-role");
    expect(role.inputs.name).to.equal(validatorRoleName(platform));
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement;
    expect(trust).to.deep.equal([
      {
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
      },
    ]);
  });

  it("gives the validator role least privilege: no wildcard action, writes to findings and locks only, sends from the sender only", () => {
    const all = statements(r, "governance-role-policy");
    for (const s of all) {
      expect(s.Effect).to.equal("Allow");
      for (const a of s.Action) expect(a, s.Sid).to.not.match(/(^\*$|:\*$|\*)/);
    }
    const writes = all.filter((s) => s.Action.some((a) => a.startsWith("s3:Put")));
    expect(writes).to.deep.equal([
      {
        Sid: "WriteFindings",
        Effect: "Allow",
        Action: ["s3:PutObject"],
        Resource: [`arn:aws:s3:::${GOVERNANCE}/findings/*`],
      },
      {
        Sid: "RunLocks",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
        Resource: [`arn:aws:s3:::${GOVERNANCE}/locks/*`],
      },
    ]);
    const deletes = all.filter((s) => s.Action.includes("s3:DeleteObject"));
    expect(deletes.map((s) => s.Sid)).to.deep.equal(["RunLocks"]);
    const sid = bySid(r, "governance-role-policy");
    expect(sid.ReadDatasets.Resource).to.deep.equal([`arn:aws:s3:::${bucketName(platform, "raw")}/*`]);
    expect(sid.ReadRegistry.Resource).to.deep.equal([`arn:aws:s3:::${GOVERNANCE}/${REGISTRY_KEY}`]);
    expect(sid.SendReports).to.deep.include({
      Action: ["ses:SendEmail"],
      Resource: [`arn:aws:ses:eu-west-1:${ACCOUNT}:identity/${platform.governance.sender}`],
    });
    expect(sid.UseLakeKey).to.deep.include({
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [KEY],
    });
    expect(sid.WriteOwnLogs).to.deep.include({
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/${FUNCTION}:*`],
    });
    expect(sid).to.not.have.property("SendTraces");
  });

  it("grants the role DESCRIBE on every database and SELECT, DESCRIBE on every table, without grant option", () => {
    const grants = ofType(r, "aws:lakeformation/permissions:Permissions");
    for (const g of grants) {
      expect(g.inputs.principal).to.equal(validatorRoleArn(platform));
      expect(g.inputs.catalogId).to.equal(ACCOUNT);
      expect(g.inputs).to.not.have.property("permissionsWithGrantOptions");
      expect(g.dependencies).to.include(named(r, "governance-role").urn);
    }
    const expressions = [{ key: "domain", values: platform.lake.lfTags.domain }];
    expect(named(r, "governance-lf-databases").inputs).to.deep.include({
      permissions: ["DESCRIBE"],
      lfTagPolicy: { catalogId: ACCOUNT, resourceType: "DATABASE", expressions },
    });
    expect(named(r, "governance-lf-tables").inputs).to.deep.include({
      permissions: ["DESCRIBE", "SELECT"],
      lfTagPolicy: { catalogId: ACCOUNT, resourceType: "TABLE", expressions },
    });
  });

  it("grants after the Lake Formation resources it is given, on the LF-tag scope it is given", async () => {
    const result = await withProvider((provider) => {
      const settings = new aws.lakeformation.DataLakeSettings("lf-settings", { admins: [] }, { provider });
      return new GovernanceAutomation(
        "governance",
        {
          ...base,
          lakeFormationDependencies: [settings],
          lfTagScope: { key: "domain", values: ["sales"] },
        },
        { provider },
      );
    });
    const settings = named(result, "lf-settings");
    for (const g of ofType(result, "aws:lakeformation/permissions:Permissions")) {
      expect(g.dependencies).to.include(settings.urn);
      expect((g.inputs.lfTagPolicy as { expressions: unknown }).expressions).to.deep.equal([
        { key: "domain", values: ["sales"] },
      ]);
    }
  });

  it("declares the platform's sender as an SES identity", () => {
    expect(named(r, "governance-sender").inputs.emailIdentity).to.equal(platform.governance.sender);
  });

  it("runs on the definition's schedule in UTC, with no flexible window, through a role that may invoke this function only", () => {
    const schedule = named(r, "governance-schedule");
    expect(schedule.inputs).to.deep.include({
      scheduleExpression: platform.governance.schedule,
      scheduleExpressionTimezone: "UTC",
      flexibleTimeWindow: { mode: "OFF" },
      state: "ENABLED",
    });
    expect(schedule.inputs.target).to.deep.equal({
      arn: FUNCTION_ARN,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${validatorRoleName(platform)}-scheduler`,
      input: "{}",
      retryPolicy: {
        maximumRetryAttempts: defaults.retryAttempts,
        maximumEventAgeInSeconds: defaults.maximumEventAgeSeconds,
      },
    });
    const trust = JSON.parse(String(named(r, "governance-scheduler-role").inputs.assumeRolePolicy)).Statement;
    expect(trust[0]).to.deep.include({
      Principal: { Service: "scheduler.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
    });
    expect(statements(r, "governance-scheduler-role-policy")).to.deep.equal([
      {
        Sid: "InvokeValidator",
        Effect: "Allow",
        Action: ["lambda:InvokeFunction"],
        Resource: [FUNCTION_ARN],
      },
    ]);
  });

  it("keeps a schedule, time zone and retries it is given, 0 retries and a disabled schedule included", async () => {
    const result = await plan({
      schedule: "rate(12 hours)",
      scheduleTimezone: "Europe/Berlin",
      retryAttempts: 0,
      maximumEventAgeSeconds: 600,
      enabled: false,
    });
    const schedule = named(result, "governance-schedule");
    expect(schedule.inputs).to.deep.include({
      scheduleExpression: "rate(12 hours)",
      scheduleExpressionTimezone: "Europe/Berlin",
      state: "DISABLED",
    });
    expect((schedule.inputs.target as { retryPolicy: unknown }).retryPolicy).to.deep.equal({
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 600,
    });
  });

  it("alarms on any error or throttle in a day, without actions unless given a topic", async () => {
    for (const [name, metric] of [
      ["governance-errors-alarm", "Errors"],
      ["governance-throttles-alarm", "Throttles"],
    ]) {
      expect(named(r, name).inputs).to.deep.include({
        namespace: "AWS/Lambda",
        metricName: metric,
        dimensions: { FunctionName: FUNCTION },
        statistic: "Sum",
        period: 86_400,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [],
        okActions: [],
      });
    }
    const result = await plan({ alarmTopicArn: TOPIC });
    for (const alarm of ofType(result, "aws:cloudwatch/metricAlarm:MetricAlarm"))
      expect(alarm.inputs).to.deep.include({ alarmActions: [TOPIC], okActions: [TOPIC] });
  });

  it("tags every taggable child with the given tags", () => {
    const tagged = r.resources.filter((x) => x.custom && "tags" in x.inputs);
    expect(tagged.map((x) => x.type)).to.include.members([
      "aws:s3/bucket:Bucket",
      "aws:s3/bucketObjectv2:BucketObjectv2",
      "aws:iam/role:Role",
      "aws:sesv2/emailIdentity:EmailIdentity",
      "aws:cloudwatch/logGroup:LogGroup",
      "aws:lambda/function:Function",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
    ]);
    expect(tagged).to.have.length(9);
    for (const x of tagged) expect(x.inputs.tags, x.name).to.deep.equal(sharedTags(platform));
  });

  it("exposes its outputs", async () => {
    const result = await withProvider((provider) => {
      const g = new GovernanceAutomation("governance", base, { provider });
      return {
        functionArn: g.functionArn,
        functionName: g.functionName,
        roleArn: g.roleArn,
        bucketName: g.bucketName,
        registryKey: g.registryKey,
        scheduleArn: g.scheduleArn,
      };
    });
    expect(result.outputs).to.deep.equal({
      functionArn: FUNCTION_ARN,
      functionName: FUNCTION,
      roleArn: validatorRoleArn(platform),
      bucketName: GOVERNANCE,
      registryKey: REGISTRY_KEY,
      scheduleArn: `arn:aws:scheduler:eu-west-1:${ACCOUNT}:schedule/${FUNCTION}`,
    });
  });

  it("keeps each explicit setting, 0 log retention (forever) and false tracing included", async () => {
    const result = await plan({
      memorySize: 2048,
      timeout: 600,
      reservedConcurrency: 2,
      logRetentionDays: 0,
      tracing: false,
      runtime: "nodejs24.x",
      logKmsKeyArn: KEY,
    });
    expect(named(result, "governance-function").inputs).to.deep.include({
      memorySize: 2048,
      timeout: 600,
      reservedConcurrentExecutions: 2,
      runtime: "nodejs24.x",
      tracingConfig: { mode: "PassThrough" },
    });
    expect(named(result, "governance-logs").inputs).to.deep.include({ retentionInDays: 0, kmsKeyId: KEY });
  });

  it("lets CloudWatch Logs of the region use a log key for the validator's log group only", () => {
    expect(
      logsKeyPolicyStatement({ accountId: ACCOUNT, region: "eu-west-1", functionName: FUNCTION }),
    ).to.deep.include({
      Effect: "Allow",
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Resource: "*",
      Condition: {
        ArnEquals: {
          "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/${FUNCTION}`,
        },
      },
    });
  });

  it("lets the role send traces only when tracing is on", async () => {
    const result = await plan({ tracing: true });
    expect(named(result, "governance-function").inputs.tracingConfig).to.deep.equal({ mode: "Active" });
    expect(bySid(result, "governance-role-policy").SendTraces.Action).to.deep.equal([
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
    ]);
  });

  it("uses an existing bucket instead of creating one, and points the role, registry and function at it", async () => {
    const existing = "acme-existing-governance";
    const result = await plan({
      bucketName: undefined,
      accessLogBucketName: undefined,
      existingBucketName: existing,
      validator: validatorDeployment(platform, { governanceBucket: existing, kmsKeyArn: KEY }),
    });
    expect(ofType(result, "aws:s3/bucket:Bucket")).to.have.length(0);
    expect(ofType(result, "aws:s3/bucketPolicy:BucketPolicy")).to.have.length(0);
    expect(named(result, "governance-registry").inputs.bucket).to.equal(existing);
    expect(named(result, "governance-function").inputs.environment).to.deep.equal({
      variables: { GOVERNANCE_BUCKET: existing },
    });
    const sid = bySid(result, "governance-role-policy");
    expect(sid.WriteFindings.Resource).to.deep.equal([`arn:aws:s3:::${existing}/findings/*`]);
    expect(sid.ReadRegistry.Resource).to.deep.equal([`arn:aws:s3:::${existing}/${REGISTRY_KEY}`]);
    expect(sid.ListBuckets.Resource).to.include(`arn:aws:s3:::${existing}`);
    expect(JSON.stringify(sid)).to.not.contain(GOVERNANCE);
  });

  it("rejects an existing bucket together with arguments to create one", async () => {
    const err = await rejection(plan({ existingBucketName: "acme-existing-governance" }));
    expect(err.message).to.contain("give either existingBucketName");
    expect(err.message).to.contain("not both");
    expect(
      (await rejection(plan({ bucketName: undefined, existingBucketName: "acme-existing-governance" })))
        .message,
    ).to.contain("not both");
  });

  it("rejects creating the bucket without the access-log bucket", async () => {
    expect((await rejection(plan({ accessLogBucketName: undefined }))).message).to.contain(
      "accessLogBucketName is required",
    );
  });

  it("rejects a runtime older than nodejs22.x, naming the argument", async () => {
    for (const runtime of ["nodejs20.x", "nodejs18.x", "python3.12"]) {
      const message = (await rejection(plan({ runtime }))).message;
      expect(message).to.contain(`runtime "${runtime}" is not supported`);
      expect(message).to.contain('set runtime to "nodejs22.x"');
    }
  });

  it("rejects settings AWS would refuse or that would stop every run", async () => {
    expect((await rejection(plan({ reservedConcurrency: 0 }))).message).to.contain("set enabled: false");
    expect((await rejection(plan({ timeout: 901 }))).message).to.contain("timeout 901");
    expect((await rejection(plan({ memorySize: 64 }))).message).to.contain("memorySize 64");
    expect((await rejection(plan({ lfTagScope: { key: "domain", values: [] } }))).message).to.contain(
      "would cover nothing",
    );
  });

  it("plans the lake's use of it with no policy violation in either pack", async () => {
    const result = await runPlanCli(
      "--program",
      path.join(ROOT, "tests", "fixtures", "programs", "governance-automation.ts"),
      "--format",
      "json",
    );
    expect(result.code, result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout);
    expect(report.packs.map((p: { name: string }) => p.name)).to.have.members([
      "lakehouse-governance",
      "lakehouse-security",
    ]);
    const [stack] = report.stacks;
    expect(stack.resources.map((x: { type: string }) => x.type)).to.include("aws:lambda/function:Function");
    expect(stack.violations).to.deep.equal([]);
    expect(report.summary).to.deep.include({ mandatory: 0, advisory: 0 });
  });
});
