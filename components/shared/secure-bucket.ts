import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, policyJson, PolicyStatement } from "./iam";

/** How one bucket is encrypted: SSE-KMS with a key (and S3 Bucket Keys), or SSE-S3. */
export type BucketEncryption = { readonly kmsKeyArn: pulumi.Input<string> } | { readonly sseS3: true };

/** What {@link secureBucket} builds a bucket from. */
export interface SecureBucketSpec {
  /** Child-name prefix, e.g. `lake-raw`. */
  readonly name: string;
  /** Physical bucket name. */
  readonly bucketName: string;
  readonly encryption: BucketEncryption;
  readonly lifecycleRules: aws.types.input.s3.BucketLifecycleConfigurationRule[];
  /** Extra bucket policy statements (TLS-only is always there); their values may be Outputs. */
  readonly extraStatements?: (bucketArn: string) => PolicyStatement[];
  /** Where to send this bucket's server access logs. */
  readonly logging?: { readonly targetBucket: pulumi.Input<string>; readonly targetPrefix: string };
  readonly forceDestroy: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/** The bucket and its settings resources. */
export interface SecureBucket {
  readonly bucket: aws.s3.Bucket;
  readonly policy: aws.s3.BucketPolicy;
}

/** The statement that refuses any request not made over TLS. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * A bucket locked down the same way everywhere in the lake: public access blocked, bucket-owner-enforced
 * ownership (no ACLs), default encryption, versioning, lifecycle, optional access logging, and a
 * TLS-only bucket policy. Every child hangs under `parent`, whose provider it inherits.
 */
export function secureBucket(spec: SecureBucketSpec, parent: pulumi.Resource): SecureBucket {
  const opts = { parent };
  const bucket = new aws.s3.Bucket(
    spec.name,
    { bucket: spec.bucketName, forceDestroy: spec.forceDestroy, tags: { ...spec.tags } },
    opts,
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${spec.name}-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  new aws.s3.BucketOwnershipControls(
    `${spec.name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    opts,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${spec.name}-encryption`,
    {
      bucket: bucket.id,
      rules: [
        "kmsKeyArn" in spec.encryption
          ? {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: spec.encryption.kmsKeyArn,
              },
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    },
    opts,
  );
  const versioning = new aws.s3.BucketVersioning(
    `${spec.name}-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    opts,
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${spec.name}-lifecycle`,
    { bucket: bucket.id, rules: spec.lifecycleRules },
    { parent, dependsOn: [versioning] },
  );
  if (spec.logging) {
    new aws.s3.BucketLogging(
      `${spec.name}-logging`,
      { bucket: bucket.id, targetBucket: spec.logging.targetBucket, targetPrefix: spec.logging.targetPrefix },
      opts,
    );
  }
  const policy = new aws.s3.BucketPolicy(
    `${spec.name}-policy`,
    {
      bucket: bucket.id,
      policy: policyJson(
        bucket.arn.apply((arn) =>
          policyDocument([denyInsecureTransport(arn), ...(spec.extraStatements?.(arn) ?? [])]),
        ),
      ),
    },
    // The public access block must exist first, or S3 may judge the policy before it is in force.
    { parent, dependsOn: [publicAccess] },
  );
  return { bucket, policy };
}

/** What {@link accessLogBucket} builds the access-log bucket from. */
export interface AccessLogBucketSpec {
  /** Child-name prefix, e.g. `lake-access-logs`. */
  readonly name: string;
  /** Physical bucket name. */
  readonly bucketName: string;
  /** The account whose buckets deliver their logs here (`aws:SourceAccount`). */
  readonly accountId: string;
  /** Days logs are kept. */
  readonly retentionDays: number;
  /** Days noncurrent log versions are kept. */
  readonly noncurrentVersionExpireDays: number;
  /** Days before an incomplete multipart upload is aborted. */
  readonly abortIncompleteMultipartUploadDays: number;
  readonly forceDestroy: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The bucket receiving server access logs, locked down like every other bucket. Server access logs cannot
 * be delivered to an SSE-KMS bucket, so it uses SSE-S3; only S3's log delivery for this account may write.
 */
export function accessLogBucket(spec: AccessLogBucketSpec, parent: pulumi.Resource): SecureBucket {
  return secureBucket(
    {
      name: spec.name,
      bucketName: spec.bucketName,
      encryption: { sseS3: true },
      lifecycleRules: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: {},
          expiration: { days: spec.retentionDays },
          noncurrentVersionExpiration: { noncurrentDays: spec.noncurrentVersionExpireDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: spec.abortIncompleteMultipartUploadDays },
        },
      ],
      extraStatements: (arn) => [
        {
          Sid: "AllowS3ServerAccessLogDelivery",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${arn}/*`,
          Condition: { StringEquals: { "aws:SourceAccount": spec.accountId } },
        },
      ],
      forceDestroy: spec.forceDestroy,
      tags: spec.tags,
    },
    parent,
  );
}
