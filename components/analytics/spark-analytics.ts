import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  decryptLakeCatalogStatements,
  policyDocument,
  PolicyDocument,
  PolicyStatement,
  readThroughLinksStatements,
  serviceTrustPolicy,
} from "../shared/iam";
import { accountRootControlStatement } from "../shared/key-policy";
import { describeLinks } from "../shared/link-grants";
import { defaults, LakeCatalogRef, SharedDatabase, SparkAnalyticsArgs } from "./spark-analytics-args";

export {
  defaults,
  LakeCatalogRef,
  SharedDatabase,
  SparkAnalyticsArgs,
  SparkArtifactsBucket,
  SparkNetwork,
} from "./spark-analytics-args";

/** The EMR Serverless service principal. */
const EMR_SERVERLESS = "emr-serverless.amazonaws.com";

/**
 * A team's Spark on EMR Serverless, reading the lake through Lake Formation: an application (Spark,
 * auto-start, auto-stop, capped capacity, the Glue Data Catalog as metastore, Lake Formation
 * fine-grained access control on) whose logs all go encrypted under the application's own
 * customer-managed key — to S3 under the artifacts prefix and to a CloudWatch log group, managed
 * persistence off unless asked for — and a least-privilege job runtime role: Lake Formation credentials,
 * Glue reads of the links and the lake's shared databases, its scripts and logs, and nothing of the
 * lake's buckets (Lake Formation vends the data). The job role gets DESCRIBE on the resource links here;
 * what it reads behind them is granted in the lake, to it, as to the team.
 */
export class SparkAnalytics extends pulumi.ComponentResource {
  /** The EMR Serverless application. */
  public readonly application: aws.emrserverless.Application;
  /** The job runtime role (`--execution-role-arn` of `start-job-run`). */
  public readonly jobRole: aws.iam.Role;
  /** The key encrypting every log destination. */
  public readonly key: aws.kms.Key;
  /** The CloudWatch log group of the jobs. */
  public readonly logGroup: aws.cloudwatch.LogGroup;
  /** `s3://<bucket>/<prefix>logs/`: where the jobs' S3 logs go. */
  public readonly logUri: string;
  /** `s3://<bucket>/<prefix>scripts/`: where the job role reads scripts. */
  public readonly scriptsUri: string;

