import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { defaults, LakeStorage, LakeStorageArgs } from "../../../components/storage/lake-storage";
import type { PolicyStatement } from "../../../components/shared/iam";
import type { RunResult } from "../../../tooling/mock-runtime/harness";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:storage:LakeStorage";

const base: LakeStorageArgs = {
  bucketNames: { raw: "acme-raw", curated: "acme-curated" },
  accessLogBucketName: "acme-logs",
  lifecycle: {
    raw: { expireAfterDays: 730, infrequentAccessAfterDays: 30, noncurrentVersionExpireDays: 14 },
  },
  accountId: ACCOUNT,
  keyAlias: "alias/acme-lake",
  keyAdminArns: [`arn:aws:iam::${ACCOUNT}:role/Admin`],
  tags: { dataset: "shared", owner: "data-platform" },
};

const plan = (args: Partial<LakeStorageArgs> = {}) =>
  withProvider((provider) => new LakeStorage("lake", { ...base, ...args }, { provider }));

type Statement = {
  Sid: string;
  Effect: string;
  Action: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
const statements = (r: RunResult, name: string): Statement[] =>
  JSON.parse(String(named(r, name).inputs.policy)).Statement as Statement[];

describe("LakeStorage", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("creates a key with its alias and, per zone and for the logs, a bucket with its six settings", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:kms/key:Key": 1,
      "aws:kms/alias:Alias": 1,
      "aws:s3/bucket:Bucket": 3,
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 3,
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 3,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 3,
      "aws:s3/bucketVersioning:BucketVersioning": 3,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 3,
      "aws:s3/bucketPolicy:BucketPolicy": 3,
      "aws:s3/bucketLogging:BucketLogging": 2,
    });
    expect(ofType(r, "aws:s3/bucket:Bucket").map((b) => b.inputs.bucket)).to.have.members([
      "acme-raw",
      "acme-curated",
      "acme-logs",
    ]);
  });

  it("hangs every child under the component with the explicit provider", () => {
    expectWiredUnder(r, TYPE, "lake");
  });

  it("rotates its key and names it with the alias", () => {
    expect(named(r, "lake-key").inputs).to.include({
      enableKeyRotation: true,
      deletionWindowInDays: defaults.keyDeletionWindowDays,
    });
    expect(named(r, "lake-key-alias").inputs.name).to.equal("alias/acme-lake");
  });

  it("writes a key policy: root control, admins manage, S3 in this account uses it", () => {
    const policy = statements(r, "lake-key");
    expect(policy.map((s) => s.Sid)).to.deep.equal([
      "AccountRootControl",
      "KeyAdministration",
      "S3UseForThisAccount",
    ]);
    const admin = policy[1] as Statement & { Principal: { AWS: string[] }; Action: string[] };
    expect(admin.Principal.AWS).to.deep.equal([`arn:aws:iam::${ACCOUNT}:role/Admin`]);
    expect(admin.Action).to.not.include("kms:Decrypt");
    expect(policy[2].Condition).to.deep.equal({
      StringEquals: { "kms:CallerAccount": ACCOUNT },
      StringLike: { "kms:ViaService": "s3.*.amazonaws.com" },
    });
  });

  it("lets the key users encrypt and decrypt", async () => {
    const users = await plan({ keyUserArns: [`arn:aws:iam::222222222222:role/ingest`] });
    const use = statements(users, "lake-key").find((s) => s.Sid === "KeyUse") as Statement & {
      Principal: { AWS: string[] };
    };
    expect(use.Principal.AWS).to.deep.equal(["arn:aws:iam::222222222222:role/ingest"]);
    expect(use.Action).to.include("kms:Decrypt");
  });

  it("lets catalog reader accounts decrypt through Glue only, and no other account by default", async () => {
    expect(statements(r, "lake-key").map((s) => s.Sid)).to.not.include("CatalogReadersDecryptThroughGlue");
    const readers = await plan({ catalogReaderAccountIds: ["444444444444", "555555555555"] });
    const read = statements(readers, "lake-key").find(
      (s) => s.Sid === "CatalogReadersDecryptThroughGlue",
    ) as Statement & {
      Principal: { AWS: string[] };
    };
    expect(read.Principal.AWS).to.deep.equal([
      "arn:aws:iam::444444444444:root",
      "arn:aws:iam::555555555555:root",
    ]);
    expect(read.Action).to.deep.equal(["kms:Decrypt", "kms:DescribeKey"]);
    expect(read.Condition).to.deep.equal({ StringLike: { "kms:ViaService": "glue.*.amazonaws.com" } });
    const err = await rejection(
      plan({
        existingKeyArn: "arn:aws:kms:eu-west-1:1:key/x",
        keyAdminArns: undefined,
        keyAlias: undefined,
        catalogReaderAccountIds: ["444444444444"],
      }),
    );
    expect(err.message).to.contain("catalogReaderAccountIds");
  });

  it("blocks all public access on every bucket and enforces bucket-owner ownership", () => {
    for (const b of ofType(r, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")) {
      expect(b.inputs).to.include({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    }
    for (const o of ofType(r, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")) {
      expect(o.inputs.rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
    }
  });

  it("encrypts zones with SSE-KMS and the lake key with S3 Bucket Keys, and the log bucket with SSE-S3", () => {
    const keyArn = named(r, "lake-key").state.arn;
    expect(named(r, "lake-raw-encryption").inputs.rules).to.deep.equal([
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
        bucketKeyEnabled: true,
      },
    ]);
    expect(named(r, "lake-access-logs-encryption").inputs.rules).to.deep.equal([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ]);
  });

  it("versions every bucket", () => {
    for (const v of ofType(r, "aws:s3/bucketVersioning:BucketVersioning")) {
      expect(v.inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
    }
  });

  it("applies each zone's lifecycle, and the defaults to a zone without one", () => {
    const [raw] = named(r, "lake-raw-lifecycle").inputs.rules as Record<string, unknown>[];
    expect(raw).to.deep.include({
      expiration: { days: 730 },
      transitions: [{ days: 30, storageClass: "STANDARD_IA" }],
      noncurrentVersionExpiration: { noncurrentDays: 14 },
      abortIncompleteMultipartUpload: { daysAfterInitiation: defaults.abortIncompleteMultipartUploadDays },
    });
    const [curated] = named(r, "lake-curated-lifecycle").inputs.rules as Record<string, unknown>[];
    expect(curated).to.not.have.any.keys("expiration", "transitions");
    expect(curated.noncurrentVersionExpiration).to.deep.equal({
      noncurrentDays: defaults.noncurrentVersionExpireDays,
    });
    const [logs] = named(r, "lake-access-logs-lifecycle").inputs.rules as Record<string, unknown>[];
    expect(logs.expiration).to.deep.equal({ days: defaults.accessLogRetentionDays });
  });

  it("keeps an explicit 0-day noncurrent expiry and a custom log retention", async () => {
    const custom = await plan({
      lifecycle: { curated: { noncurrentVersionExpireDays: 0 } },
      accessLogRetentionDays: 90,
    });
    const [curated] = named(custom, "lake-curated-lifecycle").inputs.rules as Record<string, unknown>[];
    expect(curated.noncurrentVersionExpiration).to.deep.equal({ noncurrentDays: 0 });
    const [logs] = named(custom, "lake-access-logs-lifecycle").inputs.rules as Record<string, unknown>[];
    expect(logs.expiration).to.deep.equal({ days: 90 });
  });

  it("logs each zone's access to the log bucket under the zone's prefix", () => {
    expect(named(r, "lake-raw-logging").inputs).to.include({
      targetBucket: "acme-logs",
      targetPrefix: "raw/",
    });
    expect(named(r, "lake-curated-logging").inputs).to.include({
      targetBucket: "acme-logs",
      targetPrefix: "curated/",
    });
  });

  it("refuses non-TLS requests on every bucket and unencrypted writes to the zones", () => {
    for (const p of ofType(r, "aws:s3/bucketPolicy:BucketPolicy")) {
      const tls = (JSON.parse(String(p.inputs.policy)).Statement as Statement[]).find(
        (s) => s.Sid === "DenyInsecureTransport",
      )!;
      expect(tls).to.deep.include({
        Effect: "Deny",
        Action: "s3:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    }
    const kmsOnly = statements(r, "lake-raw-policy").find(
      (s) => s.Sid === "DenyUnencryptedOrForeignKeyWrites",
    )!;
    expect(kmsOnly.Condition).to.deep.equal({
      StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" },
    });
  });

  it("lets S3 log delivery write to the log bucket only for this account", () => {
    const delivery = statements(r, "lake-access-logs-policy").find(
      (s) => s.Sid === "AllowS3ServerAccessLogDelivery",
    )!;
    expect(delivery.Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": ACCOUNT } });
  });

  it("never destroys data by default, and only on the explicit opt-in", async () => {
    for (const b of ofType(r, "aws:s3/bucket:Bucket")) expect(b.inputs.forceDestroy).to.equal(false);
    const opted = await plan({ allowDataDestruction: true });
    for (const b of ofType(opted, "aws:s3/bucket:Bucket")) expect(b.inputs.forceDestroy).to.equal(true);
    expect(named(opted, "lake-key").inputs.deletionWindowInDays).to.equal(
      defaults.keyDeletionWindowDaysWhenDestructionAllowed,
    );
  });

  it("tags every bucket and the key", () => {
    for (const res of [...ofType(r, "aws:s3/bucket:Bucket"), named(r, "lake-key")]) {
      expect(res.inputs.tags).to.deep.equal({ dataset: "shared", owner: "data-platform" });
    }
  });

  it("uses an existing key instead of creating one", async () => {
    const existing = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/existing`;
    const result = await plan({ existingKeyArn: existing, keyAdminArns: undefined, keyAlias: undefined });
    expect(ofType(result, "aws:kms/key:Key")).to.have.length(0);
    const [raw] = named(result, "lake-raw-encryption").inputs.rules as {
      applyServerSideEncryptionByDefault: { kmsMasterKeyId: string };
    }[];
    expect(raw.applyServerSideEncryptionByDefault.kmsMasterKeyId).to.equal(existing);
  });

  it("rejects an existing key together with arguments to create one", async () => {
    const err = await rejection(plan({ existingKeyArn: "arn:aws:kms:eu-west-1:1:key/x" }));
    expect(err.message).to.contain("either existingKeyArn");
  });

  it("rejects a lifecycle for a zone it does not have, and no zones at all", async () => {
    expect((await rejection(plan({ lifecycle: { gold: {} } }))).message).to.contain('zone "gold"');
    expect((await rejection(plan({ bucketNames: {} }))).message).to.contain("at least one zone");
  });

  it("registers its outputs", () => {
    const [component] = ofType(r, TYPE);
    expect(component.state).to.deep.include({
      bucketNames: { raw: "acme-raw", curated: "acme-curated" },
      accessLogBucket: "acme-logs",
    });
    expect(component.state.keyArn).to.equal(named(r, "lake-key").state.arn);
  });
});

describe("LakeStorage extra policy statements", () => {
  const ingest: PolicyStatement = {
    Sid: "IngestOrdersBucket",
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::222222222222:role/orders-ingest" },
    Action: ["s3:ListBucket"],
    Resource: "arn:aws:s3:::acme-raw",
  };
  const keyUse: PolicyStatement = {
    Sid: "IngestionRolesThroughS3AndGlue",
    Effect: "Allow",
    Action: ["kms:Decrypt"],
  };

  it("adds a zone's statements after TLS-only and KMS-only, on that zone's bucket only, and the key's last", async () => {
    const r = await plan({ bucketPolicyStatements: { raw: [ingest] }, keyPolicyStatements: [keyUse] });
    expect(statements(r, "lake-raw-policy").map((s) => s.Sid)).to.deep.equal([
      "DenyInsecureTransport",
      "DenyUnencryptedOrForeignKeyWrites",
      "IngestOrdersBucket",
    ]);
    expect(statements(r, "lake-curated-policy").map((s) => s.Sid)).to.deep.equal([
      "DenyInsecureTransport",
      "DenyUnencryptedOrForeignKeyWrites",
    ]);
    const key = statements(r, "lake-key");
    expect(key[key.length - 1].Sid).to.equal("IngestionRolesThroughS3AndGlue");
  });

  it("resolves Outputs inside the extra statements before serializing the bucket and key policies", async () => {
    const role = "arn:aws:iam::222222222222:role/orders-ingest";
    const r = await plan({
      bucketPolicyStatements: { raw: [{ ...ingest, Principal: { AWS: pulumi.output(role) } }] },
      keyPolicyStatements: [{ ...keyUse, Principal: { AWS: [pulumi.output(role)] }, Resource: "*" }],
    });
    const bucket = statements(r, "lake-raw-policy");
    expect(bucket[bucket.length - 1]).to.deep.include({
      Sid: "IngestOrdersBucket",
      Principal: { AWS: role },
    });
    const key = statements(r, "lake-key");
    expect(key[key.length - 1]).to.deep.include({
      Sid: "IngestionRolesThroughS3AndGlue",
      Principal: { AWS: [role] },
    });
  });

  it("refuses statements for a zone it does not have, and key statements with an existing key", async () => {
    expect((await rejection(plan({ bucketPolicyStatements: { gold: [ingest] } }))).message).to.contain(
      'names zone "gold"',
    );
    const err = await rejection(
      plan({
        existingKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/x",
        keyAlias: undefined,
        keyAdminArns: undefined,
        keyPolicyStatements: [keyUse],
      }),
    );
    expect(err.message).to.contain("give either existingKeyArn");
  });
});
