/**
 * `npm run deploy` (CONTRACTS §5): preflight, then every stack in the waves of `waves.ts`, each through
 * Pulumi's Automation API with both policy packs and the config that matches the definition.
 *
 * The stacks are the repository's own (`LocalWorkspace.selectStack({ stackName, workDir: <root> })`): the
 * Pulumi CLI reads `Pulumi.yaml` and the stack files from `stackConfigDir` itself, as `pulumi up --stack`
 * does. LocalWorkspace's own stack settings look for `Pulumi.<stack>.yaml` in the work dir only, and
 * passing it `projectSettings` rewrites `Pulumi.yaml` (automation/localWorkspace.js of @pulumi/pulumi
 * 3.248: `stackSettings()` joins `workDir` and the file name; `projectSettings` → `saveProjectSettings`),
 * so neither is used (https://www.pulumi.com/docs/iac/concepts/projects/project-file/: `stackConfigDir` is
 * "Config directory location relative to the location of Pulumi.yaml"; the Automation API "relies on
 * Pulumi.yaml and Pulumi.[stack].yaml", https://pulumi.com/docs/using-pulumi/automation-api/concepts-terminology).
 * The Automation API drives the CLI, which must be on PATH
 * (https://www.pulumi.com/docs/iac/concepts/automation-api/).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Table from "cli-table3";
import { packConfigFor, PACKS } from "../plan/pack-config";
import type { StackFile } from "../plan/stacks";
import { lakeAccount } from "../../platform";
import type { Platform } from "../../platform";
import { writeValidatorArtefact } from "../build/bundle-validator";
import { LocalWorkspace, PulumiCommand, StackNotFoundError } from "@pulumi/pulumi/automation";
import { Operation, planWaves, selectSteps, stepsInOrder, Wave, WaveStep, WAVE_TITLES } from "./waves";
import type { DeployedState } from "./waves";

/** One check of the preflight report (CONTRACTS §5 JSON). */
export interface PreflightCheck {
  readonly stack: string;
  readonly account: string;
  readonly check: string;
  readonly status: "ok" | "missing" | "unknown";
  readonly message: string;
}

/** The preflight's report. */
export interface PreflightReport {
  readonly checks: readonly PreflightCheck[];
}

/** The preflight as deploy calls it: `runPreflight` of `./preflight`, or a stand-in in tests. */
export type PreflightFn = (options: { platform: Platform; stacks?: string[] }) => Promise<PreflightReport>;

/** What a stack's operation is run with. */
export interface RunOptions {
  /** `pulumi preview` (or `destroy --preview-only`) instead of the real operation. */
  readonly preview: boolean;
  /** The policy pack folders, relative to the work dir. */
  readonly policyPacks: readonly string[];
  /** Each pack's config file, in the order of `policyPacks`. */
  readonly policyPackConfigs: readonly string[];
  /** The CLI's standard output, as it comes. */
  readonly onOutput: (chunk: string) => void;
  /** The CLI's standard error, as it comes. */
  readonly onError: (chunk: string) => void;
}

/** How deploy reaches Pulumi: the Automation API ({@link automationEngine}), or a fake. */
export interface StackEngine {
  /** A stack's outputs (plain values), or undefined when the stack does not exist. */
  outputs(stack: string): Promise<Record<string, unknown> | undefined>;
  /** Runs `up`/`preview` or `destroy` on a stack; rejects when it fails. */
  run(stack: string, operation: Operation, options: RunOptions): Promise<void>;
}

/** Deploy could not run (exit status 2); the message says why and what to do. */
export class DeployError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeployError";
  }
}

/** Exit statuses of `npm run deploy`. */
export const EXIT = { done: 0, failed: 1, couldNot: 2 } as const;

/** The policy packs every stack runs with, in this order (folders under the repository root). */
export const POLICY_PACKS = Object.keys(PACKS).map((folder) => `policies/${folder}`);

