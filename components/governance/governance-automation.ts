import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { buildSync } from "esbuild";
import { bucketName as governanceBucketName, lakeAccount, validatorRoleName } from "../../platform";
import type { Platform } from "../../platform";
import { secureBucket } from "../shared/secure-bucket";
import { defaults, GovernanceAutomationArgs, ValidatorLfTagScope } from "./governance-automation-args";
import { GOVERNANCE_BUCKET_ENV, REGISTRY_KEY } from "../../validator/defaults";
import { PolicyStatement, validatorPolicyStatements } from "../../validator/iam";
import type * as ValidatorRuntime from "../../validator";
import { serviceTrustPolicy } from "../shared/iam";

export { defaults, GovernanceAutomationArgs, ValidatorLfTagScope } from "./governance-automation-args";

const TYPE = "lakehouse:governance:GovernanceAutomation";

/**
 * The governance validator's runtime entry: loaded only when the handler is bundled, so a program that
 * imports this component does not load the AWS SDK clients the runtime uses.
 */
function validatorRuntime(): Pick<typeof ValidatorRuntime, "HANDLER_ENTRY" | "HANDLER_EXPORT"> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("../../validator") as typeof ValidatorRuntime;
}

/** The handler's export name (`index.<export>`): the runtime's `HANDLER_EXPORT`. */
export function handlerExport(): string {
  return validatorRuntime().HANDLER_EXPORT;
}

const bundles = new Map<string, string>();

/**
 * The validator's handler bundled with esbuild into one CommonJS file for Node.js 22, every dependency
 * included (the AWS SDK clients, zod, js-yaml and the ESM-only hyparquet). Built once per process and
 * option set: planning many stacks bundles once. Paths are resolved from the repository root, so the
 * bundle, and the function's code hash, do not depend on the machine.
 */
