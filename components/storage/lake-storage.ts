import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaults, LakeStorageArgs, ZoneLifecycle } from "./lake-storage-args";
import { policyDocument, PolicyDocument, policyJson, PolicyStatement } from "../shared/iam";
import { KEY_USE_ACTIONS, keyPolicyBase, s3UseForAccountStatement } from "../shared/key-policy";
import { accessLogBucket, secureBucket } from "../shared/secure-bucket";

export { defaults, LakeStorageArgs, ZoneLifecycle } from "./lake-storage-args";

/**
 * The lake's storage, secure by default: a KMS customer-managed key with rotation (or an existing key),
 * one bucket per zone encrypted with it (SSE-KMS with S3 Bucket Keys), versioned, with its lifecycle,
 * public access blocked, TLS-only and KMS-only writes, and server access logs delivered to a dedicated
 * access-log bucket.
 *
 * Destroying data needs the explicit `allowDataDestruction` opt-in.
 */
export class LakeStorage extends pulumi.ComponentResource {
  /** The ARN of the key that encrypts the zones. */
  public readonly keyArn: pulumi.Output<string>;
  /** The created key; undefined with `existingKeyArn`. */
  public readonly key?: aws.kms.Key;
  /** Zone → bucket. */
  public readonly buckets: Record<string, aws.s3.Bucket>;
  /** Zone → bucket ARN. */
  public readonly bucketArns: Record<string, pulumi.Output<string>>;
  /** The bucket receiving the zones' server access logs. */
  public readonly accessLogBucket: aws.s3.Bucket;

  constructor(name: string, args: LakeStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:storage:LakeStorage", name, {}, opts);
    const zones = Object.keys(args.bucketNames);
    if (zones.length === 0) {
      throw new pulumi.ResourceError(
        "LakeStorage: bucketNames must name at least one zone, e.g. { raw: ... }",
        this,
      );
    }
    if (
      args.existingKeyArn !== undefined &&
      (args.keyAdminArns?.length ||
        args.keyUserArns?.length ||
        args.catalogReaderAccountIds?.length ||
        args.keyPolicyStatements?.length ||
        args.keyAlias)
    ) {
      throw new pulumi.ResourceError(
        "LakeStorage: give either existingKeyArn (use that key, managed elsewhere) or keyAdminArns/keyUserArns/catalogReaderAccountIds/keyPolicyStatements/keyAlias (create a key), not both",
        this,
      );
    }
    for (const zone of [
      ...Object.keys(args.lifecycle ?? {}),
      ...Object.keys(args.bucketPolicyStatements ?? {}),
    ]) {
      if (!zones.includes(zone)) {
        throw new pulumi.ResourceError(
          `LakeStorage: lifecycle or bucketPolicyStatements names zone "${zone}", which is not in bucketNames (${zones.join(", ")})`,
          this,
        );
      }
    }
    const destroy = args.allowDataDestruction ?? defaults.allowDataDestruction;
    const tags = { ...(args.tags ?? {}) };

    if (args.existingKeyArn !== undefined) {
      this.keyArn = pulumi.output(args.existingKeyArn);
    } else {
      this.key = new aws.kms.Key(
        `${name}-key`,
        {
          description: `Encrypts the ${name} data lake zones`,
          enableKeyRotation: true,
          deletionWindowInDays: destroy
            ? defaults.keyDeletionWindowDaysWhenDestructionAllowed
            : defaults.keyDeletionWindowDays,
          // The statements given may hold Outputs: policyJson resolves them before serializing.
          policy: policyJson(
            pulumi
              .all([...(args.keyUserArns ?? [])])
              .apply((users) =>
                keyPolicy(
                  args.accountId,
                  args.keyAdminArns ?? [],
                  users,
                  args.catalogReaderAccountIds ?? [],
                  args.keyPolicyStatements ?? [],
                ),
              ),
          ),
          tags,
        },
        { parent: this },
      );
      new aws.kms.Alias(
        `${name}-key-alias`,
        { name: args.keyAlias ?? `alias/${name}-lake`, targetKeyId: this.key.keyId },
        { parent: this },
      );
      this.keyArn = this.key.arn;
    }

    // Server access logs cannot be delivered to an SSE-KMS bucket: the log bucket uses SSE-S3.
    const logs = accessLogBucket(
      {
        name: `${name}-access-logs`,
        bucketName: args.accessLogBucketName,
        accountId: args.accountId,
        retentionDays: args.accessLogRetentionDays ?? defaults.accessLogRetentionDays,
        noncurrentVersionExpireDays: defaults.noncurrentVersionExpireDays,
        abortIncompleteMultipartUploadDays: defaults.abortIncompleteMultipartUploadDays,
        forceDestroy: destroy,
        tags,
      },
      this,
    );
    this.accessLogBucket = logs.bucket;

    this.buckets = {};
    this.bucketArns = {};
    for (const zone of zones) {
      const { bucket } = secureBucket(
        {
          name: `${name}-${zone}`,
          bucketName: args.bucketNames[zone],
          encryption: { kmsKeyArn: this.keyArn },
          lifecycleRules: zoneLifecycleRules(zone, args.lifecycle?.[zone] ?? {}),
          extraStatements: (arn) => [
            {
              Sid: "DenyUnencryptedOrForeignKeyWrites",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:PutObject",
              Resource: `${arn}/*`,
              Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } },
            },
            ...(args.bucketPolicyStatements?.[zone] ?? []),
          ],
          logging: { targetBucket: logs.bucket.id, targetPrefix: `${zone}/` },
          forceDestroy: destroy,
          tags,
        },
        this,
      );
      this.buckets[zone] = bucket;
      this.bucketArns[zone] = bucket.arn;
    }

    this.registerOutputs({
      keyArn: this.keyArn,
      bucketArns: this.bucketArns,
      bucketNames: Object.fromEntries(zones.map((z) => [z, this.buckets[z].bucket])),
      accessLogBucket: this.accessLogBucket.bucket,
    });
  }
}

