/**
 * `npm run deploy` end to end, in a child process: the real CLI and the real Automation API
 * (@pulumi/pulumi/automation's LocalWorkspace), against the stand-in `pulumi` of
 * tests/fixtures/pulumi-stand-in put first on the child's PATH (this process's PATH is never touched).
 * The stand-in records every call (argv, cwd, PULUMI_* env, the policy pack config files' contents);
 * the preflight is the stand-in of deploy-with-preflight.ts, answering the report the test gives. The
 * refusals that stop before Pulumi is reached run the CLI's `main` in-process with a fake engine.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { expect } from "chai";
import { CORE_SCHEMA, dump, load } from "js-yaml";
import { writeScalePlatform } from "../../../bench/plan-scale/generate";
import { loadPlatform } from "../../../platform";
import { packConfigFor, PACKS } from "../../../tooling/plan/pack-config";
import { main } from "../../../tooling/deploy/deploy-cli";
import type { StackEngine } from "../../../tooling/deploy/deploy";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..", "..", "..");
const FIXTURE = path.join(ROOT, "tests", "fixtures", "pulumi-stand-in");
const CLI = path.join(ROOT, "tooling", "deploy", "deploy-cli.ts");
const WITH_PREFLIGHT = path.join(FIXTURE, "deploy-with-preflight.ts");
const EXAMPLE = path.join(ROOT, "stacks", "platform.yaml");
const ORDER = [
  "web-producer",
  "ops-producer",
  "analytics-consumer",
  "finance-consumer",
  "lake-prod",
  "analytics-consumer",
  "finance-consumer",
];

interface Call {
  event: "call" | "start" | "end" | "preflight" | "unsupported";
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  stack?: string;
  operation?: string;
  result?: string;
  policyPacks?: string[];
  policyPackConfigs?: Record<string, string>;
  stacks?: string[] | null;
}

interface StandInConfig {
  stacks?: Record<string, { outputs?: Record<string, unknown> }>;
  fail?: string[];
  rendezvous?: string[];
  version?: string;
}

let tmp: string;
let bin: string;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-test-"));
  bin = path.join(tmp, "bin");
  fs.mkdirSync(bin);
  fs.copyFileSync(path.join(FIXTURE, "pulumi"), path.join(bin, "pulumi"));
  fs.chmodSync(path.join(bin, "pulumi"), 0o755);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let runs = 0;
/** Runs deploy in a child process with the stand-in first on PATH; returns its exit, output and calls. */
async function deploy(
  argv: string[],
  opts: { config?: StandInConfig; preflight?: object; entry?: string; path?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string; calls: Call[] }> {
  const dir = path.join(tmp, `run-${++runs}`);
  fs.mkdirSync(dir);
  const log = path.join(dir, "calls.jsonl");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: opts.path ?? `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
    STAND_IN_LOG: log,
  };
  for (const k of Object.keys(env)) if (k.startsWith("PULUMI_")) delete env[k];
  if (opts.config) {
    env.STAND_IN_CONFIG = path.join(dir, "config.json");
    fs.writeFileSync(env.STAND_IN_CONFIG, JSON.stringify(opts.config));
  }
  if (opts.preflight) {
    env.STAND_IN_PREFLIGHT = path.join(dir, "preflight.json");
    fs.writeFileSync(env.STAND_IN_PREFLIGHT, JSON.stringify(opts.preflight));
  }
  let code = 0;
  let stdout: string;
  let stderr: string;
  try {
    ({ stdout, stderr } = await run(
      process.execPath,
      ["-r", "tsx/cjs", opts.entry ?? WITH_PREFLIGHT, ...argv],
      {
        cwd: ROOT,
        env,
        maxBuffer: 64 * 1024 * 1024,
      },
    ));
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string };
    if (typeof e.code !== "number") throw err;
    ({ code, stdout, stderr } = { code: e.code, stdout: e.stdout, stderr: e.stderr });
  }
  const calls = fs.existsSync(log)
    ? fs
        .readFileSync(log, "utf8")
        .split("\n")
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Call)
    : [];
  return { code, stdout, stderr, calls };
}

const starts = (calls: Call[]) => calls.filter((c) => c.event === "start");
const order = (calls: Call[]) => starts(calls).map((c) => c.stack);

/** The stacks exist; the consumer stacks hold the example's teams (a redeployment). */
function deployedExample(extraTeams: Record<string, string[]> = {}): StandInConfig {
  const p = loadPlatform(EXAMPLE);
  const stacks: Record<string, { outputs?: Record<string, unknown> }> = {};
  for (const a of p.accounts) {
    const teams = p.consumers.filter((c) => c.account === a.name).map((c) => c.team);
    stacks[a.name] = {
      outputs: {
        account: a.name,
        role: a.role,
        ...(a.role === "consumer" ? { teams: [...teams, ...(extraTeams[a.name] ?? [])] } : {}),
      },
    };
  }
  return { stacks };
}

/** A copy of the example without some consumer teams or accounts, in the temp folder. */
function exampleWithout(name: string, drop: { teams?: string[]; accounts?: string[] }): string {
  const doc = load(fs.readFileSync(EXAMPLE, "utf8"), { schema: CORE_SCHEMA }) as {
    accounts: { name: string }[];
    consumers: { team: string; account: string }[];
  };
  const accounts = new Set(drop.accounts ?? []);
  const teams = new Set(drop.teams ?? []);
  doc.accounts = doc.accounts.filter((a) => !accounts.has(a.name));
  doc.consumers = doc.consumers.filter((c) => !teams.has(c.team) && !accounts.has(c.account));
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, dump(doc));
  return file;
}

describe("npm run deploy (tooling/deploy/deploy-cli.ts)", function () {
  // Each run starts the Automation API and one node process per pulumi call.
  this.timeout(180_000);

  describe("--dry-run", () => {
    it("prints the waves and each stack's exact pulumi command, and calls neither preflight nor pulumi", async () => {
      const r = await deploy(["--dry-run"]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.calls).to.deep.equal([]);
      const waves = r.stdout.split("\n").filter((l) => l.startsWith("Wave "));
      expect(waves).to.have.length(4);
      expect(waves[0]).to.match(/^Wave 1: producers/);
      expect(waves[2]).to.match(/^Wave 3: the lake/);
      const lines = r.stdout.split("\n").filter((l) => /^ {2}[a-z-]+: pulumi /.test(l));
      expect(lines.map((l) => l.trim().split(":")[0])).to.deep.equal(ORDER);
      expect(lines[4].trim()).to.equal(
        "lake-prod: pulumi up --yes --stack lake-prod --policy-pack policies/governance --policy-pack policies/security " +
          "--policy-pack-config policy-config/governance.json --policy-pack-config policy-config/security.json",
      );
      expect(r.stdout).to.contain(
        "npm run policy-config -- --platform stacks/platform.yaml --out-dir policy-config",
      );
    });

    it("prints the waves of a generated 100-account platform, each account once before the lake or after it", async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-scale-"));
      try {
        const file = writeScalePlatform(path.join(root, "stacks"), {
          accounts: 100,
          datasets: 400,
          consumers: 120,
        });
        const p = loadPlatform(file);
        let stdout = "";
        const code = await main(
          ["--dry-run", "--platform", file],
          { stdout: (t) => void (stdout += t), stderr: () => undefined },
          {
            root,
            engine: async () => expect.fail("a dry run makes no engine"),
            preflight: async () => expect.fail("a dry run runs no preflight"),
          },
        );
        expect(code).to.equal(0);
        const waves = stdout.split("\n").filter((l) => l.startsWith("Wave "));
        expect(waves.map((l) => l.split(":")[0])).to.deep.equal(["Wave 1", "Wave 2", "Wave 3", "Wave 4"]);
        const stacksOf = (wave: number) => {
          const block = stdout.split(/\nWave \d+: /)[wave] ?? "";
          return block
            .split("\n")
            .filter((l) => /^ {2}[a-z0-9-]+: pulumi /.test(l))
            .map((l) => l.trim().split(":")[0]);
        };
        const role = (r: string) => p.accounts.filter((a) => a.role === r).map((a) => a.name);
        expect(stacksOf(1)).to.have.members(role("producer"));
        expect(stacksOf(2)).to.have.members(role("consumer"));
        expect(stacksOf(3)).to.deep.equal(role("lake"));
        // The fourth wave: the consumer accounts whose teams read anything, all of them here.
        const reading = new Set(p.consumers.map((c) => c.account));
        expect(stacksOf(4)).to.have.members(role("consumer").filter((a) => reading.has(a)));
        expect(stacksOf(1).length + stacksOf(2).length + 1).to.equal(100);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it("needs no Pulumi CLI on PATH", async () => {
      const empty = path.join(tmp, "empty-path");
      fs.mkdirSync(empty, { recursive: true });
      const r = await deploy(["--dry-run", "--preview", "--stack", "lake-prod"], { entry: CLI, path: empty });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.contain(
        "lake-prod: pulumi preview --stack lake-prod --policy-pack policies/governance",
      );
      expect(r.stdout).to.match(/Skipped: web-producer \(wave 1, --stack\)/);
    });

    it("shows, with --base, a removed team's stack after the lake and a removed account's stack destroyed", async () => {
      const withoutTeam = exampleWithout("without-product-insights", { teams: ["product-insights"] });
      const r = await deploy(["--dry-run", "--platform", withoutTeam, "--base", EXAMPLE]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.contain("removed teams of analytics-consumer: product-insights");
      const lines = r.stdout.split("\n").filter((l) => /^ {2}[a-z-]+: pulumi /.test(l));
      expect(lines.map((l) => l.trim().split(":")[0])).to.deep.equal([
        "web-producer",
        "ops-producer",
        "finance-consumer",
        "lake-prod",
        "analytics-consumer",
        "finance-consumer",
      ]);
      // The stacks read stacks/platform.yaml: a real run with another definition is refused; the dry run warns.
      expect(r.stderr).to.match(/warning: .* reads stacks\/platform.yaml \(the default\), not --platform/);

      const withoutAccount = exampleWithout("without-finance", { accounts: ["finance-consumer"] });
      const d = await deploy(["--dry-run", "--platform", withoutAccount, "--base", EXAMPLE]);
      expect(d.code, d.stderr).to.equal(0);
      expect(d.stdout).to.contain("removed consumer account finance-consumer");
      expect(d.stdout).to.match(
        /Wave 4: [^\n]*\n(?:.*\n)*? {2}finance-consumer: pulumi destroy --yes --stack finance-consumer/,
      );
    });
  });

  it("runs the preflight, then pulumi up on every stack in the waves' order, with both policy packs and their config", async () => {
    const r = await deploy(["--concurrency", "1"], { config: deployedExample() });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.calls[0].argv).to.deep.equal(["version"]);
    const preflight = r.calls.findIndex((c) => c.event === "preflight");
    expect(preflight).to.be.greaterThan(-1);
    expect(r.calls[preflight].stacks).to.equal(null);
    expect(r.calls.findIndex((c) => c.event === "start")).to.be.greaterThan(preflight);
    expect(order(r.calls)).to.deep.equal(ORDER);

    const expected = packConfigFor(loadPlatform(EXAMPLE));
    for (const s of starts(r.calls)) {
      expect(s.argv.slice(0, 3)).to.deep.equal(["up", "--yes", "--skip-preview"]);
      expect(s.argv).to.include.members(["--stack", s.stack!, "--non-interactive"]);
      expect(s.cwd).to.equal(fs.realpathSync(ROOT));
      expect(s.env.PULUMI_AUTOMATION_API).to.equal("true");
      expect(s.policyPacks).to.deep.equal(["policies/governance", "policies/security"]);
      const files = Object.keys(s.policyPackConfigs!);
      expect(files.map((f) => path.basename(f))).to.deep.equal(["governance.json", "security.json"]);
      expect(JSON.parse(s.policyPackConfigs![files[0]])).to.deep.equal(expected[PACKS.governance]);
      expect(JSON.parse(s.policyPackConfigs![files[1]])).to.deep.equal(expected[PACKS.security]);
    }
    // Each stack was selected before its operation; consumer outputs were read before the first wave.
    const firstStart = r.calls.findIndex((c) => c.event === "start");
    const outputsRead = r.calls
      .slice(0, firstStart)
      .filter((c) => c.argv?.[0] === "stack" && c.argv[1] === "output")
      .map((c) => c.stack);
    expect([...new Set(outputsRead)]).to.deep.equal(["analytics-consumer", "finance-consumer"]);
    // --concurrency 1: each stack ends before the next starts.
    const events = r.calls.filter((c) => c.event === "start" || c.event === "end").map((c) => c.event);
    expect(events).to.deep.equal(ORDER.flatMap(() => ["start", "end"]));
    // Output streamed with the stack's name; the summary names every stack.
    expect(r.stdout).to.match(/^lake-prod \| Updating \(lake-prod\)$/m);
    expect(r.stdout).to.match(/│ lake-prod +│ 3 +│ up +│ succeeded/);
    expect(r.stdout.match(/succeeded/g)).to.have.length(7);
  });

  it("previews every stack with --preview instead of updating it", async () => {
    const r = await deploy(["--preview", "--concurrency", "1"], { config: deployedExample() });
    expect(r.code, r.stderr).to.equal(0);
    expect(order(r.calls)).to.deep.equal(ORDER);
    for (const s of starts(r.calls)) {
      expect(s.argv[0]).to.equal("preview");
      expect(s.argv).to.not.include("up");
      expect(s.argv).to.include("--event-log");
      expect(s.policyPacks).to.deep.equal(["policies/governance", "policies/security"]);
    }
    expect(r.stdout).to.match(/│ web-producer +│ 1 +│ preview +│ succeeded/);
  });

  it("runs the stacks of a wave side by side up to --concurrency, one wave after the other", async () => {
    // Each stand-in of the rendezvous waits until all of it have started: they can only finish together.
    const r = await deploy(["--concurrency", "2"], {
      config: { ...deployedExample(), rendezvous: ["analytics-consumer", "finance-consumer"] },
    });
    expect(r.code, r.stderr).to.equal(0);
    const events = r.calls.filter((c) => c.event === "start" || c.event === "end");
    const endOfWave1 = events.filter((e) => e.event === "end" && e.stack?.endsWith("producer")).length;
    expect(endOfWave1).to.equal(2);
    const firstConsumerStart = events.findIndex((e) => e.event === "start" && e.stack!.endsWith("consumer"));
    expect(events.slice(0, firstConsumerStart).filter((e) => e.event === "end")).to.have.length(2);
    // Never more than two at once.
    let running = 0;
    let most = 0;
    for (const e of events) {
      running += e.event === "start" ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).to.equal(2);
    const lake = events.findIndex((e) => e.event === "start" && e.stack === "lake-prod");
    expect(events.slice(0, lake).filter((e) => e.event === "end")).to.have.length(4);
  });

  it("stops at the first failure, starts nothing more, and says how to resume", async () => {
    const r = await deploy(["--concurrency", "1"], {
      config: { ...deployedExample(), fail: ["finance-consumer"] },
    });
    expect(r.code).to.equal(1);
    expect(order(r.calls)).to.deep.equal(ORDER.slice(0, 4));
    expect(r.stdout).to.match(/│ finance-consumer +│ 2 +│ up +│ failed/);
    expect(r.stdout).to.match(/│ lake-prod +│ 3 +│ up +│ not started +│ -/);
    expect(r.stderr).to.contain(
      "finance-consumer (wave 2) failed: error: stand-in failure of finance-consumer",
    );
    expect(r.stderr).to.contain("npm run deploy -- --from finance-consumer");
    expect(r.stderr).to.match(/^finance-consumer \| error: stand-in failure of finance-consumer$/m);
  });

  it("lets the stacks already running finish when one of their wave fails", async () => {
    const r = await deploy(["--concurrency", "2"], {
      config: { ...deployedExample(), fail: ["web-producer"], rendezvous: ["web-producer", "ops-producer"] },
    });
    expect(r.code).to.equal(1);
    expect(order(r.calls)).to.have.members(["web-producer", "ops-producer"]).and.have.length(2);
    const ops = r.calls.find((c) => c.event === "end" && c.stack === "ops-producer");
    expect(ops?.result).to.equal("succeeded");
    expect(r.stdout).to.match(/│ ops-producer +│ 1 +│ up +│ succeeded/);
    expect(r.stdout).to.match(/│ analytics-consumer +│ 2 +│ up +│ not started/);
    expect(r.stderr).to.contain("--from web-producer");
  });

  it("resumes --from a stack's first occurrence, skipping everything before it", async () => {
    const r = await deploy(["--from", "lake-prod", "--concurrency", "1"], { config: deployedExample() });
    expect(r.code, r.stderr).to.equal(0);
    expect(order(r.calls)).to.deep.equal(["lake-prod", "analytics-consumer", "finance-consumer"]);
    expect(r.stdout).to.match(/│ web-producer +│ 1 +│ up +│ skipped \(--from\)/);
  });

  it("deploys only the --stack stacks, in the waves' order, and preflights only them", async () => {
    const r = await deploy(["--stack", "lake-prod", "--stack", "finance-consumer"], {
      config: deployedExample(),
    });
    expect(r.code, r.stderr).to.equal(0);
    expect(order(r.calls)).to.deep.equal(["finance-consumer", "lake-prod", "finance-consumer"]);
    expect(r.calls.find((c) => c.event === "preflight")?.stacks).to.deep.equal([
      "lake-prod",
      "finance-consumer",
    ]);
    expect(r.stdout).to.match(/│ analytics-consumer +│ 2 +│ up +│ skipped \(--stack\)/);
  });

  it("runs the lake before a consumer stack whose deployed teams the definition removed", async () => {
    const r = await deploy(["--concurrency", "1"], {
      config: deployedExample({ "analytics-consumer": ["old-team"] }),
    });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.contain("removed teams of analytics-consumer: old-team");
    expect(order(r.calls)).to.deep.equal([
      "web-producer",
      "ops-producer",
      "finance-consumer",
      "lake-prod",
      "analytics-consumer",
      "finance-consumer",
    ]);
  });

  it("reads a stack that does not exist yet as holding nothing, and stops at it asking for pulumi stack init", async () => {
    const config = deployedExample();
    delete config.stacks!["finance-consumer"];
    const r = await deploy(["--concurrency", "1"], { config });
    expect(r.code).to.equal(1);
    // Its outputs were asked for (none: StackNotFoundError), so nothing was taken for removed.
    expect(r.calls.some((c) => c.argv?.[1] === "select" && c.stack === "finance-consumer")).to.equal(true);
    expect(order(r.calls)).to.deep.equal(["web-producer", "ops-producer", "analytics-consumer"]);
    expect(r.stderr).to.contain(
      "finance-consumer (wave 2) failed: stack finance-consumer does not exist: create it once with pulumi stack init finance-consumer",
    );
  });

  describe("preflight", () => {
    const check = (status: string) => ({
      stack: "lake-prod",
      account: "111111111111",
      check: "lake-formation-admin",
      status,
      message: `the deployer is not a data lake admin (${status})`,
    });

    it("stops before any stack when something is missing, with the preflight's report (exit 1)", async () => {
      const r = await deploy([], {
        config: deployedExample(),
        preflight: { checks: [check("ok"), check("missing")] },
      });
      expect(r.code).to.equal(1);
      expect(starts(r.calls)).to.deep.equal([]);
      expect(r.stdout).to.contain("the deployer is not a data lake admin (missing)");
      expect(r.stdout).to.not.contain("(ok)");
      expect(r.stderr).to.contain("the preflight found 1 thing(s) missing; nothing was deployed");
    });

    it("deploys with a warning when a check could not tell (unknown)", async () => {
      const r = await deploy(["--stack", "lake-prod"], {
        config: deployedExample(),
        preflight: { checks: [check("unknown")] },
      });
      expect(r.code, r.stderr).to.equal(0);
      expect(order(r.calls)).to.deep.equal(["lake-prod"]);
      expect(r.stderr).to.contain("1 preflight check(s) could not tell (unknown); deploying anyway");
    });

    it("could not run when the preflight cannot (exit 2)", async () => {
      const r = await deploy([], { config: deployedExample(), preflight: { throws: "no credentials" } });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain("deploy: the preflight could not run: no credentials");
      expect(starts(r.calls)).to.deep.equal([]);
    });
  });

  describe("could not run (exit 2)", () => {
    it("says the real run needs the Pulumi CLI on PATH when there is none", async () => {
      const empty = path.join(tmp, "empty-path");
      fs.mkdirSync(empty, { recursive: true });
      const r = await deploy([], { path: empty });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/a real deploy needs the Pulumi CLI on PATH/);
      expect(r.stderr).to.not.match(/\n\s+at /);
      expect(r.calls.filter((c) => c.event === "preflight")).to.deep.equal([]);
    });

    /** The CLI in-process, with an engine that only answers outputs and a preflight that must not run. */
    async function refused(argv: string[], outputs: Record<string, Record<string, unknown>> = {}) {
      let stdout = "";
      let stderr = "";
      const ran: string[] = [];
      const engine: StackEngine = {
        outputs: async (stack) => outputs[stack] ?? {},
        run: async (stack) => void ran.push(stack),
      };
      const code = await main(
        argv,
        { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) },
        {
          root: ROOT,
          engine: async () => engine,
          preflight: async () => ({ checks: [] }),
        },
      );
      return { code, stdout, stderr, ran };
    }

    for (const [argv, message] of [
      [
        ["--stack", "nope"],
        "--stack nope: no such stack (stacks: analytics-consumer, finance-consumer, lake-prod",
      ],
      [["--from", "nope", "--dry-run"], "--from nope: no such stack"],
      [
        ["--from", "web-producer", "--stack", "lake-prod", "--dry-run"],
        "--from web-producer: not among the stacks",
      ],
      [["--concurrency", "0"], "must be a whole number of stacks, 1 or more"],
      [["--concurrency", "two"], "must be a whole number of stacks, 1 or more"],
      [["--base", EXAMPLE], "--base is for --dry-run"],
      [["--platform", "/nonexistent.yaml"], "--platform /nonexistent.yaml: no such file"],
      [["--unknown"], "unknown option '--unknown'"],
    ] as const)
      it(`refuses ${argv.join(" ")}`, async () => {
        const r = await refused([...argv]);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain(message);
        expect(r.ran).to.deep.equal([]);
      });

    it("refuses to deploy a definition the stacks' programs do not read", async () => {
      const other = exampleWithout("without-insights", { teams: ["product-insights"] });
      const r = await refused(["--platform", other]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain("the stacks would deploy another definition than the waves are ordered by");
      expect(r.stderr).to.match(/analytics-consumer reads stacks\/platform.yaml \(the default\)/);
      expect(r.ran).to.deep.equal([]);
    });

    it("bundles the validator's handler before the lake's wave, and only when the lake is deployed", async () => {
      const run = async (argv: string[]) => {
        const order: string[] = [];
        let stderr = "";
        const engine: StackEngine = {
          outputs: async () => ({}),
          run: async (stack) => void order.push(stack),
        };
        const code = await main(
          argv,
          { stdout: () => undefined, stderr: (t) => void (stderr += t) },
          {
            root: ROOT,
            engine: async () => engine,
            preflight: async () => ({ checks: [] }),
            buildValidator: () => {
              order.push("build:validator");
              return path.join(ROOT, "dist", "validator-handler", "index.js");
            },
          },
        );
        return { code, order, stderr };
      };
      const all = await run([]);
      expect(all.code).to.equal(0);
      expect(all.order[0]).to.equal("build:validator");
      expect(all.order.filter((s) => s === "build:validator")).to.have.length(1);
      expect(all.order).to.include("lake-prod");
      expect(all.stderr).to.contain("bundled the validator's handler for lake-prod");
      const consumers = await run(["--stack", "finance-consumer"]);
      expect(consumers.order).to.not.include("build:validator");
      const dry = await refused(["--dry-run"]);
      expect(dry.stdout).to.contain("npm run build:validator");
    });

    it("refuses a consumer stack that adds and removes a team in one run", async () => {
      const r = await refused([], {
        "finance-consumer": { account: "finance-consumer", teams: ["controlling-old"] },
      });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain("no order deploys this change in one run");
      expect(r.stderr).to.contain("finance-consumer removes controlling-old and adds controlling");
      expect(r.ran).to.deep.equal([]);
    });
  });
});
