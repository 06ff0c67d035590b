import type * as pulumi from "@pulumi/pulumi";
import type { Platform } from "../../platform";

/** The LF-tag expression whose databases and tables the validator may describe and read. */
export interface ValidatorLfTagScope {
  /** LF-tag key every database and table of the lake carries, e.g. `domain`. */
  readonly key: string;
  /** All of its values, so the grants cover every database and table. */
  readonly values: readonly string[];
}

/** Arguments of {@link GovernanceAutomation}. */
export interface GovernanceAutomationArgs {
  /**
   * The validated platform definition. It is published to the governance bucket as the registry the
   * validator reads, and the function's placement and permissions follow from it, exactly as the runtime
   * derives them: the lake account (catalog id, role trust, ARNs) and its region, the raw zone it reads
   * and the `governance.sender` it sends from.
   */
  readonly platform: Platform;
  /**
   * The lake's KMS key: encrypts the governance bucket and the registry object, and the validator may
   * decrypt and generate data keys with it (the raw zone and the catalog are encrypted with it too).
   */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * Physical name of the governance bucket to create. Not with `existingBucketName`.
   * @default `bucketName(platform, "governance")`
   */
  readonly bucketName?: string;
  /**
   * The lake's access-log bucket, receiving the created governance bucket's server access logs (under
   * `governance/`). Required when the bucket is created; not with `existingBucketName`.
   * @default none (required unless `existingBucketName` is given)
   */
  readonly accessLogBucketName?: pulumi.Input<string>;
  /**
   * Use this existing bucket (managed elsewhere, already locked down) as the governance bucket instead
   * of creating one; then `bucketName` and `accessLogBucketName` must not be given. @default none
   */
  readonly existingBucketName?: string;
  /** Days findings (`findings/`) are kept in a created bucket. @default 730 */
  readonly findingsRetentionDays?: number;
  /** Name of the validator's execution role. @default `validatorRoleName(platform)` */
  readonly roleName?: string;
  /** Name of the Lambda function (its log group is `/aws/lambda/<functionName>`). @default `<platform.name>-governance-validator` */
  readonly functionName?: string;
  /** Lambda runtime, `nodejs22.x` or newer (the handler is bundled for Node.js 22). @default "nodejs22.x" */
  readonly runtime?: string;
  /** Memory of the function, in MB (128 to 10 240). @default 1024 */
  readonly memorySize?: number;
  /** Timeout of one run, in seconds (1 to 900). @default 900 */
  readonly timeout?: number;
  /**
   * Reserved concurrency of the function (1 to 1000). Not needed to keep runs apart: a run takes the
   * date's run lock in the governance bucket (an S3 conditional write) and a second run of the same date
   * skips. Reserving fails in accounts whose concurrency quota is low, since Lambda keeps at least 100
   * of the account's concurrency unreserved
   * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
   * @default none (unreserved)
   */
  readonly reservedConcurrency?: number;
  /** Active AWS X-Ray tracing of the function (the role may then send traces). @default false */
  readonly tracing?: boolean;
  /** Minify the bundled handler. @default true */
  readonly minify?: boolean;
  /** Days the function's log group keeps its logs; `0` keeps them forever. @default 365 */
  readonly logRetentionDays?: number;
  /**
   * KMS key encrypting the function's log group. Its key policy must let `logs.<region>.amazonaws.com`
   * use it for this log group, or creating the log group fails: add `logsKeyPolicyStatement(...)` to it
   * (the lake key's built-in policy does not have it). @default none (CloudWatch Logs' own encryption)
   */
  readonly logKmsKeyArn?: pulumi.Input<string>;
  /**
   * When the validation runs: an EventBridge Scheduler expression, `cron(...)` or `rate(...)`.
   * @default `platform.governance.schedule`
   */
  readonly schedule?: string;
  /** Time zone the schedule's cron expression is read in (IANA name). @default "UTC" */
  readonly scheduleTimezone?: string;
  /** Whether the schedule is enabled; `false` pauses the daily run and keeps everything else. @default true */
  readonly enabled?: boolean;
  /** Times the scheduler retries an invocation it could not deliver (throttled, Lambda unavailable), 0 to 185. @default 2 */
  readonly retryAttempts?: number;
  /** How long, in seconds, the scheduler keeps trying to deliver one invocation (60 to 86 400). @default 3600 */
  readonly maximumEventAgeSeconds?: number;
  /**
   * The LF-tag expression the validator's Lake Formation grants cover: DESCRIBE on its databases,
   * SELECT and DESCRIBE on its tables, never with a grant option.
   * @default `{ key: "domain", values: platform.lake.lfTags.domain }` (every database and table of the lake)
   */
  readonly lfTagScope?: ValidatorLfTagScope;
  /**
   * Lake Formation resources the grants need first: the data lake settings that make the deployer an
   * admin, and the LF-tags the scope names. @default []
   */
  readonly lakeFormationDependencies?: readonly pulumi.Resource[];
  /** SNS topic notified when an alarm fires and when it clears. @default none (alarms without actions) */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /**
   * Explicit opt-in to destroying data: a created bucket gets `forceDestroy` (deleted with the findings).
   * @default false
   */
  readonly allowDataDestruction?: boolean;
  /** Tags for every taggable child; the lake passes `sharedTags(platform)`. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults of {@link GovernanceAutomationArgs}, in one place. */
export const defaults = {
  runtime: "nodejs22.x",
  /** The oldest Node.js major the bundle targets. */
  minimumNodeMajor: 22,
  architecture: "arm64",
  memorySize: 1024,
  timeout: 900,
  tracing: false,
  minify: true,
  logRetentionDays: 365,
  scheduleTimezone: "UTC",
  enabled: true,
  retryAttempts: 2,
  maximumEventAgeSeconds: 3600,
  findingsRetentionDays: 730,
  noncurrentVersionExpireDays: 30,
  abortIncompleteMultipartUploadDays: 7,
  lfTagKey: "domain",
  /** Alarms look at one day: a failed or throttled daily run fires them. */
  alarmPeriodSeconds: 86_400,
  allowDataDestruction: false,
  /** The prefix of the access logs of a created bucket in the access-log bucket. */
  accessLogPrefix: "governance/",
} as const;
