import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv, { ValidateFunction } from "ajv";
import { expect } from "chai";
import { loadPlatform } from "../../../platform";
import type { PlanReport, StackReport } from "../../../tooling/plan/engine";
import { renderMermaid } from "../../../tooling/plan/render/mermaid";
import { renderTable, splitMessage, TABLE_WIDTH, wrap } from "../../../tooling/plan/render/report";
import { FINGERPRINT_KEY, renderSarif, SARIF_SCHEMA, sarifLevel } from "../../../tooling/plan/render/sarif";
import { runPlanCli } from "../../run-cli";

const ROOT = path.join(__dirname, "..", "..", "..");
const PLATFORM = path.join(ROOT, "stacks", "platform.yaml");
const FORBIDDEN = path.join(ROOT, "tests", "fixtures", "forbidden", "csv-table-and-copies.ts");
const SARIF_SCHEMA_FILE = path.join(
  ROOT,
  "node_modules",
  "@microsoft",
  "jest-sarif",
  "lib",
  "schemas",
  "sarif-2.1.0-rtm.5.json",
);
const plan = runPlanCli;

/** The SARIF 2.1.0 schema (draft-04, read as draft-07: its only draft-04 keyword is `id`). */
function sarifValidator(): ValidateFunction {
  const { $schema: _draft, id, ...schema } = JSON.parse(fs.readFileSync(SARIF_SCHEMA_FILE, "utf8"));
  // No ajv-formats here: formats are not validated. The schema's `language` pattern is not a valid
  // unicode-mode regular expression, hence unicodeRegExp: false.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  return ajv.compile({ ...schema, $id: id });
}

function expectValidSarif(validate: ValidateFunction, log: unknown): void {
  const valid = validate(log);
  expect(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2)).to.equal(true);
}

// Every statement the diagram may hold, strictly: ids are Mermaid identifiers, labels are quoted with
// no raw quote or tag but <br/>.
const ID = "[A-Za-z][A-Za-z0-9_]*";
const LABEL = '"[^"<>]*(?:<br/>[^"<>]*)*"';
const MERMAID_STATEMENTS: Record<string, RegExp> = {
  header: /^flowchart LR$/,
  subgraph: new RegExp(`^ *subgraph (${ID})\\[${LABEL}\\]$`),
  end: /^ *end$/,
  node: new RegExp(
    `^ *(${ID})(?:\\[${LABEL}\\]|\\[\\(${LABEL}\\)\\]|\\(\\[${LABEL}\\]\\)|\\{\\{${LABEL}\\}\\}|\\[/${LABEL}/\\])$`,
  ),
  edge: new RegExp(`^ *(${ID}) (?:-->|-\\.->)(?:\\|${LABEL}\\|)? (${ID})$`),
};
const MERMAID_KEYWORDS = [
  "end",
  "subgraph",
  "graph",
  "flowchart",
  "style",
  "class",
  "classDef",
  "click",
  "linkStyle",
];

interface ParsedDiagram {
  subgraphs: string[];
  nodes: Map<string, string>;
  edges: { from: string; to: string; line: string }[];
}

/** Parses the diagram with {@link MERMAID_STATEMENTS}; fails on any other line. */
function parseMermaid(text: string): ParsedDiagram {
  expect(text.endsWith("\n")).to.equal(true);
  const lines = text.slice(0, -1).split("\n");
  const parsed: ParsedDiagram = { subgraphs: [], nodes: new Map(), edges: [] };
  let depth = 0;
  lines.forEach((line, i) => {
    const kind = Object.keys(MERMAID_STATEMENTS).find((k) => MERMAID_STATEMENTS[k].test(line));
    expect(kind, `line ${i + 1} is no Mermaid statement of ours: ${line}`).to.not.equal(undefined);
    expect(kind === "header").to.equal(i === 0);
    const m = MERMAID_STATEMENTS[kind!].exec(line)!;
    if (kind === "subgraph") {
      depth++;
      parsed.subgraphs.push(m[1]);
    } else if (kind === "end") {
      depth--;
      expect(depth, `line ${i + 1} closes no subgraph`).to.be.at.least(0);
    } else if (kind === "node") {
      expect(parsed.nodes.has(m[1]), `node ${m[1]} declared twice`).to.equal(false);
      parsed.nodes.set(m[1], line);
    } else if (kind === "edge") {
      parsed.edges.push({ from: m[1], to: m[2], line });
    }
  });
  expect(depth).to.equal(0);
  const ids = [...parsed.subgraphs, ...parsed.nodes.keys()];
  expect(new Set(ids).size, "ids are unique").to.equal(ids.length);
  for (const id of ids) expect(MERMAID_KEYWORDS).not.to.include(id);
  for (const e of parsed.edges) {
    expect(ids, e.line).to.include(e.from);
    expect(ids, e.line).to.include(e.to);
  }
  return parsed;
}

