import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";

/**
 * The package as another team gets it: `npm pack` (which builds `dist/` and bundles the validator's
 * handler through `prepack`), installed from the tarball into a fresh project next to the exact
 * `@pulumi/pulumi` and `@pulumi/aws` this repository pins (its peer dependencies), then type-checked
 * (strict) and run under Pulumi's mocks.
 */
const ROOT = path.join(__dirname, "..", "..");
const TSC = path.join(ROOT, "node_modules", ".bin", "tsc");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const repoPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

/** Tooling of this repository that a consumer's install must not contain (policy, CLI, bundler, awsx). */
const TOOLING = ["@pulumi/policy", "ajv", "commander", "cli-table3", "esbuild", "@pulumi/awsx"];
/** The validator's own dependencies: bundled into the handler artefact, so not installed either. */
const BUNDLED = ["hyparquet", "@aws-sdk/client-s3", "@aws-sdk/client-glue", "@aws-sdk/client-sesv2"];

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly output: string;
  readonly seconds: number;
}

function run(command: string, args: readonly string[], cwd: string): Run {
  const start = Date.now();
  const r = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return {
    status: r.status,
    stdout: r.stdout,
    output: `${r.stdout}\n${r.stderr}`.trim(),
    seconds: (Date.now() - start) / 1000,
  };
}

/** Runs the command and fails the test with its output unless it exits 0. */
function runOk(what: string, command: string, args: readonly string[], cwd: string): Run {
  const r = run(command, args, cwd);
  if (r.status !== 0) {
    expect.fail(
      `${what} failed (\`${command} ${args.join(" ")}\` in ${cwd}, exit ${r.status}):\n${r.output}`,
    );
  }
  return r;
}

/** A strict consumer program: the package's components and platform functions, as a user writes them. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import {
  bucketName,
  lakeAccount,
  LakeStorage,
  LakeStorageArgs,
  lakeStorageDefaults,
  loadPlatform,
  Platform,
  ShareTagExpression,
} from "@acme/lakehouse";
import { databaseName, parsePlatform } from "@acme/lakehouse/platform";
import { GovernanceAutomation } from "@acme/lakehouse";
import { validatorDeployment } from "@acme/lakehouse/validator";

const platform: Platform = loadPlatform(process.env.PLATFORM_FILE ?? "platform.yaml");
const again: Platform = parsePlatform(JSON.parse(JSON.stringify(platform)));
const args: LakeStorageArgs = {
  accountId: lakeAccount(platform).id,
  bucketNames: { raw: bucketName(again, "raw") },
  accessLogBucketName: bucketName(platform, "access-logs"),
  accessLogRetentionDays: lakeStorageDefaults.accessLogRetentionDays * 2,
};
const storage = new LakeStorage("lake", args, { protect: true });
const expression: ShareTagExpression = { domain: [databaseName("Sales")] };
const governance = new GovernanceAutomation("governance", {
  platform,
  validator: validatorDeployment(platform, {
    governanceBucket: bucketName(platform, "governance"),
    kmsKeyArn: storage.keyArn,
  }),
  kmsKeyArn: storage.keyArn,
  bucketName: bucketName(platform, "governance"),
  accessLogBucketName: bucketName(platform, "access-logs"),
});
export const keyArn: pulumi.Output<string> = storage.keyArn;
export const validator: pulumi.Output<string> = governance.functionName;
export const tags = expression;
`;

/** The same program with a wrong arg type: must not type-check. */
const WRONG_PROGRAM = `import { LakeStorage } from "@acme/lakehouse";

new LakeStorage("lake", {
  accountId: "111111111111",
  bucketNames: { raw: "acme-111111111111-raw" },
  accessLogBucketName: "acme-111111111111-access-logs",
  accessLogRetentionDays: "365",
});
`;

/**
 * The package at run time, under Pulumi's mocks: the entry points load from the tarball's files alone,
 * and the governance component deploys the handler artefact packaged with it.
 */