/** Options of {@link deploy}. */
export interface DeployOptions {
  /** The definition. */
  readonly platform: Platform;
  /** Its file (the stacks' programs must read the same one). */
  readonly platformFile: string;
  /** The stack files (`stacks/Pulumi.<stack>.yaml`). */
  readonly stackFiles: readonly StackFile[];
  /** The repository root: Pulumi's work dir. */
  readonly root: string;
  /** `--stack`: only these stacks (waves keep their order). */
  readonly stacks?: readonly string[];
  /** `--from`: resume at this stack's first occurrence. */
  readonly from?: string;
  /** `--preview`. */
  readonly preview: boolean;
  /** `--concurrency`: stacks of a wave side by side, at most. */
  readonly concurrency: number;
  /** `--dry-run`: print the waves and operations, call nothing. */
  readonly dryRun: boolean;
  /** `--base` (dry run only): the definition deployed now, for removed teams and accounts. */
  readonly base?: Platform;
  /** The preflight. */
  readonly preflight: PreflightFn;
  /** Makes the engine (not called in a dry run); throws {@link DeployError} when Pulumi is not there. */
  readonly engine: () => Promise<StackEngine>;
  /** Where the report and the stacks' output go. */
  readonly io: { stdout: (s: string) => void; stderr: (s: string) => void };
  /**
   * Bundles the governance validator's handler, which the lake stack deploys
   * (`dist/validator-handler/index.js`, `npm run build:validator`), and returns its path; run before a
   * real run that updates or previews the lake stack. @default `writeValidatorArtefact` of tooling/build
   */
  readonly buildValidator?: () => string;
}

/** The outcome of one planned step. */
export interface StepResult {
  readonly stack: string;
  readonly wave: Wave["wave"];
  readonly operation: string;
  readonly result: "succeeded" | "failed" | "not started" | "skipped (--stack)" | "skipped (--from)";
  readonly ms?: number;
  readonly error?: string;
}

