/**
 * The offline plan (CONTRACTS §3): runs each account's stack program under Pulumi's mocks, records
 * every resource, evaluates the policy packs and returns the report the CLI renders.
 *
 * Stacks run one after another (the mock runtime is process-global) while the packs, in their worker
 * thread(s), evaluate the previous stack: on two cores the policy work overlaps the programs. The packs
 * load while the first program runs; the effective access is computed while they finish. A stack's
 * records are dropped once sent to the packs: the report keeps only what it lists.
 */
import * as fs from "fs";
import * as path from "path";
import { loadPlatform, Platform, PlatformDefinitionError } from "../../platform";
import { ProgramError, RecordedResource, runProgram, UNKNOWN } from "../mock-runtime/harness";
import { beginStack, discoverPacks, LoadedPack, StackEvaluation, Violation } from "../policy-eval/packs";
import { loadProgram, ProgramEntryError, resolveEntry } from "./program";
import { ProgramProject, readProject } from "./project";
import { packConfigFor } from "./pack-config";
import { EnforcementLevel, PolicyConfigError, PolicyPackConfigFile } from "../policy-eval/policy-config";
import { listStacks, StackFile, StackFileError } from "./stacks";
import { printable } from "../../platform/read";
import { effectiveAccess } from "./access/effective";
import { checkAccess, PLAN_PACK, PLAN_PACK_REPORT } from "./access/check";
import type { AccessReport } from "./access/report";

/** Resources sent to the packs per message while a program runs. */
const STREAM_BATCH = 256;

/** The Pulumi project name (Pulumi.yaml `name`): URNs and config keys use it. */
export const PROJECT = "lakehouse";

/** What to plan. */
export interface PlanRequest {
  /** The platform definition. */
  readonly platformFile: string;
  /** Folder of `Pulumi.<stack>.yaml` files. */
  readonly stacksDir: string;
  /** Stacks to plan; every stack in `stacksDir` when empty. */
  readonly stacks?: readonly string[];
  /** A Pulumi TypeScript program (file or folder) to run instead of the account program. */
  readonly program?: string;
  /** The account program (Pulumi.yaml `main`). */
  readonly defaultProgram: string;
  /** "Today" for expiry decisions, `YYYY-MM-DD`. */
  readonly date: string;
  /**
   * Folder whose sub-folders with a `PulumiPolicy.yaml` are the packs to evaluate; it must exist and
   * hold at least one pack. `null` plans without packs (the CLI's `--no-policies`), and says so.
   */
  readonly policiesDir: string | null;
  /**
   * Per pack name, the config a user would pass with `--policy-pack-config`.
   * @default the config `npm run policy-config` writes for the platform definition
   */
  readonly policyConfig?: Readonly<Record<string, PolicyPackConfigFile>>;
  /** Receives one progress line per event (the CLI prints them on stderr). */
  readonly progress?: (line: string) => void;
  /**
   * Config set for every stack, over the stack files' (`--config key=value`, as `pulumi preview -c`):
   * keys without a namespace are the project's.
   */
  readonly config?: Readonly<Record<string, string>>;
  /** A stack whose program has not finished after this many milliseconds fails (exit 2). @default none */
  readonly timeoutMs?: number;
}

/** A resource as the report lists it. */
export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly provider: string | null;
  readonly inputs: Record<string, unknown>;
}

/** One stack's part of the report. */
export interface StackReport {
  readonly stack: string;
  readonly account: string | null;
  readonly role: string | null;
  readonly region: string | null;
  readonly resources: PlannedResource[];
  readonly outputs: Record<string, unknown>;
  readonly violations: Violation[];
  readonly notices: string[];
}

/** A policy of a pack, as the pack announced it and as it was configured for the plan. */
export interface PackRule {
  readonly name: string;
  readonly description: string;
  /** The enforcement level it ran at (the pack's default, reconciled with the pack config). */
  readonly level: EnforcementLevel;
  readonly severity?: string;
  /** The policy's own remediation steps, where it declares them (messages name the fix too). */
  readonly remediation?: string;
}

/** A pack that judged the plan. */
export interface PackReport {
  readonly name: string;
  readonly version: string;
  /** How many policies the pack has. */
  readonly policies: number;
  /** Every policy of the pack, in the pack's order. */
  readonly rules: PackRule[];
}