/** The lifecycle rules of one zone. */
export function zoneLifecycleRules(
  zone: string,
  lifecycle: ZoneLifecycle,
): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  return [
    {
      id: `${zone}-lifecycle`,
      status: "Enabled",
      filter: {},
      ...(lifecycle.expireAfterDays !== undefined ? { expiration: { days: lifecycle.expireAfterDays } } : {}),
      ...(lifecycle.infrequentAccessAfterDays !== undefined
        ? { transitions: [{ days: lifecycle.infrequentAccessAfterDays, storageClass: "STANDARD_IA" }] }
        : {}),
      noncurrentVersionExpiration: {
        noncurrentDays: lifecycle.noncurrentVersionExpireDays ?? defaults.noncurrentVersionExpireDays,
      },
      abortIncompleteMultipartUpload: { daysAfterInitiation: defaults.abortIncompleteMultipartUploadDays },
    },
  ];
}

/**
 * The key policy: the account root keeps control (so IAM can delegate), admins manage the key but
 * cannot use it, users (e.g. Lake Formation's data-access role) use it, S3 may use it for objects
 * of this account's buckets, and catalog readers (other accounts) may decrypt through Glue only.
 */
export function keyPolicy(
  accountId: string,
  admins: readonly string[],
  users: readonly string[],
  catalogReaderAccountIds: readonly string[] = [],
  extraStatements: readonly PolicyStatement[] = [],
): PolicyDocument {
  const statements: PolicyStatement[] = keyPolicyBase(accountId, admins);
  if (users.length > 0) {
    statements.push({
      Sid: "KeyUse",
      Effect: "Allow",
      Principal: { AWS: [...users] },
      Action: [...KEY_USE_ACTIONS],
      Resource: "*",
    });
  }
  if (catalogReaderAccountIds.length > 0) {
    statements.push({
      Sid: "CatalogReadersDecryptThroughGlue",
      Effect: "Allow",
      Principal: { AWS: catalogReaderAccountIds.map((id) => `arn:aws:iam::${id}:root`) },
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringLike: { "kms:ViaService": "glue.*.amazonaws.com" } },
    });
  }
  statements.push(s3UseForAccountStatement(accountId));
  statements.push(...extraStatements);
  return policyDocument(statements);
}
