import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { loadPlatform } from "../../platform";
import { planAccounts } from "../plan-accounts";

/**
 * A component's type token is part of every child's URN: changing it (or a child's name) makes Pulumi
 * replace live resources unless the change ships with `aliases` (docs/compatibility.md). This list is
 * the contract; edit it only together with an alias for the old token.
 */
const TYPE_TOKENS = [
  "lakehouse:analytics:QuickSightAnalytics",
  "lakehouse:analytics:RedshiftSpectrum",
  "lakehouse:analytics:SparkAnalytics",
  "lakehouse:catalog:DatasetCrawler",
  "lakehouse:catalog:LakeCatalog",
  "lakehouse:governance:GovernanceAutomation",
  "lakehouse:ingestion:DmsIngestion",
  "lakehouse:ingestion:IngestionGrants",
  "lakehouse:lakeformation:LakeFormation",
  "lakehouse:network:DmsVpcEndpoints",
  "lakehouse:network:SpectrumVpcEndpoints",
  "lakehouse:sharing:ConsumerAccess",
  "lakehouse:sharing:LakeShares",
  "lakehouse:storage:LakeStorage",
  "lakehouse:streaming:StreamAnalytics",
  "lakehouse:streaming:StreamingIngestion",
];

const ROOT = path.join(__dirname, "..", "..");
const PLATFORM = path.join(ROOT, "stacks", "platform.yaml");

/** Every `"lakehouse:<module>:<Name>"` literal in the components' sources. */
function tokensInSources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...tokensInSources(full));
    else if (entry.name.endsWith(".ts")) {
      for (const m of fs.readFileSync(full, "utf8").matchAll(/["'`](lakehouse:[a-z]+:[A-Za-z]+)["'`]/g)) {
        found.push(m[1]);
      }
    }
  }
  return found;
}

describe("component type tokens (renaming one replaces live resources)", function () {
  this.timeout(120_000);

  it("keeps the pinned list sorted and free of duplicates", () => {
    expect(TYPE_TOKENS).to.deep.equal([...new Set(TYPE_TOKENS)].sort());
  });

  it("plans the example platform's five stacks with exactly the pinned component types", async () => {
    // The example's Flink application waits for its built code: plan a copy whose code is there.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "type-tokens-"));
    fs.writeFileSync(path.join(dir, "sessions.zip"), "flink code");
    const example = fs.readFileSync(PLATFORM, "utf8");
    expect(example).to.match(/flink: true\b/);
    const file = path.join(dir, "platform.yaml");
    fs.writeFileSync(file, example.replace(/flink: true\b/, "flink: { code: sessions.zip }"));
    const platform = loadPlatform(file);
    expect(platform.accounts, "the example's stacks").to.have.length(5);
    const planned = new Set<string>();
    for (const { run } of await planAccounts(file))
      for (const r of run.resources) if (r.type.startsWith("lakehouse:")) planned.add(r.type);
    expect(
      [...planned].sort(),
      "a changed type token needs aliases: [{ type: <old token> }] and an entry in this list",
    ).to.deep.equal(TYPE_TOKENS);
  });

  it("declares no type token in components/ that the list does not pin", () => {
    const declared = [...new Set(tokensInSources(path.join(ROOT, "components")))].sort();
    expect(declared, "type tokens in components/**/*.ts").to.deep.equal(TYPE_TOKENS);
  });

  it("keeps each component in the folder named by its token's module (components/<module>/)", () => {
    const misplaced: string[] = [];
    for (const folder of fs.readdirSync(path.join(ROOT, "components"), { withFileTypes: true })) {
      if (!folder.isDirectory()) continue;
      for (const token of tokensInSources(path.join(ROOT, "components", folder.name))) {
        if (token.split(":")[1] !== folder.name) misplaced.push(`${token} in components/${folder.name}/`);
      }
    }
    expect(misplaced).to.deep.equal([]);
    const modules = [...new Set(TYPE_TOKENS.map((t) => t.split(":")[1]))];
    for (const module of modules) {
      expect(
        fs.existsSync(path.join(ROOT, "components", module, "index.ts")),
        `components/${module}/index.ts`,
      ).to.equal(true);
      expect(
        fs.existsSync(path.join(ROOT, "components", module, "README.md")),
        `components/${module}/README.md`,
      ).to.equal(true);
    }
  });
});
