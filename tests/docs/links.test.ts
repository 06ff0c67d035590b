import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { anchors, brokenLinks, githubSlug, inlineText, links, Slugger } from "./markdown-links";

const ROOT = path.join(__dirname, "..", "..");

/** The Markdown files whose links are checked: the entry, the docs pages and every README of ours. */
function documents(): string[] {
  const inFolder = (folder: string, pick: (name: string) => boolean): string[] =>
    fs.existsSync(path.join(ROOT, folder))
      ? fs
          .readdirSync(path.join(ROOT, folder), { withFileTypes: true })
          .filter((e) => e.isFile() && pick(e.name))
          .map((e) => path.join(folder, e.name))
      : [];
  const subfolders = (folder: string): string[] =>
    fs
      .readdirSync(path.join(ROOT, folder), { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== "node_modules")
      .map((e) => path.join(folder, e.name));
  const readmes = (folder: string): string[] => inFolder(folder, (n) => n === "README.md");
  const deep = (folder: string): string[] => [...readmes(folder), ...subfolders(folder).flatMap(deep)];
  return [
    "README.md",
    "CONTRIBUTING.md",
    "CHANGELOG.md",
    ...inFolder("docs", (n) => n.endsWith(".md")),
    ...subfolders("components").flatMap(readmes),
    ...readmes("validator"),
    ...subfolders("examples").flatMap(readmes),
    ...deep("policies"),
  ].filter((f) => fs.existsSync(path.join(ROOT, f)));
}

describe("docs: heading anchors follow GitHub's rule", () => {
  // Cases from github-slugger's fixtures (Flet/github-slugger, test/fixtures.json), which record what
  // GitHub renders, and headings of our own pages.
  for (const [heading, anchor] of [
    ["heading with a - dash", "heading-with-a---dash"],
    ["heading with an _ underscore", "heading-with-an-_-underscore"],
    [
      "exchange.bind_headers(exchange, routing [, bindCallback])",
      "exchangebind_headersexchange-routing--bindcallback",
    ],
    ["apostrophe’s should be trimmed", "apostrophes-should-be-trimmed"],
    ["I ♥ unicode", "i--unicode"],
    ["en–dash", "endash"],
    ["😄 - an emoji", "---an-emoji"],
    ["Привет non-latin 你好", "привет-non-latin-你好"],
    ["From a producer's write to a consumer's query", "from-a-producers-write-to-a-consumers-query"],
    ["Deploying for real (per account, in order)", "deploying-for-real-per-account-in-order"],
    [
      "Governance: the daily validation that e-mails owners",
      "governance-the-daily-validation-that-e-mails-owners",
    ],
  ]) {
    it(`turns "${heading}" into #${anchor}`, () => {
      expect(githubSlug(heading)).to.equal(anchor);
    });
  }

  it("numbers repeated anchors -1, -2, ... skipping suffixes a heading already took", () => {
    const slugger = new Slugger();
    const got = ["echo", "echo", "echo 1", "echo-1", "echo", "foxtrot-1", "foxtrot", "foxtrot"].map((h) =>
      slugger.slug(h),
    );
    expect(got).to.deep.equal([
      "echo",
      "echo-1",
      "echo-1-1",
      "echo-1-2",
      "echo-2",
      "foxtrot-1",
      "foxtrot",
      "foxtrot-2",
    ]);
  });

  it("slugs a heading's rendered text: code spans' content, links' text, no emphasis marks or images", () => {
    expect(inlineText("The offline plan: `npm run plan`")).to.equal("The offline plan: npm run plan");
    expect(inlineText("Use [the package](docs/library.md) **now** ![logo](x.png)")).to.equal(
      "Use the package now",
    );
    expect([...anchors("# The offline plan: `npm run plan`\n")]).to.deep.equal([
      "the-offline-plan-npm-run-plan",
    ]);
  });

  it("takes ATX and setext headings and explicit ids, and no `#` line inside a code block", () => {
    const doc = [
      "# Title #",
      "Second",
      "------",
      '<a id="kept-anchor"></a>',
      "```bash",
      "# a shell comment",
      "```",
      "## Use it",
      "## Use it",
    ].join("\n");
    expect([...anchors(doc)]).to.deep.equal(["title", "second", "kept-anchor", "use-it", "use-it-1"]);
  });
});

describe("docs: relative links", () => {
  it("finds inline links, images and reference definitions with their lines, and none inside code", () => {
    const doc = [
      "See [a](docs/a.md#x) and ![b](img/b.png 'title').",
      "`[not](a-link.md)` and",
      "```",
      "[nor](this.md)",
      "```",
      "[ref]: <docs/c.md>",
      "[split",
      "text](d.md)",
    ].join("\n");
    expect(links(doc)).to.deep.equal([
      { target: "docs/a.md#x", line: 1 },
      { target: "img/b.png", line: 1 },
      { target: "d.md", line: 8 },
      { target: "docs/c.md", line: 6 },
    ]);
  });

  it("reports a missing file, a missing heading, a path outside the repository, and accepts the rest", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "links-"));
    try {
      fs.mkdirSync(path.join(root, "docs"));
      fs.writeFileSync(path.join(root, "docs", "page.md"), "# A page\n\n## Its part\n");
      fs.writeFileSync(path.join(root, "code.ts"), "export {};\n");
      fs.writeFileSync(
        path.join(root, "README.md"),
        [
          "# Entry",
          "[ok](docs/page.md#its-part) [ok](docs/) [ok](#entry) [ok](code.ts#L1) [ok](https://example.com/x#y)",
          "[gone](docs/moved.md)",
          "[no heading](docs/page.md#the-part)",
          "[outside](../shared/STYLE.md)",
          "[self](#missing)",
        ].join("\n"),
      );
      const problems = brokenLinks(root, path.join(root, "README.md"));
      expect(problems).to.have.length(4);
      expect(problems[0]).to.match(/^README\.md:3: docs\/moved\.md: docs\/moved\.md does not exist/);
      expect(problems[1]).to.match(
        /^README\.md:4: docs\/page\.md#the-part: docs\/page\.md has no heading #the-part; use one of: a-page, its-part$/,
      );
      expect(problems[2]).to.match(/^README\.md:5: \.\.\/shared\/STYLE\.md: points outside the repository/);
      expect(problems[3]).to.match(/^README\.md:6: #missing: README\.md has no heading #missing/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("checks the README, CONTRIBUTING, the changelog, docs/*.md and every component, validator, example and policy README", () => {
    const files = documents();
    for (const f of [
      "README.md",
      "CONTRIBUTING.md",
      "docs/policies.md",
      "validator/README.md",
      "policies/README.md",
    ]) {
      expect(files, f).to.include(f);
    }
    expect(files.filter((f) => f.startsWith("components/")).length).to.be.greaterThan(5);
    expect(files.filter((f) => f.startsWith("examples/")).length).to.be.greaterThan(1);
  });

  it("has no link in our Markdown to a missing file or heading", () => {
    const cache = new Map<string, Set<string>>();
    const problems = documents().flatMap((f) => brokenLinks(ROOT, path.join(ROOT, f), cache));
    expect(problems, problems.join("\n")).to.deep.equal([]);
  });

  it("links every docs page from the README, none under docs/api, which `npm run docs` rewrites and git ignores", () => {
    const typedoc = JSON.parse(fs.readFileSync(path.join(ROOT, "typedoc.json"), "utf8")) as { out: string };
    expect(typedoc.out).to.equal("docs/api");
    expect(fs.readFileSync(path.join(ROOT, ".gitignore"), "utf8").split("\n")).to.include("docs/api/");
    const linked = new Set(
      links(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"))
        .map((l) => l.target.split("#")[0])
        .filter((t) => t.startsWith("docs/")),
    );
    expect(
      [...linked].filter((t) => t.startsWith("docs/api")),
      "README links into docs/api",
    ).to.deep.equal([]);
    const pages = fs
      .readdirSync(path.join(ROOT, "docs"))
      .filter((n) => n.endsWith(".md"))
      .map((n) => `docs/${n}`);
    expect(
      pages.filter((p) => !linked.has(p)),
      "docs pages the README does not link",
    ).to.deep.equal([]);
  });
  it("gives every docs page one title (a single `#` heading, its sections `##` and below)", () => {
    for (const page of fs.readdirSync(path.join(ROOT, "docs")).filter((n) => n.endsWith(".md"))) {
      const text = fs.readFileSync(path.join(ROOT, "docs", page), "utf8");
      let fence = false;
      const titles = text.split("\n").filter((l) => {
        if (/^\s*(```|~~~)/.test(l)) fence = !fence;
        return !fence && /^# /.test(l);
      });
      expect(titles, `docs/${page}: its # headings`).to.have.length(1);
      expect(text.startsWith("# "), `docs/${page} starts with its # title`).to.equal(true);
    }
  });
});
