import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { ruleTable } from "../../platform/aws-names";
import { ruleTableMarkdown } from "./name-rules";

const PAGE = path.join(__dirname, "..", "..", "docs", "definition.md");
const START = "<!-- aws-name-rules -->";
const END = "<!-- /aws-name-rules -->";

describe("docs: the name-rule table of docs/definition.md", () => {
  it("is the table platform/aws-names.ts checks names against, row for row", () => {
    const page = fs.readFileSync(PAGE, "utf8");
    const start = page.indexOf(START);
    const end = page.indexOf(END);
    expect(start, `docs/definition.md has no ${START} ... ${END} block`).to.be.greaterThan(-1);
    expect(end).to.be.greaterThan(start);
    const shown = page.slice(start + START.length, end).trim();
    const expected = ruleTableMarkdown();
    expect(shown, `docs/definition.md: replace the block between the markers with:\n${expected}\n`).to.equal(
      expected,
    );
  });

  it("has a row per rule, each citing an AWS documentation page", () => {
    const rows = ruleTableMarkdown().split("\n").slice(2);
    expect(rows).to.have.length(ruleTable().length);
    for (const row of rows) expect(row).to.match(/\[source\]\(https:\/\/docs\.aws\.amazon\.com\//);
  });
});