/** The whole report (CONTRACTS §3 `--format json`). */
export interface PlanReport {
  readonly platform: string;
  readonly date: string;
  readonly packs: PackReport[];
  readonly stacks: StackReport[];
  readonly summary: { stacks: number; resources: number; mandatory: number; advisory: number };
  /**
   * The effective access the planned stacks declare (`--format access`; not part of `--format json`),
   * without `changes` (the CLI fills them with `--base`).
   */
  readonly access?: AccessReport;
}

/** The input could not be used: exit status 2. */
export class PlanInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanInputError";
  }
}

interface StackRun {
  readonly name: string;
  /** Notices about accounts no stack file deploys (on the first stack planned). */
  readonly undeployed?: readonly string[];
  readonly config: Record<string, string>;
  /** Config keys holding secrets (`secure:` values, `secret: true` project config). */
  readonly secretKeys?: readonly string[];
  /** ESC environments the stack file imports. */
  readonly environments?: readonly string[];
  readonly account: { id: string; role: string; region: string } | null;
}

/** The stack files' accounts: one stack per account, both ways (the engine deploys one stack per account). */
function accountCoverage(files: readonly StackFile[], platform: Platform): string[] {
  const byAccount = new Map<string, StackFile>();
  for (const file of files) {
    const account = file.config[`${PROJECT}:account`];
    if (account === undefined) continue;
    const other = byAccount.get(account);
    if (other) {
      throw new PlanInputError(
        `${file.file} and ${other.file} both deploy ${PROJECT}:account "${printable(account)}": ` +
          `one stack per account; remove one of them or point it at another account`,
      );
    }
    byAccount.set(account, file);
  }
  return platform.accounts
    .filter((a) => !byAccount.has(a.name))
    .map(
      (a) =>
        `account ${a.name} (${a.id}) of the definition has no stack file: add Pulumi.<stack>.yaml with ` +
        `config ${PROJECT}:account: ${a.name}, or remove the account`,
    );
}

/**
 * A `--program`'s stacks: those named with `--stack` (the project's own stack file, else the one of
 * `--stacks-dir`), else every stack file of its project, else one stack named after the program.
 */
function programStacks(req: PlanRequest, project: ProgramProject): StackRun[] | undefined {
  // The platform's own project (`--program infra/`): its stacks are the definition's accounts.
  if (project.stackDir !== undefined && project.stackDir === path.resolve(req.stacksDir)) return undefined;
  const own = new Map(project.stacks.map((f) => [f.name, f]));
  const asRun = (file: StackFile): StackRun => ({
    name: file.name,
    config: file.config,
    secretKeys: file.secretKeys,
    environments: file.environments,
    account: null,
  });
  if (req.stacks?.length) {
    if (!req.stacks.every((n) => own.has(n))) return undefined;
    return req.stacks.map((n) => asRun(own.get(n)!));
  }
  if (project.stacks.length > 0) return project.stacks.map(asRun);
  return undefined;
}

function resolveStacks(req: PlanRequest, platform: Platform, project?: ProgramProject): StackRun[] {
  const fromProject = project ? programStacks(req, project) : undefined;
  if (fromProject) return fromProject;
  let files: StackFile[];
  try {
    files = listStacks(req.stacksDir);
  } catch (err) {
    if (err instanceof StackFileError) throw new PlanInputError(err.message);
    throw err;
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const name of req.stacks ?? []) {
    if (!byName.has(name)) {
      const known = files.map((f) => f.name).join(", ") || "none";
      throw new PlanInputError(
        `unknown stack "${printable(name)}": no ${path.join(req.stacksDir, `Pulumi.${name}.yaml`)} (stacks: ${known})`,
      );
    }
  }
  if (req.program && !req.stacks?.length) {
    // --program without --stack: one stack named after the program's file (or folder).
    const base = path.basename(req.program).replace(/\.[cm]?[jt]s$/, "");
    const name = base === "index" ? path.basename(path.dirname(path.resolve(req.program))) : base;
    return [{ name, config: {}, account: null }];
  }
  const undeployed = req.program ? [] : accountCoverage(files, platform);
  const chosen: StackFile[] = req.stacks?.length ? req.stacks.map((n) => byName.get(n)!) : files;
  const runs = chosen.map((file) => {
    const accountName = file.config[`${PROJECT}:account`];
    if (accountName === undefined && !req.program) {
      throw new PlanInputError(
        `${file.file}: config ${PROJECT}:account is missing; name the account this stack deploys`,
      );
    }
    const account =
      accountName === undefined ? undefined : platform.accounts.find((a) => a.name === accountName);
    if (accountName !== undefined && !account) {
      throw new PlanInputError(
        `${file.file}: ${PROJECT}:account "${accountName}" is not an account of ${req.platformFile} ` +
          `(accounts: ${platform.accounts.map((a) => a.name).join(", ")})`,
      );
    }
    return {
      name: file.name,
      undeployed,
      config: file.config,
      secretKeys: file.secretKeys,
      environments: file.environments,
      account: account ? { id: account.id, role: account.role, region: account.region } : null,
    };
  });
  // Deployment order: the lake first, then producers, then consumers (stack files are alphabetical).
  const order = { lake: 0, producer: 1, consumer: 2 } as Record<string, number>;
  runs.sort((a, b) => (order[a.account?.role ?? ""] ?? 3) - (order[b.account?.role ?? ""] ?? 3));
  if (runs.length === 0) throw new PlanInputError(`no stacks: ${req.stacksDir} holds no Pulumi.<stack>.yaml`);
  return runs;
}

