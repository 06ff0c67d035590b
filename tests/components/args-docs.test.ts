import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as ts from "typescript";

const COMPONENTS = path.join(__dirname, "..", "..", "components");

interface ArgsProperty {
  readonly name: string;
  readonly optional: boolean;
  readonly doc: string;
}

/** Every property of every interface in the components' `*-args.ts` files, with its TSDoc text. */
function argsProperties(): ArgsProperty[] {
  const properties: ArgsProperty[] = [];
  for (const folder of fs.readdirSync(COMPONENTS, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(COMPONENTS, folder.name))) {
      if (!file.endsWith("-args.ts")) continue;
      const full = path.join(COMPONENTS, folder.name, file);
      const source = ts.createSourceFile(full, fs.readFileSync(full, "utf8"), ts.ScriptTarget.ES2022, true);
      source.forEachChild((node) => {
        if (!ts.isInterfaceDeclaration(node)) return;
        for (const member of node.members) {
          if (!ts.isPropertySignature(member)) continue;
          properties.push({
            name: `${folder.name}/${file}: ${node.name.text}.${member.name.getText(source)}`,
            optional: member.questionToken !== undefined,
            doc: ts
              .getJSDocCommentsAndTags(member)
              .map((d) => d.getText(source))
              .join("\n"),
          });
        }
      });
    }
  }
  return properties;
}

/** The description of a TSDoc comment: its text before the first block tag, without the comment markers. */
function description(doc: string): string {
  return doc
    .replace(/^\/\*\*|\*\/$/g, "")
    .split("\n")
    .map((line) => line.replace(/^\s*\*?\s?/, ""))
    .join(" ")
    .split(/(?:^|\s)@[a-zA-Z]+/)[0]
    .trim();
}

describe("components' args documentation (STYLE: every arg has TSDoc, an optional one its @default)", () => {
  const properties = argsProperties();

  it("finds the args files", () => {
    expect(properties.length, "properties found in components/*/*-args.ts").to.be.greaterThan(100);
  });

  it("documents every arg with TSDoc", () => {
    const missing = properties.filter((p) => p.doc.trim() === "").map((p) => p.name);
    expect(missing, "args without a /** ... */ comment").to.deep.equal([]);
  });

  it("describes every arg in words, not only with tags", () => {
    const bare = properties
      .filter((p) => p.doc.trim() !== "")
      .filter((p) => description(p.doc) === "")
      .map((p) => p.name);
    expect(bare, "args whose TSDoc is only tags such as @default").to.deep.equal([]);
  });

  it("gives every optional arg its @default", () => {
    const missing = properties.filter((p) => p.optional && !/@default\b/.test(p.doc)).map((p) => p.name);
    expect(missing, "optional args whose TSDoc has no @default").to.deep.equal([]);
  });
});
