import { spawnSync } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { bundleValidator, HANDLER_SOURCE, ROOT, ARTEFACT } from "../../tooling/build/bundle-validator";
import { packagedValidatorHandler } from "../../components/governance/governance-automation";
import { GOVERNANCE_BUCKET_ENV } from "../../validator/defaults";
import { HANDLER_EXPORT, HANDLER_FILE } from "../../validator/deployment";

/** The build step that ships the handler pre-bundled (`npm run build:validator`, run by `prepack`). */
describe("the validator handler artefact (npm run build:validator)", function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;

  before(() => {
    // The script as npm runs it, writing to a folder of its own (no node_modules in reach).
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "validator-artefact-"));
    file = path.join(dir, HANDLER_FILE);
    const r = spawnSync(
      process.execPath,
      ["-r", "tsx/cjs", path.join("tooling", "build", "bundle-validator.ts"), "--out", file],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(r.status, r.stderr).to.equal(0);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is the npm script build:validator, run by prepack after the library's build", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts["build:validator"]).to.contain("tooling/build/bundle-validator.ts");
    const prepack = pkg.scripts.prepack ?? "";
    expect(prepack.indexOf("build:lib")).to.be.greaterThan(-1);
    expect(prepack.indexOf("build:validator")).to.be.greaterThan(prepack.indexOf("build:lib"));
  });

  it("writes where the component looks for the packaged artefact", () => {
    expect(ARTEFACT).to.equal(packagedValidatorHandler());
    expect(HANDLER_SOURCE).to.equal(path.join("validator", "handler.ts"));
  });

  it("bundles every dependency: the file loads with no node_modules and refuses to run without its environment", async () => {
    const text = fs.readFileSync(file, "utf8");
    // None of the validator's packages is left to load: only Node.js built-ins. (The SDK's error
    // messages about the optional CRT signer quote `[require("@aws-sdk/signature-v4-crt");]`: text only.)
    const calls = /(?<!\[)require\(["']([^"']+)["']\)/g;
    const required = [...text.matchAll(calls)].map((m) => m[1]);
    expect(required.filter((m) => /^(hyparquet|@aws-sdk\/|zod$|js-yaml$)/.test(m))).to.deep.equal([]);
    const builtins = new Set(builtinModules);
    expect(required.filter((m) => !builtins.has(m.replace(/^node:/, "")))).to.deep.equal([]);
    // Loaded in a child process whose only file is the bundle, as Lambda loads it.
    const probe = `const h = require(${JSON.stringify(file)}).${HANDLER_EXPORT};
if (typeof h !== "function") { console.log("no handler export"); process.exit(3); }
h({}).then(() => { console.log("ran"); process.exit(4); }, (e) => { console.log(e.message); });`;
    const env = { ...process.env };
    delete env[GOVERNANCE_BUCKET_ENV];
    delete env.NODE_PATH;
    const r = spawnSync(process.execPath, ["-e", probe], { cwd: dir, encoding: "utf8", env });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain(`${GOVERNANCE_BUCKET_ENV}: set it to the governance bucket's name`);
  });

  it("is minified by default, readable with minify: false, and names sources relative to the repository", () => {
    const minified = fs.readFileSync(file, "utf8");
    const readable = bundleValidator({ minify: false });
    expect(minified).to.equal(bundleValidator());
    expect(readable).to.contain("// validator/handler.ts");
    expect(readable).to.not.contain(ROOT);
    expect(minified).to.not.contain("// validator/handler.ts");
    expect(minified.length).to.be.lessThan(readable.length);
  });
});
