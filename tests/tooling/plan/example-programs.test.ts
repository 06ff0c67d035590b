// Programs written the way Pulumi's own examples are, planned with both packs and the pack config of the
// example platform: each gets exactly the verdicts it deserves, no false alarm and no miss.
import * as path from "path";
import { expect } from "chai";
import { runPlanCli as plan } from "../../run-cli";

const ROOT = path.join(__dirname, "..", "..", "..");
const program = (name: string) => path.join(ROOT, "tests", "fixtures", "programs", name);

interface Violation {
  policy: string;
  level: string;
  urn: string;
  message: string;
}

async function verdicts(name: string): Promise<{ code: number; found: string[]; violations: Violation[] }> {
  const r = await plan("--program", program(name), "--format", "json");
  const [stack] = (JSON.parse(r.stdout) as { stacks: { violations: Violation[] }[] }).stacks;
  const found = stack.violations.map((v) => `${v.level} ${v.policy} ${v.urn.split("::").pop()}`).sort();
  return { code: r.code, found, violations: stack.violations };
}

describe("plan --program on programs written as Pulumi's examples are", function () {
  this.timeout(180_000);

  it("a static website behind CloudFront: only what it lacks (the site's KMS key, the log bucket's TLS policy)", async () => {
    const { code, found, violations } = await verdicts("website");
    expect(code).to.equal(1);
    // Not a dataset resource (no dataset tag, nothing of the lake), its origin access identity is not
    // another account, its log bucket needs no KMS nor access logs of its own.
    expect(found).to.deep.equal([
      "mandatory s3-bucket-enforce-kms-encryption site",
      "mandatory s3-bucket-enforce-tls logs",
    ]);
    const kms = violations.find((v) => v.policy === "s3-bucket-enforce-kms-encryption")!;
    expect(kms.message).to.contain("a customer-managed KMS key");
    expect(kms.message).not.to.contain("the lake's key");
    expect(kms.message).to.contain("serve it through an aws.cloudfront.OriginAccessControl instead");
  });

  it("a Lambda written as a callback: the wildcard policies CallbackFunction attaches by default, and its bucket's gaps", async () => {
    const { code, found, violations } = await verdicts("callback");
    expect(code).to.equal(1);
    expect(found).to.deep.equal([
      "advisory s3-bucket-enable-versioning-and-logging uploads",
      "advisory s3-bucket-enable-versioning-and-logging uploads",
      "mandatory iam-policy-disallow-wildcard-actions on-upload-4aaabb8e",
      "mandatory iam-policy-disallow-wildcard-actions on-upload-e1a3786d",
      "mandatory s3-bucket-enforce-kms-encryption uploads",
      "mandatory s3-bucket-enforce-tls uploads",
    ]);
    const managed = violations
      .filter((v) => v.policy === "iam-policy-disallow-wildcard-actions")
      .map((v) => /the AWS managed policy (\S+) /.exec(v.message)?.[1])
      .sort();
    expect(managed).to.deep.equal(["AmazonKinesisFullAccess", "AmazonS3FullAccess"]);
    // No CloudFront reads this bucket: no origin access control advice.
    const kms = violations.find((v) => v.policy === "s3-bucket-enforce-kms-encryption")!;
    expect(kms.message).not.to.contain("origin access");
  });

  it("a Glue crawler and ETL job over a team's own buckets: encryption, public access, Glue security configurations, AWSGlueServiceRole's glue:*", async () => {
    const { code, found } = await verdicts("glue-etl");
    expect(code).to.equal(1);
    const buckets = ["curated", "raw", "scripts"];
    expect(found).to.deep.equal(
      [
        ...buckets.flatMap((b) => [
          `advisory s3-bucket-enable-versioning-and-logging ${b}`,
          `advisory s3-bucket-enable-versioning-and-logging ${b}`,
          `mandatory s3-bucket-block-public-access ${b}`,
          `mandatory s3-bucket-enforce-kms-encryption ${b}`,
          `mandatory s3-bucket-enforce-tls ${b}`,
        ]),
        "mandatory glue-catalog-enforce-kms-encryption web-events",
        "mandatory glue-require-security-configuration events-crawler",
        "mandatory glue-require-security-configuration events-etl",
        "mandatory iam-policy-disallow-wildcard-actions glue-service",
      ].sort(),
    );
    // Its buckets, job and crawler hold none of the lake's datasets: no dataset tags asked for.
    expect(found.filter((f) => f.includes("dataset-"))).to.deep.equal([]);
  });
});