/** The command a step runs, as the Pulumi CLI would be called by hand. */
export function commandLine(
  step: Pick<WaveStep, "stack" | "operation">,
  preview: boolean,
  configs: string[],
): string {
  const stack = `--stack ${shellQuote(step.stack)}`;
  if (step.operation === "destroy")
    return preview ? `pulumi destroy --preview-only ${stack}` : `pulumi destroy --yes ${stack}`;
  const packs = POLICY_PACKS.map((p) => `--policy-pack ${p}`).join(" ");
  const packConfigs = configs.map((c) => `--policy-pack-config ${shellQuote(c)}`).join(" ");
  return `pulumi ${preview ? "preview" : "up --yes"} ${stack} ${packs} ${packConfigs}`;
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The operation's name in the summary. */
function operationName(operation: Operation, preview: boolean): string {
  if (operation === "destroy") return preview ? "destroy (preview)" : "destroy";
  return preview ? "preview" : "up";
}

/** Account → stack, from the stack files' `lakehouse:account`; throws {@link DeployError}. */
export function stacksOfAccounts(p: Platform, stackFiles: readonly StackFile[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of p.accounts) {
    const files = stackFiles.filter((f) => f.config["lakehouse:account"] === a.name);
    if (files.length === 0)
      throw new DeployError(
        `no stack file deploys account ${a.name}: create stacks/Pulumi.${a.name}.yaml with ` +
          `"config: { lakehouse:account: ${a.name} }" and run pulumi stack init ${a.name}`,
      );
    if (files.length > 1)
      throw new DeployError(
        `account ${a.name} is deployed by ${files.length} stack files (${files.map((f) => path.basename(f.file)).join(", ")}): ` +
          "keep one stack per account",
      );
    out.set(a.name, files[0].name);
  }
  return out;
}

/**
 * The stacks whose program reads another definition than `platformFile` (their `lakehouse:platform`, or
 * the program's default `stacks/platform.yaml`, infra/program.ts), as messages.
 */
export function platformMismatches(
  root: string,
  platformFile: string,
  stackFiles: readonly StackFile[],
  stacks: Iterable<string>,
): string[] {
  const real = (f: string) => {
    try {
      return fs.realpathSync(f);
    } catch {
      return path.resolve(f);
    }
  };
  const wanted = real(platformFile);
  const out: string[] = [];
  for (const stack of stacks) {
    const file = stackFiles.find((f) => f.name === stack);
    const configured = file?.config["lakehouse:platform"];
    const reads = path.resolve(root, configured ?? path.join("stacks", "platform.yaml"));
    if (real(reads) !== wanted)
      out.push(
        `${stack} reads ${path.relative(root, reads) || reads}${configured ? " (lakehouse:platform)" : " (the default)"}, ` +
          `not --platform ${platformFile}`,
      );
  }
  return out;
}

/** Runs deploy; returns the exit status (0 done, 1 a stack or the preflight failed, 2 could not run). */
export async function deploy(o: DeployOptions): Promise<number> {
  const { io } = o;
  const accountStacks = stacksOfAccounts(o.platform, o.stackFiles);
  const known = new Set([...accountStacks.values(), ...o.stackFiles.map((f) => f.name)]);
  for (const [flag, names] of [
    ["--stack", o.stacks ?? []],
    ["--from", o.from === undefined ? [] : [o.from]],
  ] as const)
    for (const name of names)
      if (!known.has(name))
        throw new DeployError(`${flag} ${name}: no such stack (stacks: ${[...known].sort().join(", ")})`);
  const stackOf = (account: string) => accountStacks.get(account) ?? account;
  const mismatches = platformMismatches(o.root, o.platformFile, o.stackFiles, accountStacks.values());

  if (o.dryRun) {
    for (const m of mismatches) io.stderr(`deploy: warning: ${m}; a real run refuses this\n`);
    const deployed: DeployedState = o.base
      ? baseState(o.base, o.platform, o.stackFiles)
      : { consumerTeams: {} };
    return printDryRun(o, planOrThrow(o, deployed, stackOf));
  }
  if (mismatches.length > 0)
    throw new DeployError(
      `the stacks would deploy another definition than the waves are ordered by:\n  ${mismatches.join("\n  ")}\n` +
        "pass the definition they read (--platform), or set lakehouse:platform in their stack files",
    );

  const engine = await o.engine();
  const selected = o.stacks && o.stacks.length > 0 ? [...o.stacks] : undefined;
  io.stderr(`deploy: preflight${selected ? ` of ${selected.join(", ")}` : ""}\n`);
  let report: PreflightReport;
  try {
    report = await o.preflight({ platform: o.platform, ...(selected ? { stacks: selected } : {}) });
  } catch (err) {
    throw new DeployError(`the preflight could not run: ${(err as Error).message}`);
  }
  const missing = report.checks.filter((c) => c.status === "missing");
  const unknown = report.checks.filter((c) => c.status === "unknown");
  if (missing.length > 0) {
    io.stdout(checksTable([...missing, ...unknown]));
    io.stderr(
      `deploy: the preflight found ${missing.length} thing(s) missing; nothing was deployed. ` +
        "Fix them (each message says how; npm run preflight checks again), then run deploy again\n",
    );
    return EXIT.failed;
  }
  if (unknown.length > 0) {
    io.stdout(checksTable(unknown));
    io.stderr(
      `deploy: warning: ${unknown.length} preflight check(s) could not tell (unknown); deploying anyway\n`,
    );
  }

  const deployed = await deployedState(o, engine, accountStacks);
  const plan = planOrThrow(o, deployed, stackOf);
  for (const line of removals(plan)) io.stderr(`deploy: ${line}\n`);
  // The lake stack deploys the validator's bundled handler: without it its preview and up stop.
  const lakeStack = stackOf(lakeAccount(o.platform).name);
  if (stepsInOrder(plan.waves).some((s) => s.stack === lakeStack && s.operation !== "destroy")) {
    const file = (o.buildValidator ?? (() => writeValidatorArtefact()))();
    io.stderr(
      `deploy: bundled the validator's handler for ${lakeStack} (npm run build:validator): ${path.relative(o.root, file)}\n`,
    );
  }
  return runPlan(o, engine, plan);
}

interface SelectedPlan {
  readonly all: readonly Wave[];
  readonly waves: readonly Wave[];
  readonly skipped: ReturnType<typeof selectSteps>["skipped"];
  readonly removedTeams: Readonly<Record<string, readonly string[]>>;
  readonly removedAccounts: readonly string[];
}

function planOrThrow(
  o: DeployOptions,
  deployed: DeployedState,
  stackOf: (a: string) => string,
): SelectedPlan {
  const plan = planWaves(o.platform, deployed, stackOf);
  if (plan.conflicts.length > 0)
    throw new DeployError(`no order deploys this change in one run:\n  ${plan.conflicts.join("\n  ")}`);
  const inPlan = new Set(stepsInOrder(plan.waves).map((s) => s.stack));
  for (const s of o.stacks ?? [])
    if (!inPlan.has(s))
      throw new DeployError(
        `--stack ${s}: not in the plan (its account is not in the definition and its stack holds no consumer deployment)`,
      );
  const chosen = selectSteps(plan.waves, { stacks: o.stacks });
  if (o.from !== undefined && !stepsInOrder(chosen.waves).some((s) => s.stack === o.from))
    throw new DeployError(`--from ${o.from}: not among the stacks to deploy`);
  const { waves, skipped } = selectSteps(plan.waves, { stacks: o.stacks, from: o.from });
  return {
    all: plan.waves,
    waves,
    skipped,
    removedTeams: plan.removedTeams,
    removedAccounts: plan.removedAccounts,
  };
}

/** The deployed state a previous definition implies (`--base`, dry run). */
function baseState(base: Platform, p: Platform, stackFiles: readonly StackFile[]): DeployedState {
  const consumerTeams: Record<string, string[]> = {};
  const stackOf: Record<string, string> = {};
  for (const a of base.accounts.filter((x) => x.role === "consumer")) {
    consumerTeams[a.name] = base.consumers.filter((c) => c.account === a.name).map((c) => c.team);
    if (!p.accounts.some((x) => x.name === a.name))
      stackOf[a.name] = stackFiles.find((f) => f.config["lakehouse:account"] === a.name)?.name ?? a.name;
  }
  return { consumerTeams, stackOf };
}

/**
 * What the consumer stacks hold now: each consumer stack's `teams` and `account` outputs (infra/consumer.ts,
 * infra/program.ts), and for a stack file whose account the definition does not have, whether its stack
 * deployed a consumer account (`role` output). A stack that does not exist yet holds nothing.
 */
async function deployedState(
  o: DeployOptions,
  engine: StackEngine,
  accountStacks: Map<string, string>,
): Promise<DeployedState> {
  const consumerTeams: Record<string, string[]> = {};
  const stackOf: Record<string, string> = {};
  const read = async (stack: string) => {
    try {
      return await engine.outputs(stack);
    } catch (err) {
      throw new DeployError(`could not read the outputs of stack ${stack}: ${firstLine(err)}`);
    }
  };
  const teams = (outputs: Record<string, unknown>) =>
    Array.isArray(outputs.teams) ? outputs.teams.filter((t): t is string => typeof t === "string") : [];
  for (const a of o.platform.accounts.filter((x) => x.role === "consumer")) {
    const outputs = await read(accountStacks.get(a.name)!);
    if (outputs) consumerTeams[a.name] = teams(outputs);
  }
  const ours = new Set(accountStacks.values());
  for (const f of o.stackFiles.filter((x) => !ours.has(x.name))) {
    const outputs = await read(f.name);
    if (!outputs || outputs.role !== "consumer") continue;
    const account =
      typeof outputs.account === "string" ? outputs.account : (f.config["lakehouse:account"] ?? f.name);
    consumerTeams[account] = teams(outputs);
    stackOf[account] = f.name;
  }
  return { consumerTeams, stackOf };
}

function printDryRun(o: DeployOptions, plan: SelectedPlan): number {
  const rel = path.relative(process.cwd(), o.platformFile) || o.platformFile;
  const configs = Object.keys(PACKS).map((folder) => `policy-config/${folder}.json`);
  const out: string[] = [
    `Deploy plan for ${o.platform.name}${o.preview ? " (preview)" : ""}, dry run: nothing is called.`,
    `Policy pack config (deploy writes the same files to a temporary folder):`,
    `  npm run policy-config -- --platform ${shellQuote(rel)} --out-dir policy-config`,
    `The validator's handler the lake stack deploys (deploy bundles it before the waves):`,
    `  npm run build:validator`,
  ];
  out.push(...removals(plan));
  for (const w of plan.waves) {
    out.push("", `Wave ${w.wave}: ${w.title}`);
    for (const s of w.steps)
      out.push(`  ${s.stack}: ${commandLine(s, o.preview, configs)}`, `    ${s.reason}`);
  }
  if (plan.skipped.length > 0)
    out.push("", `Skipped: ${plan.skipped.map((s) => `${s.stack} (wave ${s.wave}, ${s.why})`).join(", ")}`);
  if (plan.waves.length === 0) out.push("", "Nothing to deploy.");
  o.io.stdout(`${out.join("\n")}\n`);
  return EXIT.done;
}

/** What the plan removes, one line each. */
function removals(plan: SelectedPlan): string[] {
  return [
    ...Object.entries(plan.removedTeams).map(
      ([account, teams]) =>
        `removed teams of ${account}: ${teams.join(", ")} (the lake revokes their grants first)`,
    ),
    ...plan.removedAccounts.map(
      (account) =>
        `removed consumer account ${account}: the lake revokes its grants, then its stack is destroyed`,
    ),
  ];
}

function checksTable(checks: readonly PreflightCheck[]): string {
  const t = new Table({
    head: ["Stack", "Account", "Check", "Status", "Message"],
    style: { head: [], border: [], compact: true },
    colWidths: [20, 20, 28, 9, 80],
    wordWrap: true,
  });
  for (const c of checks) t.push([c.stack, c.account, c.check, c.status, c.message]);
  return `${t.toString()}\n`;
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // A CommandError's message is "code: ...\n stdout: ...\n stderr: ...": the stderr is the reason.
  const stderr = /\n stderr: ([\s\S]*?)\n err\?:/.exec(message)?.[1]?.trim();
  const text = stderr || message;
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
      .pop() ?? message
  );
}

