import { expect } from "chai";
import * as path from "path";
import { bucketName, loadPlatform } from "../../platform";
import { composeEmails } from "../../validator/email";
import { capNamedObjects, Finding, toJsonLines } from "../../validator/findings";
import { VALIDATOR_IAM_ACTIONS, validatorPolicyStatements } from "../../validator/iam";
import { findingsKey, REGISTRY_KEY } from "../../validator/defaults";

const p = loadPlatform(path.resolve(__dirname, "../../stacks/platform.yaml"));

const f = (
  dataset: string,
  check: Finding["check"],
  severity: Finding["severity"],
  message: string,
  object?: string,
): Finding => ({
  dataset,
  check,
  severity,
  message,
  ...(object ? { object } : {}),
});

describe("governance runtime: findings, e-mails and IAM", () => {
  it("writes findings as sorted JSON lines with the contract's keys only: the same findings give the same bytes", () => {
    const a = f("orders", "schema", "error", "column x missing", "s3://raw/o/1.parquet");
    const b = f("clickstream", "freshness", "error", "stale");
    const c = f("orders", "format", "warning", "odd");
    const extra = { ...c, notify: ["x@acme.example"] } as Finding;
    const text = toJsonLines([a, b, extra]);
    expect(text).to.equal(toJsonLines([extra, a, b]));
    expect(text.split("\n")).to.deep.equal([JSON.stringify(b), JSON.stringify(c), JSON.stringify(a), ""]);
    expect(toJsonLines([])).to.equal("");
  });

  it("keeps one key per run date for findings, and one for the published definition", () => {
    expect(findingsKey("2026-11-24")).to.equal("findings/date=2026-11-24/findings.jsonl");
    expect(REGISTRY_KEY).to.equal("registry/platform.json");
  });

  it("caps named objects and sums up the rest in one finding", () => {
    const many = Array.from({ length: 5 }, (_, i) =>
      f("orders", "format", "error", `bad ${i}`, `s3://raw/${i}`),
    );
    const capped = capNamedObjects(many, 3, (n) => f("orders", "format", "error", `${n} more`));
    expect(capped.map((x) => x.message)).to.deep.equal(["bad 0", "bad 1", "bad 2", "2 more"]);
    expect(capNamedObjects(many, 5, () => f("orders", "format", "error", "never"))).to.have.length(5);
  });

  it("keeps data-derived text on its own line in e-mails: an S3 key cannot forge a line or send a terminal escape", () => {
    const key = "s3://raw/sales/orders/x\n  [ERROR] forged: all good\u001b[2J\u202e.csv";
    const [email] = composeEmails(p, "2026-11-24", [
      {
        finding: f("orders", "format", "error", `${key}: not Parquet`, key),
        notify: ["order-management@acme.example"],
      },
    ]);
    const lines = email.body.split("\n");
    expect(lines.filter((l) => l.includes("[ERROR]"))).to.deep.equal([
      "  [ERROR] format: s3://raw/sales/orders/x\\n  [ERROR] forged: all good\\x1b[2J\\u202e.csv: not Parquet",
      "      s3://raw/sales/orders/x\\n  [ERROR] forged: all good\\x1b[2J\\u202e.csv",
    ]);
    expect(email.body).not.to.match(/[\u001b\u202e]/);
  });

  it("sends one e-mail per address with that team's findings by dataset, and none to teams without findings", () => {
    const routed = [
      {
        finding: f("orders", "format", "error", "x.csv: not Parquet", "s3://raw/sales/orders/x.csv"),
        notify: ["order-management@acme.example"],
      },
      {
        finding: f("country_codes", "volume", "warning", "too much"),
        notify: ["order-management@acme.example"],
      },
      {
        finding: f("orders", "grant-expiry", "info", "controlling's grant expires"),
        notify: ["controlling@acme.example", "order-management@acme.example"],
      },
    ];
    const emails = composeEmails(p, "2026-11-24", routed, "s3://gov/findings/date=2026-11-24/findings.jsonl");
    expect(emails.map((e) => [e.to, e.subject])).to.deep.equal([
      ["controlling@acme.example", "[acme-lake] Data governance 2026-11-24 for controlling: 1 reminder"],
      [
        "order-management@acme.example",
        "[acme-lake] Data governance 2026-11-24 for order-management: 1 error, 1 warning, 1 reminder",
      ],
    ]);
    const body = emails[1].body;
    expect(body).to.match(/^Hello order-management,/);
    expect(body.indexOf("country_codes:")).to.be.lessThan(body.indexOf("orders:"));
    expect(body).to.include("  [ERROR] format: x.csv: not Parquet\n      s3://raw/sales/orders/x.csv");
    expect(body).to.include("All findings of the run: s3://gov/findings/date=2026-11-24/findings.jsonl");
    expect(emails[0].body).not.to.include("x.csv");
    expect(composeEmails(p, "2026-11-24", [])).to.deep.equal([]);
  });

  it("scopes the validator's IAM statements to the platform's buckets, catalog and sender, with no wildcard action", () => {
    const statements = validatorPolicyStatements(p, {
      region: "eu-west-1",
      kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k",
    });
    const actions = statements.flatMap((s) => s.Action);
    expect(new Set(actions)).to.deep.equal(new Set(VALIDATOR_IAM_ACTIONS));
    expect(actions.some((a) => a.includes("*"))).to.equal(false);
    const resources = statements.flatMap((s) => s.Resource);
    expect(resources).to.include(`arn:aws:s3:::${bucketName(p, "governance")}/findings/*`);
    expect(resources).to.include(`arn:aws:s3:::${bucketName(p, "governance")}/${REGISTRY_KEY}`);
    expect(resources).to.include("arn:aws:ses:eu-west-1:111111111111:identity/data-governance@acme.example");
  });
});
