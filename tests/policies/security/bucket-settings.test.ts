// The bucket rules judge a bucket's settings in both forms the AWS provider (7.x) accepts — the separate
// settings resources (and their deprecated V2 twins) and the deprecated in-bucket arguments of
// aws.s3.Bucket / aws.s3.BucketV2 — and decide "log bucket" by what receives logs, not by a name.
import { expect } from "chai";
import { s3BucketEnableVersioningAndLogging } from "../../../policies/security/policies/s3-bucket-enable-versioning-and-logging";
import { s3BucketEnforceEncryption } from "../../../policies/security/policies/s3-bucket-enforce-encryption";
import { s3BucketEnforceTls } from "../../../policies/security/policies/s3-bucket-enforce-tls";
import { s3BucketPolicyWithinSizeLimit } from "../../../policies/security/policies/s3-bucket-policy-within-size-limit";
import { firehoseEnforceKmsEncryption } from "../../../policies/security/policies/firehose-enforce-kms-encryption";
import { dmsEnforceKmsEncryption } from "../../../policies/security/policies/dms-enforce-kms-encryption";
import { runResourcePolicy, runStackPolicy, StackResourceCase } from "../helpers";

const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_V2 = "aws:s3/bucketV2:BucketV2";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/site";
const RAW = "acme-lake-111111111111-raw";
const kms = {
  applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
  bucketKeyEnabled: true,
};
const aes = { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };
/** The same rules as aws.s3.BucketV2 takes them: a list of defaults. */
const kmsV2 = { applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }] };
const aesV2 = { applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "AES256" }] };
const tlsDeny = {
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};

/** `name: message` lines the stack policy reports. */
async function lines(
  policy: Parameters<typeof runStackPolicy>[0],
  stack: StackResourceCase[],
  config?: Record<string, unknown>,
): Promise<string[]> {
  return (await runStackPolicy(policy, stack, config))!.map((v) => `${v.name}: ${v.message}`);
}

