/**
 * Scale benchmark: `npm run bench -- [--accounts 50] [--datasets 500] [--consumers 100] [--no-baseline]`.
 *
 * Generates a platform (generate.ts), runs the full offline plan on it in a child process (all stacks,
 * every policy pack in policies/), then the baseline (baseline.spec.ts: the same programs the way
 * Pulumi documents unit tests) in another, and reports wall time, peak RSS, resources and the ratio,
 * in one run, with the Lake Formation grant resources declared against what per-dataset named grants
 * would need, and per kind of policy document the largest one against its AWS limit (documents.ts). Results go to stdout and bench/results/plan-scale-<sizes>.json.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Command } from "commander";
import { databaseName, loadPlatform, readableDatasets } from "../../platform";
import { largestDocuments } from "./documents";
import { DEFAULT_SIZES, writeScalePlatform } from "./generate";

const ROOT = path.resolve(__dirname, "..", "..");

interface Measured {
  seconds: number;
  peakMb: number;
  status: number | null;
  /** What the command wrote on stderr (also passed through), when asked to keep it. */
  stderr: string;
}

/** Lake Formation resources that grant access: permissions and data cells filters. */
const GRANT_TYPES = new Set([
  "aws:lakeformation/permissions:Permissions",
  "aws:lakeformation/dataCellsFilter:DataCellsFilter",
]);

interface PlanStack {
  stack: string;
  role: string | null;
  resources: {
    type: string;
    name: string;
    urn: string;
    parent: string | null;
    inputs?: Record<string, unknown>;
  }[];
}

/**
 * Grant resources the plan declared, against what sharing each dataset by name would need: per team, a
 * table grant per dataset it reads, a DESCRIBE grant per database they are in, and a filter per row filter.
 * The teams' grants are the children of the lake's `LakeShares` named `lake`; the lake's other grants
 * (ingestion, crawlers, analytics roles, the validator) are counted apart.
 */
function sharingCounts(platformFile: string, stacks: PlanStack[]): Record<string, number> {
  const grantsOf = (role: string) =>
    stacks
      .filter((s) => s.role === role)
      .flatMap((s) => s.resources)
      .filter((r) => GRANT_TYPES.has(r.type));
  const lakeResources = stacks.filter((s) => s.role === "lake").flatMap((s) => s.resources);
  const teamShares = new Set(
    lakeResources
      .filter((r) => r.type === "lakehouse:sharing:LakeShares" && r.name === "lake")
      .map((r) => r.urn),
  );
  const p = loadPlatform(platformFile);
  const named = p.consumers.reduce((n, c) => {
    const readable = readableDatasets(p, c);
    return (
      n + readable.length + new Set(readable.map((d) => databaseName(d.domain))).size + c.rowFilters.length
    );
  }, 0);
  const lake = grantsOf("lake");
  const teams = lake.filter((r) => r.parent !== null && teamShares.has(r.parent)).length;
  return {
    teamGrantResources: teams,
    otherLakeGrantResources: lake.length - teams,
    consumerLinkGrants: grantsOf("consumer").length,
    namedGrantsEquivalent: named,
    ratioPercent: +((100 * teams) / Math.max(named, 1)).toFixed(2),
  };
}

/**
 * Runs a command under /usr/bin/time to read its peak RSS; returns wall time and peak. With `keepStderr`
 * its stderr is read (and written through once it ends) instead of inherited.
 */