export function bundleValidator(options: { readonly minify: boolean }): string {
  const key = JSON.stringify(options);
  const cached = bundles.get(key);
  if (cached !== undefined) return cached;
  const { HANDLER_ENTRY } = validatorRuntime();
  const root = path.resolve(__dirname, "..", "..");
  const result = buildSync({
    absWorkingDir: root,
    entryPoints: [path.relative(root, HANDLER_ENTRY)],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: options.minify,
    sourcemap: false,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  bundles.set(key, code);
  return code;
}

/**
 * The validator role's IAM statements: the runtime's own ({@link validatorPolicyStatements}), with the
 * governance bucket the deployment uses in place of the definition's, plus writing to its own log group
 * and, with tracing, sending X-Ray traces.
 */
export function validatorRoleStatements(input: {
  readonly platform: Platform;
  readonly region: string;
  readonly kmsKeyArn: string;
  readonly bucket: string;
  readonly logGroupArn: string;
  readonly tracing: boolean;
}): PolicyStatement[] {
  const named = `arn:aws:s3:::${governanceBucketName(input.platform, "governance")}`;
  const actual = `arn:aws:s3:::${input.bucket}`;
  const statements = validatorPolicyStatements(input.platform, input.region, input.kmsKeyArn).map((s) => ({
    ...s,
    Resource: s.Resource.map((r) =>
      r === named || r.startsWith(`${named}/`) ? actual + r.slice(named.length) : r,
    ),
  }));
  statements.push({
    Sid: "WriteOwnLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: [`${input.logGroupArn}:*`],
  });
  if (input.tracing) {
    // X-Ray's trace actions take no resource: "*" is the only resource they accept.
    statements.push({
      Sid: "SendTraces",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      Resource: ["*"],
    });
  }
  return statements;
}

/** The name of the validator function's log group: Lambda's own, `/aws/lambda/<functionName>`. */
export function validatorLogGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/**
 * The key-policy statement that lets CloudWatch Logs of `region` use a key for the validator's log group
 * only (through its encryption context), for `logKmsKeyArn`: add it to the key's policy (e.g. the lake
 * key's, with `LakeStorage`'s `keyPolicyStatements`) before the log group is created with that key.
 */
export function logsKeyPolicyStatement(input: {
  readonly accountId: string;
  readonly region: string;
  readonly functionName: string;
}): Record<string, unknown> {
  return {
    Sid: "CloudWatchLogsForGovernanceValidator",
    Effect: "Allow",
    Principal: { Service: `logs.${input.region}.amazonaws.com` },
    Action: [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:DescribeKey",
    ],
    Resource: "*",
    Condition: {
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${input.region}:${input.accountId}:log-group:${validatorLogGroupName(input.functionName)}`,
      },
    },
  };
}

/**
 * The governance validator, deployed in the lake account: the governance bucket (created through
 * `secureBucket`, or an existing one) holding the published platform definition (the registry) and the
 * findings, the validator bundled as an arm64 Lambda function with its log group and a least-privilege
 * role, Lake Formation grants to read the catalog, the SES identity it sends from, an EventBridge
 * Scheduler schedule that runs it, and alarms on its errors and throttles.
 */
export class GovernanceAutomation extends pulumi.ComponentResource {
  /** The validator function's ARN. */
  public readonly functionArn: pulumi.Output<string>;
  /** The validator function's name. */
  public readonly functionName: pulumi.Output<string>;
  /** The validator's execution role ARN (the Lake Formation principal). */
  public readonly roleArn: pulumi.Output<string>;
  /** The governance bucket's name. */
  public readonly bucketName: pulumi.Output<string>;
  /** Where the platform definition is published in the bucket. */
  public readonly registryKey: string;
  /** The schedule's ARN. */
  public readonly scheduleArn: pulumi.Output<string>;
  /** The created governance bucket; undefined with `existingBucketName`. */
  public readonly bucket?: aws.s3.Bucket;
  /** The validator function. */
  public readonly function: aws.lambda.Function;
  /** The validator's execution role. */
  public readonly role: aws.iam.Role;

  constructor(name: string, args: GovernanceAutomationArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TYPE, name, {}, opts);
    const fail = (message: string): never => {
      throw new pulumi.ResourceError(`GovernanceAutomation: ${message}`, this);
    };
    const p = args.platform;
    const lake = lakeAccount(p);

    if (
      args.existingBucketName !== undefined &&
      (args.bucketName !== undefined || args.accessLogBucketName !== undefined)
    )
      fail(
        "give either existingBucketName (use that bucket, managed elsewhere) or bucketName/accessLogBucketName (create it), not both",
      );
    if (args.existingBucketName === undefined && args.accessLogBucketName === undefined)
      fail("accessLogBucketName is required to create the governance bucket (or give existingBucketName)");
    const runtime = args.runtime ?? defaults.runtime;
    const major = /^nodejs(\d+)\.x$/.exec(runtime);
    if (!major || Number(major[1]) < defaults.minimumNodeMajor)
      fail(
        `runtime "${runtime}" is not supported: the validator is bundled for Node.js ${defaults.minimumNodeMajor}; ` +
          `set runtime to "${defaults.runtime}" or a newer nodejs<version>.x (default "${defaults.runtime}")`,
      );
    const memorySize = args.memorySize ?? defaults.memorySize;
    const timeout = args.timeout ?? defaults.timeout;
    // No reserved concurrency by default: reserving needs the account's unreserved concurrency to stay
    // at 100 or more, which fails in accounts whose quota is low; runs are serialised by the run lock
    // in the governance bucket instead (runtime/lock.ts).
    const reservedConcurrency = args.reservedConcurrency;
    const logRetentionDays = args.logRetentionDays ?? defaults.logRetentionDays;
    const retryAttempts = args.retryAttempts ?? defaults.retryAttempts;
    const maximumEventAge = args.maximumEventAgeSeconds ?? defaults.maximumEventAgeSeconds;
    const findingsRetentionDays = args.findingsRetentionDays ?? defaults.findingsRetentionDays;
    const integer = (arg: string, value: number, min: number, max: number, hint = "") => {
      if (!Number.isInteger(value) || value < min || value > max)
        fail(`${arg} ${value} must be an integer from ${min} to ${max}${hint}`);
    };
    integer("memorySize", memorySize, 128, 10_240, ` (default ${defaults.memorySize})`);
    integer("timeout", timeout, 1, 900, ` (default ${defaults.timeout})`);
    if (reservedConcurrency !== undefined)
      integer(
        "reservedConcurrency",
        reservedConcurrency,
        1,
        1000,
        `; 0 would throttle every run — set enabled: false to pause the schedule instead`,
      );
    integer("logRetentionDays", logRetentionDays, 0, 3653, " (0 keeps the logs forever)");
    integer("retryAttempts", retryAttempts, 0, 185);
    integer("maximumEventAgeSeconds", maximumEventAge, 60, 86_400);
    integer("findingsRetentionDays", findingsRetentionDays, 1, 36_500);
    const scope: ValidatorLfTagScope = args.lfTagScope ?? {
      key: defaults.lfTagKey,
      values: p.lake.lfTags[defaults.lfTagKey] ?? [],
    };
    if (scope.values.length === 0)
      fail(`lfTagScope: LF-tag "${scope.key}" has no values, so the validator's grants would cover nothing`);

    const accountId = lake.id;
    const region = lake.region;
    const roleName = args.roleName ?? validatorRoleName(p);
    const functionName = args.functionName ?? `${p.name}-governance-validator`;
    const schedulerRoleName = `${roleName}-scheduler`;
    if (schedulerRoleName.length > 64)
      fail(
        `roleName "${roleName}" is too long: its scheduler role "${schedulerRoleName}" exceeds IAM's 64 characters`,
      );
    const tracing = args.tracing ?? defaults.tracing;
    const tags = { ...(args.tags ?? {}) };
    const parent = { parent: this };

    // The governance bucket: created like every lake bucket, or an existing one.
    let bucket: string;
    let bucketReady: pulumi.Resource[] = [];
    if (args.existingBucketName !== undefined) {
      bucket = args.existingBucketName;
      this.bucketName = pulumi.output(bucket);
    } else {
      bucket = args.bucketName ?? governanceBucketName(p, "governance");
      const created = secureBucket(
        {
          name: `${name}-bucket`,
          bucketName: bucket,
          encryption: { kmsKeyArn: args.kmsKeyArn },
          lifecycleRules: [
            {
              id: "expire-findings",
              status: "Enabled",
              filter: { prefix: "findings/" },
              expiration: { days: findingsRetentionDays },
            },
            {
              id: "noncurrent-versions",
              status: "Enabled",
              filter: {},
              noncurrentVersionExpiration: { noncurrentDays: defaults.noncurrentVersionExpireDays },
              abortIncompleteMultipartUpload: {
                daysAfterInitiation: defaults.abortIncompleteMultipartUploadDays,
              },
            },
          ],
          extraStatements: (arn) => [
            {
              Sid: "DenyUnencryptedOrForeignKeyWrites",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:PutObject",
              Resource: `${arn}/*`,
              Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } },
            },
          ],
          logging: { targetBucket: args.accessLogBucketName!, targetPrefix: defaults.accessLogPrefix },
          forceDestroy: args.allowDataDestruction ?? defaults.allowDataDestruction,
          tags,
        },
        this,
      );
      this.bucket = created.bucket;
      this.bucketName = created.bucket.bucket;
      bucketReady = [created.policy];
    }

    // The registry: the definition the validator reads and re-validates on every run.
    this.registryKey = REGISTRY_KEY;
    const registry = new aws.s3.BucketObjectv2(
      `${name}-registry`,
      {
        bucket: this.bucketName,
        key: REGISTRY_KEY,
        content: JSON.stringify(p),
        contentType: "application/json",
        serverSideEncryption: "aws:kms",
        kmsKeyId: args.kmsKeyArn,
        bucketKeyEnabled: true,
        tags,
      },
      { parent: this, dependsOn: bucketReady },
    );

    // The execution role: the runtime's statements, its own log group and nothing else.
    const logGroupName = validatorLogGroupName(functionName);
    const logGroupArn = `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}`;
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: roleName,
        description:
          "The governance validator: reads the lake and its catalog, writes findings, sends reports",
        assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", accountId),
        tags,
      },
      parent,
    );
    this.roleArn = this.role.arn;
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.id,
        policy: pulumi.output(args.kmsKeyArn).apply((kmsKeyArn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: validatorRoleStatements({
              platform: p,
              region,
              kmsKeyArn,
              bucket,
              logGroupArn,
              tracing,
            }),
          }),
        ),
      },
      parent,
    );

    // Lake Formation: DESCRIBE the databases, SELECT and DESCRIBE the tables of the scope; no grant option.
    const lfAfter = [...(args.lakeFormationDependencies ?? [])];
    const expressions = [{ key: scope.key, values: [...scope.values] }];
    new aws.lakeformation.Permissions(
      `${name}-lf-databases`,
      {
        catalogId: accountId,
        principal: this.role.arn,
        permissions: ["DESCRIBE"],
        lfTagPolicy: { catalogId: accountId, resourceType: "DATABASE", expressions },
      },
      { parent: this, dependsOn: lfAfter },
    );
    new aws.lakeformation.Permissions(
      `${name}-lf-tables`,
      {
        catalogId: accountId,
        principal: this.role.arn,
        permissions: ["DESCRIBE", "SELECT"],
        lfTagPolicy: { catalogId: accountId, resourceType: "TABLE", expressions },
      },
      { parent: this, dependsOn: lfAfter },
    );

    // The sender: SES sends a verification e-mail to it; the validator may send from it only.
    new aws.sesv2.EmailIdentity(`${name}-sender`, { emailIdentity: p.governance.sender, tags }, parent);

    // The function, its log group first so Lambda never creates one without retention.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: logGroupName,
        retentionInDays: logRetentionDays,
        ...(args.logKmsKeyArn !== undefined ? { kmsKeyId: args.logKmsKeyArn } : {}),
        tags,
      },
      parent,
    );
    const code = bundleValidator({ minify: args.minify ?? defaults.minify });
    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: functionName,
        description: "Checks every registered dataset against its registration and e-mails the owners",
        role: this.role.arn,
        runtime,
        architectures: [defaults.architecture],
        handler: `index.${handlerExport()}`,
        code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(code) }),
        memorySize,
        timeout,
        ...(reservedConcurrency !== undefined ? { reservedConcurrentExecutions: reservedConcurrency } : {}),
        environment: { variables: { [GOVERNANCE_BUCKET_ENV]: this.bucketName } },
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        tracingConfig: { mode: tracing ? "Active" : "PassThrough" },
        tags,
      },
      { parent: this, dependsOn: [rolePolicy, registry] },
    );
    this.functionArn = this.function.arn;
    this.functionName = this.function.name;
    // One retry mechanism: the schedule's. Lambda's own async retries would run (and e-mail) again.
    new aws.lambda.FunctionEventInvokeConfig(
      `${name}-invoke-config`,
      { functionName: this.function.name, maximumRetryAttempts: 0 },
      parent,
    );

    // The schedule, through a role that may invoke this function only.
    const functionArn = `arn:aws:lambda:${region}:${accountId}:function:${functionName}`;
    const schedulerRole = new aws.iam.Role(
      `${name}-scheduler-role`,
      {
        name: schedulerRoleName,
        description: "EventBridge Scheduler invokes the governance validator through this role",
        assumeRolePolicy: serviceTrustPolicy("scheduler.amazonaws.com", accountId),
        tags,
      },
      parent,
    );
    const schedulerPolicy = new aws.iam.RolePolicy(
      `${name}-scheduler-role-policy`,
      {
        role: schedulerRole.id,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "InvokeValidator",
              Effect: "Allow",
              Action: ["lambda:InvokeFunction"],
              Resource: [functionArn],
            },
          ],
        }),
      },
      parent,
    );
    const schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: functionName,
        description: "Runs the governance validator",
        scheduleExpression: args.schedule ?? p.governance.schedule,
        scheduleExpressionTimezone: args.scheduleTimezone ?? defaults.scheduleTimezone,
        flexibleTimeWindow: { mode: "OFF" },
        state: (args.enabled ?? defaults.enabled) ? "ENABLED" : "DISABLED",
        target: {
          arn: this.function.arn,
          roleArn: schedulerRole.arn,
          input: "{}",
          retryPolicy: { maximumRetryAttempts: retryAttempts, maximumEventAgeInSeconds: maximumEventAge },
        },
      },
      { parent: this, dependsOn: [schedulerPolicy] },
    );
    this.scheduleArn = schedule.arn;

    // Alarms: a failed run (the handler fails when e-mails could not be sent) and a throttled one.
    const actions = args.alarmTopicArn !== undefined ? [args.alarmTopicArn] : [];
    for (const [role, metric, what] of [
      ["errors", "Errors", "failed"],
      ["throttles", "Throttles", "was throttled"],
    ] as const) {
      new aws.cloudwatch.MetricAlarm(
        `${name}-${role}-alarm`,
        {
          name: `${functionName}-${role}`,
          alarmDescription: `The governance validator ${what} in the last day; see its log group ${logGroupName}`,
          namespace: "AWS/Lambda",
          metricName: metric,
          dimensions: { FunctionName: this.function.name },
          statistic: "Sum",
          period: defaults.alarmPeriodSeconds,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          treatMissingData: "notBreaching",
          alarmActions: actions,
          okActions: actions,
          tags,
        },
        parent,
      );
    }

    this.registerOutputs({
      functionArn: this.functionArn,
      functionName: this.functionName,
      roleArn: this.roleArn,
      bucketName: this.bucketName,
      registryKey: this.registryKey,
      scheduleArn: this.scheduleArn,
    });
  }
}