describe("bucket rules: in-bucket settings and log buckets", () => {
  describe("s3-bucket-enforce-kms-encryption", () => {
    const run = (stack: StackResourceCase[], config?: Record<string, unknown>) =>
      lines(s3BucketEnforceEncryption, stack, config);

    it("passes KMS written on the bucket (Bucket rule, BucketV2 rules) or in a V2 settings resource", async () => {
      expect(
        await run([
          {
            type: BUCKET,
            name: "a",
            props: { bucket: "a", serverSideEncryptionConfiguration: { rule: kms } },
          },
          {
            type: BUCKET_V2,
            name: "b",
            props: { bucket: "b", serverSideEncryptionConfigurations: [{ rules: [kmsV2] }] },
          },
          { type: BUCKET, name: "c", props: { bucket: "c" } },
          {
            type: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            name: "c-sse",
            props: { bucket: "c", rules: [kms] },
            dependsOn: { bucket: ["c"] },
          },
        ]),
      ).to.deep.equal([]);
    });

    it("fails SSE-S3 written on the bucket, and a bucket left to S3's SSE-S3 default, saying so", async () => {
      expect(
        await run([
          {
            type: BUCKET,
            name: "a",
            props: { bucket: "a", serverSideEncryptionConfiguration: { rule: aes } },
          },
          { type: BUCKET, name: "plain", props: { bucket: "plain" } },
        ]),
      ).to.deep.equal([
        'a: Bucket a has default encryption AES256; add aws.s3.BucketServerSideEncryptionConfiguration (or the bucket\'s serverSideEncryptionConfiguration) with sseAlgorithm "aws:kms", a customer-managed KMS key and bucketKeyEnabled.',
        'plain: Bucket plain sets no default encryption, so S3 encrypts it with SSE-S3 (S3 managed keys) only; add aws.s3.BucketServerSideEncryptionConfiguration (or the bucket\'s serverSideEncryptionConfiguration) with sseAlgorithm "aws:kms", a customer-managed KMS key and bucketKeyEnabled.',
      ]);
    });

    it("fails SSE-S3 in a BucketV2's own rules, as a BucketV2 writes them", async () => {
      const [line] = await run([
        {
          type: BUCKET_V2,
          name: "v2",
          props: { bucket: "v2", serverSideEncryptionConfigurations: [{ rules: [aesV2] }] },
        },
      ]);
      expect(line).to.match(/^v2: Bucket v2 has default encryption AES256;/);
    });

    it("accepts SSE-S3 on buckets that receive S3 access logs or CloudFront logs, whatever their names", async () => {
      expect(
        await run([
          // Target of a BucketLoggingV2, SSE-S3 by S3's default.
          { type: BUCKET, name: "audit", props: { bucket: "audit" } },
          {
            type: BUCKET,
            name: "data",
            props: { bucket: "data", serverSideEncryptionConfiguration: { rule: kms } },
          },
          {
            type: "aws:s3/bucketLoggingV2:BucketLoggingV2",
            name: "data-logging",
            props: { bucket: "data", targetBucket: "audit", targetPrefix: "data/" },
            dependsOn: { bucket: ["data"], targetBucket: ["audit"] },
          },
          // Target of a bucket's own loggings[] (BucketV2), AES256 on the bucket.
          {
            type: BUCKET_V2,
            name: "v2-logs",
            props: { bucket: "v2-logs", serverSideEncryptionConfigurations: [{ rules: [aesV2] }] },
          },
          {
            type: BUCKET_V2,
            name: "v2-data",
            props: {
              bucket: "v2-data",
              serverSideEncryptionConfigurations: [{ rules: [kmsV2] }],
              loggings: [{ targetBucket: "v2-logs" }],
            },
          },
          // Target of a CloudFront distribution's standard logging, by its S3 domain.
          { type: BUCKET, name: "cdn", props: { bucket: "cdn" } },
          {
            type: "aws:cloudfront/distribution:Distribution",
            name: "dist",
            props: { loggingConfig: { bucket: "cdn.s3.amazonaws.com" } },
          },
        ]),
      ).to.deep.equal([]);
    });

    it("no longer exempts a bucket merely named *-access-logs", async () => {
      const [line] = await run([
        {
          type: BUCKET,
          name: "team-access-logs",
          props: { bucket: "team-access-logs", serverSideEncryptionConfiguration: { rule: aes } },
        },
      ]);
      expect(line).to.match(/^team-access-logs: Bucket team-access-logs has default encryption AES256/);
      // The setting stays for explicit exceptions.
      expect(
        await run(
          [
            {
              type: BUCKET,
              name: "team-access-logs",
              props: { bucket: "team-access-logs", serverSideEncryptionConfiguration: { rule: aes } },
            },
          ],
          { sseS3Allowed: ["-access-logs$"] },
        ),
      ).to.deep.equal([]);
    });

    it("tells a bucket CloudFront reads through an origin access identity to move to origin access control", async () => {
      const oaiRead = (principal: unknown) =>
        JSON.stringify({
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: principal },
              Action: "s3:GetObject",
              Resource: "arn:aws:s3:::site/*",
            },
          ],
        });
      const OAC_ADVICE = "serve it through an aws.cloudfront.OriginAccessControl instead";
      const site = (policy: string, dependsOn?: Record<string, string[]>): StackResourceCase[] => [
        { type: BUCKET, name: "site", props: { bucket: "site" } },
        { type: "aws:cloudfront/originAccessIdentity:OriginAccessIdentity", name: "oai", props: {} },
        {
          type: "aws:s3/bucketPolicy:BucketPolicy",
          name: "site-policy",
          props: { bucket: "site", policy },
          dependsOn,
        },
      ];
      // The OAI's ARN written in the policy, or the policy built from the OAI's iamArn output.
      const literal = await run(
        site(oaiRead("arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL")),
      );
      const fromOutput = await run(
        site(oaiRead("arn:aws:iam::cloudfront:user/unknown-yet"), { policy: ["oai"] }),
      );
      for (const found of [literal, fromOutput]) {
        expect(found).to.have.length(1);
        expect(found[0]).to.contain(OAC_ADVICE);
      }
      // Another reader of the bucket: no CloudFront advice.
      const other = await run(site(oaiRead("arn:aws:iam::111111111111:role/reader")));
      expect(other).to.have.length(1);
      expect(other[0]).not.to.contain("origin access");
    });

    it("names the lake's key only for a lake bucket", async () => {
      const [lake, other] = await run(
        [
          { type: BUCKET, name: "raw", props: { bucket: RAW } },
          { type: BUCKET, name: "site", props: { bucket: "www-example-com" } },
        ],
        { lakeBuckets: [RAW] },
      );
      expect(lake).to.contain('sseAlgorithm "aws:kms", the lake\'s key and bucketKeyEnabled');
      expect(other).to.contain('sseAlgorithm "aws:kms", a customer-managed KMS key and bucketKeyEnabled');
      expect(other).not.to.contain("lake");
    });
  });

  describe("s3-bucket-enable-versioning-and-logging", () => {
    const run = (stack: StackResourceCase[], config?: Record<string, unknown>) =>
      lines(s3BucketEnableVersioningAndLogging, stack, config);

    it("passes versioning and logging written on the bucket, or in V2 settings resources", async () => {
      expect(
        await run([
          { type: BUCKET, name: "logs", props: { bucket: "logs", versioning: { enabled: true } } },
          {
            type: BUCKET,
            name: "a",
            props: { bucket: "a", versioning: { enabled: true }, logging: { targetBucket: "logs" } },
          },
          {
            type: BUCKET_V2,
            name: "b",
            props: { bucket: "b", versionings: [{ enabled: true }], loggings: [{ targetBucket: "logs" }] },
          },
          { type: BUCKET, name: "c", props: { bucket: "c" } },
          {
            type: "aws:s3/bucketVersioningV2:BucketVersioningV2",
            name: "c-versioning",
            props: { bucket: "c", versioningConfiguration: { status: "Enabled" } },
            dependsOn: { bucket: ["c"] },
          },
          {
            type: "aws:s3/bucketLoggingV2:BucketLoggingV2",
            name: "c-logging",
            props: { bucket: "c", targetBucket: "logs", targetPrefix: "c/" },
            dependsOn: { bucket: ["c"], targetBucket: ["logs"] },
          },
        ]),
      ).to.deep.equal([]);
    });

    it("fails versioning turned off on the bucket and a bucket that logs nowhere", async () => {
      expect(
        await run([{ type: BUCKET, name: "a", props: { bucket: "a", versioning: { enabled: false } } }]),
      ).to.deep.equal([
        'a: Bucket a is not versioned; add aws.s3.BucketVersioning with status "Enabled" (or versioning { enabled: true } on the bucket).',
        "a: Bucket a logs no access; add aws.s3.BucketLogging (or logging on the bucket) with a targetBucket that receives this account's server access logs.",
      ]);
    });

    it("exempts from logging the buckets that receive logs, not those merely named *-access-logs", async () => {
      const found = await run([
        { type: BUCKET, name: "cdn-logs", props: { bucket: "cdn-logs", versioning: { enabled: true } } },
        {
          type: "aws:cloudfront/distribution:Distribution",
          name: "dist",
          props: { loggingConfig: { bucket: "cdn-logs.s3.amazonaws.com" } },
          dependsOn: { loggingConfig: ["cdn-logs"] },
        },
        {
          type: BUCKET,
          name: "team-access-logs",
          props: { bucket: "team-access-logs", versioning: { enabled: true } },
        },
      ]);
      expect(found).to.deep.equal([
        "team-access-logs: Bucket team-access-logs logs no access; add aws.s3.BucketLogging (or logging on the bucket) with a targetBucket that receives this account's server access logs.",
      ]);
    });
  });

  describe("s3-bucket-enforce-tls", () => {
    it("reads the bucket's own policy, passing a TLS deny and failing a policy without one", async () => {
      const found = await lines(s3BucketEnforceTls, [
        { type: BUCKET, name: "a", props: { bucket: "a", policy: JSON.stringify({ Statement: [tlsDeny] }) } },
        { type: BUCKET_V2, name: "b", props: { bucket: "b", policy: { Statement: [tlsDeny] } } },
        {
          type: BUCKET,
          name: "c",
          props: {
            bucket: "c",
            policy: JSON.stringify({ Statement: [{ ...tlsDeny, Effect: "Allow", Condition: undefined }] }),
          },
        },
      ]);
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^c: Bucket c has no policy denying insecure transport/);
    });
  });

  describe("s3-bucket-policy-within-size-limit", () => {
    const statement = (i: number) => ({
      Sid: `Read${i}`,
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::111111111111:role/reader-with-a-rather-long-name-${i}` },
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: [`arn:aws:s3:::b/some/long/prefix/for/reader/${i}/*`],
    });
    const policy = (n: number) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [...Array(n).keys()].map(statement) });

    it("measures a policy written on the bucket (Bucket and BucketV2)", async () => {
      for (const type of [BUCKET, BUCKET_V2]) {
        expect(
          await runResourcePolicy(s3BucketPolicyWithinSizeLimit, {
            type,
            props: { bucket: "b", policy: policy(10) },
          }),
        ).to.deep.equal([]);
        const [message] = (await runResourcePolicy(s3BucketPolicyWithinSizeLimit, {
          type,
          props: { bucket: "b", policy: policy(200) },
        }))!;
        expect(message, type).to.match(
          /^The policy is \d+ bytes; S3 refuses bucket policies over 20480 bytes/,
        );
      }
      expect(
        await runResourcePolicy(s3BucketPolicyWithinSizeLimit, { type: BUCKET, props: { bucket: "b" } }),
      ).to.deep.equal([]);
    });
  });

  describe("remediation that fits the program", () => {
    it("firehose-enforce-kms-encryption names the lake's key only for a stream into a lake bucket", async () => {
      const run = (bucket: string) =>
        runResourcePolicy(firehoseEnforceKmsEncryption, {
          type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
          props: {
            destination: "extended_s3",
            kinesisSourceConfiguration: { kinesisStreamArn: "arn", roleArn: "r" },
            extendedS3Configuration: { bucketArn: `arn:aws:s3:::${bucket}`, roleArn: "r" },
          },
          config: { lakeBuckets: [RAW] },
        });
      expect(await run(RAW)).to.deep.equal([
        `The stream writes to S3 without a KMS key; set extendedS3Configuration.kmsKeyArn to the lake's key (it writes lake bucket ${RAW}).`,
      ]);
      expect(await run("app-clickstream")).to.deep.equal([
        "The stream writes to S3 without a KMS key; set extendedS3Configuration.kmsKeyArn to a customer-managed KMS key.",
      ]);
    });

    it("dms-enforce-kms-encryption names the lake's key only for a target in a lake bucket", async () => {
      const run = (bucketName: string) =>
        runResourcePolicy(dmsEnforceKmsEncryption, {
          type: "aws:dms/s3Endpoint:S3Endpoint",
          props: { endpointType: "target", bucketName },
          config: { lakeBuckets: [RAW] },
        });
      expect((await run(RAW))![0]).to.contain(
        `serverSideEncryptionKmsKeyId to the lake's key (it writes lake bucket ${RAW})`,
      );
      const [other] = (await run("team-replica"))!;
      expect(other).to.contain("serverSideEncryptionKmsKeyId to a customer-managed KMS key.");
      expect(other).not.to.contain("lake");
    });
  });
});
