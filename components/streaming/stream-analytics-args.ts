import type * as pulumi from "@pulumi/pulumi";

/**
 * Where the application's code is: an object in an S3 bucket of the account. Managed Flink checks the
 * object when the application is created, so either the component uploads it (`source`) or it exists.
 */
export interface FlinkCode {
  /** The bucket's name. */
  readonly bucketName: string;
  /** The object's key, e.g. `flink/clickstream-sessions.jar`. */
  readonly fileKey: string;
  /**
   * The key encrypting the bucket's objects (the role may decrypt it through S3; an uploaded object is
   * written SSE-KMS with it). @default none (SSE-S3)
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /**
   * The built artefact (.zip or .jar) on the deploying machine: uploaded as the code object, whose
   * version the application pins, so a new artefact redeploys it. Refused if the file does not exist.
   * @default none: the object already exists at `fileKey`
   */
  readonly source?: string;
  /**
   * The version of an existing object to run (not with `source`, whose uploaded version is pinned).
   * @default the uploaded object's version with `source`; otherwise the latest
   */
  readonly objectVersion?: pulumi.Input<string>;
  /**
   * What must exist before the code is uploaded and the application created: the bucket, its policy
   * and its key (e.g. the `LakeStorage` holding the bucket). @default []
   */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/** Arguments of {@link StreamAnalytics}. */
export interface StreamAnalyticsArgs {
  /** The account the application runs in. */
  readonly accountId: string;
  /** Its region. */
  readonly region: string;
  /** Physical application name. @default the component's name */
  readonly applicationName?: string;
  /** Name of the application's execution role. */
  readonly roleName: string;
  /** The Kinesis data stream it reads. */
  readonly streamArn: pulumi.Input<string>;
  /** The key encrypting that stream. */
  readonly streamKeyArn: pulumi.Input<string>;
  /** Its code. */
  readonly code: FlinkCode;
  /**
   * Managed Service for Apache Flink runtime (`FLINK-2_2` is supported too, but breaks 1.x code).
   * @default "FLINK-1_20"
   */
  readonly runtime?: string;
  /** Initial parallelism (Kinesis Processing Units scale with it). @default 1 */
  readonly parallelism?: number;
  /** Let the service scale parallelism with throughput. @default true */
  readonly autoScaling?: boolean;
  /** Checkpoint interval in milliseconds (exactly-once state across restarts). @default 60000 */
  readonly checkpointIntervalMs?: number;
  /** Runtime properties handed to the code (`group → key → value`); `source` always names the stream. @default {} */
  readonly properties?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Start the application once created. @default false */
  readonly start?: boolean;
  /** Days the application's log group keeps its logs. @default 365 */
  readonly logRetentionDays?: number;
  /** Tags of every taggable child: the dataset's six governance tags. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults of {@link StreamAnalyticsArgs}, in one place. */
export const defaults = {
  runtime: "FLINK-1_20",
  parallelism: 1,
  autoScaling: true,
  checkpointIntervalMs: 60_000,
  start: false,
  logRetentionDays: 365,
  logStreamName: "application",
  logLevel: "INFO",
  metricsLevel: "APPLICATION",
} as const;
