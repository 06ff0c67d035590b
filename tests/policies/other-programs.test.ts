// The packs judge any team's Pulumi program, not only ours: whole programs of the kind Pulumi's own
// examples are (a static website on S3 behind CloudFront), run under the mock runtime and evaluated by
// both packs as `pulumi preview` would, with the pack config `npm run policy-config` writes (the registry
// included). What they report
// must be what is wrong with the program, and nothing that only makes sense for the lake.
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { runProgram } from "../../tooling/mock-runtime/harness";
import { defaultMocks } from "../../tooling/mock-runtime/mocks";
import { LoadedPack, Violation } from "../../tooling/policy-eval/packs";
import { packConfigFor } from "../../tooling/plan/pack-config";
import { loadPlatform } from "../../platform";

const ROOT = path.join(__dirname, "..", "..");
const OAI_ID = "E2QWRUHAPOMQZL";
const ACCOUNT = "444444444444";

/** The mocks, plus what CloudFront returns for an origin access identity (its IAM ARN and path). */
const mocks = (ctx: Parameters<typeof defaultMocks>[0]): pulumi.runtime.Mocks => {
  const base = defaultMocks(ctx);
  return {
    ...base,
    newResource(args) {
      const created = base.newResource(args) as { id: string; state: Record<string, unknown> };
      if (args.type === "aws:cloudfront/originAccessIdentity:OriginAccessIdentity") {
        created.state.iamArn = `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${OAI_ID}`;
        created.state.cloudfrontAccessIdentityPath = `origin-access-identity/cloudfront/${OAI_ID}`;
      }
      return created;
    },
  };
};

/** Runs the program and both packs; `"<level> <policy> <resource>"` of every violation, sorted, and the violations. */
async function evaluate(program: () => void): Promise<{ found: string[]; violations: Violation[] }> {
  const { resources } = await runProgram(program, { mocks });
  const config = packConfigFor(loadPlatform(path.join(ROOT, "stacks", "platform.yaml")));
  const violations: Violation[] = [];
  for (const dir of ["governance", "security"]) {
    const pack = await LoadedPack.load(path.join(ROOT, "policies", dir), (name) => config[name]);
    try {
      violations.push(...(await pack.evaluate(resources)));
    } finally {
      await pack.close();
    }
  }
  const found = violations
    .map((v) => `${v.level} ${v.policy} ${v.urn?.split("::").pop() ?? "(stack)"}`)
    .sort();
  return { found, violations };
}

const cacheBehavior = {
  targetOriginId: "site",
  viewerProtocolPolicy: "redirect-to-https",
  allowedMethods: ["GET", "HEAD"],
  cachedMethods: ["GET", "HEAD"],
  forwardedValues: { queryString: false, cookies: { forward: "none" } },
};