function measure(command: string[], env: NodeJS.ProcessEnv = {}, keepStderr = false): Measured {
  const timeFile = path.join(os.tmpdir(), `bench-time-${process.pid}-${Date.now()}`);
  const started = process.hrtime.bigint();
  const result = spawnSync("/usr/bin/time", ["-f", "%M", "-o", timeFile, ...command], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", keepStderr ? "pipe" : "inherit"],
    maxBuffer: 256 * 1024 * 1024,
    encoding: "utf8",
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakKb = Number(fs.readFileSync(timeFile, "utf8").trim().split("\n").pop());
  fs.rmSync(timeFile, { force: true });
  const stderr = keepStderr ? (result.stderr ?? "") : "";
  if (keepStderr) process.stderr.write(stderr);
  return { seconds, peakMb: Math.round(peakKb / 1024), status: result.status, stderr };
}

/**
 * The plan's own account of where its time went, from its last progress line (`plan: start-up 1.0 s
 * (policy packs ready at 2.9 s), programs 35.2 s, effective access 3.1 s, policies done 0.4 s after
 * that`), in seconds; start-up is node, the CLI's modules and the definition, before the first program.
 */
function phases(stderr: string): Record<string, number> | undefined {
  const m =
    /plan: start-up ([\d.]+) s(?: \(policy packs ready at ([\d.]+) s\))?, programs ([\d.]+) s, effective access ([\d.]+) s, policies done ([\d.]+) s after that/.exec(
      stderr,
    );
  if (!m) return undefined;
  return {
    startup: +m[1],
    ...(m[2] !== undefined ? { packsReadyAt: +m[2] } : {}),
    programs: +m[3],
    effectiveAccess: +m[4],
    policiesAfterAccess: +m[5],
  };
}

/** The node flags of `npm run plan` (package.json), so the benchmark measures what users run. */
function planNodeFlags(): string[] {
  const script = (
    JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts.plan;
  const words = script.split(/\s+/);
  return words.slice(1, words.indexOf("tooling/plan/cli.ts"));
}

function main(): void {
  const opts = new Command("bench")
    .option("--accounts <n>", "accounts", String(DEFAULT_SIZES.accounts))
    .option("--datasets <n>", "datasets", String(DEFAULT_SIZES.datasets))
    .option("--consumers <n>", "consumer teams", String(DEFAULT_SIZES.consumers))
    .option("--no-baseline", "skip the baseline run")
    .parse(process.argv.slice(2), { from: "user" })
    .opts<{ accounts: string; datasets: string; consumers: string; baseline: boolean }>();
  const sizes = { accounts: +opts.accounts, datasets: +opts.datasets, consumers: +opts.consumers };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lakehouse-bench-"));
  const platformFile = writeScalePlatform(dir, sizes);
  const planJson = path.join(dir, "plan.json");
  console.error(`bench: platform in ${dir}: ${JSON.stringify(sizes)}`);

  const plan = measure(
    [
      process.execPath,
      ...planNodeFlags(),
      "tooling/plan/cli.ts",
      "--platform",
      platformFile,
      "--stacks-dir",
      dir,
      "--format",
      "json",
      "--out",
      planJson,
    ],
    {},
    true,
  );
  if (plan.status !== 0 && plan.status !== 1) throw new Error(`plan failed (exit ${plan.status})`);
  const report = JSON.parse(fs.readFileSync(planJson, "utf8"));
  const resources: number = report.summary.resources;
  const result: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    sizes,
    resources,
    stacks: report.summary.stacks,
    packs: report.packs,
    plan: { seconds: +plan.seconds.toFixed(1), peakMb: plan.peakMb, phases: phases(plan.stderr) ?? null },
    violations: { mandatory: report.summary.mandatory, advisory: report.summary.advisory },
    sharing: sharingCounts(platformFile, report.stacks as PlanStack[]),
    // Per kind of policy document: the largest the plan declares, against its AWS limit.
    documents: largestDocuments(report.stacks as PlanStack[]),
  };
  if (opts.baseline) {
    const baseline = measure(
      [
        path.join(ROOT, "node_modules", ".bin", "mocha"),
        "--no-config",
        "-r",
        "ts-node/register",
        "bench/plan-scale/baseline.spec.ts",
        "--reporter",
        "dot",
      ],
      { BENCH_DIR: dir, BENCH_PLAN: planJson },
    );
    if (baseline.status !== 0) throw new Error(`baseline failed (exit ${baseline.status})`);
    result.baseline = { seconds: +baseline.seconds.toFixed(1), peakMb: baseline.peakMb };
    result.speedup = +(baseline.seconds / plan.seconds).toFixed(1);
  }
  fs.mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
  const file = `plan-scale-${sizes.accounts}a-${sizes.datasets}d-${sizes.consumers}c.json`;
  fs.writeFileSync(path.join(ROOT, "bench", "results", file), JSON.stringify(result, null, 2) + "\n");
  console.log(JSON.stringify(result, null, 2));
  fs.rmSync(dir, { recursive: true, force: true });
}

main();
