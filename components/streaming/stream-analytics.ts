import * as fs from "fs";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  policyDocument,
  PolicyDocument,
  PolicyStatement,
  readStreamStatements,
  serviceTrustPolicy,
} from "../shared/iam";
import { defaults, StreamAnalyticsArgs } from "./stream-analytics-args";

export { defaults, FlinkCode, StreamAnalyticsArgs } from "./stream-analytics-args";

/** Least privilege for the application: read its stream, read its code, write its logs. */
export function flinkRolePolicy(spec: {
  streamArn: string;
  streamKeyArn: string;
  codeBucket: string;
  codeKey: string;
  codeKmsKeyArn?: string;
  region: string;
  logGroupArn: string;
}): PolicyDocument {
  const statements: PolicyStatement[] = [
    ...readStreamStatements(spec),
    {
      Sid: "ReadApplicationCode",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: `arn:aws:s3:::${spec.codeBucket}/${spec.codeKey}`,
    },
    ...(spec.codeKmsKeyArn !== undefined
      ? ([
          {
            Sid: "DecryptApplicationCode",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: spec.codeKmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${spec.region}.amazonaws.com` } },
          },
        ] satisfies PolicyStatement[])
      : []),
    {
      Sid: "WriteApplicationLogs",
      Effect: "Allow",
      Action: ["logs:DescribeLogStreams", "logs:PutLogEvents"],
      Resource: [`${spec.logGroupArn}:*`],
    },
    {
      Sid: "FindLogGroups",
      Effect: "Allow",
      Action: "logs:DescribeLogGroups",
      Resource: spec.logGroupArn.replace(/:log-group:.*$/, ":log-group:*"),
    },
  ];
  return policyDocument(statements);
}

/**
 * Stream analytics on a dataset's stream: a Managed Service for Apache Flink application reading the
 * Kinesis data stream (its ARN in the `source` property group), its code from S3, checkpointing and
 * snapshots on, logging to its own CloudWatch log group, and its own role allowed exactly that.
 */
export class StreamAnalytics extends pulumi.ComponentResource {
  /** The Flink application. */
  public readonly application: aws.kinesisanalyticsv2.Application;
  /** Its execution role. */
  public readonly role: aws.iam.Role;
  /** The uploaded code object; undefined without `code.source` (the object exists). */
  public readonly codeObject?: aws.s3.BucketObjectv2;

  constructor(name: string, args: StreamAnalyticsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:streaming:StreamAnalytics", name, {}, opts);
    const parallelism = args.parallelism ?? defaults.parallelism;
    if (!Number.isInteger(parallelism) || parallelism < 1)
      throw new pulumi.ResourceError(
        `StreamAnalytics: parallelism ${parallelism} must be a whole number of at least 1`,
        this,
      );
    if (args.properties && "source" in args.properties)
      throw new pulumi.ResourceError(
        "StreamAnalytics: the property group `source` is the component's (it names the stream); use another group",
        this,
      );
    const { code } = args;
    if (code.source !== undefined && code.objectVersion !== undefined)
      throw new pulumi.ResourceError(
        "StreamAnalytics: give either code.source (upload it and pin its version) or code.objectVersion (an existing object's version), not both",
        this,
      );
    if (code.source !== undefined && !fs.statSync(code.source, { throwIfNoEntry: false })?.isFile())
      throw new pulumi.ResourceError(
        `StreamAnalytics: code.source ${code.source} is not a file; build the application's artefact (.zip or .jar) first`,
        this,
      );
    const tags = { ...(args.tags ?? {}) };
    const applicationName = args.applicationName ?? name;
    const logGroupName = `/aws/kinesis-analytics/${applicationName}`;
    const logGroupArn = `arn:aws:logs:${args.region}:${args.accountId}:log-group:${logGroupName}`;

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: logGroupName, retentionInDays: args.logRetentionDays ?? defaults.logRetentionDays, tags },
      { parent: this },
    );
    const logStream = new aws.cloudwatch.LogStream(
      `${name}-log-stream`,
      { logGroupName: logGroup.name, name: defaults.logStreamName },
      { parent: this },
    );

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: `The Flink application ${applicationName} runs as this role`,
        assumeRolePolicy: serviceTrustPolicy("kinesisanalytics.amazonaws.com", args.accountId),
        tags,
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: args.roleName,
        policy: pulumi
          .all([args.streamArn, args.streamKeyArn, args.code.kmsKeyArn])
          .apply(([streamArn, streamKeyArn, codeKmsKeyArn]) =>
            JSON.stringify(
              flinkRolePolicy({
                streamArn,
                streamKeyArn,
                codeBucket: args.code.bucketName,
                codeKey: args.code.fileKey,
                ...(codeKmsKeyArn !== undefined ? { codeKmsKeyArn } : {}),
                region: args.region,
                logGroupArn,
              }),
            ),
          ),
      },
      { parent: this, dependsOn: [this.role] },
    );

    // Managed Flink reads the code object when the application is created: upload it first, after the
    // bucket, its policy and its key exist, and pin the uploaded version so a new artefact redeploys.
    const waitFor = [...(code.dependsOn ?? [])];
    if (code.source !== undefined) {
      this.codeObject = new aws.s3.BucketObjectv2(
        `${name}-code`,
        {
          bucket: code.bucketName,
          key: code.fileKey,
          source: new pulumi.asset.FileAsset(code.source),
          ...(code.kmsKeyArn !== undefined
            ? { serverSideEncryption: "aws:kms", kmsKeyId: code.kmsKeyArn }
            : {}),
          tags,
        },
        { parent: this, dependsOn: waitFor },
      );
      waitFor.push(this.codeObject);
    }
    const objectVersion = this.codeObject?.versionId ?? code.objectVersion;

    this.application = new aws.kinesisanalyticsv2.Application(
      `${name}-app`,
      {
        name: applicationName,
        runtimeEnvironment: args.runtime ?? defaults.runtime,
        serviceExecutionRole: this.role.arn,
        startApplication: args.start ?? defaults.start,
        cloudwatchLoggingOptions: {
          logStreamArn: `${logGroupArn}:log-stream:${defaults.logStreamName}`,
        },
        applicationConfiguration: {
          applicationCodeConfiguration: {
            codeContentType: "ZIPFILE",
            codeContent: {
              s3ContentLocation: {
                bucketArn: `arn:aws:s3:::${code.bucketName}`,
                fileKey: code.fileKey,
                ...(objectVersion !== undefined ? { objectVersion } : {}),
              },
            },
          },
          applicationSnapshotConfiguration: { snapshotsEnabled: true },
          environmentProperties: {
            propertyGroups: [
              { propertyGroupId: "source", propertyMap: { streamArn: args.streamArn, region: args.region } },
              ...Object.entries(args.properties ?? {}).map(([group, map]) => ({
                propertyGroupId: group,
                propertyMap: { ...map },
              })),
            ],
          },
          flinkApplicationConfiguration: {
            checkpointConfiguration: {
              configurationType: "CUSTOM",
              checkpointingEnabled: true,
              checkpointInterval: args.checkpointIntervalMs ?? defaults.checkpointIntervalMs,
            },
            monitoringConfiguration: {
              configurationType: "CUSTOM",
              logLevel: defaults.logLevel,
              metricsLevel: defaults.metricsLevel,
            },
            parallelismConfiguration: {
              configurationType: "CUSTOM",
              parallelism,
              autoScalingEnabled: args.autoScaling ?? defaults.autoScaling,
            },
          },
        },
        tags,
      },
      { parent: this, dependsOn: [policy, logStream, ...waitFor] },
    );

    this.registerOutputs({
      applicationArn: this.application.arn,
      roleArn: this.role.arn,
      ...(this.codeObject ? { codeObjectVersion: this.codeObject.versionId } : {}),
    });
  }
}