function loadPlatformOrFail(file: string): Platform {
  try {
    return loadPlatform(file);
  } catch (err) {
    // A missing or unreadable file is a definition error too (platform/read.ts names it).
    if (err instanceof PlatformDefinitionError) throw new PlanInputError(err.message);
    throw err;
  }
}

/** The pack folders of `dir`; a folder that does not exist or holds no pack is an input error. */
function packDirs(dir: string): string[] {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch {
    stat = undefined;
  }
  if (!stat?.isDirectory()) {
    throw new PlanInputError(
      `--policies ${printable(dir)}: ${stat ? "is not a folder" : "no such folder"}; name the folder of ` +
        `policy packs (default policies/), or pass --no-policies to plan without governance`,
    );
  }
  const dirs = discoverPacks(dir);
  if (dirs.length === 0) {
    throw new PlanInputError(
      `--policies ${printable(dir)}: holds no policy pack (no <pack>/PulumiPolicy.yaml in it); name the ` +
        `folder of policy packs (default policies/), or pass --no-policies to plan without governance`,
    );
  }
  return dirs;
}

async function loadPacks(
  dirs: readonly string[],
  policyConfig: Readonly<Record<string, PolicyPackConfigFile>>,
): Promise<LoadedPack[]> {
  if (dirs.length === 0) return [];
  try {
    // The packs load in their workers all at once (policy-eval/packs.ts: how many workers).
    return await LoadedPack.loadAll(dirs, (name) => policyConfig[name]);
  } catch (err) {
    if (err instanceof PolicyConfigError) throw new PlanInputError(err.message);
    throw new PlanInputError(`policy pack failed to load: ${(err as Error).message}`);
  }
}

/**
 * Begins each stack's evaluation with the packs, which may still be loading (the first program runs
 * meanwhile): resources given before they are ready wait here, and a stack begins only once the
 * previous stack's `finish` went to the packs, so the packs see the stacks one after another.
 */
class PackQueue {
  private last: Promise<unknown>;

  constructor(private readonly loading: Promise<LoadedPack[]>) {
    this.last = loading;
  }

  begin(): StackEvaluation {
    let ready: StackEvaluation | undefined;
    const queued: RecordedResource[][] = [];
    const begun = this.last.then(async () => {
      ready = beginStack(await this.loading);
      for (const resources of queued.splice(0)) ready.add(resources);
      return ready;
    });
    begun.catch(() => undefined);
    return {
      add: (resources) => (ready ? ready.add(resources) : void queued.push(resources)),
      finish: (resources) => {
        // Wrapped, so that `last` settles once the finish is sent, not once the packs answered it.
        const sent = begun.then((evaluation) => ({ violations: evaluation.finish(resources) }));
        this.last = sent;
        return sent.then((s) => s.violations);
      },
    };
  }
}

/** Seconds, with one decimal. */
function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Shows values unknown until deployment as "[unknown]" in the report (the records keep the engine's marker). */
function showUnknowns(value: unknown): unknown {
  if (value === UNKNOWN) return "[unknown]";
  if (Array.isArray(value)) return value.map(showUnknowns);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, showUnknowns(v)]));
  }
  return value;
}

function toPlanned(r: RecordedResource, withUnknowns: ReadonlySet<string>): PlannedResource {
  const inputs = withUnknowns.has(r.urn) ? (showUnknowns(r.inputs) as Record<string, unknown>) : r.inputs;
  return { urn: r.urn, type: r.type, name: r.name, parent: r.parent, provider: r.provider, inputs };
}

