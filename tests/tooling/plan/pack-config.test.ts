import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { packConfigFor, PACKS } from "../../../tooling/plan/pack-config";
import { main } from "../../../tooling/plan/policy-config-cli";
import { reconcilePolicyConfig } from "../../../tooling/policy-eval/policy-config";
import { loadPlatform, tableLayout } from "../../../platform";
import { governancePolicies } from "../../../policies/governance/policies";
import { securityPolicies } from "../../../policies/security/policies";

const ROOT = path.join(__dirname, "..", "..", "..");
const EXAMPLE = path.join(ROOT, "stacks", "platform.yaml");
const platform = loadPlatform(EXAMPLE);

function cli(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  const code = main(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

describe("pack config from the platform definition (npm run policy-config)", () => {
  it("knows every consumer team, consumer account, ingestion and crawler role, analytics role and the validator as grant principals", () => {
    const governance = packConfigFor(platform)[PACKS.governance] as Record<
      string,
      { principals?: unknown[] }
    >;
    const principals = governance["lakeformation-grant-require-known-principal"].principals as {
      principal: string;
      role: string;
    }[];
    const consumerAccounts = platform.accounts.filter((a) => a.role === "consumer").length;
    const spark = platform.consumers.filter((c) => c.analytics.emrServerless).length;
    const quicksight = platform.consumers.filter((c) => c.analytics.quicksight).length;
    const redshift = platform.consumers.filter((c) => c.analytics.redshift).length;
    const ingested = platform.datasets.filter((d) => ["firehose", "dms"].includes(d.ingestion.type)).length;
    // Dataset crawlers, and partition crawlers for the partitioned tables whose writer the lake projects.
    const crawled = platform.datasets.filter(
      (d) => d.ingestion.type === "crawler" || tableLayout(platform, d).registration === "partition-crawler",
    ).length;
    expect(principals).to.have.length(
      platform.consumers.length + consumerAccounts + ingested + crawled + 1 + spark + quicksight + redshift,
    );
    const crawler = (dataset: string) => ({
      principal: `arn:aws:iam::111111111111:role/acme-lake-${dataset}-crawl`,
      role: "crawler",
      permissions: ["ALTER", "DESCRIBE", "INSERT", "DATA_LOCATION_ACCESS"],
    });
    expect(principals.filter((p) => p.role === "crawler")).to.deep.equal(
      ["clickstream", "device-telemetry", "product-catalog", "inventory-snapshots", "support-tickets"].map(
        crawler,
      ),
    );
    // The example: marketing-analytics's Spark job role and QuickSight role, controlling's QuickSight and
    // Redshift Spectrum roles.
    expect(principals.filter((p) => ["spark-job", "quicksight", "redshift"].includes(p.role))).to.deep.equal([
      {
        principal: "arn:aws:iam::444444444444:role/acme-lake-marketing-analytics-spark-job",
        role: "spark-job",
        permissions: ["DESCRIBE", "SELECT"],
      },
      {
        principal: "arn:aws:iam::444444444444:role/acme-lake-marketing-analytics-quicksight",
        role: "quicksight",
        permissions: ["DESCRIBE", "SELECT"],
      },
      {
        principal: "arn:aws:iam::555555555555:role/acme-lake-controlling-quicksight",
        role: "quicksight",
        permissions: ["DESCRIBE", "SELECT"],
      },
      {
        principal: "arn:aws:iam::555555555555:role/acme-lake-controlling-redshift",
        role: "redshift",
        permissions: ["DESCRIBE", "SELECT"],
      },
    ]);
    expect(principals).to.deep.include({
      principal: "arn:aws:iam::555555555555:role/acme-lake-controlling-analyst",
      role: "consumer",
      permissions: ["DESCRIBE", "SELECT"],
    });
    expect(principals.filter((p) => p.role === "validator").map((p) => p.principal)).to.deep.equal([
      "arn:aws:iam::111111111111:role/acme-lake-governance-validator",
    ]);
  });

  it("lets each dataset's ingestion role write only its own raw-zone prefixes", () => {
    const governance = packConfigFor(platform)[PACKS.governance] as Record<string, Record<string, unknown>>;
    const writers = governance["lake-storage-disallow-cross-account-writes"].ingestionWriters as {
      dataset: string;
      bucket: string;
      prefixes: string[];
    }[];
    expect(writers.find((w) => w.dataset === "orders")).to.deep.include({
      bucket: "acme-lake-111111111111-raw",
      prefixes: ["333333333333/sales/orders/", "333333333333/_errors/sales/orders/"],
    });
    expect(governance["s3-bucket-policy-disallow-cross-account-access"].ingestionWriters).to.deep.equal(
      writers,
    );
    // What the lake's bucket policy lets a producer's role write, for the role-tag check in its stack.
    expect(governance["lake-storage-disallow-cross-account-writes"].producerWriteScope).to.deep.equal({
      bucket: "acme-lake-111111111111-raw",
      roleArnPattern: "arn:aws:iam::*:role/acme-lake-*-ingest",
      keyPatterns: [
        "${aws:PrincipalAccount}/${aws:PrincipalTag/domain}/${aws:PrincipalTag/dataset}/",
        "${aws:PrincipalAccount}/_errors/${aws:PrincipalTag/domain}/${aws:PrincipalTag/dataset}/",
      ],
    });
  });

  it("gives the writer/table policy every registered dataset's table layout", () => {
    const governance = packConfigFor(platform)[PACKS.governance] as Record<string, Record<string, unknown>>;
    const datasets = governance["lake-writer-require-matching-table"].datasets as Record<string, unknown>[];
    expect(datasets.map((d) => d.dataset)).to.deep.equal(platform.datasets.map((d) => d.name));
    expect(datasets.find((d) => d.dataset === "orders")).to.deep.include({
      database: "sales",
      table: "orders",
      writer: "dms",
      prefix: "333333333333/sales/orders/sales/orders/",
      location: "s3://acme-lake-111111111111-raw/333333333333/sales/orders/sales/orders/",
      partitionKeys: [],
      registration: "none",
    });
    const telemetry = datasets.find((d) => d.dataset === "device_telemetry")!;
    expect(telemetry.partitionTemplate).to.equal("dt=${dt}/hour=${hour}/");
    expect((telemetry.projection as Record<string, string>)["projection.enabled"]).to.equal("true");
    expect(telemetry.registration).to.equal("partition-crawler");
  });

  it("gives the tags rule the registry, and the bucket rules the lake's buckets, to tell the lake's resources from others", () => {
    const config = packConfigFor(platform);
    const governance = config[PACKS.governance] as Record<string, Record<string, unknown>>;
    const security = config[PACKS.security] as Record<string, Record<string, unknown>>;
    const tags = governance["dataset-missing-required-tags"];
    expect(tags.datasets).to.deep.equal(governance["lake-writer-require-matching-table"].datasets);
    expect(tags.lakeDatabases).to.deep.equal(governance["redshift-disallow-lake-copies"].lakeDatabases);
    const lakeBuckets = (
      governance["lake-storage-disallow-cross-account-writes"].lakeBuckets as { bucket: string }[]
    ).map((b) => b.bucket);
    expect(lakeBuckets).to.include.members([
      "acme-lake-111111111111-raw",
      "acme-lake-111111111111-access-logs",
    ]);
    expect(tags.lakeBuckets).to.deep.equal(lakeBuckets);
    for (const [pack, policy] of [
      [governance, "s3-bucket-policy-disallow-cross-account-access"],
      [governance, "s3-bucket-disallow-cross-account-replication"],
      [security, "s3-bucket-enforce-kms-encryption"],
      [security, "firehose-enforce-kms-encryption"],
      [security, "dms-enforce-kms-encryption"],
    ] as const)
      expect(pack[policy].lakeBuckets, policy).to.deep.equal(lakeBuckets);
  });

  it("tells the saved-query rule the same lake as the Redshift copies rule: its databases, links and data buckets", () => {
    const governance = packConfigFor(platform)[PACKS.governance] as Record<string, Record<string, unknown>>;
    const athena = governance["athena-named-query-enforce-parquet"];
    const redshift = governance["redshift-disallow-lake-copies"];
    expect(athena).to.deep.equal({
      lakeDatabases: redshift.lakeDatabases,
      lakeBuckets: redshift.lakeBuckets,
    });
    expect(athena.lakeDatabases).to.include("sales");
    expect(athena.lakeBuckets).to.include("acme-lake-111111111111-raw");
  });

  it("allows in each account only the admins the definition names", () => {
    const security = packConfigFor(platform)[PACKS.security] as Record<
      string,
      { admins: Record<string, string[]> }
    >;
    expect(security["lakeformation-settings-restrict-admins"].admins).to.deep.include({
      "111111111111": [
        "arn:aws:iam::111111111111:role/DataPlatformAdmin",
        "arn:aws:iam::111111111111:role/pulumi-deploy",
      ],
      "444444444444": ["arn:aws:iam::444444444444:role/pulumi-deploy"],
    });
  });

  it("is valid against every policy's config schema", () => {
    const config = packConfigFor(platform);
    const info = (policies: typeof governancePolicies) =>
      policies.map((p) => ({
        name: p.name,
        description: p.description,
        enforcementLevel: p.enforcementLevel ?? "mandatory",
        configSchema: p.configSchema as never,
      }));
    expect(() =>
      reconcilePolicyConfig(PACKS.governance, info(governancePolicies), undefined, config[PACKS.governance]),
    ).not.to.throw();
    expect(() =>
      reconcilePolicyConfig(PACKS.security, info(securityPolicies), undefined, config[PACKS.security]),
    ).not.to.throw();
    const names = new Set([...governancePolicies, ...securityPolicies].map((p) => p.name));
    for (const pack of Object.values(config))
      for (const name of Object.keys(pack)) expect(names).to.include(name);
  });

  it("writes one file per pack and prints the preview command for each", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
    try {
      const r = cli("--platform", EXAMPLE, "--out-dir", dir);
      expect(r.code, r.stderr).to.equal(0);
      expect(fs.readdirSync(dir).sort()).to.deep.equal(["governance.json", "security.json"]);
      expect(JSON.parse(fs.readFileSync(path.join(dir, "governance.json"), "utf8"))).to.deep.equal(
        packConfigFor(platform)[PACKS.governance],
      );
      expect(r.stdout).to.contain("pulumi preview --policy-pack policies/governance --policy-pack-config");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 2 with every problem of an invalid definition", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
    try {
      const broken = path.join(dir, "broken.yaml");
      fs.writeFileSync(
        broken,
        fs.readFileSync(EXAMPLE, "utf8").replace("name: acme-lake", "name: Acme Lake"),
      );
      const r = cli("--platform", broken, "--out-dir", dir);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain("name:");
      expect(cli("--platform", path.join(dir, "missing.yaml")).stderr).to.contain(
        "missing.yaml is not a valid platform definition (1 problem):\n  does not exist",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