  constructor(name: string, args: SparkAnalyticsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:analytics:SparkAnalytics", name, {}, opts);
    const releaseLabel = args.releaseLabel ?? defaults.releaseLabel;
    const maxVcpu = args.maxVcpu ?? defaults.maxVcpu;
    const maxMemoryGb = args.maxMemoryGb ?? defaults.maxMemoryGb;
    const idle = args.idleTimeoutMinutes ?? defaults.idleTimeoutMinutes;
    const retention = args.logRetentionDays ?? defaults.logRetentionDays;
    const managed = args.managedPersistence ?? defaults.managedPersistence;
    const lakeFormation = args.lakeFormation ?? defaults.lakeFormation;
    const destroy = args.allowDataDestruction ?? defaults.allowDataDestruction;
    const jobRoleName = args.jobRoleName ?? `${args.applicationName}-job`;
    const prefix = args.artifactsPrefix ?? `emr-serverless/${args.applicationName}/`;
    const databases = args.sharedDatabases ?? [];
    const tags = { ...(args.tags ?? {}) };
    validate(this, args, { releaseLabel, maxVcpu, maxMemoryGb, idle, retention, prefix });

    const logGroupName = `/aws/emr-serverless/${args.applicationName}`;
    const logGroupArn = `arn:aws:logs:${args.region}:${args.accountId}:log-group:${logGroupName}`;
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the job logs of EMR Serverless application ${args.applicationName}`,
        enableKeyRotation: true,
        deletionWindowInDays: destroy
          ? defaults.keyDeletionWindowDaysWhenDestructionAllowed
          : defaults.keyDeletionWindowDays,
        policy: JSON.stringify(
          logKeyPolicy({
            accountId: args.accountId,
            region: args.region,
            logGroupArn,
            managedPersistence: managed,
          }),
        ),
        tags,
      },
      { parent: this },
    );
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: logGroupName, retentionInDays: retention, kmsKeyId: this.key.arn, tags },
      { parent: this },
    );

    this.logUri = `s3://${args.artifacts.bucketName}/${prefix}logs/`;
    this.scriptsUri = `s3://${args.artifacts.bucketName}/${prefix}scripts/`;
    this.application = new aws.emrserverless.Application(
      `${name}-app`,
      {
        name: args.applicationName,
        type: "spark",
        releaseLabel,
        autoStartConfiguration: { enabled: true },
        autoStopConfiguration: { enabled: true, idleTimeoutMinutes: idle },
        maximumCapacity: { cpu: `${maxVcpu} vCPU`, memory: `${maxMemoryGb} GB` },
        ...(args.network
          ? {
              networkConfiguration: {
                subnetIds: [...args.network.subnetIds],
                securityGroupIds: [...(args.network.securityGroupIds ?? [])],
              },
            }
          : {}),
        monitoringConfiguration: {
          s3MonitoringConfiguration: { logUri: this.logUri, encryptionKeyArn: this.key.arn },
          cloudwatchLoggingConfiguration: {
            enabled: true,
            logGroupName,
            encryptionKeyArn: this.key.arn,
          },
          // Managed persistence is on by default under an AWS-owned key: off, or under ours.
          managedPersistenceMonitoringConfiguration: managed
            ? { enabled: true, encryptionKeyArn: this.key.arn }
            : { enabled: false },
        },
        runtimeConfigurations: [
          { classification: "spark-defaults", properties: sparkDefaults(lakeFormation, args.sparkDefaults) },
        ],
        tags,
      },
      { parent: this, dependsOn: [this.logGroup] },
    );

    const bucketArn = `arn:aws:s3:::${args.artifacts.bucketName}`;
    this.jobRole = new aws.iam.Role(
      `${name}-job-role`,
      {
        name: jobRoleName,
        description: `Job runtime role of EMR Serverless application ${args.applicationName}: reads the lake through Lake Formation`,
        // Only jobs of this application, in this account, may run as the role.
        assumeRolePolicy: this.application.arn.apply((appArn) =>
          serviceTrustPolicy(EMR_SERVERLESS, args.accountId, appArn),
        ),
        tags,
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-job-policy`,
      {
        role: this.jobRole.id,
        policy: pulumi.all([this.key.arn, args.artifacts.keyArn]).apply(([keyArn, artifactsKeyArn]) =>
          JSON.stringify(
            jobRolePolicy({
              accountId: args.accountId,
              region: args.region,
              lake: args.lake,
              databases,
              bucketName: args.artifacts.bucketName,
              prefix,
              logKeyArn: keyArn,
              artifactsKeyArn,
              logGroupArn,
            }),
          ),
        ),
      },
      { parent: this },
    );

    // DESCRIBE on the links; what the job reads behind them is the lake's grant.
    describeLinks(name, this, {
      accountId: args.accountId,
      principal: this.jobRole.arn,
      databases,
      dependsOn: args.lakeFormationDependencies,
    });

    for (const [key, role] of Object.entries(args.submitters ?? {})) {
      new aws.iam.RolePolicy(
        `${name}-submit-${key}`,
        {
          role,
          policy: pulumi
            .all([this.application.arn, this.jobRole.arn, this.key.arn, args.artifacts.keyArn])
            .apply(([appArn, jobRoleArn, keyArn, artifactsKeyArn]) =>
              JSON.stringify(
                submitterPolicy({
                  appArn,
                  jobRoleArn,
                  bucketArn,
                  prefix,
                  logKeyArn: keyArn,
                  artifactsKeyArn,
                }),
              ),
            ),
        },
        { parent: this },
      );
    }

    this.registerOutputs({
      applicationId: this.application.id,
      applicationArn: this.application.arn,
      jobRoleArn: this.jobRole.arn,
      keyArn: this.key.arn,
      logGroup: logGroupName,
      logUri: this.logUri,
      scriptsUri: this.scriptsUri,
    });
  }
}

/**
 * The application's `spark-defaults`: the Glue Data Catalog as Hive metastore and, unless switched off,
 * Lake Formation fine-grained access control; `extra` cannot override either.
 */
export function sparkDefaults(
  lakeFormation: boolean,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...extra,
    "spark.hadoop.hive.metastore.client.factory.class": defaults.glueMetastoreClientFactory,
    "spark.emr-serverless.lakeformation.enabled": String(lakeFormation),
  };
}

/** What {@link logKeyPolicy} is built from. */
export interface LogKeyPolicySpec {
  readonly accountId: string;
  readonly region: string;
  /** The log group the key encrypts (CloudWatch Logs may use the key for it only). */
  readonly logGroupArn: string;
  /** Let EMR Serverless use the key for managed persistence. */
  readonly managedPersistence: boolean;
}

/**
 * The log key's policy: the account root delegates to IAM (the job role gets the key in its own policy),
 * CloudWatch Logs may use it for the application's log group only, and EMR Serverless for its managed
 * storage of this account when managed persistence is on.
 */
export function logKeyPolicy(spec: LogKeyPolicySpec): PolicyDocument {
  const statements: PolicyStatement[] = [accountRootControlStatement(spec.accountId)];
  statements.push({
    Sid: "CloudWatchLogsForTheLogGroup",
    Effect: "Allow",
    Principal: { Service: `logs.${spec.region}.amazonaws.com` },
    Action: [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:DescribeKey",
    ],
    Resource: "*",
    Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": spec.logGroupArn } },
  });
  if (spec.managedPersistence) {
    statements.push({
      Sid: "EmrServerlessManagedPersistence",
      Effect: "Allow",
      Principal: { Service: EMR_SERVERLESS },
      Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": spec.accountId } },
    });
  }
  return policyDocument(statements);
}

/** What {@link jobRolePolicy} is built from. */
export interface JobRolePolicySpec {
  readonly accountId: string;
  readonly region: string;
  readonly lake: LakeCatalogRef;
  /** The lake databases the jobs read, with their resource links here. */
  readonly databases: readonly SharedDatabase[];
  readonly bucketName: string;
  /** The application's prefix in the bucket, ending in `/`. */
  readonly prefix: string;
  readonly logKeyArn: string;
  readonly artifactsKeyArn: string;
  readonly logGroupArn: string;
}

/**
 * The job runtime role's least privilege, with no wildcard action: Lake Formation credentials, Glue reads
 * of this account's links (and Spark's `default` database) and of the lake's shared databases, its
 * scripts and logs under the application's prefix, the log key, the log group, and the lake's catalog
 * key through Glue only — no S3 access to the lake, whose data Lake Formation vends.
 */
export function jobRolePolicy(spec: JobRolePolicySpec): PolicyDocument {
  const here = `arn:aws:glue:${spec.region}:${spec.accountId}`;
  const bucket = `arn:aws:s3:::${spec.bucketName}`;
  return policyDocument([
    ...readThroughLinksStatements(spec),
    {
      Sid: "SparkDefaultDatabase",
      Effect: "Allow",
      Action: "glue:GetDatabase",
      Resource: [`${here}:catalog`, `${here}:database/default`],
    },
    {
      Sid: "ListOwnArtifacts",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucket,
      Condition: { StringLike: { "s3:prefix": [spec.prefix, `${spec.prefix}*`] } },
    },
    {
      Sid: "ReadScripts",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `${bucket}/${spec.prefix}scripts/*`,
    },
    {
      Sid: "WriteLogs",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject"],
      Resource: `${bucket}/${spec.prefix}logs/*`,
    },
    {
      Sid: "UseLogKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: spec.logKeyArn,
    },
    {
      Sid: "DecryptScripts",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: spec.artifactsKeyArn,
    },
    {
      Sid: "FindLogGroup",
      Effect: "Allow",
      Action: "logs:DescribeLogGroups",
      Resource: `arn:aws:logs:${spec.region}:${spec.accountId}:log-group:*`,
    },
    {
      Sid: "WriteLogGroup",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
      Resource: [spec.logGroupArn, `${spec.logGroupArn}:*`],
    },
    ...decryptLakeCatalogStatements(spec.lake),
  ]);
}

/** What {@link submitterPolicy} is built from. */
export interface SubmitterPolicySpec {
  readonly appArn: string;
  readonly jobRoleArn: string;
  readonly bucketArn: string;
  readonly prefix: string;
  readonly logKeyArn: string;
  readonly artifactsKeyArn: string;
}

/**
 * What a role needs to run jobs on the application, with no wildcard action: start, follow and cancel
 * its job runs, pass the job role to EMR Serverless only, upload scripts under the prefix and read the
 * job logs.
 */
export function submitterPolicy(spec: SubmitterPolicySpec): PolicyDocument {
  return policyDocument([
    {
      Sid: "RunJobsOnTheApplication",
      Effect: "Allow",
      Action: [
        "emr-serverless:GetApplication",
        "emr-serverless:StartJobRun",
        "emr-serverless:GetJobRun",
        "emr-serverless:ListJobRuns",
        "emr-serverless:CancelJobRun",
        "emr-serverless:GetDashboardForJobRun",
      ],
      Resource: [spec.appArn, `${spec.appArn}/jobruns/*`],
    },
    {
      Sid: "PassTheJobRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: spec.jobRoleArn,
      Condition: { StringEquals: { "iam:PassedToService": EMR_SERVERLESS } },
    },
    {
      Sid: "ListOwnArtifacts",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: spec.bucketArn,
      Condition: { StringLike: { "s3:prefix": [spec.prefix, `${spec.prefix}*`] } },
    },
    {
      Sid: "UploadScripts",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject"],
      Resource: `${spec.bucketArn}/${spec.prefix}scripts/*`,
    },
    {
      Sid: "ReadLogs",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `${spec.bucketArn}/${spec.prefix}logs/*`,
    },
    {
      Sid: "UseArtifactsKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: spec.artifactsKeyArn,
    },
    {
      Sid: "DecryptLogs",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: spec.logKeyArn,
    },
  ]);
}

function validate(
  parent: pulumi.Resource,
  args: SparkAnalyticsArgs,
  v: {
    releaseLabel: string;
    maxVcpu: number;
    maxMemoryGb: number;
    idle: number;
    retention: number;
    prefix: string;
  },
): void {
  const fail = (message: string) => {
    throw new pulumi.ResourceError(`SparkAnalytics: ${message}`, parent);
  };
  if (!/^emr-7\.\d+\.\d+$/.test(v.releaseLabel))
    fail(
      `releaseLabel "${v.releaseLabel}" is not an EMR 7.x release such as ${defaults.releaseLabel} (Lake Formation fine-grained access needs 7.2.0 or later)`,
    );
  const minor = Number(v.releaseLabel.split(".")[1]);
  if ((args.lakeFormation ?? defaults.lakeFormation) && minor < 2)
    fail(`releaseLabel ${v.releaseLabel}: Lake Formation fine-grained access needs emr-7.2.0 or later`);
  if (!Number.isInteger(v.maxVcpu) || v.maxVcpu < 1)
    fail(`maxVcpu ${v.maxVcpu} must be a whole number, 1 or more`);
  if (!Number.isInteger(v.maxMemoryGb) || v.maxMemoryGb < 1)
    fail(`maxMemoryGb ${v.maxMemoryGb} must be a whole number of GB, 1 or more`);
  if (!Number.isInteger(v.idle) || v.idle < 1 || v.idle > defaults.maxIdleTimeoutMinutes)
    fail(`idleTimeoutMinutes ${v.idle} must be a whole number from 1 to ${defaults.maxIdleTimeoutMinutes}`);
  if (!(defaults.allowedLogRetentionDays as readonly number[]).includes(v.retention))
    fail(
      `logRetentionDays ${v.retention} is not a period CloudWatch Logs accepts (${defaults.allowedLogRetentionDays.join(", ")})`,
    );
  if (!v.prefix.endsWith("/") || v.prefix.startsWith("/"))
    fail(`artifactsPrefix "${v.prefix}" must end with "/" and not start with one`);
  if (args.network && args.network.subnetIds.length === 0)
    fail("network.subnetIds is empty; name at least one subnet, or leave network out");
  if (args.lake.accountId === args.accountId)
    fail(`the lake's account ${args.lake.accountId} is this account; resource links reach another account`);
  const links = new Set<string>();
  (args.sharedDatabases ?? []).forEach((d, i) => {
    if (links.has(d.linkName)) fail(`sharedDatabases[${i}]: link name ${d.linkName} is used twice`);
    links.add(d.linkName);
  });
}
