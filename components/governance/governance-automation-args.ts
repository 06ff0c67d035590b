import type * as pulumi from "@pulumi/pulumi";
import type { Platform } from "../../platform";
import type { PolicyStatement } from "../shared/iam";

/**
 * The validator application as this component deploys it: its bundled handler, and what the handler
 * expects (where the registry is, which environment variable names the bucket, what its role may do).
 * The validator states its own needs: `validatorDeployment(platform, { governanceBucket, kmsKeyArn })`
 * (`validator/deployment.ts`, published as `@acme/lakehouse/validator`) returns every field but `code`.
 */
export interface GovernanceValidatorArgs {
  /**
   * The bundled handler: a path to its single JavaScript file (deployed as `<module>.js` of
   * `handler`), or a `pulumi.asset.Archive` holding it.
   * @default the artefact packaged with this library, `dist/validator-handler/index.js` (built by
   * `npm run build:validator`, which `prepack` runs)
   */
  readonly code?: string | pulumi.asset.Archive;
  /** The function's handler setting, `<module>.<export>`, e.g. `index.handler`. */
  readonly handler: string;
  /** The governance bucket key the platform definition is published at, e.g. `registry/platform.json`. */
  readonly registryKey: string;
  /**
   * The definition published as the registry, as JSON.
   * @default `JSON.stringify(platform)`
   */
  readonly registryContent?: string;
  /** The environment variable the handler reads the governance bucket's name from, e.g. `GOVERNANCE_BUCKET`. */
  readonly bucketEnvironmentVariable: string;
  /**
   * The execution role's statements, built for the governance bucket this component uses and the lake
   * key; the component adds writing to the function's own log group (and X-Ray with `tracing`). They
   * must let the role read `s3://<bucket>/<registryKey>`, or the component refuses them.
   */
  readonly statements: readonly PolicyStatement[];
}

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
   * validator reads (unless `validator.registryContent` is given), and the function's placement follows
   * from it: the lake account (role trust, ARNs) and its region, and the `governance.sender` identity.
   */
  readonly platform: Platform;
  /**
   * The validator: its handler artefact, registry key, environment variable and role statements,
   * from `validatorDeployment(...)` (see {@link GovernanceValidatorArgs}).
   */
  readonly validator: GovernanceValidatorArgs;
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
  /** Lambda runtime, `nodejs22.x` or newer (the packaged handler is bundled for Node.js 22). @default "nodejs22.x" */
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
