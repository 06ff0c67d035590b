/**
 * The ingestion contract in IAM terms, as pure functions: what a dataset's ingestion role may do on its
 * own prefixes of the lake's raw bucket, written once for both sides — the producer's inline role
 * policy (Firehose, DMS) and the lake's bucket and key policies. The action lists are exactly those the
 * governance pack accepts for an ingestion writer (`policies/lib/ingestion.ts`) or fewer. Shared: the
 * ingestion, streaming, catalog (crawlers) and network (the S3 endpoint) modules and the lake's program
 * build on it.
 */
import type { PolicyStatement } from "./iam";

/** Object actions an ingestion role is allowed on its own prefixes. */
export const INGESTION_OBJECT_ACTIONS = [
  "s3:PutObject",
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

/** One dataset's ingestion role as the lake sees it. */
export interface IngestionWriter {
  /** The dataset (used in statement ids and child names). */
  readonly dataset: string;
  /** The ingestion role's ARN, in the producer account. */
  readonly roleArn: string;
  /** Its raw-zone prefixes, each ending in `/` (`<domain>/<dataset>/`, `_errors/<domain>/<dataset>/`). */
  readonly prefixes: readonly string[];
  /** The role is a DMS S3 target's, which also deletes and tags its objects ({@link DMS_OBJECT_ACTIONS}). */
  readonly dms?: boolean;
}

/**
 * The raw bucket's statements for the ingestion roles: per role, the object actions on its own prefixes
 * (with DMS's delete and tag for a DMS writer) and the bucket actions on the bucket, nothing else.
 */
export function ingestionBucketStatements(
  bucketName: string,
  writers: readonly IngestionWriter[],
): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${bucketName}`;
  return writers.flatMap((w) => [
    {
      Sid: `Ingest${sidPart(w.dataset)}Objects`,
      Effect: "Allow",
      Principal: { AWS: w.roleArn },
      Action: writerObjectActions(w),
      Resource: w.prefixes.map((p) => `${bucketArn}/${p}*`),
    },
    {
      Sid: `Ingest${sidPart(w.dataset)}Bucket`,
      Effect: "Allow",
      Principal: { AWS: w.roleArn },
      Action: [...INGESTION_BUCKET_ACTIONS],
      Resource: bucketArn,
    },
  ]);
}

/**
 * The lake key's statement for the ingestion roles: data keys for the objects they write through S3,
 * and decryption of the catalog metadata Glue reads for them (Firehose's Parquet conversion reads the
 * dataset's table), in the lake's region only.
 */
export function ingestionKeyStatements(region: string, roleArns: readonly string[]): PolicyStatement[] {
  if (roleArns.length === 0) return [];
  return [
    {
      Sid: "IngestionRolesThroughS3AndGlue",
      Effect: "Allow",
      Principal: { AWS: [...roleArns] },
      Action: [...INGESTION_KEY_ACTIONS],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:ViaService": [`s3.${region}.amazonaws.com`, `glue.${region}.amazonaws.com`] },
      },
    },
  ];
}