const RUNTIME_CHECK = `const pulumi = require("@pulumi/pulumi");
const types = [];
const code = [];
pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      types.push(a.type);
      if (a.type === "aws:lambda/function:Function") code.push(a.inputs.code);
      return { id: a.name + "-id", state: a.inputs };
    },
    call: (a) => a.inputs,
  },
  "consumer",
  "dev",
  false,
);
const lib = require("@acme/lakehouse");
const platformOnly = require("@acme/lakehouse/platform");
const { validatorDeployment } = require("@acme/lakehouse/validator");
const platform = lib.loadPlatform(process.env.PLATFORM_FILE);
if (platformOnly.loadPlatform !== lib.loadPlatform) throw new Error("two copies of the platform module");
const accountId = lib.lakeAccount(platform).id;
new lib.LakeStorage("lake", {
  accountId,
  bucketNames: { raw: lib.bucketName(platform, "raw") },
  accessLogBucketName: lib.bucketName(platform, "access-logs"),
});
const kmsKeyArn = "arn:aws:kms:eu-west-1:" + accountId + ":key/lake";
new lib.GovernanceAutomation("governance", {
  platform,
  validator: validatorDeployment(platform, { governanceBucket: lib.bucketName(platform, "governance"), kmsKeyArn }),
  kmsKeyArn,
  bucketName: lib.bucketName(platform, "governance"),
  accessLogBucketName: lib.bucketName(platform, "access-logs"),
});
process.on("beforeExit", async () => {
  if (types.length === 0) return;
  const files = await Promise.all(code.map(async (c) => {
    const assets = await c.assets;
    return Object.fromEntries(await Promise.all(Object.entries(assets).map(async ([k, v]) => [k, await v.path])));
  }));
  console.log(JSON.stringify({ types: [...new Set(types)].sort(), code: files }));
  types.length = 0;
});
`;

