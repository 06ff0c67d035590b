import type * as pulumi from "@pulumi/pulumi";
import type { LakeCatalogRef, SharedDatabase } from "../shared/consumer-args";

export type { LakeCatalogRef, SharedDatabase } from "../shared/consumer-args";

/** The subnets and security groups the application's workers run in. */
export interface SparkNetwork {
  /** Subnet ids (at least one). */
  readonly subnetIds: readonly string[];
  /** Security group ids. @default [] */
  readonly securityGroupIds?: readonly string[];
}

/** An existing, KMS-encrypted bucket of this account holding the team's Spark scripts and job logs. */
export interface SparkArtifactsBucket {
  /** The bucket's physical name. */
  readonly bucketName: string;
  /** The bucket's default encryption key: the job role decrypts scripts uploaded under it. */
  readonly keyArn: pulumi.Input<string>;
}

/** Arguments of {@link SparkAnalytics}. */
export interface SparkAnalyticsArgs {
  /** This account's id: the id of its Data Catalog. */
  readonly accountId: string;
  /** This account's region (for ARNs in the policies). */
  readonly region: string;
  /** Physical name of the EMR Serverless application. */
  readonly applicationName: string;
  /** The EMR release, `emr-7.x`. @default "emr-7.14.0" (`defaults.releaseLabel`) */
  readonly releaseLabel?: string;
  /** Most vCPUs all the application's workers may use at once. @default 32 */
  readonly maxVcpu?: number;
  /** Most memory all the application's workers may use at once, in GB. @default 128 */
  readonly maxMemoryGb?: number;
  /** Minutes without a job after which the application stops. @default 15 */
  readonly idleTimeoutMinutes?: number;
  /** Subnets and security groups to run in (reach a VPC). @default none (no VPC access) */
  readonly network?: SparkNetwork;
  /** Name of the job runtime role created for the jobs. @default `<applicationName>-job` */
  readonly jobRoleName?: string;
  /** The lake whose catalog the jobs read. */
  readonly lake: LakeCatalogRef;
  /**
   * The lake databases the jobs read, with their resource links in this account: Glue reads on both and
   * DESCRIBE on each link for the job role. @default []
   */
  readonly sharedDatabases?: readonly SharedDatabase[];
  /** Where scripts (`<prefix>scripts/`) and S3 job logs (`<prefix>logs/`) live. */
  readonly artifacts: SparkArtifactsBucket;
  /** Key prefix of the application in the artifacts bucket, ending in `/`. @default `emr-serverless/<applicationName>/` */
  readonly artifactsPrefix?: string;
  /**
   * Roles of this account that may submit jobs, as key (used in the child's name) → role name (an Input,
   * so a role's `name` output carries the dependency): an inline policy each to start and follow job runs
   * of this application, pass the job role to EMR Serverless, upload scripts and read logs. @default {}
   */
  readonly submitters?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Days the CloudWatch log group keeps job logs (a period CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90...). @default 30 */
  readonly logRetentionDays?: number;
  /**
   * Keep job logs in EMR Serverless' managed storage too, encrypted with the application's key.
   * @default false (S3 and CloudWatch only)
   */
  readonly managedPersistence?: boolean;
  /**
   * Enforce Lake Formation fine-grained access control in the jobs
   * (`spark.emr-serverless.lakeformation.enabled`). @default true
   */
  readonly lakeFormation?: boolean;
  /** Extra `spark-defaults` properties (they cannot override the metastore or Lake Formation ones). @default {} */
  readonly sparkDefaults?: Readonly<Record<string, string>>;
  /**
   * Resources Lake Formation grants in this account must wait for: the account's data lake settings and
   * the resource links. @default []
   */
  readonly lakeFormationDependencies?: readonly pulumi.Resource[];
  /** Explicit opt-in to destroying the logs' key quickly: 7-day deletion window instead of 30. @default false */
  readonly allowDataDestruction?: boolean;
  /** Tags of every taggable child (the governance tags of a shared resource). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults of {@link SparkAnalyticsArgs}, in one place. */
export const defaults = {
  /** The newest EMR 7.x release in the EMR Serverless release list. */
  releaseLabel: "emr-7.14.0",
  maxVcpu: 32,
  maxMemoryGb: 128,
  idleTimeoutMinutes: 15,
  maxIdleTimeoutMinutes: 10080,
  logRetentionDays: 30,
  /** The retention periods CloudWatch Logs accepts, in days. */
  allowedLogRetentionDays: [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
  ],
  managedPersistence: false,
  lakeFormation: true,
  allowDataDestruction: false,
  keyDeletionWindowDays: 30,
  keyDeletionWindowDaysWhenDestructionAllowed: 7,
  /** The Hive metastore client that makes the Glue Data Catalog Spark's metastore. */
  glueMetastoreClientFactory: "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory",
} as const;
