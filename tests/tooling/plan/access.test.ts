import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { writeScalePlatform } from "../../../bench/plan-scale/generate";
import { loadPlatform, modelAccess } from "../../../platform";
import type { ReadAccess } from "../../../platform";
import { plan, PlanReport } from "../../../tooling/plan/engine";
import { main } from "../../../tooling/plan/cli";
import { effectiveAccess } from "../../../tooling/plan/access/effective";
import { checkAccess, PLAN_PACK } from "../../../tooling/plan/access/check";
import type { AccessChange, AccessReport } from "../../../tooling/plan/access/report";

const ROOT = path.join(__dirname, "..", "..", "..");
const PLATFORM = path.join(ROOT, "stacks", "platform.yaml");
const STACKS = path.join(ROOT, "stacks");
const INFRA = path.join(ROOT, "infra");
const DATE = "2026-12-04";

async function planned(
  platformFile: string,
  stacksDir: string,
  extra: Partial<Parameters<typeof plan>[0]> = {},
) {
  return plan({
    platformFile,
    stacksDir,
    defaultProgram: INFRA,
    date: DATE,
    policiesDir: null,
    ...extra,
  });
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const byKey = (entries: readonly ReadAccess[]) =>
  Object.fromEntries(entries.map((a) => [`${a.principal} ${a.database}.${a.table}`, a]));

describe("effective access from the planned resources (plan/access)", function () {
  this.timeout(240_000);

  it("equals the access model on the example platform, entry for entry", async () => {
    const report = await planned(PLATFORM, STACKS);
    const p = loadPlatform(PLATFORM);
    expect(report.access!.partial).to.equal(false);
    expect(report.access!.grants).to.deep.equal(modelAccess(p, DATE));
    expect(report.access!.grants.length).to.be.greaterThan(30);
  });

  it("equals the access model on generated platforms", async () => {
    for (const sizes of [
      { accounts: 6, datasets: 30, consumers: 9 },
      { accounts: 8, datasets: 60, consumers: 14 },
    ]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-"));
      try {
        const file = writeScalePlatform(dir, sizes);
        const report = await planned(file, dir);
        const model = modelAccess(loadPlatform(file), DATE);
        // Compared by key first, so that a difference names the entry.
        const got = byKey(report.access!.grants);
        const want = byKey(model);
        expect(Object.keys(got).sort()).to.deep.equal(Object.keys(want).sort());
        for (const k of Object.keys(want)) expect(got[k], k).to.deep.equal(want[k]);
        expect(
          model.some((a) => a.rowFilter !== null),
          "the generated platform has row filters",
        ).to.equal(true);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it("reads the lake's data outside Lake Formation only as the model allows (crawlers, ingestion, validator, Lake Formation)", async () => {
    const report = await planned(PLATFORM, STACKS);
    const bypass = report.access!.bypass;
    expect(bypass.map((b) => b.kind)).to.satisfy((kinds: string[]) => kinds.every((k) => k === "s3-read"));
    expect(bypass.map((b) => b.principal.split("/").pop())).to.include.members([
      "acme-lake-governance-validator",
      "acme-lake-lf-data-access",
      "acme-lake-clickstream-crawl",
      "acme-lake-orders-ingest",
    ]);
    // The cross-account writer reads only its own dataset, as the lake bucket's policy and its own allow.
    expect(bypass.find((b) => b.principal.endsWith("/acme-lake-orders-ingest"))!.datasets).to.deep.equal([
      "orders",
    ]);
    expect(
      bypass.every((b) => b.team === null),
      "no team reads the lake from S3",
    ).to.equal(true);
    const p = loadPlatform(PLATFORM);
    expect(checkAccess(p, DATE, effectiveAccess(p, report.stacks), report.stacks)).to.deep.equal([]);
  });

  it("catches a role that reads lake data from S3, outside Lake Formation", async () => {
    const report = await planned(PLATFORM, STACKS);
    const p = loadPlatform(PLATFORM);
    const lake = report.stacks.find((s) => s.stack === "lake-prod")!;
    const snoop = {
      urn: "urn:pulumi:lake-prod::lakehouse::aws:iam/rolePolicy:RolePolicy::snoop",
      type: "aws:iam/rolePolicy:RolePolicy",
      name: "snoop",
      parent: null,
      provider: null,
      inputs: {
        role: "reporting",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              NotAction: "s3:PutObject",
              Resource: "arn:aws:s3:::acme-lake-111111111111-raw/*/sales/*",
            },
          ],
        }),
      },
    };
    const stacks = report.stacks.map((s) => (s === lake ? { ...s, resources: [...s.resources, snoop] } : s));
    const effective = effectiveAccess(p, stacks);
    expect(effective.bypass.find((b) => b.principal.endsWith(":role/reporting"))).to.deep.include({
      kind: "s3-read",
      datasets: ["country_codes", "orders"],
      via: ["lake-prod/snoop"],
    });
    const found = checkAccess(p, DATE, effective, stacks);
    expect(found).to.have.length(1);
    expect(found[0].violation.policy).to.equal("lake-data-read-through-lake-formation");
    expect(found[0].violation.message).to.contain(
      "arn:aws:iam::111111111111:role/reporting may read country_codes, orders from S3",
    );
  });

  it("confines a producer's role to its own account's prefix through the lake's bucket policy, whatever it tags itself with", async () => {
    const report = await planned(PLATFORM, STACKS);
    const p = loadPlatform(PLATFORM);
    const ORDERS = "arn:aws:iam::333333333333:role/acme-lake-orders-ingest";
    // The orders role, given every key of the raw bucket by its own IAM policy and the tags of
    // clickstream (web-producer's), reads nothing: the bucket binds its keys to 333333333333/.
    const widened = report.stacks.map((s) =>
      s.stack !== "ops-producer"
        ? s
        : {
            ...s,
            resources: s.resources.map((r) =>
              r.type === "aws:iam/role:Role" && r.inputs.name === "acme-lake-orders-ingest"
                ? {
                    ...r,
                    inputs: {
                      ...r.inputs,
                      tags: { ...(r.inputs.tags as object), dataset: "clickstream", domain: "marketing" },
                    },
                  }
                : r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "ops-producer-orders-role-policy"
                  ? {
                      ...r,
                      inputs: {
                        ...r.inputs,
                        policy: JSON.stringify({
                          Statement: [
                            {
                              Effect: "Allow",
                              Action: "s3:GetObject",
                              Resource: "arn:aws:s3:::acme-lake-111111111111-raw/*",
                            },
                          ],
                        }),
                      },
                    }
                  : r,
            ),
          },
    );
    const before = effectiveAccess(p, report.stacks).bypass.find((b) => b.principal === ORDERS);
    expect(before?.datasets).to.deep.equal(["orders"]);
    expect(effectiveAccess(p, widened).bypass.find((b) => b.principal === ORDERS)).to.equal(undefined);
    // Tagged as its own dataset, the same wide IAM policy reaches only that dataset.
    const ownTags = widened.map((s) =>
      s.stack !== "ops-producer"
        ? s
        : {
            ...s,
            resources: s.resources.map((r) =>
              r.type === "aws:iam/role:Role" && r.inputs.name === "acme-lake-orders-ingest"
                ? report.stacks
                    .find((x) => x.stack === "ops-producer")!
                    .resources.find((x) => x.urn === r.urn)!
                : r,
            ),
          },
    );
    expect(effectiveAccess(p, ownTags).bypass.find((b) => b.principal === ORDERS)?.datasets).to.deep.equal([
      "orders",
    ]);
  });

  it("catches a program whose grants are wider than its definition (lakehouse-plan, mandatory)", async () => {
    const report = await plan({
      platformFile: PLATFORM,
      stacksDir: STACKS,
      defaultProgram: path.join(ROOT, "tests", "fixtures", "programs", "wider-grant"),
      date: DATE,
      policiesDir: path.join(ROOT, "policies"),
    });
    const found = report.stacks.flatMap((s) =>
      s.violations.filter((v) => v.pack === PLAN_PACK).map((v) => ({ stack: s.stack, ...v })),
    );
    expect(found).to.have.length(2);
    expect(found.every((v) => v.level === "mandatory" && v.stack === "lake-prod")).to.equal(true);
    const stranger = found.find((v) => v.message.includes("product-insights"))!;
    expect(stranger.message)
      .to.contain("orders (sales.orders)")
      .and.to.contain("grants more than the definition means");
    expect(stranger.urn).to.match(/stray-orders$/);
    const wider = found.find((v) => v.message.includes("controlling"))!;
    expect(wider.message)
      .to.contain("columns the definition does not grant it: customer_email")
      .and.to.contain("rows all instead of where region = 'EU'");
    expect(report.packs.map((p) => p.name)).to.include(PLAN_PACK);
    expect(report.summary.mandatory).to.be.at.least(2);
  });

  it("says which stacks a --stack subset left out, and compares what it saw only", async () => {
    const report = await planned(PLATFORM, STACKS, {
      stacks: ["lake-prod"],
      policiesDir: path.join(ROOT, "policies"),
    });
    expect(report.access!.partial).to.equal(true);
    expect(report.access!.omittedStacks).to.deep.equal([
      "analytics-consumer",
      "finance-consumer",
      "ops-producer",
      "web-producer",
    ]);
    // The links are in the consumers' stacks: not planned, not judged.
    expect(report.stacks[0].violations.filter((v) => v.pack === PLAN_PACK)).to.deep.equal([]);
  });
});

describe("npm run plan -- --format access | access-markdown [--base]", function () {
  this.timeout(240_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-diff-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const variant = (name: string, edit: (text: string) => string) => {
    const file = path.join(dir, name);
    const text = fs.readFileSync(PLATFORM, "utf8");
    const changed = edit(text);
    expect(changed, `${name} changes the definition`).to.not.equal(text);
    fs.writeFileSync(file, changed);
    return file;
  };

  it("writes the CONTRACTS §3 access object, grants as the model says", async () => {
    const { code, out } = await cli(["--format", "access", "--date", DATE]);
    expect(code).to.equal(0);
    const report = JSON.parse(out) as AccessReport;
    expect(Object.keys(report)).to.include.members([
      "platform",
      "date",
      "grants",
      "changes",
      "bypass",
      "partial",
    ]);
    expect(report.changes).to.deep.equal([]);
    const clickstream = report.grants.find(
      (g) => g.team === "marketing-analytics" && g.kind === "analyst" && g.dataset === "clickstream",
    )!;
    expect(clickstream).to.include({
      account: "analytics-consumer",
      rowFilter: null,
      expiresOn: "2027-06-30",
    });
    expect(clickstream.columns).to.not.include("user_id");
    expect(clickstream.permissions).to.deep.equal(["DESCRIBE", "SELECT"]);
  });

  it("lists the datasets and columns a wider tag expression makes visible", async () => {
    const wider = variant("wider.yaml", (t) =>
      t.replace(
        "- { domain: [marketing, operations], classification: [public, internal] }",
        "- { domain: [marketing, operations], classification: [public, internal, confidential] }",
      ),
    );
    const { code, out, err } = await cli([
      "--format",
      "access",
      "--date",
      DATE,
      "--platform",
      wider,
      "--base",
      PLATFORM,
    ]);
    expect(code, err).to.equal(0);
    const changes = (JSON.parse(out) as AccessReport).changes.filter((c) =>
      c.principal.endsWith("/acme-lake-marketing-analytics-analyst"),
    );
    const pick = (c: AccessChange) => `${c.change} ${c.dataset} ${c.columns.join(",")}`;
    expect(changes.map(pick)).to.include.members([
      "columns-added clickstream user_id",
      "columns-added inventory_snapshots unit_cost",
    ]);
    const granted = changes.find((c) => c.change === "granted" && c.dataset === "support_tickets")!;
    expect(granted.columns).to.not.include("customer_email");
    expect(granted.expiresOn).to.deep.equal({ before: null, after: "2027-06-30" });
  });

  it("lists a named dataset the change removes as revoked, and renders the diff as Markdown", async () => {
    const narrower = variant("narrower.yaml", (t) =>
      t.replace(
        "datasets: [clickstream, product_catalog, support_tickets]",
        "datasets: [clickstream, product_catalog]",
      ),
    );
    const json = await cli([
      "--format",
      "access",
      "--date",
      DATE,
      "--platform",
      narrower,
      "--base",
      PLATFORM,
    ]);
    const changes = (JSON.parse(json.out) as AccessReport).changes;
    expect(changes).to.have.length(1);
    expect(changes[0]).to.include({
      change: "revoked",
      team: "product-insights",
      dataset: "support_tickets",
    });
    const md = await cli([
      "--format",
      "access-markdown",
      "--date",
      DATE,
      "--platform",
      narrower,
      "--base",
      PLATFORM,
    ]);
    expect(md.code).to.equal(0);
    expect(md.out).to.contain(
      "| revoked | product-insights | 444444444444/acme-lake-product-insights-analyst | support_tickets | all but customer_email† |",
    );
    expect(md.out).to.contain("#### Who reads what");
  });

  it("refuses --base outside the access formats, and a base that is not a definition, with exit 2", async () => {
    const wrongFormat = await cli(["--format", "json", "--base", PLATFORM]);
    expect(wrongFormat.code).to.equal(2);
    expect(wrongFormat.err).to.contain("--base").and.to.contain("--format access");
    const missing = await cli(["--format", "access", "--base", path.join(dir, "nope.yaml")]);
    expect(missing.code).to.equal(2);
    expect(missing.err).to.match(/--base .*nope\.yaml/);
    const base = path.join(dir, "base.yaml");
    fs.copyFileSync(PLATFORM, base);
    const over = await cli(["--format", "access", "--base", base, "--out", base]);
    expect(over.code).to.equal(2);
    expect(over.err).to.contain("is the base definition (--base), an input of this plan");
    expect(fs.readFileSync(base, "utf8")).to.equal(fs.readFileSync(PLATFORM, "utf8"));
  });

  it("adds who reads what per team to the table report", async () => {
    const { out } = await cli(["--date", DATE]);
    expect(out).to.contain("Who reads what (from the planned grants):");
    expect(out).to.contain(
      "orders: all but customer_email†; rows where region = 'EU' — as analyst, quicksight, redshift",
    );
  });
});

export type { PlanReport };
