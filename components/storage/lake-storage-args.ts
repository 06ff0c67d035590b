import type * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../shared/iam";

/** Lifecycle of one zone's objects. */
export interface ZoneLifecycle {
  /** Delete current objects this many days after creation. @default never */
  readonly expireAfterDays?: number;
  /** Move current objects to S3 Standard-IA after this many days (30 at the earliest). @default never */
  readonly infrequentAccessAfterDays?: number;
  /** Delete noncurrent versions this many days after they become noncurrent. @default 30 */
  readonly noncurrentVersionExpireDays?: number;
}

/** Arguments of {@link LakeStorage}. */
export interface LakeStorageArgs {
  /** Zone → physical bucket name, e.g. `{ raw: "acme-111111111111-raw", curated: ... }`. At least one zone. */
  readonly bucketNames: Readonly<Record<string, string>>;
  /** Physical name of the bucket that receives the zones' server access logs. */
  readonly accessLogBucketName: string;
  /** Lifecycle per zone; a zone not listed gets the defaults. @default {} */
  readonly lifecycle?: Readonly<Record<string, ZoneLifecycle>>;
  /** The account the buckets and the key live in (key policy root, log delivery source account). */
  readonly accountId: string;
  /** Alias of the created KMS key, `alias/...`. Not used with `existingKeyArn`. @default `alias/<name>-lake` */
  readonly keyAlias?: string;
  /** IAM principals that administer the created key (besides the account root). @default [] */
  readonly keyAdminArns?: readonly string[];
  /**
   * IAM principals that may encrypt and decrypt with the created key (e.g. the Lake Formation
   * data-access role, producers' ingestion roles). @default []
   */
  readonly keyUserArns?: readonly pulumi.Input<string>[];
  /**
   * Other accounts whose principals may decrypt with the created key through AWS Glue only: consumer
   * accounts reading the lake's catalog, whose metadata this key encrypts. Each account's own IAM policies
   * then decide which of its principals may. @default []
   */
  readonly catalogReaderAccountIds?: readonly string[];
  /**
   * Use this existing KMS key instead of creating one (then key admins, users, catalog readers and alias
   * must not be given). @default none (a key is created)
   */
  readonly existingKeyArn?: pulumi.Input<string>;
  /** Days server access logs are kept. @default 365 */
  readonly accessLogRetentionDays?: number;
  /**
   * Extra statements of a zone's bucket policy, by zone (e.g. producers' ingestion roles on their raw
   * prefixes), added after the TLS-only and KMS-only statements, which always stay. A statement's values
   * may be Outputs. @default {}
   */
  readonly bucketPolicyStatements?: Readonly<Record<string, readonly PolicyStatement[]>>;
  /**
   * Extra statements of the created key's policy (e.g. ingestion roles of other accounts using the key
   * through S3 and Glue), added after the built-in ones. A statement's values may be Outputs. Not used
   * with `existingKeyArn`. @default []
   */
  readonly keyPolicyStatements?: readonly PolicyStatement[];
  /**
   * Explicit opt-in to destroying data: buckets get `forceDestroy` (deleted with their objects) and the
   * key a 7-day deletion window. Leave false for any lake that holds real data. @default false
   */
  readonly allowDataDestruction?: boolean;
  /** Tags for every taggable child (the governance tags of a shared resource). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults of {@link LakeStorageArgs}, in one place: the code and the tests use these. */
export const defaults = {
  accessLogRetentionDays: 365,
  noncurrentVersionExpireDays: 30,
  abortIncompleteMultipartUploadDays: 7,
  allowDataDestruction: false,
  keyDeletionWindowDays: 30,
  keyDeletionWindowDaysWhenDestructionAllowed: 7,
} as const;
