/**
 * The ingestion contract in IAM terms, as pure functions: what a dataset's ingestion role may do on its
 * own prefixes of the lake's raw bucket, written once for both sides — the producer's inline role
 * policy (Firehose, DMS), which names its dataset's prefixes, and the lake's bucket and key policies,
 * which name producer accounts and bind the keys to the writer's own account (`ProducerWriters`). The
 * action lists are exactly those the governance pack accepts for an ingestion writer
 * (`policies/lib/ingestion.ts`) or fewer. Shared: the
 * ingestion, streaming, catalog (crawlers) and network (the S3 endpoint) modules and the lake's program
 * build on it.
 */
import type { PolicyStatement } from "./iam";

/**
 * Object actions an ingestion role is allowed on its own prefixes. `s3:PutObjectAcl` because both
 * writers send an ACL with their objects in another account's bucket: "This permission is required for
 * cross account delivery. Kinesis Data Firehose sets the "x-amz-acl" header on the request to
 * "bucket-owner-full-control"" (Firehose, "Cross-account delivery to an Amazon S3 destination",
 * https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html), and "The IAM role that you
 * use for the migration must be able to perform the s3:PutObjectAcl API operation" (DMS, "Using Amazon
 * S3 as a target", https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Target.S3.html). It grants no
 * one anything in the lake: its buckets enforce bucket-owner ownership, which accepts only that ACL.
 */
export const INGESTION_OBJECT_ACTIONS = [
  "s3:PutObject",
  "s3:PutObjectAcl",
  "s3:AbortMultipartUpload",
  "s3:ListMultipartUploadParts",
  "s3:GetObject",
] as const;

/**
 * Object actions a DMS S3 target needs besides those: it deletes and tags the objects of the tables it
 * loads ("Prerequisites for using Amazon S3 as a target": `s3:PutObject`, `s3:DeleteObject`,
 * `s3:PutObjectTagging` on the objects, `s3:ListBucket` on the bucket,
 * https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Target.S3.html#CHAP_Target.S3.Prerequisites).
 * The governance pack accepts both for an ingestion writer.
 */
export const DMS_OBJECT_ACTIONS = ["s3:DeleteObject", "s3:PutObjectTagging"] as const;

/** Bucket actions an ingestion role is allowed on the raw bucket itself. */
export const INGESTION_BUCKET_ACTIONS = [
  "s3:GetBucketLocation",
  "s3:ListBucket",
  "s3:ListBucketMultipartUploads",
] as const;

/** What an ingestion role uses the lake key for: S3 objects it writes, Glue metadata it reads. */
export const INGESTION_KEY_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt"] as const;

/** Where one dataset's ingestion writes in the lake. */
export interface LakeWriteTarget {
  /** The raw bucket's name. */
  readonly bucketName: string;
  /** Key prefixes written, each ending in `/`: the dataset's and its error prefix. */
  readonly prefixes: readonly string[];
  /** The writer is a DMS S3 target, which also deletes and tags its objects ({@link DMS_OBJECT_ACTIONS}). */
  readonly dms?: boolean;
}

/** The object actions of a writer: the ingestion ones, and DMS's delete and tag where it is DMS. */
export function writerObjectActions(writer: { readonly dms?: boolean }): string[] {
  return [...INGESTION_OBJECT_ACTIONS, ...(writer.dms === true ? DMS_OBJECT_ACTIONS : [])];
}

/** Statement ids allow letters and digits only: `click_events` → `ClickEvents`. */
export function sidPart(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((s) => s.length > 0)
    .map((s) => s[0].toUpperCase() + s.slice(1))
    .join("");
}

/**
 * The two S3 statements of an ingestion role's inline policy: the object actions on keys under its
 * prefixes, the bucket actions on the bucket (kept apart: the pack accepts bucket actions on the bucket
 * ARN only).
 */
export function writerS3Statements(target: LakeWriteTarget): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${target.bucketName}`;
  return [
    {
      Sid: "WriteDatasetPrefixes",
      Effect: "Allow",
      Action: writerObjectActions(target),
      Resource: target.prefixes.map((p) => `${bucketArn}/${p}*`),
    },
    {
      Sid: "LocateLakeBucket",
      Effect: "Allow",
      Action: [...INGESTION_BUCKET_ACTIONS],
      Resource: bucketArn,
    },
  ];
}

/**
 * The statement letting an ingestion role use the lake key, only through the given services. An IAM
 * policy cannot name a key by alias: for an alias ARN (`arn:aws:kms:<region>:<account>:alias/<name>`,
 * what a producer derives from the definition) it names the account's keys in that region and requires
 * the key to carry that alias (`kms:ResourceAliases`); a key ARN is named as it is.
 */
export function writerKeyStatement(
  keyArn: string,
  viaServices: readonly string[],
  actions: readonly string[] = INGESTION_KEY_ACTIONS,
): PolicyStatement {
  const alias = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}):(alias\/.+)$/.exec(keyArn);
  return {
    Sid: "UseLakeKey",
    Effect: "Allow",
    Action: [...actions],
    Resource: alias ? `${alias[1]}:key/*` : keyArn,
    Condition: {
      StringEquals: { "kms:ViaService": [...viaServices] },
      ...(alias ? { "ForAnyValue:StringEquals": { "kms:ResourceAliases": alias[2] } } : {}),
    },
  };
}

/**
 * The producer accounts a lake bucket lets write, as its bucket and key policies name them: one
 * statement for all of them, whose size grows with accounts, never with datasets.
 */