function nodeId(d: ParsedDiagram, ...parts: string[]): string {
  const found = [...d.nodes].filter(([, line]) => parts.every((p) => line.includes(p)));
  expect(found, `one node with ${parts.join(", ")}`).to.have.length(1);
  return found[0][0];
}

function hasEdge(d: ParsedDiagram, from: string, to: string, text?: string): boolean {
  return d.edges.some((e) => e.from === from && e.to === to && (text === undefined || e.line.includes(text)));
}

describe("npm run plan: report formats", function () {
  this.timeout(120_000);
  let example: PlanReport;
  let forbidden: PlanReport;

  before(async () => {
    const a = await plan("--format", "json", "--date", "2026-11-24");
    expect(a.code, a.stderr).to.equal(0);
    example = JSON.parse(a.stdout);
    const b = await plan("--program", FORBIDDEN, "--format", "json");
    expect(b.code, b.stderr).to.equal(1);
    forbidden = JSON.parse(b.stdout);
  });

  describe("json", () => {
    it("lists every policy of each pack with its level, severity and description (packs[].rules)", () => {
      for (const pack of example.packs) {
        expect(pack.rules).to.have.length(pack.policies);
        for (const rule of pack.rules) {
          expect(rule.name).to.match(/^[a-z0-9-]+$/);
          expect(rule.description).to.be.a("string").and.not.equal("");
          expect(["mandatory", "advisory", "disabled", "remediate"]).to.include(rule.level);
        }
      }
      const security = example.packs.find((p) => p.name === "lakehouse-security")!;
      expect(security.rules.find((r) => r.name === "s3-bucket-enable-versioning-and-logging")).to.include({
        level: "advisory",
        severity: "medium",
      });
    });
  });

  describe("table", () => {
    it("prints program-derived text with its control characters escaped: no terminal escape, no forged line", () => {
      const hostile = JSON.parse(JSON.stringify(forbidden)) as typeof forbidden;
      hostile.stacks[0].notices.push(
        "bucket \u001b]8;;http://x\u0007link\u001b]8;;\u0007 done\rMANDATORY forged",
      );
      const text = renderTable(hostile);
      expect(text).not.to.match(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(text).to.contain("bucket \\x1b]8;;http://x\\x07link\\x1b]8;;\\x07");
      expect(text.split("\n").filter((l) => l.trimStart().startsWith("MANDATORY forged"))).to.deep.equal([]);
    });

    it("groups violations by policy: level, pack, policy, severity, the purpose once, then each resource and its fix", () => {
      const text = renderTable(forbidden);
      const lines = text.split("\n");
      const head = lines.indexOf(
        "  MANDATORY  lakehouse-governance / glue-table-enforce-parquet  (severity high)",
      );
      expect(head, text).to.be.greaterThan(0);
      expect(lines[head + 1]).to.equal(
        "  Glue tables use the Parquet SerDe, input format and output format.",
      );
      expect(lines[head + 2]).to.equal("    ✗ orders-csv (aws:glue/catalogTable:CatalogTable)");
      expect(lines[head + 3]).to.match(/^ {6}Table sales\.orders_csv is not Parquet/);
      // The purpose is not repeated in the fix.
      expect(text.split("Glue tables use the Parquet SerDe, input format and output format.")).to.have.length(
        2,
      );
      // Two violations of one policy on one resource: one heading, both fixes.
      expect(text).to.contain(
        "  MANDATORY  lakehouse-security / firehose-enforce-kms-encryption  (severity high)  ×2",
      );
      expect(text).to.contain("  ADVISORY  lakehouse-security / s3-bucket-enable-versioning-and-logging");
      expect(text.indexOf("  ADVISORY")).to.be.greaterThan(text.lastIndexOf("  MANDATORY"));
      expect(text).to.contain(
        "Stack csv-table-and-copies: 10 resources, 16 mandatory and 2 advisory violations",
      );
      expect(text).to.contain("Violations: 16 mandatory, 2 advisory");
      expect(text).to.contain("Summary: 1 stack, 10 resources, 16 mandatory and 2 advisory violations");
      for (const line of lines) expect(line.length, line).to.be.at.most(TABLE_WIDTH);
    });

    it("lists notices, one progress line per stack on stderr, and a summary row per stack", async () => {
      const r = await plan("--stack", "lake-prod", "--stack", "analytics-consumer", "--date", "2027-01-15");
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/Notices \(1\):\n {2}• lake: the grant to product-insights/);
      expect(r.stdout).to.match(
        /Notices \(1\):\n {2}• analytics-consumer: the grant of product-insights expired/,
      );
      expect(r.stdout).to.match(
        /│ lake-prod\s+│ 111111111111 │ lake\s+│ eu-west-1 │\s+\d+ │\s+0 │\s+0 │\s+1 │/,
      );
      expect(r.stdout).to.contain("Summary: 2 stacks");
      const progress = r.stderr.split("\n").filter((l) => /^\[\d+\/\d+\] /.test(l));
      expect(progress).to.have.length(2);
      expect(progress[0]).to.match(
        /^\[1\/2\] lake-prod: \d+ resources, 0 mandatory and 0 advisory violations/,
      );
      expect(progress[1]).to.match(/^\[2\/2\] analytics-consumer: \d+ resources, 0 mandatory and 0 advisory/);
      expect(r.stdout).not.to.contain("[1/2]");
    });

    it("wraps text to the width, cutting words longer than a line, keeping paragraphs", () => {
      expect(wrap("aaa bbb ccc", 27, "  ")).to.deep.equal(["  aaa bbb ccc"]);
      const long = wrap(`x ${"y".repeat(45)} z`, 20);
      expect(long).to.deep.equal(["x", "y".repeat(20), "y".repeat(20), "yyyyy z"]);
      expect(wrap("one\ntwo", 80)).to.deep.equal(["one", "two"]);
    });

    it("splits a message into the policy's purpose and the fix", () => {
      expect(splitMessage("Purpose.\nDo this.", "Purpose.")).to.deep.equal({
        purpose: "Purpose.",
        fix: "Do this.",
      });
      expect(splitMessage("Something else.\nDo this.", "Purpose.")).to.deep.equal({
        fix: "Something else.\nDo this.",
      });
      expect(splitMessage("Only a line.")).to.deep.equal({ fix: "Only a line." });
    });
  });

  describe("mermaid", () => {
    it("draws the example: a subgraph per stack, ingestion into datasets, shares to teams, links and analytics", async () => {
      const out = path.join(os.tmpdir(), `plan-${process.pid}.mmd`);
      try {
        const r = await plan("--format", "mermaid", "--date", "2026-11-24", "--out", out);
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout).to.equal("");
        const text = fs.readFileSync(out, "utf8");
        expect(text.startsWith("flowchart LR\n")).to.equal(true);
        const d = parseMermaid(text);
        const stackGraphs = d.subgraphs.filter((s) => s.startsWith("stack_"));
        expect(stackGraphs).to.deep.equal([
          "stack_lake_prod",
          "stack_ops_producer",
          "stack_web_producer",
          "stack_analytics_consumer",
          "stack_finance_consumer",
        ]);
        expect(text).to.contain(
          'subgraph stack_finance_consumer["finance-consumer · consumer · account 555555555555"]',
        );
        // A producer's ingestion writes its dataset in the lake.
        const clickstream = nodeId(d, "ds_lake_prod_", '"clickstream<br/>');
        const firehose = nodeId(d, '"Firehose<br/>acme-lake-clickstream-to-lake"');
        expect(hasEdge(d, firehose, clickstream, "writes")).to.equal(true);
        const orders = nodeId(d, "ds_lake_prod_", '"orders<br/>');
        expect(hasEdge(d, nodeId(d, '"DMS<br/>acme-lake-orders"'), orders, "replicates")).to.equal(true);
        // Datasets are shared with consumer teams: one edge per dataset and team, saying how.
        const insights = nodeId(d, '"team product-insights<br/>');
        const controlling = nodeId(d, '"team controlling<br/>');
        const marketing = nodeId(d, '"team marketing-analytics<br/>');
        expect(hasEdge(d, clickstream, insights, '"without 1 column"')).to.equal(true);
        expect(hasEdge(d, orders, controlling, '"row filter"')).to.equal(true);
        expect(hasEdge(d, clickstream, marketing, '"LF-tags"')).to.equal(true);
        expect(hasEdge(d, clickstream, controlling)).to.equal(false);
        const pairs = d.edges.map((e) => `${e.from} ${e.to}`);
        expect(new Set(pairs).size, "repeated edges are grouped").to.equal(pairs.length);
        // Teams sit in their account's stack; the lake's own readers (validator, crawlers) are no shares.
        const inConsumer = text.slice(text.indexOf("subgraph stack_analytics_consumer"));
        expect(inConsumer.slice(0, inConsumer.indexOf("\n  end"))).to.contain(`${insights}([`);
        expect(text).not.to.contain("validator");
        // Resource links point back at the lake's databases; analytics hang off their team.
        const link = nodeId(d, '"link sales_shared"', "finance");
        expect(hasEdge(d, "db_stack_lake_prod_sales", link, "resource link")).to.equal(true);
        expect(hasEdge(d, marketing, nodeId(d, '"EMR Serverless<br/>marketing-analytics-spark"'))).to.equal(
          true,
        );
        expect(hasEdge(d, controlling, nodeId(d, '"QuickSight SPICE<br/>orders"'), "imports")).to.equal(true);
      } finally {
        fs.rmSync(out, { force: true });
      }
    });

    it("draws a team's program: its copy of a dataset, what writes it, and the grant to another account", () => {
      const d = parseMermaid(renderMermaid(forbidden, loadPlatform(PLATFORM)));
      expect(d.subgraphs).to.include.members([
        "stack_csv_table_and_copies",
        "account_999999999999",
        "db_stack_csv_table_and_copies_sales",
      ]);
      const copy = nodeId(d, '"orders<br/>as table sales.orders_csv');
      expect(hasEdge(d, nodeId(d, '"Firehose<br/>clicks-to-s3"'), copy, "writes")).to.equal(true);
      const partner = nodeId(d, '"account 999999999999<br/>');
      expect(hasEdge(d, copy, partner, '"named, grant option"')).to.equal(true);
    });

    it("makes valid ids and quoted labels of any name, and keeps ids unique", () => {
      const stack = (name: string, resources: StackReport["resources"]): StackReport => ({
        stack: name,
        account: null,
        role: null,
        region: null,
        resources,
        outputs: {},
        violations: [],
        notices: [],
      });
      const table = (name: string, db: string, dataset: string) => ({
        urn: `urn:pulumi:s::p::aws:glue/catalogTable:CatalogTable::${name}`,
        type: "aws:glue/catalogTable:CatalogTable",
        name,
        parent: null,
        provider: null,
        inputs: { databaseName: db, name, parameters: { dataset, owner: 'say "hi" <b>#1</b>' } },
      });
      const report: PlanReport = {
        platform: "p",
        date: "2026-01-01",
        packs: [],
        stacks: [
          stack("end", [table("end", "end", "end"), table("a-b", "x", "one"), table("a_b", "x", "two")]),
          stack("9 lives", []),
        ],
        summary: { stacks: 2, resources: 3, mandatory: 0, advisory: 0 },
      };
      const text = renderMermaid(report);
      const d = parseMermaid(text);
      expect(d.subgraphs.filter((s) => s.startsWith("stack_"))).to.deep.equal(["stack_end", "stack_9_lives"]);
      expect(text).to.contain("say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt;");
      expect(nodeId(d, '"one<br/>')).to.not.equal(nodeId(d, '"two<br/>'));
      expect(text).to.contain('"0 resources, no data flow"');
    });
  });

  describe("sarif", () => {
    let validate: ValidateFunction;
    before(() => {
      validate = sarifValidator();
    });

    it("reports a failing program as SARIF 2.1.0: a run per pack, a result per violation, exit 1", async () => {
      const r = await plan("--program", FORBIDDEN, "--format", "sarif");
      expect(r.code, r.stderr).to.equal(1);
      const log = JSON.parse(r.stdout);
      expectValidSarif(validate, log);
      expect(log).to.include({ version: "2.1.0", $schema: SARIF_SCHEMA });
      expect(
        log.runs.map((run: { tool: { driver: { name: string } } }) => run.tool.driver.name),
      ).to.deep.equal(forbidden.packs.map((p) => p.name));
      const violations = forbidden.stacks.flatMap((s) => s.violations);
      let total = 0;
      for (const [i, run] of (log.runs as SarifRun[]).entries()) {
        const pack = forbidden.packs[i];
        expect(run.tool.driver.version).to.equal(pack.version);
        expect(run.tool.driver.rules.map((x) => x.id)).to.deep.equal(pack.rules.map((x) => x.name));
        for (const rule of run.tool.driver.rules) {
          const declared = pack.rules.find((x) => x.name === rule.id)!;
          expect(rule.shortDescription.text).to.equal(declared.description);
          expect(rule.help.text).to.contain("How to fix:");
          expect(rule.defaultConfiguration.level).to.equal(sarifLevel(declared.level));
          expect(rule.properties.severity).to.equal(declared.severity);
        }
        const mine = violations.filter((v) => v.pack === pack.name);
        expect(run.results).to.have.length(mine.length);
        expect(run.results.map((x) => `${x.ruleId} ${x.level}`).sort()).to.deep.equal(
          mine.map((v) => `${v.policy} ${v.level === "mandatory" ? "error" : "warning"}`).sort(),
        );
        for (const result of run.results) {
          expect(run.tool.driver.rules[result.ruleIndex].id).to.equal(result.ruleId);
          const [location] = result.locations;
          expect(location.physicalLocation.artifactLocation).to.deep.equal({
            uri: "tests/fixtures/forbidden/csv-table-and-copies.ts",
            uriBaseId: "%SRCROOT%",
          });
          expect(location.logicalLocations[0].kind).to.equal("resource");
          expect(mine.map((v) => v.urn)).to.include(location.logicalLocations[0].fullyQualifiedName);
          expect(result.partialFingerprints[FINGERPRINT_KEY]).to.match(/^[0-9a-f]{64}(:\d+)?$/);
        }
        total += run.results.length;
      }
      expect(total).to.equal(violations.length);
      expect(total).to.equal(forbidden.summary.mandatory + forbidden.summary.advisory);
      const advisory = (log.runs as SarifRun[])
        .flatMap((x) => x.results)
        .filter((x) => x.level === "warning");
      expect(advisory).to.have.length(forbidden.summary.advisory);
      // Where the program declares the resource: `new aws.glue.CatalogTable(` with "orders-csv", line 15.
      const parquet = (log.runs as SarifRun[])[0].results.find(
        (x) => x.ruleId === "glue-table-enforce-parquet",
      )!;
      expect(parquet.locations[0].physicalLocation.region).to.deep.equal({ startLine: 15 });
      // Fingerprints are stable from run to run (this log and the report planned in before()), and unique.
      const again = JSON.parse(renderSarif(forbidden, { root: ROOT, programFile: FORBIDDEN })) as SarifLog;
      const prints = (l: SarifLog) =>
        l.runs.flatMap((x) => x.results.map((y) => y.partialFingerprints[FINGERPRINT_KEY]));
      expect(prints(again)).to.deep.equal(prints(log));
      expect(new Set(prints(log)).size).to.equal(total);
    });

    it("reports the clean example as valid SARIF with every rule and no result, pointing at infra/index.ts", () => {
      const log = JSON.parse(
        renderSarif(example, { root: ROOT, programFile: path.join(ROOT, "infra", "index.ts") }),
      ) as SarifLog;
      expectValidSarif(validate, log);
      // The two packs, and the plan's own check (lakehouse-plan, two rules).
      expect(log.runs).to.have.length(3);
      for (const run of log.runs) {
        expect(run.results).to.deep.equal([]);
        expect(run.tool.driver.rules.length).to.be.greaterThan(
          run.tool.driver.name === "lakehouse-plan" ? 1 : 10,
        );
      }
      const withResult: PlanReport = {
        ...example,
        stacks: example.stacks.map((s, i) =>
          i === 0
            ? {
                ...s,
                violations: [
                  {
                    pack: "lakehouse-governance",
                    policy: "glue-crawler-enforce-parquet",
                    level: "advisory",
                    urn: null,
                    message: "A stack policy.\nFix it.",
                  },
                ],
              }
            : s,
        ),
      };
      const stackLevel = JSON.parse(
        renderSarif(withResult, { root: ROOT, programFile: path.join(ROOT, "infra", "index.ts") }),
      ) as SarifLog;
      expectValidSarif(validate, stackLevel);
      const [result] = stackLevel.runs[0].results;
      expect(result.level).to.equal("warning");
      expect(result.locations[0].physicalLocation.artifactLocation.uri).to.equal("infra/index.ts");
      expect(result.locations[0].logicalLocations[0].fullyQualifiedName).to.equal(
        example.stacks[0].resources[0].urn,
      );
    });

    it("maps levels: mandatory and remediate to error, advisory to warning, disabled to none", () => {
      expect(sarifLevel("mandatory")).to.equal("error");
      expect(sarifLevel("remediate")).to.equal("error");
      expect(sarifLevel("advisory")).to.equal("warning");
      expect(sarifLevel("disabled")).to.equal("none");
      const disabled: PlanReport = {
        ...forbidden,
        packs: forbidden.packs.map((p) => ({
          ...p,
          rules: p.rules.map((r) => ({ ...r, level: "disabled" as const })),
        })),
      };
      const log = JSON.parse(renderSarif(disabled, { root: ROOT, programFile: FORBIDDEN })) as SarifLog;
      expectValidSarif(validate, log);
      for (const rule of log.runs.flatMap((x) => x.tool.driver.rules)) {
        expect(rule.defaultConfiguration).to.deep.equal({ level: "none", enabled: false });
      }
    });

    it("names a program outside the repository by its file URI", () => {
      const elsewhere = path.join(os.tmpdir(), "team", "index.ts");
      const log = JSON.parse(renderSarif(forbidden, { root: ROOT, programFile: elsewhere })) as SarifLog;
      expectValidSarif(validate, log);
      expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).to.deep.equal({
        uri: `file://${elsewhere.split(path.sep).join("/")}`,
      });
    });
  });

  it("writes every format to --out, keeps stdout empty and exits 1 on mandatory violations", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-out-"));
    try {
      // json: tests/plan/cli.test.ts
      for (const format of ["table", "sarif", "mermaid"]) {
        const out = path.join(dir, `report.${format}`);
        const r = await plan("--program", FORBIDDEN, "--format", format, "--out", out);
        expect(r.code, `${format}: ${r.stderr}`).to.equal(1);
        expect(r.stdout).to.equal("");
        expect(r.stderr).to.contain("[1/1] csv-table-and-copies: 10 resources, 16 mandatory and 2 advisory");
        const text = fs.readFileSync(out, "utf8");
        if (format === "table") expect(text).to.contain("Summary: 1 stack");
        if (format === "sarif") expect(JSON.parse(text).version).to.equal("2.1.0");
        if (format === "mermaid") expect(text.startsWith("flowchart LR\n")).to.equal(true);
      }
      const missing = await plan(
        "--program",
        FORBIDDEN,
        "--format",
        "sarif",
        "--out",
        path.join(dir, "no", "x"),
      );
      expect(missing.code).to.equal(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region?: { startLine: number };
    };
    logicalLocations: { fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
}

interface SarifRun {
  tool: {
    driver: {
      name: string;
      version: string;
      rules: {
        id: string;
        shortDescription: { text: string };
        help: { text: string };
        defaultConfiguration: { level: string; enabled: boolean };
        properties: { severity: string };
      }[];
    };
  };
  results: SarifResult[];
}

interface SarifLog {
  runs: SarifRun[];
}