/** `type "name"` of a resource, then its parents' up to the stack, as `pulumi up` would locate it. */
function declaration(r: RecordedResource, byUrn: ReadonlyMap<string, RecordedResource>): string {
  const chain: string[] = [];
  let current: RecordedResource | undefined = r;
  for (let depth = 0; current && depth < 64; depth++) {
    chain.push(`${current.type} "${printable(current.name)}"`);
    current = current.parent ? byUrn.get(current.parent) : undefined;
  }
  return chain.join(" < ");
}

/**
 * Refuses two registrations with one URN, as the engine does ("Duplicate resource URN '...'; try
 * giving it a unique name", pulumi/pulumi diag error 2001); the mocks do not check it. A URN carries
 * the parent's type but not its name, so two children of the same name under two parents of the same
 * type collide.
 */
function refuseDuplicateUrns(stack: string, resources: readonly RecordedResource[]): void {
  const byUrn = new Map<string, RecordedResource>();
  const problems: string[] = [];
  for (const r of resources) {
    const first = byUrn.get(r.urn);
    if (!first) {
      byUrn.set(r.urn, r);
      continue;
    }
    problems.push(
      `  ${printable(r.urn, 300)}\n    declared by ${declaration(first, byUrn)}\n` +
        `    and again by ${declaration(r, byUrn)}`,
    );
  }
  if (problems.length === 0) return;
  const shown = problems.slice(0, 20);
  if (problems.length > 20) shown.push(`  ... and ${problems.length - 20} more`);
  throw new PlanInputError(
    `stack ${stack}: duplicate resource URN${problems.length === 1 ? "" : "s"} (pulumi up refuses them): ` +
      `give one of each pair a unique name, e.g. prefix a child's name with its parent's\n${shown.join("\n")}`,
  );
}

/** The frames of an error's stack, without its first line (the message, printed once already). */
function frames(e: unknown): string {
  if (!(e instanceof Error) || !e.stack) return "";
  const lines = e.stack.split("\n");
  const first = lines.findIndex((l) => /^\s+at /.test(l));
  return first < 0 ? "" : `\n${lines.slice(first).join("\n")}`;
}

/**
 * An error as the language host prints it (`@pulumi/pulumi` `cmd/run/run.js`): a `RunError` — a missing
 * config value, for one — by its message only, as a `ResourceError` created with `hideStack`; any
 * other error with its stack, which points at the program's line. Checked by the SDK's brand, which
 * every copy of `@pulumi/pulumi` sets.
 */
function shown(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  // The SDK spells the ResourceError brand `__pulumResourceError`.
  const brand = e as { __pulumiRunError?: unknown; __pulumResourceError?: unknown; hideStack?: unknown };
  if (brand.__pulumiRunError === true) return e.message;
  if (brand.__pulumResourceError === true && brand.hideStack === true) return e.message;
  return e.stack ?? e.message;
}

/**
 * A failed stack, each error once: the resources that failed to register with their error, what was
 * still waiting, or the program's own error with the frames that point at its line.
 */
function describeFailure(stack: string, err: ProgramError): string {
  // An error the SDK reported for a failed registration: printed with it, once.
  const reports = (f: ProgramError["failed"][number], e: unknown) =>
    e instanceof Error && f.error.includes(e.message);
  const lines: string[] = [];
  for (const f of err.failed) {
    const cause = err.errors.find((e) => reports(f, e));
    lines.push(`resource ${f.type} "${printable(f.name)}" failed to register: ${f.error}${frames(cause)}`);
  }
  for (const e of err.errors) if (!err.failed.some((f) => reports(f, e))) lines.push(shown(e));
  if (err.timedOut) lines.push(`the program did not finish in time (--timeout)`);
  if (err.pending.length > 0) {
    const waiting = err.pending.slice(0, 20).map((p) => `  ${p.type} "${printable(p.name)}"`);
    if (err.pending.length > 20) waiting.push(`  ... and ${err.pending.length - 20} more`);
    lines.push(
      `${err.pending.length} resource${err.pending.length === 1 ? " was" : "s were"} still waiting for inputs ` +
        `that never resolved:\n${waiting.join("\n")}`,
    );
  }
  return `stack ${stack}: the program failed:\n${lines.join("\n")}`;
}