/** Splits a stream's chunks into lines, each written with the stack's name in front. */
function prefixer(
  stack: string,
  write: (s: string) => void,
): { push: (chunk: string) => void; end: () => void; last: () => string | undefined } {
  let pending = "";
  let last: string | undefined;
  const emit = (line: string) => {
    if (line.trim().length > 0) last = line.trim();
    write(`${stack} | ${line}\n`);
  };
  return {
    push(chunk) {
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? "";
      for (const l of lines) emit(l);
    },
    end() {
      if (pending.length > 0) emit(pending);
      pending = "";
    },
    last: () => last,
  };
}

async function runPlan(o: DeployOptions, engine: StackEngine, plan: SelectedPlan): Promise<number> {
  const { io } = o;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lakehouse-policy-config-"));
  const results = new Map<WaveStep & { wave: Wave["wave"] }, StepResult>();
  try {
    const config = packConfigFor(o.platform);
    const configs = Object.entries(PACKS).map(([folder, pack]) => {
      const file = path.join(dir, `${folder}.json`);
      fs.writeFileSync(file, `${JSON.stringify(config[pack], null, 2)}\n`);
      return file;
    });
    let failed = false;
    for (const w of plan.waves) {
      if (failed) break;
      io.stderr(
        `deploy: wave ${w.wave}: ${WAVE_TITLES[w.wave]} (${w.steps.map((s) => s.stack).join(", ")})\n`,
      );
      const queue = w.steps.map((s) => ({ ...s, wave: w.wave }));
      const worker = async () => {
        for (let s = queue.shift(); s && !failed; s = failed ? undefined : queue.shift()) {
          const out = prefixer(s.stack, io.stdout);
          const err = prefixer(s.stack, io.stderr);
          const started = Date.now();
          io.stderr(`deploy: ${commandLine(s, o.preview, configs)}\n`);
          try {
            await engine.run(s.stack, s.operation, {
              preview: o.preview,
              policyPacks: POLICY_PACKS,
              policyPackConfigs: configs,
              onOutput: out.push,
              onError: err.push,
            });
            out.end();
            err.end();
            results.set(s, { ...resultBase(s, o.preview), result: "succeeded", ms: Date.now() - started });
          } catch (e) {
            out.end();
            err.end();
            failed = true;
            results.set(s, {
              ...resultBase(s, o.preview),
              result: "failed",
              ms: Date.now() - started,
              error: err.last() ?? firstLine(e),
            });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(o.concurrency, queue.length) }, worker));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const rows: StepResult[] = [];
  const skipped = new Map(plan.skipped.map((s) => [`${s.wave}:${s.stack}`, s.why]));
  for (const s of stepsInOrder(plan.all)) {
    const done = [...results.entries()].find(([k]) => k.wave === s.wave && k.stack === s.stack)?.[1];
    const why = skipped.get(`${s.wave}:${s.stack}`);
    rows.push(done ?? { ...resultBase(s, o.preview), result: why ? `skipped (${why})` : "not started" });
  }
  io.stdout(summaryTable(rows));
  const failures = rows.filter((r) => r.result === "failed");
  if (failures.length === 0) {
    io.stderr(`deploy: done (${rows.filter((r) => r.result === "succeeded").length} stack operation(s))\n`);
    return EXIT.done;
  }
  const resumeAt = failures[0].stack;
  const again = [
    "npm run deploy --",
    ...(o.stacks ?? []).map((s) => `--stack ${shellQuote(s)}`),
    ...(o.preview ? ["--preview"] : []),
    `--from ${shellQuote(resumeAt)}`,
  ].join(" ");
  io.stderr(
    `deploy: ${failures.map((f) => `${f.stack} (wave ${f.wave}) failed: ${f.error}`).join("; ")}\n` +
      `deploy: stopped: no further stack was started. Fix the cause, then resume with\n  ${again}\n` +
      `(it runs from ${resumeAt}'s first occurrence in the waves; every stack is idempotent)\n`,
  );
  return EXIT.failed;
}

function resultBase(s: WaveStep & { wave: Wave["wave"] }, preview: boolean) {
  return { stack: s.stack, wave: s.wave, operation: operationName(s.operation, preview) };
}

function summaryTable(rows: readonly StepResult[]): string {
  const t = new Table({
    head: ["Stack", "Wave", "Operation", "Result", "Duration"],
    style: { head: [], border: [], compact: true },
  });
  for (const r of rows)
    t.push([
      r.stack,
      String(r.wave),
      r.operation,
      r.result,
      r.ms === undefined ? "-" : `${(r.ms / 1000).toFixed(1)}s`,
    ]);
  return `${t.toString()}\n`;
}

/**
 * The engine over `@pulumi/pulumi/automation`: the Pulumi CLI on PATH (its `pulumi version` checked once
 * by `PulumiCommand.get`), each stack selected in the repository's work dir. Throws {@link DeployError}
 * when the CLI is not there.
 */
export async function automationEngine(root: string): Promise<StackEngine> {
  let pulumiCommand: PulumiCommand;
  try {
    pulumiCommand = await PulumiCommand.get();
  } catch (err) {
    throw new DeployError(
      `the Pulumi CLI could not be run (${firstLine(err)}): a real deploy needs the Pulumi CLI on PATH ` +
        "(https://www.pulumi.com/docs/install/); --dry-run needs none",
    );
  }
  const select = (stackName: string) =>
    LocalWorkspace.selectStack({ stackName, workDir: root }, { pulumiCommand });
  return {
    async outputs(stack) {
      let s;
      try {
        s = await select(stack);
      } catch (err) {
        if (err instanceof StackNotFoundError) return undefined;
        throw err;
      }
      const outputs = await s.outputs();
      return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value as unknown]));
    },
    async run(stack, operation, r) {
      let s;
      try {
        s = await select(stack);
      } catch (err) {
        if (err instanceof StackNotFoundError)
          throw new Error(
            `stack ${stack} does not exist: create it once with pulumi stack init ${stack} (docs/deploying.md)`,
          );
        throw err;
      }
      const streams = { onOutput: r.onOutput, onError: r.onError };
      if (operation === "destroy") {
        await (r.preview ? s.previewDestroy(streams) : s.destroy(streams));
        return;
      }
      const opts = {
        ...streams,
        policyPacks: [...r.policyPacks],
        policyPackConfigs: [...r.policyPackConfigs],
      };
      await (r.preview ? s.preview(opts) : s.up(opts));
    },
  };
}
