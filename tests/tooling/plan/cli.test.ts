import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { runPlanCli } from "../../run-cli";

const ROOT = path.join(__dirname, "..", "..", "..");
const FIXTURES = path.join(ROOT, "tests", "fixtures");
const PACKS = path.join(FIXTURES, "packs");
const program = (name: string) => path.join(FIXTURES, "programs", name);

const plan = runPlanCli;

describe("npm run plan (CLI)", function () {
  this.timeout(120_000);

  it("plans every account of the example in deployment order, following the JSON contract", async () => {
    const r = await plan("--format", "json", "--date", "2026-11-24");
    expect(r.code, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).to.include.members(["platform", "stacks", "summary"]);
    expect(report.date).to.equal("2026-11-24");
    expect(report.stacks.map((s: { stack: string; role: string }) => `${s.stack}:${s.role}`)).to.deep.equal([
      "lake-prod:lake",
      "ops-producer:producer",
      "web-producer:producer",
      "analytics-consumer:consumer",
      "finance-consumer:consumer",
    ]);
    for (const stack of report.stacks) {
      expect(stack).to.have.keys(
        "stack",
        "account",
        "role",
        "region",
        "resources",
        "outputs",
        "violations",
        "notices",
      );
      const [root, provider] = stack.resources;
      expect(root).to.include({ type: "pulumi:pulumi:Stack", parent: null, provider: null });
      expect(provider).to.include({ type: "pulumi:providers:aws", parent: root.urn });
    }
    const lake = report.stacks[0];
    expect(lake.account).to.equal("111111111111");
    const types = new Set(lake.resources.map((x: { type: string }) => x.type));
    expect(types).to.include.keys("lakehouse:storage:LakeStorage", "aws:glue/catalogTable:CatalogTable");
    expect(report.summary.stacks).to.equal(5);
    expect(report.summary.resources).to.equal(
      report.stacks.reduce((n: number, s: { resources: unknown[] }) => n + s.resources.length, 0),
    );
  });

  it("prints a table per account by default", async () => {
    const r = await plan("--stack", "lake-prod", "--stack", "finance-consumer", "--date", "2026-11-24");
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain("Stack lake-prod — account 111111111111, lake, eu-west-1");
    expect(r.stdout).to.contain(
      "Stack finance-consumer — account 555555555555, consumer, eu-west-1: 57 resources",
    );
    expect(r.stdout).to.match(/aws:glue\/catalogTable:CatalogTable\s*│\s*7/);
    expect(r.stdout).to.contain("Summary: 2 stacks");
  });

  it("runs any program with --program, evaluates the packs, and exits 1 on a mandatory violation", async () => {
    const r = await plan("--program", program("buckets.ts"), "--policies", PACKS, "--format", "json");
    expect(r.code, r.stderr).to.equal(1);
    const report = JSON.parse(r.stdout);
    expect(report.platform).to.equal("acme-lake");
    const [stack] = report.stacks;
    expect(stack).to.include({ stack: "buckets", account: null, role: null, region: null });
    expect(stack.outputs).to.deep.equal({ logsBucket: "logs" });
    expect(stack.resources.map((x: { type: string }) => x.type)).to.deep.equal([
      "pulumi:pulumi:Stack",
      "aws:s3/bucket:Bucket",
      "aws:s3/bucket:Bucket",
      "aws:s3/bucket:Bucket",
    ]);
    for (const res of stack.resources)
      expect(res).to.have.keys("urn", "type", "name", "parent", "provider", "inputs");
    const policies = stack.violations
      .map((v: { policy: string; level: string }) => `${v.policy}:${v.level}`)
      .sort();
    expect(policies).to.deep.equal([
      "demo-bucket-require-tag:mandatory",
      "demo-bucket-require-tag:mandatory",
      "demo-stack-max-buckets:advisory",
    ]);
    expect(stack.violations[0]).to.have.keys("pack", "policy", "level", "urn", "message");
    expect(report.summary).to.deep.equal({ stacks: 1, resources: 4, mandatory: 2, advisory: 1 });
    expect(r.stderr).to.contain("[1/1] buckets: 4 resources, 2 mandatory and 1 advisory violations");
  });

  it("runs a program folder exporting a function, under a named stack's config and account", async () => {
    const r = await plan(
      "--program",
      program("tagged-folder"),
      "--stack",
      "web-producer",
      "--policies",
      PACKS,
      "--format",
      "json",
    );
    expect(r.code, r.stderr).to.equal(0);
    const [stack] = JSON.parse(r.stdout).stacks;
    expect(stack).to.include({
      stack: "web-producer",
      account: "222222222222",
      role: "producer",
      region: "eu-west-1",
    });
    expect(stack.outputs).to.deep.equal({ bucket: "data", owner: "web-producer" });
    expect(stack.violations).to.deep.equal([]);
  });

  it("runs a top-level program afresh for each named stack", async () => {
    const r = await plan(
      "--program",
      program("buckets.ts"),
      "--stack",
      "web-producer",
      "--stack",
      "ops-producer",
      "--policies",
      PACKS,
      "--format",
      "json",
    );
    const report = JSON.parse(r.stdout);
    expect(
      report.stacks.map((s: { stack: string; resources: unknown[] }) => [s.stack, s.resources.length]),
    ).to.deep.equal([
      ["web-producer", 4],
      ["ops-producer", 4],
    ]);
  });

  it("records values unknown until deployment as unknown; policies judge what is known of them", async () => {
    const r = await plan("--program", program("unknown-policy.ts"), "--format", "json");
    const [stack] = JSON.parse(r.stdout).stacks;
    const policy = stack.resources.find((x: { name: string }) => x.name === "data-policy");
    expect(policy.inputs).to.deep.equal({ bucket: "data", policy: "[unknown]" });
    const found = stack.violations.map((v: { policy: string; level: string }) => `${v.level} ${v.policy}`);
    // The TLS rule cannot judge a policy document not known yet: no violation, and no skipped check.
    expect(found).not.to.include("mandatory s3-bucket-enforce-tls");
    expect(stack.violations.map((v: { message: string }) => v.message).join("\n")).not.to.contain(
      "can't be known during preview",
    );
    // What is known is still judged: the bucket has no public access block and no KMS encryption.
    expect(found).to.include.members([
      "mandatory s3-bucket-block-public-access",
      "mandatory s3-bucket-enforce-kms-encryption",
    ]);
  });

  it("plans without packs only with --no-policies, and says so in the report", async () => {
    const r = await plan("--program", program("buckets.ts"), "--no-policies");
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.contain("--no-policies: no policy pack evaluated");
    expect(r.stdout).to.contain("Policy packs: none evaluated (--no-policies): no governance verdict");
    expect(r.stdout).to.contain("no governance verdict");
    expect(r.stdout).to.match(/aws:s3\/bucket:Bucket\s*│\s*3/);
  });

  it("exits 2 with the program's error pointing at the program's own line", async () => {
    const r = await plan("--program", program("throws.ts"), "--policies", PACKS);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain("misconfigured: datasets[0] has no owner");
    expect(r.stderr).to.match(/throws\.ts:4:7/);
    expect(r.stdout).to.equal("");
  });

  it("exits 2 listing every problem of an invalid platform file with its path", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broken-"));
    const file = path.join(dir, "platform.yaml");
    const text = fs
      .readFileSync(path.join(ROOT, "stacks", "platform.yaml"), "utf8")
      .replace("web-analytics@acme.example", "web-analytics")
      .replace("format: parquet", "format: csv");
    fs.writeFileSync(file, text);
    try {
      const r = await plan("--platform", file);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain("(2 problems)");
      expect(r.stderr).to.contain("datasets[0].owner.email: ");
      expect(r.stderr).to.contain("datasets[0].format: ");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 2 for an unknown stack, naming the known ones", async () => {
    const r = await plan("--stack", "nope");
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('unknown stack "nope"');
    expect(r.stderr).to.contain("lake-prod");
  });

  it("exits 2 for a date that is not a calendar date, and for a bad flag", async () => {
    expect((await plan("--date", "2026-02-30")).code).to.equal(2);
    expect((await plan("--frobnicate")).code).to.equal(2);
    expect((await plan("--format", "xml")).code).to.equal(2);
  });

  it("writes the report to --out and only progress to stderr", async () => {
    const out = path.join(os.tmpdir(), `plan-${process.pid}.json`);
    try {
      const r = await plan(
        "--program",
        program("tagged-folder"),
        "--policies",
        PACKS,
        "--format",
        "json",
        "--out",
        out,
      );
      expect(r.stdout).to.equal("");
      expect(JSON.parse(fs.readFileSync(out, "utf8")).summary.stacks).to.equal(1);
    } finally {
      fs.rmSync(out, { force: true });
    }
  });
});