export interface ProducerWriters {
  /** The producer accounts (12-digit ids) whose ingestion roles write. */
  readonly accountIds: readonly string[];
  /**
   * The `ArnLike` pattern of their ingestion roles' ARNs (`aws:PrincipalArn`), e.g.
   * `arn:aws:iam::*:role/acme-*-ingest`: no other principal of those accounts writes.
   */
  readonly roleArnPattern: string;
  /**
   * The keys a role may write, relative to the bucket, each ending in `/`, with policy variables that
   * bind them to the writer: each must start with `${aws:PrincipalAccount}/`, so that a role writes
   * below its own account's prefix whatever else it controls (its tags, its IAM policies).
   */
  readonly keyPatterns: readonly string[];
  /** Some writer is a DMS S3 target, which also deletes and tags its objects ({@link DMS_OBJECT_ACTIONS}). */
  readonly dms?: boolean;
}

const ACCOUNT_VARIABLE = "${aws:PrincipalAccount}/";

/** The account roots of the producers, sorted: a statement's principals. */
function producerPrincipals(producers: ProducerWriters): string[] {
  return [...new Set(producers.accountIds)].sort().map((id) => `arn:aws:iam::${id}:root`);
}

/**
 * The raw bucket's statements for the producers' ingestion roles: the object actions (with DMS's delete
 * and tag where a writer is DMS) on the keys bound to the writer's own account and tags, and the bucket
 * actions on the bucket, for the producers' ingestion roles only (`aws:PrincipalArn`). Two statements
 * however many datasets: the bucket policy stays far below S3's 20 KB.
 */
export function producerBucketStatements(bucketName: string, producers: ProducerWriters): PolicyStatement[] {
  if (producers.accountIds.length === 0) return [];
  for (const k of producers.keyPatterns)
    if (!k.startsWith(ACCOUNT_VARIABLE) || !k.endsWith("/"))
      throw new Error(
        `producerBucketStatements: key pattern "${k}" must start with ${ACCOUNT_VARIABLE} and end with "/", ` +
          `so that each writer stays below its own account's prefix`,
      );
  const bucketArn = `arn:aws:s3:::${bucketName}`;
  const principal = { AWS: producerPrincipals(producers) };
  const onlyIngestionRoles = { ArnLike: { "aws:PrincipalArn": producers.roleArnPattern } };
  return [
    {
      Sid: "ProducersWriteOwnPrefixes",
      Effect: "Allow",
      Principal: principal,
      Action: writerObjectActions(producers),
      Resource: producers.keyPatterns.map((k) => `${bucketArn}/${k}*`),
      Condition: onlyIngestionRoles,
    },
    {
      Sid: "ProducersLocateBucket",
      Effect: "Allow",
      Principal: principal,
      Action: [...INGESTION_BUCKET_ACTIONS],
      Resource: bucketArn,
      Condition: onlyIngestionRoles,
    },
  ];
}

/**
 * The lake key's statement for the producers' ingestion roles: data keys for the objects they write
 * through S3, and decryption of the catalog metadata Glue reads for them (Firehose's Parquet conversion
 * reads the dataset's table), in the lake's region only, for their ingestion roles only. One statement
 * naming accounts: the key policy stays far below KMS's 32 KB however many datasets.
 */
export function producerKeyStatements(region: string, producers: ProducerWriters): PolicyStatement[] {
  if (producers.accountIds.length === 0) return [];
  return [
    {
      Sid: "IngestionRolesThroughS3AndGlue",
      Effect: "Allow",
      Principal: { AWS: producerPrincipals(producers) },
      Action: [...INGESTION_KEY_ACTIONS],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:ViaService": [`s3.${region}.amazonaws.com`, `glue.${region}.amazonaws.com`] },
        ArnLike: { "aws:PrincipalArn": producers.roleArnPattern },
      },
    },
  ];
}
