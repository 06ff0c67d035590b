import type * as pulumi from "@pulumi/pulumi";
import type { LakeCatalogRef, SharedDatabase } from "../shared/consumer-args";

export type { LakeCatalogRef, SharedDatabase } from "../shared/consumer-args";

/** One team of analysts in the consumer account. */
export interface AnalystTeam {
  /** The team's name, used in child names (kebab-case). */
  readonly team: string;
  /** Name of its IAM role (the principal the lake grants to). */
  readonly roleName: string;
  /** Name of its Athena workgroup; its query results go under `<workgroupName>/` of the results bucket. */
  readonly workgroupName: string;
  /** Lake databases (of `sharedDatabases`) the team reads: DESCRIBE on their resource links. */
  readonly databases: readonly string[];
  /** Tags of its role and workgroup (the governance tags with the team as owner). @default the component's `tags` */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Arguments of {@link ConsumerAccess}. */
export interface ConsumerAccessArgs {
  /** This (consumer) account's id: the id of its Data Catalog. */
  readonly accountId: string;
  /** This account's region (for ARNs in the analysts' policies). */
  readonly region: string;
  /** The lake account's catalog. */
  readonly lake: LakeCatalogRef;
  /** Data lake administrators of this account (IAM ARNs in it). @default [] */
  readonly admins?: readonly string[];
  /**
   * The role deployments run as: added to the admins, since `DataLakeSettings` replaces the whole list and
   * the deployer must stay an admin to create resource links and grant on them. @default none
   */
  readonly deploymentRoleArn?: pulumi.Input<string>;
  /** `CROSS_ACCOUNT_VERSION` of this account's data lake settings (3 or more). @default 4 */
  readonly crossAccountVersion?: number;
  /** The lake databases shared with this account: one resource link each. */
  readonly sharedDatabases: readonly SharedDatabase[];
  /** The account's analyst teams: a role and a workgroup each. @default [] */
  readonly teams?: readonly AnalystTeam[];
  /** Physical name of the account's bucket of Athena query results. */
  readonly resultsBucketName: string;
  /** Physical name of the bucket receiving the results bucket's server access logs. */
  readonly accessLogBucketName: string;
  /** Days server access logs are kept. @default 365 */
  readonly accessLogRetentionDays?: number;
  /** Alias of the KMS key created to encrypt the query results, `alias/...`. */
  readonly resultsKeyAlias: string;
  /** Days query results are kept. @default 30 */
  readonly resultsRetentionDays?: number;
  /** Largest scan one query may make, in bytes (Athena's minimum is 10 MiB). @default 10 GiB */
  readonly bytesScannedCutoffPerQuery?: number;
  /** The principal allowed to assume the analyst roles. @default the account's root (its IAM policies decide) */
  readonly analystTrustPrincipal?: string;
  /** Explicit opt-in to destroying query results: bucket `forceDestroy`, key 7-day deletion window. @default false */
  readonly allowDataDestruction?: boolean;
  /** Tags of every taggable child (the governance tags of a shared resource). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults of {@link ConsumerAccessArgs}, in one place. */
export const defaults = {
  resultsRetentionDays: 30,
  accessLogRetentionDays: 365,
  bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
  minimumBytesScannedCutoffPerQuery: 10 * 1024 ** 2,
  athenaEngineVersion: "Athena engine version 3",
  allowDataDestruction: false,
  noncurrentVersionExpireDays: 7,
  abortIncompleteMultipartUploadDays: 7,
  keyDeletionWindowDays: 30,
  keyDeletionWindowDaysWhenDestructionAllowed: 7,
} as const;
