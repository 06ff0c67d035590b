import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as ts from "typescript";

const COMPONENTS = path.join(__dirname, "..", "..", "components");
const SHARED = "shared";

/** Every module specifier of a source: imports, re-exports, `import("...")` types and calls, `require("...")`. */
export function moduleSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      found.push(node.moduleSpecifier.text);
    else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    )
      found.push(node.argument.literal.text);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0])
    )
      found.push(node.arguments[0].text);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const ref = node.moduleReference.expression;
      if (ts.isStringLiteral(ref)) found.push(ref.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * What a file of `components/<module>/` may not import: another module's folder, or the components'
 * root index (which re-exports every module). `shared/` may import nothing of any module.
 */
export function crossModuleImports(file: string, text: string): string[] {
  const module = path.relative(COMPONENTS, file).split(path.sep)[0];
  return moduleSpecifiers(file, text)
    .filter((spec) => spec.startsWith("."))
    .filter((spec) => {
      const target = path.relative(COMPONENTS, path.resolve(path.dirname(file), spec));
      if (target.startsWith("..")) return false; // outside components/: the ESLint import arrows judge it
      const [folder, ...rest] = target.split(path.sep);
      if (rest.length === 0) return true; // components/index or another root file
      return folder !== module && folder !== SHARED;
    });
}

/** Every `.ts` file under `dir`. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

describe("components' imports (STYLE: folder = type-token module, shared pieces in components/shared/)", () => {
  const files = fs
    .readdirSync(COMPONENTS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => sources(path.join(COMPONENTS, d.name)));

  it("finds the module folders' sources, shared/ among them", () => {
    expect(files.length).to.be.greaterThan(30);
    expect(files.some((f) => f.includes(`${path.sep}${SHARED}${path.sep}`))).to.equal(true);
  });

  it("imports another module's folder from no file of a module: only its own folder, shared/ and platform/", () => {
    const offending = files.flatMap((file) =>
      crossModuleImports(file, fs.readFileSync(file, "utf8")).map(
        (spec) => `${path.relative(COMPONENTS, file)} imports ${spec}`,
      ),
    );
    expect(offending).to.deep.equal([]);
  });

  it("catches a sibling's import, re-export, import type and require, and lets shared/ and platform/ through", () => {
    const file = path.join(COMPONENTS, "analytics", "x.ts");
    const text = [
      'import { keyPolicy } from "../storage/lake-storage";',
      'export type { LakeCatalogRef } from "../sharing/consumer-access-args";',
      'type T = import("../ingestion/dms-ingestion").DmsSource;',
      'const lf = require("../lakeformation/lake-formation-args");',
      'import { LakeStorage } from "..";',
      'import { policyDocument } from "../shared/iam";',
      'import { bucketName } from "../../platform";',
      'import { defaults } from "./spark-analytics-args";',
      'import * as aws from "@pulumi/aws";',
    ].join("\n");
    expect(crossModuleImports(file, text)).to.deep.equal([
      "../storage/lake-storage",
      "../sharing/consumer-access-args",
      "../ingestion/dms-ingestion",
      "../lakeformation/lake-formation-args",
      "..",
    ]);
    expect(
      crossModuleImports(path.join(COMPONENTS, SHARED, "y.ts"), 'import "../storage/lake-storage";'),
    ).to.deep.equal(["../storage/lake-storage"]);
  });
});
