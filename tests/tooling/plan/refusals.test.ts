import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { runPlanCli as plan } from "../../run-cli";

const ROOT = path.join(__dirname, "..", "..", "..");
const PACKS = path.join(ROOT, "tests", "fixtures", "packs");
const BUCKETS = path.join(ROOT, "tests", "fixtures", "programs", "buckets.ts");
const FIXTURES = path.join(__dirname, "fixtures");

/** An exit-2 refusal: the reason on stderr, no report, no stack trace. */
function refused(r: { code: number; stdout: string; stderr: string }): string {
  expect(r.code, r.stderr).to.equal(2);
  expect(r.stdout).to.equal("");
  expect(r.stderr).not.to.contain("internal error");
  expect(r.stderr).not.to.match(/\n\s+at .*:\d+:\d+\)?\n/);
  return r.stderr;
}

describe("npm run plan refuses what the engine would", function () {
  this.timeout(120_000);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-refusals-"));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("exits 2 for a --policies folder that does not exist, naming --no-policies", async () => {
    const err = refused(await plan("--program", BUCKETS, "--policies", path.join(tmp, "polcies")));
    expect(err).to.contain("--policies").and.to.contain("no such folder").and.to.contain("--no-policies");
  });

  it("exits 2 for a --policies folder that holds no pack", async () => {
    fs.mkdirSync(path.join(tmp, "not-a-pack"));
    const err = refused(await plan("--program", BUCKETS, "--policies", tmp));
    expect(err).to.contain("holds no policy pack").and.to.contain("PulumiPolicy.yaml");
  });

  it("exits 2 when --policies and --no-policies are both given", async () => {
    refused(await plan("--program", BUCKETS, "--policies", PACKS, "--no-policies"));
  });

  it("keeps the default policies/ folder working", async () => {
    const r = await plan("--program", path.join(FIXTURES, "empty-program.ts"), "--format", "json");
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/policy packs: .*lakehouse-governance/);
  });

  for (const [what, out] of [
    ["the platform file", path.join(ROOT, "stacks", "platform.yaml")],
    ["a stack file", path.join(ROOT, "stacks", "Pulumi.lake-prod.yaml")],
    ["the program's entry", BUCKETS],
    [
      "a file of a program folder",
      path.join(ROOT, "tests", "fixtures", "programs", "tagged-folder", "report.json"),
    ],
    ["a file in a policy pack", path.join(PACKS, "demo", "report.json")],
  ] as const) {
    it(`exits 2 for an --out that is ${what}, and leaves it untouched`, async () => {
      const before = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : null;
      const program = what === "a file of a program folder" ? path.dirname(out) : BUCKETS;
      const err = refused(await plan("--program", program, "--policies", PACKS, "--out", out));
      expect(err).to.contain("--out").and.to.contain("an input of this plan");
      expect(fs.existsSync(out) ? fs.readFileSync(out, "utf8") : null).to.equal(before);
    });
  }

  it("exits 2 for duplicate URNs, naming both declarations with their parents", async () => {
    const err = refused(
      await plan("--program", path.join(FIXTURES, "duplicate-urn.ts"), "--policies", PACKS),
    );
    expect(err).to.contain("duplicate resource URN");
    expect(err).to.contain("demo:index:Shelf$aws:s3/bucket:Bucket::data");
    expect(err).to.contain('aws:s3/bucket:Bucket "data" < demo:index:Shelf "left" < pulumi:pulumi:Stack');
    expect(err).to.contain('aws:s3/bucket:Bucket "data" < demo:index:Shelf "right" < pulumi:pulumi:Stack');
    expect(err).to.contain("unique name");
  });

  it("reports a program that registers nothing but the root stack, in JSON and in the table", async () => {
    const empty = path.join(FIXTURES, "empty-program.ts");
    const json = await plan("--program", empty, "--policies", PACKS, "--format", "json");
    expect(json.code, json.stderr).to.equal(0);
    const [stack] = JSON.parse(json.stdout).stacks;
    expect(stack.notices.join("\n")).to.contain("registered no resource besides the root stack");
    const table = await plan("--program", empty, "--policies", PACKS);
    expect(table.stdout).to.contain("registered no resource besides the root stack");
  });

  it("does not report a program that registers resources as empty", async () => {
    const r = await plan("--program", BUCKETS, "--policies", PACKS, "--format", "json");
    expect(JSON.parse(r.stdout).stacks[0].notices.join("\n")).not.to.contain("registered no resource");
  });

  it("exits 2 for two stack files deploying one account, naming both", async () => {
    for (const f of fs.readdirSync(path.join(ROOT, "stacks")))
      fs.copyFileSync(path.join(ROOT, "stacks", f), path.join(tmp, f));
    fs.writeFileSync(path.join(tmp, "Pulumi.lake-copy.yaml"), "config:\n  lakehouse:account: lake-prod\n");
    const err = refused(await plan("--stacks-dir", tmp, "--stack", "lake-prod", "--no-policies"));
    expect(err).to.contain("Pulumi.lake-copy.yaml").and.to.contain("Pulumi.lake-prod.yaml");
    expect(err).to.contain('both deploy lakehouse:account "lake-prod"');
  });

  it("reports an account of the definition that no stack file deploys", async () => {
    for (const f of fs.readdirSync(path.join(ROOT, "stacks")))
      if (f !== "Pulumi.finance-consumer.yaml")
        fs.copyFileSync(path.join(ROOT, "stacks", f), path.join(tmp, f));
    const r = await plan("--stacks-dir", tmp, "--stack", "lake-prod", "--no-policies", "--format", "json");
    expect(r.code, r.stderr).to.equal(0);
    const [stack] = JSON.parse(r.stdout).stacks;
    expect(stack.notices.join("\n")).to.match(
      /account finance-consumer \(555555555555\) .*has no stack file/,
    );
  });

  it("exits 2 for a --program folder without an entry point", async () => {
    const err = refused(await plan("--program", tmp, "--no-policies"));
    expect(err).to.contain("has no entry point").and.to.contain("index.ts");
  });

  it("exits 2 for a package.json whose main points to its own folder, loops, or names no file", async () => {
    fs.writeFileSync(path.join(tmp, "package.json"), JSON.stringify({ main: "." }));
    expect(refused(await plan("--program", tmp, "--no-policies"))).to.contain("points to its own folder");
    fs.mkdirSync(path.join(tmp, "a"));
    fs.mkdirSync(path.join(tmp, "b"));
    fs.writeFileSync(path.join(tmp, "package.json"), JSON.stringify({ main: "a" }));
    fs.writeFileSync(path.join(tmp, "a", "package.json"), JSON.stringify({ main: "../b" }));
    fs.writeFileSync(path.join(tmp, "b", "package.json"), JSON.stringify({ main: "../a" }));
    expect(refused(await plan("--program", tmp, "--no-policies"))).to.contain("(a loop)");
    fs.writeFileSync(path.join(tmp, "package.json"), JSON.stringify({ main: "lib/missing.js" }));
    expect(refused(await plan("--program", tmp, "--no-policies"))).to.contain(
      '"main" ("lib/missing.js") names no file',
    );
  });
});