describe("the npm package (npm pack → install in a fresh project → strict type-check)", function () {
  this.timeout(600_000);

  let work: string;
  let consumer: string;
  let tarball: string;
  let packedFiles: string[];

  before(function () {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "lakehouse-pack-"));
    consumer = path.join(work, "consumer");
    fs.mkdirSync(consumer);
    const pack = runOk("npm pack", NPM, ["pack", "--json", "--pack-destination", work], ROOT);
    // `npm pack --json` prints the prepack script's output before the JSON on stdout.
    const json = pack.stdout.slice(pack.stdout.lastIndexOf("\n[\n") + 1);
    const [packed] = JSON.parse(json) as { filename: string; size: number; files: { path: string }[] }[];
    tarball = path.join(work, packed.filename);
    packedFiles = packed.files.map((f) => f.path).sort();
    console.log(
      `      npm pack (with build:lib): ${pack.seconds.toFixed(1)} s, ${packed.filename}, ` +
        `${(packed.size / 1024).toFixed(0)} KiB, ${packedFiles.length} files`,
    );
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("packs the compiled components, platform and validator deployment descriptor, the handler artefact, the READMEs and the changelog only", () => {
    expect(packedFiles).to.include.members([
      "package.json",
      "README.md",
      "CHANGELOG.md",
      "dist/components/index.js",
      "dist/components/index.d.ts",
      "dist/validator/deployment.js",
      "dist/validator/deployment.d.ts",
      "dist/validator-handler/index.js",
      "dist/platform/index.js",
      "dist/platform/index.d.ts",
      "components/storage/README.md",
    ]);
    const unexpected = packedFiles.filter(
      (f) =>
        !["package.json", "README.md", "CHANGELOG.md", "LICENSE", "dist/validator-handler/index.js"].includes(
          f,
        ) &&
        !/^dist\/(components|platform|validator)\/.+\.(js|d\.ts)$/.test(f) &&
        !/^components\/[^/]+\/README\.md$/.test(f),
    );
    expect(
      unexpected,
      "files a consumer does not need (sources, tests, tooling/, infra/, policies/)",
    ).to.deep.equal([]);
    // The validator's application code stays out: only its pure deployment descriptor is compiled.
    expect(packedFiles.filter((f) => f.startsWith("dist/validator/") && f.endsWith(".js"))).to.deep.equal([
      "dist/validator/defaults.js",
      "dist/validator/deployment.js",
      "dist/validator/iam.js",
    ]);
  });

  it("is publishable to the company registry, with Pulumi as peer dependencies and no tooling in its dependencies", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(manifest).to.not.have.property("private");
    expect(manifest.publishConfig).to.deep.equal({ registry: "https://npm.acme.internal/" });
    expect(Object.keys(repoPackage.dependencies).sort()).to.deep.equal(["js-yaml", "zod"]);
    expect(repoPackage.peerDependencies).to.deep.equal({
      "@pulumi/aws": `^${repoPackage.devDependencies["@pulumi/aws"]}`,
      "@pulumi/pulumi": `^${repoPackage.devDependencies["@pulumi/pulumi"]}`,
    });
    for (const name of [...TOOLING, ...BUNDLED]) expect(repoPackage.dependencies).to.not.have.property(name);
  });

  it("installs from the tarball next to the repository's exact @pulumi/pulumi and @pulumi/aws", () => {
    fs.writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify(
        {
          name: "lakehouse-consumer",
          version: "1.0.0",
          private: true,
          dependencies: {
            [repoPackage.name]: `file:${tarball}`,
            "@pulumi/pulumi": repoPackage.devDependencies["@pulumi/pulumi"],
            "@pulumi/aws": repoPackage.devDependencies["@pulumi/aws"],
          },
        },
        null,
        2,
      ),
    );
    const install = runOk(
      "npm install of the tarball",
      NPM,
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error"],
      consumer,
    );
    console.log(`      npm install --prefer-offline: ${install.seconds.toFixed(1)} s`);
    const installed = JSON.parse(
      fs.readFileSync(path.join(consumer, "node_modules", "@acme", "lakehouse", "package.json"), "utf8"),
    ) as { version: string };
    expect(installed.version).to.equal(repoPackage.version);
  });

  it("installs no policy, CLI or bundler package, nor the validator's bundled dependencies", () => {
    const present = [...TOOLING, ...BUNDLED].filter((name) =>
      fs.existsSync(path.join(consumer, "node_modules", ...name.split("/"), "package.json")),
    );
    expect(present, "packages the consumer's install should not contain").to.deep.equal([]);
    // Negative control: what the library does need is there.
    for (const name of ["js-yaml", "zod", "@pulumi/pulumi", "@pulumi/aws"])
      expect(
        fs.existsSync(path.join(consumer, "node_modules", ...name.split("/"), "package.json")),
        name,
      ).to.equal(true);
  });

  it("type-checks a strict program that imports the components and the platform definition", () => {
    fs.writeFileSync(
      path.join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "node16",
          moduleResolution: "node16",
          strict: true,
          noUnusedLocals: true,
          skipLibCheck: true,
          types: [],
          noEmit: true,
        },
        files: ["index.ts"],
      }),
    );
    fs.writeFileSync(path.join(consumer, "index.ts"), PROGRAM);
    const tsc = run(TSC, ["-p", "tsconfig.json"], consumer);
    expect(tsc.status, `tsc --noEmit of a program using the package should pass:\n${tsc.output}`).to.equal(0);
    console.log(`      tsc (strict) of the consumer program: ${tsc.seconds.toFixed(1)} s`);
  });

  it("rejects, when type-checking, a component arg of the wrong type (negative control)", () => {
    fs.writeFileSync(
      path.join(consumer, "tsconfig.wrong.json"),
      JSON.stringify({ extends: "./tsconfig.json", files: ["wrong.ts"] }),
    );
    fs.writeFileSync(path.join(consumer, "wrong.ts"), WRONG_PROGRAM);
    const tsc = run(TSC, ["-p", "tsconfig.wrong.json"], consumer);
    expect(tsc.status, `tsc should refuse accessLogRetentionDays: "365":\n${tsc.output}`).to.not.equal(0);
    expect(tsc.output).to.match(
      /wrong\.ts\(7,3\): error TS2322: Type 'string' is not assignable to type 'number'/,
    );
  });

  it("runs under Pulumi's mocks from the installed files alone, deploying the packaged handler artefact", () => {
    fs.writeFileSync(path.join(consumer, "run.js"), RUNTIME_CHECK);
    const r = spawnSync(process.execPath, ["run.js"], {
      cwd: consumer,
      encoding: "utf8",
      env: { ...process.env, PLATFORM_FILE: path.join(ROOT, "stacks", "platform.yaml") },
    });
    expect(r.status, `node run.js in the consumer project:\n${r.stdout}\n${r.stderr}`).to.equal(0);
    const { types, code } = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as {
      types: string[];
      code: Record<string, string>[];
    };
    const artefact = path.join(
      consumer,
      "node_modules",
      "@acme",
      "lakehouse",
      "dist",
      "validator-handler",
      "index.js",
    );
    expect(code).to.deep.equal([{ "index.js": fs.realpathSync(artefact) }]);
    // The artefact runs with nothing installed around it: it refuses to run without its environment.
    const probe = spawnSync(
      process.execPath,
      ["-e", `require(${JSON.stringify(artefact)}).handler({}).catch((e) => console.log(e.message))`],
      { cwd: os.tmpdir(), encoding: "utf8", env: { PATH: process.env.PATH ?? "" } },
    );
    expect(probe.stdout).to.contain("GOVERNANCE_BUCKET: set it to the governance bucket's name");
    expect(types).to.include.members([
      "lakehouse:storage:LakeStorage",
      "lakehouse:governance:GovernanceAutomation",
      "aws:lambda/function:Function",
      "aws:kms/key:Key",
    ]);
  });
});
