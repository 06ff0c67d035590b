import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bucketName as governanceBucketName, lakeAccount, validatorRoleName } from "../../platform";
import { secureBucket } from "../shared/secure-bucket";
import {
  defaults,
  GovernanceAutomationArgs,
  GovernanceValidatorArgs,
  ValidatorLfTagScope,
} from "./governance-automation-args";
import {
  logsKeyStatement,
  policyDocument,
  policyJson,
  PolicyStatement,
  serviceTrustPolicy,
} from "../shared/iam";

export {
  defaults,
  GovernanceAutomationArgs,
  GovernanceValidatorArgs,
  ValidatorLfTagScope,
} from "./governance-automation-args";

const TYPE = "lakehouse:governance:GovernanceAutomation";

/**
 * Where the packaged validator handler is: `dist/validator-handler/index.js`, found from this file's
 * folder. Compiled, this file is `dist/components/governance/governance-automation.js`, so the artefact
 * is two folders up; from the repository's sources (`components/governance/*.ts`) it is the repository's
 * `dist/`, where `npm run build:validator` writes it.
 */
export function packagedValidatorHandler(dir: string = __dirname, file: string = __filename): string {
  const root = path.join(dir, "..", "..");
  const dist = path.extname(file) === ".ts" ? path.join(root, "dist") : root;
  return path.join(dist, "validator-handler", "index.js");
}

/**
 * The function's code: `code` as given (an archive, or the path of the bundled file), else the packaged
 * artefact. A path is read by the engine when it deploys or previews; under Pulumi's mocks (the offline
 * plan, the tests: no engine) it is only serialized, so an unbuilt artefact is refused only where it
 * would be read: with an engine, or when `code` names the path explicitly.
 */
export function validatorCode(input: {
  readonly code?: string | pulumi.asset.Archive;
  /** The archive's file name, `<module>.js` of the handler setting. */
  readonly file: string;
  /** Whether the engine will read the file (a real preview or update). */
  readonly deploying: boolean;
  /** The packaged artefact. @default {@link packagedValidatorHandler}() */
  readonly packaged?: string;
}): pulumi.asset.Archive {
  if (input.code !== undefined && typeof input.code !== "string") return input.code;
  const file = input.code ?? input.packaged ?? packagedValidatorHandler();
  const explicit = input.code !== undefined;
  if (explicit || input.deploying) {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat === undefined)
      throw new Error(
        explicit
          ? `validator.code: ${file} does not exist: give the path of the bundled handler file (npm run build:validator writes dist/validator-handler/index.js) or a pulumi.asset.Archive`
          : `validator.code: the packaged validator handler ${file} is missing: run \`npm run build:validator\` (prepack runs it, so a published package has it), or give validator.code (the bundled file's path or a pulumi.asset.Archive)`,
      );
    if (!stat.isFile())
      throw new Error(
        `validator.code: ${file} is not a file: give the bundled handler's single JavaScript file, or a pulumi.asset.FileArchive of a folder`,
      );
  }
  return new pulumi.asset.AssetArchive({ [input.file]: new pulumi.asset.FileAsset(file) });
}

/** Whether a deployment engine runs this program (it then reads file assets); none under the mocks. */
function engineAttached(): boolean {
  return pulumi.runtime.getEngine() !== undefined;
}

/** The plain-string resources of statements (those known when the program runs). */
function knownResources(statements: readonly PolicyStatement[]): string[] {
  return statements.flatMap((s) => {
    const r: unknown = s.Resource;
    const list = Array.isArray(r) ? r : [r];
    return list.filter((x): x is string => typeof x === "string");
  });
}

/**
 * The validator role's statements: the validator's own (`validator.statements`, built for the bucket
 * used), plus writing to its own log group and, with tracing, sending X-Ray traces.
 */
export function validatorRoleStatements(input: {
  readonly statements: readonly PolicyStatement[];
  readonly logGroupArn: string;
  readonly tracing: boolean;
}): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    ...input.statements,
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [`${input.logGroupArn}:*`],
    },
  ];
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
}): PolicyStatement {
  return logsKeyStatement({
    sid: "CloudWatchLogsForGovernanceValidator",
    region: input.region,
    logGroupArn: `arn:aws:logs:${input.region}:${input.accountId}:log-group:${validatorLogGroupName(input.functionName)}`,
  });
}

/**
 * The governance validator, deployed in the lake account: the governance bucket (created through
 * `secureBucket`, or an existing one) holding the published platform definition (the registry) and the
 * findings, the validator's pre-bundled handler (`validator.code`, by default the packaged artefact) as an arm64 Lambda function with its log group and a least-privilege
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
    // in the governance bucket instead (validator/lock.ts).
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
    const validator: GovernanceValidatorArgs =
      (args.validator as GovernanceValidatorArgs | undefined) ??
      fail(
        "validator is required: pass validatorDeployment(platform, { governanceBucket, kmsKeyArn }) from @acme/lakehouse/validator (the handler, registry key, environment variable and role statements)",
      );
    const [, handlerModule] =
      /^([A-Za-z0-9_-]+)\.([A-Za-z_$][\w$]*)$/.exec(validator.handler) ??
      fail(`validator.handler "${validator.handler}" must be <module>.<export>, e.g. "index.handler"`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(validator.bucketEnvironmentVariable))
      fail(
        `validator.bucketEnvironmentVariable "${validator.bucketEnvironmentVariable}" is not a valid environment variable name (letters, digits, _; e.g. "GOVERNANCE_BUCKET")`,
      );
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

    // The validator's statements must be built for the bucket used here: no rewriting of someone else's.
    const registryArn = `arn:aws:s3:::${bucket}/${validator.registryKey}`;
    if (!knownResources(validator.statements).includes(registryArn))
      fail(
        `validator.statements do not let the role read the registry ${registryArn}: build them for the governance bucket this component uses, validatorDeployment(platform, { governanceBucket: "${bucket}", kmsKeyArn })`,
      );
    const code = ((): pulumi.asset.Archive => {
      try {
        return validatorCode({
          code: validator.code,
          file: `${handlerModule}.js`,
          deploying: engineAttached(),
        });
      } catch (err) {
        return fail((err as Error).message);
      }
    })();

    // The registry: the definition the validator reads and re-validates on every run.
    this.registryKey = validator.registryKey;
    const registry = new aws.s3.BucketObjectv2(
      `${name}-registry`,
      {
        bucket: this.bucketName,
        key: this.registryKey,
        content: validator.registryContent ?? JSON.stringify(p),
        contentType: "application/json",
        serverSideEncryption: "aws:kms",
        kmsKeyId: args.kmsKeyArn,
        bucketKeyEnabled: true,
        tags,
      },
      { parent: this, dependsOn: bucketReady },
    );

    // The execution role: the validator's statements, its own log group and nothing else.
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
        policy: policyJson(
          policyDocument(validatorRoleStatements({ statements: validator.statements, logGroupArn, tracing })),
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
    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: functionName,
        description: "Checks every registered dataset against its registration and e-mails the owners",
        role: this.role.arn,
        runtime,
        architectures: [defaults.architecture],
        handler: validator.handler,
        code,
        memorySize,
        timeout,
        ...(reservedConcurrency !== undefined ? { reservedConcurrentExecutions: reservedConcurrency } : {}),
        environment: { variables: { [validator.bucketEnvironmentVariable]: this.bucketName } },
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
