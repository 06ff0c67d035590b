// `npm run plan -- --program` runs any team's program as the Pulumi CLI would: from its project (Pulumi.yaml,
// Pulumi.<stack>.yaml, its folder), with `-c`, secrets and stack references it cannot read, a time bound,
// and the program's own @pulumi/pulumi. One fixture program per defect, under tests/fixtures/programs/.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { runPlanCli as plan } from "../../run-cli";
import { UNKNOWN as STACK_FILE_UNKNOWN } from "../../../tooling/plan/stacks";
import { UNKNOWN as RUNTIME_UNKNOWN } from "../../../tooling/mock-runtime/harness";
import { unknownValue } from "../../../tooling/mock-runtime/pulumi-internals";
import { SUPPORTED_SDK, supportedSdk } from "../../../tooling/plan/project";

const ROOT = path.join(__dirname, "..", "..", "..");
const program = (name: string) => path.join(ROOT, "tests", "fixtures", "programs", name);
/** The plan as its own process (`npm run plan` without npm), for what in-process runs cannot show. */
const planProcess = (...args: string[]) =>
  spawnSync(process.execPath, ["-r", "tsx/cjs", path.join(ROOT, "tooling", "plan", "cli.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });

interface Resource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  state?: Record<string, unknown>;
}
interface Stack {
  stack: string;
  outputs: Record<string, unknown>;
  notices: string[];
  resources: Resource[];
}
const json = (stdout: string): Stack[] => (JSON.parse(stdout) as { stacks: Stack[] }).stacks;
const ofType = (stack: Stack, type: string) => stack.resources.filter((r) => r.type === type);
const count = (text: string, part: string) => text.split(part).length - 1;

describe("plan --program: a program run as the Pulumi CLI runs it", function () {
  this.timeout(120_000);

  describe("never hangs", () => {
    it("ends a stack whose resource failed to register with exit 2, naming it, its error once, the user's line and what waited", async () => {
      const r = await plan("--program", program("hang"), "--no-policies");
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.contain(
        'resource aws:s3/bucket:Bucket "site" failed to register: Error: error serializing property "bucket": bucket name lookup failed',
      );
      expect(r.stderr).to.match(/at .*tests\/fixtures\/programs\/hang\/index\.ts:5:\d+/);
      expect(r.stderr).to.contain(
        '1 resource was still waiting for inputs that never resolved:\n  aws:s3/bucketVersioning:BucketVersioning "site-versioning"',
      );
      expect(count(r.stderr, "bucket name lookup failed")).to.equal(1);
    });

    it("ends a stalled stack at --timeout with exit 2, naming what was pending", async () => {
      const started = Date.now();
      const r = await plan("--program", program("stall"), "--no-policies", "--timeout", "1");
      expect(r.code, r.stderr).to.equal(2);
      expect(Date.now() - started).to.be.below(60_000);
      expect(r.stderr).to.contain("plan: stack stall: the program failed:");
      expect(r.stderr).to.contain("the program did not finish in time (--timeout)");
      expect(r.stderr).to.contain('  aws:s3/bucket:Bucket "waiting"');
    });

    it("refuses a --timeout that is not a positive number of seconds", async () => {
      for (const bad of ["0", "-5", "soon"]) {
        const r = await plan("--program", program("stall"), "--no-policies", "--timeout", bad);
        expect(r.code, bad).to.equal(2);
        expect(r.stderr).to.contain(
          `--timeout ${bad}: expected a number of seconds above 0, e.g. --timeout 120`,
        );
      }
    });
  });

  it("plans a component whose outputs hold resources (registerOutputs({ stream }))", async () => {
    // The harness decodes them as the engine does (tests/tooling/mock-runtime/harness.test.ts).
    const r = await plan("--program", program("component-outputs"), "--format", "json", "--no-policies");
    expect(r.code, r.stderr).to.equal(0);
    const [stack] = json(r.stdout);
    expect(ofType(stack, "example:index:Pipeline")).to.have.length(1);
    expect(ofType(stack, "aws:kinesis/stream:Stream")).to.have.length(1);
    expect(stack.outputs).to.deep.equal({ streamName: "clicks-stream" });
  });

  describe("the program's own project", () => {
    it("runs from the project's folder with its Pulumi.yaml config, its Pulumi.<stack>.yaml, secrets and stack references", async () => {
      const r = await plan("--program", program("website"), "--format", "json", "--no-policies");
      expect(r.code, r.stderr).to.equal(0);
      const [stack] = json(r.stdout);
      // The stack is the project's own Pulumi.dev.yaml.
      expect(stack.stack).to.equal("dev");
      expect(stack.resources[0].name).to.equal("website-dev");
      // fs.readdirSync("www") read the project's own folder.
      expect(ofType(stack, "aws:s3/bucketObject:BucketObject").map((o) => o.name)).to.have.members([
        "404.html",
        "index.html",
      ]);
      const [site] = ofType(stack, "aws:s3/bucket:Bucket").filter((b) => b.name === "site");
      expect(site.inputs.bucket).to.equal("docs-example-dev"); // website:siteName of Pulumi.dev.yaml
      const [cdn] = ofType(stack, "aws:cloudfront/distribution:Distribution");
      expect(cdn.inputs.defaultRootObject).to.equal("index.html"); // the config block's default
      expect(cdn.inputs.priceClass).to.equal("PriceClass_100"); // the config block's plain value
      // The stack reference's output is unknown, as a value known only at deployment.
      const behaviour = cdn.inputs.defaultCacheBehavior as {
        lambdaFunctionAssociations: { lambdaArn: string }[];
      };
      expect(behaviour.lambdaFunctionAssociations[0].lambdaArn).to.equal("[unknown]"); // the report's mark
      expect(stack.outputs).to.include({ indexPage: "index.html", tokenLength: "[secret]" });
      expect(stack.notices).to.include.members([
        "config website:analyticsToken is a secret (secure:): planned as a secret of unknown value",
        'stack reference acme/network/dev (pulumi.StackReference "acme/network/dev"): another stack\'s outputs ' +
          "cannot be read offline, so every output read from it is unknown in this plan (as a value not known " +
          "until deployment); policies skip what depends on them",
      ]);
    });

    it("takes -c/--config over the stack file and the project, bare keys as the project's", async () => {
      const r = await plan(
        "--program",
        program("website"),
        "--format",
        "json",
        "--no-policies",
        "-c",
        "indexDocument=home.html",
        "--config",
        "website:siteName=docs-other",
        "-c",
        "priceClass=PriceClass_All=x",
      );
      expect(r.code, r.stderr).to.equal(0);
      const [stack] = json(r.stdout);
      const [cdn] = ofType(stack, "aws:cloudfront/distribution:Distribution");
      expect(cdn.inputs.defaultRootObject).to.equal("home.html");
      expect(cdn.inputs.priceClass).to.equal("PriceClass_All=x"); // the value may hold "="
      expect(ofType(stack, "aws:s3/bucket:Bucket").map((b) => b.inputs.bucket)).to.include("docs-other");
    });

    it("names the ESC environments a stack file imports, whose config only -c can give offline", async () => {
      const r = await plan(
        "--program",
        program("esc"),
        "--format",
        "json",
        "--no-policies",
        "-c",
        "token=from-flag",
      );
      expect(r.code, r.stderr).to.equal(0);
      const [stack] = json(r.stdout);
      expect(stack.stack).to.equal("ci");
      expect(stack.outputs).to.deep.equal({ team: "data", token: "from-flag" });
      expect(stack.notices).to.include(
        "ESC environment acme/ci (imported by the stack file): its values cannot be opened offline; " +
          "config it provides is missing from this plan unless given with --config key=value",
      );
    });

    it("refuses a -c without key=value, naming the flag and the fix", async () => {
      const r = await plan("--program", program("website"), "--no-policies", "-c", "indexDocument");
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain(
        "--config indexDocument: expected key=value, e.g. --config bucketName=my-site or -c aws:region=eu-west-1",
      );
    });

    it("prints a missing config value as the language host does: its message, no stack, and -c sets it", async () => {
      const r = await plan("--program", program("missing-config"), "--no-policies");
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain(
        "plan: stack missing-config: the program failed:\nMissing required configuration variable 'missing-config:targetDomain'",
      );
      expect(r.stderr).not.to.match(/\n\s+at /);
      const set = await plan(
        "--program",
        program("missing-config"),
        "--no-policies",
        "--format",
        "json",
        "-c",
        "targetDomain=www.example.com",
      );
      expect(set.code, set.stderr).to.equal(0);
      expect(json(set.stdout)[0].outputs).to.deep.equal({ domain: "www.example.com" });
    });

    it("fails a Pulumi.yaml main that does not exist with Pulumi's message, exit 2", async () => {
      const r = await plan("--program", program("main-missing"), "--no-policies");
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain(
        `plan: project 'main' could not be read: stat ${program("main-missing")}/src: no such file or directory`,
      );
      expect(r.stderr).not.to.match(/\n\s+at /); // a user's mistake, not a stack trace
    });

    it("resolves a package.json main naming a folder as Node does (its index)", async () => {
      const r = await plan("--program", program("package-main"), "--format", "json", "--no-policies");
      expect(r.code, r.stderr).to.equal(0);
      expect(json(r.stdout)[0].outputs).to.deep.equal({ resolvedFrom: "lib/index.ts" });
    });

    it("serialises a CallbackFunction's closure with the config value it captured", async () => {
      const r = await plan("--program", program("callback"), "--format", "json", "--no-policies");
      expect(r.code, r.stderr).to.equal(0);
      const [stack] = json(r.stdout);
      const [fn] = ofType(stack, "aws:lambda/function:Function");
      const code = fn.inputs.code as { __pulumiArchive: true; assets: Record<string, { text?: string }> };
      expect(code.__pulumiArchive).to.equal(true);
      const index = code.assets["__index.js"].text!;
      expect(index).to.contain("exports.handler = __f0;");
      expect(index).to.contain('"processed"'); // greeting, from the project's config block
      // The serialised handler runs: the closure, its helper and the captured value are all there.
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "handler-")), "index.js");
      fs.writeFileSync(file, index);
      const logged: unknown[] = [];
      const log = console.log;
      console.log = (...args: unknown[]) => void logged.push(...args);
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const handler = (require(file) as { handler: (e: unknown) => Promise<void> }).handler;
        await handler({ Records: [{ s3: { object: { key: "photos/cat.jpg" } } }] });
      } finally {
        console.log = log;
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      }
      expect(logged).to.deep.equal(["processed: photos/cat.jpg"]);
      expect(stack.outputs).to.deep.equal({ bucketName: "uploads", functionName: "on-upload" });
    });
  });

  it("keeps stdout for the report: what the program prints goes to stderr", () => {
    const r = planProcess("--program", program("prints"), "--no-policies");
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.contain("Syncing contents from ./www\n");
    expect(r.stdout).not.to.contain("Syncing");
    const withJson = planProcess("--program", program("prints"), "--no-policies", "--format", "json");
    expect(json(withJson.stdout)[0].outputs).to.deep.equal({ printed: true });
  });

  it("marks unknown values with the runtime's own marker, so stack files and the runtime agree", () => {
    expect(STACK_FILE_UNKNOWN).to.equal(unknownValue);
    expect(RUNTIME_UNKNOWN).to.equal(unknownValue);
  });

  describe("a program with its own node_modules", () => {
    let dir: string;
    const writeVersion = (version: string) => {
      const file = path.join(dir, "node_modules", "@pulumi", "pulumi", "package.json");
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { version: string };
      fs.writeFileSync(file, JSON.stringify({ ...pkg, version }));
    };
    const planChild = () => planProcess("--program", dir, "--format", "json");

    before(() => {
      // The program's own copy of @pulumi/pulumi (another path, so another module instance) and the plan's
      // @pulumi/aws, as a team's repository that installed its own SDK.
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "own-sdk-"));
      // Its node_modules: every package of the plan's, linked, but @pulumi/pulumi, copied.
      const ours = path.join(ROOT, "node_modules");
      const theirs = path.join(dir, "node_modules");
      for (const entry of fs.readdirSync(ours)) {
        if (entry.startsWith(".")) continue;
        if (!entry.startsWith("@")) {
          fs.mkdirSync(theirs, { recursive: true });
          fs.symlinkSync(path.join(ours, entry), path.join(theirs, entry));
          continue;
        }
        fs.mkdirSync(path.join(theirs, entry), { recursive: true });
        for (const pkg of fs.readdirSync(path.join(ours, entry))) {
          const from = path.join(ours, entry, pkg);
          const to = path.join(theirs, entry, pkg);
          if (`${entry}/${pkg}` === "@pulumi/pulumi") fs.cpSync(from, to, { recursive: true });
          else fs.symlinkSync(from, to);
        }
      }
      fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        "name: own-sdk\nruntime: nodejs\nconfig:\n  prefix: team\n",
      );
      fs.writeFileSync(
        path.join(dir, "index.ts"),
        [
          'import * as aws from "@pulumi/aws";',
          'import * as pulumi from "@pulumi/pulumi";',
          'const prefix = new pulumi.Config().require("prefix");',
          "class Store extends pulumi.ComponentResource {",
          "  constructor(name: string) {",
          '    super("team:index:Store", name);',
          "    const bucket = new aws.s3.Bucket(`${name}-data`, { bucket: `${prefix}-${name}` }, { parent: this });",
          "    this.registerOutputs({ bucket });",
          "  }",
          "}",
          'new Store("orders");',
          'pulumi.log.warn("planned with the program\'s own SDK");',
          'export const loaded = require.resolve("@pulumi/pulumi");',
          "",
        ].join("\n"),
      );
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("plans on the program's copy when its version is supported, mocks and logs included", () => {
      writeVersion("3.200.0");
      const r = planChild();
      expect(r.status, r.stderr).to.be.oneOf([0, 1]);
      const [stack] = json(r.stdout);
      expect(stack.outputs.loaded).to.equal(
        path.join(fs.realpathSync(dir), "node_modules", "@pulumi", "pulumi", "index.js"),
      );
      const bucket = stack.resources.find((x) => x.type === "aws:s3/bucket:Bucket")!;
      expect(bucket.inputs.bucket).to.equal("team-orders");
      expect(bucket.name).to.equal("orders-data");
      expect(stack.resources.filter((x) => x.type === "team:index:Store")).to.have.length(1);
      expect(stack.notices).to.include("planned with the program's own SDK");
    });

    it("refuses a copy outside the supported range, naming both versions and the fix", () => {
      expect(SUPPORTED_SDK.text).to.equal(">=3.130.0 <4.0.0");
      expect([
        supportedSdk("3.130.0"),
        supportedSdk("3.248.0"),
        supportedSdk("3.129.9"),
        supportedSdk("4.0.0"),
      ]).to.deep.equal([true, true, false, false]);
      writeVersion("3.100.0");
      const r = planChild();
      expect(r.status).to.equal(2);
      expect(r.stderr).to.contain(
        `the program loads @pulumi/pulumi 3.100.0 from ${fs.realpathSync(path.join(dir, "node_modules", "@pulumi", "pulumi"))}; ` +
          "the offline plan runs programs on @pulumi/pulumi >=3.130.0 <4.0.0",
      );
      expect(r.stderr).to.contain(
        "upgrade the program's @pulumi/pulumi (npm install @pulumi/pulumi@^3.130.0)",
      );
    });
  });
});