describe("the packs on programs that are not the lake's", function () {
  this.timeout(120_000);

  describe("a static website as Pulumi's examples write it: S3 website bucket, index.html, an OAI, CloudFront logging", () => {
    let result: { found: string[]; violations: Violation[] };
    before(async () => {
      result = await evaluate(() => {
        const provider = new aws.Provider("web", { region: "eu-west-1", allowedAccountIds: [ACCOUNT] });
        const opts = { provider };
        const logs = new aws.s3.Bucket("cdn-logs", {}, opts);
        new aws.s3.BucketOwnershipControls(
          "cdn-logs",
          { bucket: logs.id, rule: { objectOwnership: "BucketOwnerPreferred" } },
          opts,
        );
        const site = new aws.s3.Bucket(
          "site",
          { website: { indexDocument: "index.html", errorDocument: "404.html" } },
          opts,
        );
        new aws.s3.BucketObject(
          "index.html",
          { bucket: site.id, key: "index.html", content: "<h1>Hello</h1>", contentType: "text/html" },
          opts,
        );
        const oai = new aws.cloudfront.OriginAccessIdentity("oai", { comment: "www" }, opts);
        new aws.s3.BucketPolicy(
          "site",
          {
            bucket: site.id,
            policy: pulumi.jsonStringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Principal: { AWS: oai.iamArn },
                  Action: "s3:GetObject",
                  Resource: pulumi.interpolate`${site.arn}/*`,
                },
              ],
            }),
          },
          opts,
        );
        new aws.cloudfront.Distribution(
          "cdn",
          {
            enabled: true,
            defaultRootObject: "index.html",
            origins: [
              {
                originId: "site",
                domainName: site.bucketRegionalDomainName,
                s3OriginConfig: { originAccessIdentity: oai.cloudfrontAccessIdentityPath },
              },
            ],
            defaultCacheBehavior: cacheBehavior,
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: { cloudfrontDefaultCertificate: true },
            loggingConfig: { bucket: logs.bucketDomainName, prefix: "cdn/" },
          },
          opts,
        );
      });
    });

    it("asks for no dataset tags and sees no other account in the OAI's grant", () => {
      expect(result.violations.filter((v) => v.pack === "lakehouse-governance")).to.deep.equal([]);
    });

    it("reports what the site really lacks, and spares the log bucket KMS and its own access logging", () => {
      expect(result.found).to.deep.equal([
        "advisory s3-bucket-enable-versioning-and-logging cdn-logs",
        "advisory s3-bucket-enable-versioning-and-logging site",
        "advisory s3-bucket-enable-versioning-and-logging site",
        "mandatory s3-bucket-block-public-access cdn-logs",
        "mandatory s3-bucket-block-public-access site",
        "mandatory s3-bucket-enforce-kms-encryption site",
        "mandatory s3-bucket-enforce-tls cdn-logs",
        "mandatory s3-bucket-enforce-tls site",
      ]);
      const messages = result.violations.map((v) => v.message).join("\n");
      expect(messages).to.contain("Bucket cdn-logs is not versioned");
      expect(messages).not.to.contain("Bucket cdn-logs logs no access");
      expect(messages).to.contain("sets no default encryption, so S3 encrypts it with SSE-S3");
      // Nothing in the fixes speaks of the lake.
      expect(messages).not.to.match(/the lake's|Lake Formation|dataset/);
    });
  });

  describe("the same site with every setting written on the bucket itself, behind origin access control", () => {
    it("passes both packs", async () => {
      const { found } = await evaluate(() => {
        const provider = new aws.Provider("web", { region: "eu-west-1", allowedAccountIds: [ACCOUNT] });
        const opts = { provider };
        const tls = (bucket: string) => ({
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
        const block = (name: string, bucket: pulumi.Input<string>) =>
          new aws.s3.BucketPublicAccessBlock(
            name,
            {
              bucket,
              blockPublicAcls: true,
              blockPublicPolicy: true,
              ignorePublicAcls: true,
              restrictPublicBuckets: true,
            },
            opts,
          );
        const key = new aws.kms.Key("site-key", { enableKeyRotation: true }, opts);
        // Server access logs: a BucketV2 with its settings as lists, SSE-S3 as log delivery requires.
        const accessLogs = new aws.s3.BucketV2(
          "access-logs",
          {
            bucket: "www-example-com-access-logs",
            serverSideEncryptionConfigurations: [
              { rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "AES256" }] }] },
            ],
            versionings: [{ enabled: true }],
            policy: JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                tls("www-example-com-access-logs"),
                {
                  Effect: "Allow",
                  Principal: { Service: "logging.s3.amazonaws.com" },
                  Action: "s3:PutObject",
                  Resource: "arn:aws:s3:::www-example-com-access-logs/*",
                  Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
                },
              ],
            }),
          },
          opts,
        );
        block("access-logs", accessLogs.id);
        // CloudFront's log bucket, with its settings on an aws.s3.Bucket.
        const cdnLogs = new aws.s3.Bucket(
          "cdn-logs",
          {
            bucket: "www-example-com-cdn-logs",
            serverSideEncryptionConfiguration: {
              rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
            },
            versioning: { enabled: true },
            logging: { targetBucket: accessLogs.bucket, targetPrefix: "cdn-logs/" },
            policy: JSON.stringify({ Version: "2012-10-17", Statement: [tls("www-example-com-cdn-logs")] }),
          },
          opts,
        );
        block("cdn-logs", cdnLogs.id);
        const site = new aws.s3.Bucket(
          "site",
          {
            bucket: "www-example-com",
            serverSideEncryptionConfiguration: {
              rule: {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
                bucketKeyEnabled: true,
              },
            },
            versioning: { enabled: true },
            logging: { targetBucket: accessLogs.bucket, targetPrefix: "site/" },
            policy: JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                tls("www-example-com"),
                {
                  Sid: "AllowCloudFrontServicePrincipalReadOnly",
                  Effect: "Allow",
                  Principal: { Service: "cloudfront.amazonaws.com" },
                  Action: "s3:GetObject",
                  Resource: "arn:aws:s3:::www-example-com/*",
                  Condition: {
                    StringEquals: {
                      "AWS:SourceArn": `arn:aws:cloudfront::${ACCOUNT}:distribution/EDFDVBD6EXAMPLE`,
                    },
                  },
                },
              ],
            }),
          },
          opts,
        );
        block("site", site.id);
        new aws.s3.BucketObject(
          "index.html",
          { bucket: site.id, key: "index.html", content: "<h1>Hello</h1>", contentType: "text/html" },
          opts,
        );
        const oac = new aws.cloudfront.OriginAccessControl(
          "oac",
          { originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" },
          opts,
        );
        new aws.cloudfront.Distribution(
          "cdn",
          {
            enabled: true,
            defaultRootObject: "index.html",
            origins: [
              { originId: "site", domainName: site.bucketRegionalDomainName, originAccessControlId: oac.id },
            ],
            defaultCacheBehavior: cacheBehavior,
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: { cloudfrontDefaultCertificate: true },
            loggingConfig: { bucket: cdnLogs.bucketDomainName, prefix: "cdn/" },
          },
          opts,
        );
      });
      expect(found).to.deep.equal([]);
    });
  });
});