/** The stack files of `req.stacksDir` the plan does not run (a `--stack` subset), sorted. */
function omitted(req: PlanRequest, runs: readonly StackRun[]): string[] {
  const ran = new Set(runs.map((r) => r.name));
  return listStacks(req.stacksDir)
    .map((f) => f.name)
    .filter((n) => !ran.has(n))
    .sort();
}

/** Plans every requested stack. Throws {@link PlanInputError} when the input cannot be used. */
export async function plan(req: PlanRequest): Promise<PlanReport> {
  const progress = req.progress ?? (() => undefined);
  // An empty path stays empty (path.resolve would turn it into the working folder): the loader refuses it.
  const platformFile = req.platformFile === "" ? "" : path.resolve(req.platformFile);
  const platform = loadPlatformOrFail(platformFile);
  let project: ProgramProject | undefined;
  let entry: string;
  try {
    project = req.program !== undefined ? readProject(req.program) : undefined;
    entry = project?.entry ?? resolveEntry(path.resolve(req.defaultProgram));
  } catch (err) {
    if (err instanceof ProgramEntryError) throw new PlanInputError(err.message);
    throw err;
  }
  const projectName = project?.name ?? PROJECT;
  const runs = resolveStacks(req, platform, project);
  const flags = Object.fromEntries(
    Object.entries(req.config ?? {}).map(([k, v]) => [k.includes(":") ? k : `${projectName}:${k}`, v]),
  );
  // The packs judge every stack against the definition, as `npm run policy-config` writes it. They load
  // in their worker while the first program runs.
  const dirs = req.policiesDir === null ? [] : packDirs(req.policiesDir);
  const policyConfig = req.policyConfig ?? packConfigFor(platform);
  let packsReadyAt = 0;
  let loadFailed = false;
  const loading = loadPacks(dirs, policyConfig).then(
    (packs) => {
      packsReadyAt = process.uptime() * 1000;
      progress(
        packs.length === 0
          ? `--no-policies: no policy pack evaluated, reporting resources only (no governance verdict)`
          : `policy packs: ${packs.map((p) => `${p.info.name}@${p.info.version} (${p.info.policies.length} policies)`).join(", ")}`,
      );
      return packs;
    },
    (err) => {
      loadFailed = true;
      throw err;
    },
  );
  loading.catch(() => undefined);
  const queue = new PackQueue(loading);
  const stacks: StackReport[] = [];
  const judging: Promise<void>[] = [];
  // A program run in its own folder changes the process's working folder, which the pack worker's
  // loader reads while it loads the packs: those programs wait for the packs.
  if (project) await loading.catch(() => undefined);
  const startup = process.uptime() * 1000;
  let programs = 0;
  try {
    let index = 0;
    for (const run of runs) {
      // A pack that failed to load ends the plan before the next program.
      if (loadFailed) await loading;
      const started = Date.now();
      const position = `[${++index}/${runs.length}]`;
      // Resources stream to the packs while the program runs (the CLI analyses each as it registers).
      const evaluation = queue.begin();
      let batch: RecordedResource[] = [];
      const flush = () => {
        evaluation.add(batch);
        batch = [];
      };
      let result;
      try {
        result = await runProgram(loadProgram(entry), {
          project: projectName,
          stack: run.name,
          preview: true,
          config: {
            ...(project?.config ?? {}),
            ...run.config,
            ...flags,
            [`${PROJECT}:platform`]: platformFile,
            [`${PROJECT}:date`]: req.date,
          },
          secretKeys: [...(project?.secretKeys ?? []), ...(run.secretKeys ?? [])],
          ...(project ? { cwd: project.cwd } : {}),
          ...(project?.sdk ? { extraLogModules: [project.sdk.log] } : {}),
          ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
          onResource: (r) => {
            batch.push(r);
            if (batch.length >= STREAM_BATCH) flush();
          },
        });
        flush();
      } catch (err) {
        // A pack that failed to load is the plan's first error, as when the packs loaded first.
        await loading;
        if (err instanceof ProgramEntryError) throw new PlanInputError(err.message);
        if (err instanceof ProgramError) throw new PlanInputError(describeFailure(run.name, err));
        throw err;
      }
      const ran = Date.now() - started;
      programs += ran;
      const { resources, outputs, logs, withUnknowns } = result;
      refuseDuplicateUrns(run.name, resources);
      const notices = [
        ...(index === 1 ? (run.undeployed ?? []) : []),
        ...(run.environments ?? []).map(
          (e) =>
            `ESC environment ${e} (imported by the stack file): its values cannot be opened offline; ` +
            `config it provides is missing from this plan unless given with --config key=value`,
        ),
        ...(run.secretKeys ?? []).map(
          (k) => `config ${k} is a secret (secure:): planned as a secret of unknown value`,
        ),
        ...result.notices,
        ...(dirs.length === 0
          ? ["--no-policies: no policy pack evaluated; this plan gives no governance verdict"]
          : []),
        ...(resources.every((r) => r.type === "pulumi:pulumi:Stack")
          ? [
              "the program registered no resource besides the root stack: check that it declares " +
                "resources (a module exporting a function must be the program's export, not call it later)",
            ]
          : []),
      ];
      // The report is made now, its violations when the packs are done: the program's records (their
      // state and dependencies) are the packs' alone from here on, and go with the packs' copy.
      const report: StackReport = {
        stack: run.name,
        account: run.account?.id ?? null,
        role: run.account?.role ?? null,
        region: run.account?.region ?? null,
        resources: resources.map((r) => toPlanned(r, withUnknowns)),
        outputs,
        violations: [],
        notices: [...notices, ...logs.filter((l) => l.severity !== "error").map((l) => l.message)],
      };
      stacks.push(report);
      const count = resources.length;
      judging.push(
        evaluation.finish(resources).then((violations) => {
          report.violations.push(...violations);
          const mandatory = violations.filter((v) => v.level === "mandatory").length;
          progress(
            `${position} ${run.name}: ${count} resources, ${mandatory} mandatory and ` +
              `${violations.length - mandatory} advisory violations (program ${ran} ms, ` +
              `policies done ${Date.now() - started - ran} ms later)`,
          );
        }),
      );
    }
    // Who reads what, from the grants of every stack planned; checked against the definition when the
    // plan runs the account programs with governance (the plan's own pack: no single stack sees it all).
    // Both read the resources only: they run while the packs finish judging the last stacks.
    const ranAll = process.uptime() * 1000;
    const effective = effectiveAccess(platform, stacks);
    const judged = !req.program && dirs.length > 0;
    const findings = judged ? checkAccess(platform, req.date, effective, stacks) : [];
    const accessed = process.uptime() * 1000;
    await Promise.all(judging);
    const packs = await loading;
    const judgedAll = process.uptime() * 1000;
    if (judged) {
      for (const f of findings) stacks.find((s) => s.stack === f.stack)!.violations.push(f.violation);
      progress(
        `${PLAN_PACK}: planned grants against the definition, ${findings.length} mandatory violation${findings.length === 1 ? "" : "s"}`,
      );
    }
    progress(
      `plan: start-up ${seconds(startup)}` +
        (dirs.length > 0 ? ` (policy packs ready at ${seconds(packsReadyAt)})` : "") +
        `, programs ${seconds(programs)}, effective access ${seconds(accessed - ranAll)}, ` +
        `policies done ${seconds(Math.max(0, judgedAll - accessed))} after that`,
    );
    const omittedStacks = req.program ? [] : omitted(req, runs);
    const all = stacks.flatMap((s) => s.violations);
    return {
      platform: platform.name,
      date: req.date,
      access: {
        platform: platform.name,
        date: req.date,
        partial: omittedStacks.length > 0,
        omittedStacks,
        grants: effective.grants,
        bypass: effective.bypass,
        changes: [],
      },
      packs: [
        ...packs.map((p) => ({
          name: p.info.name,
          version: p.info.version,
          policies: p.info.policies.length,
          rules: p.info.policies.map((policy) => ({
            name: policy.name,
            description: policy.description,
            level: p.config[policy.name]?.enforcementLevel ?? policy.enforcementLevel,
            ...(policy.severity ? { severity: policy.severity } : {}),
            ...(policy.remediationSteps ? { remediation: policy.remediationSteps } : {}),
          })),
        })),
        ...(judged ? [PLAN_PACK_REPORT] : []),
      ],
      stacks,
      summary: {
        stacks: stacks.length,
        resources: stacks.reduce((n, s) => n + s.resources.length, 0),
        mandatory: all.filter((v) => v.level === "mandatory").length,
        advisory: all.filter((v) => v.level === "advisory").length,
      },
    };
  } finally {
    await Promise.allSettled(judging);
    const loaded = await loading.catch(() => [] as LoadedPack[]);
    await Promise.all(loaded.map((p) => p.close()));
  }
}
