/**
 * `npm run plan`: the offline plan (CONTRACTS §3).
 *
 *   npm run plan -- [--platform <file>] [--stack <name>]... [--program <file|folder>] [--date YYYY-MM-DD]
 *                   [--format table|json|sarif|mermaid|access|access-markdown] [--out <file>]
 *                   [--base <platform file>] [--stacks-dir <dir>] [--policies <dir> | --no-policies]
 *                   [-c, --config <key=value>]... [--timeout <seconds>]
 *
 * Formats: `table` (default) for people — per account its resources by type, violations grouped by
 * policy with each resource's fix, notices, and a summary; `json` the CONTRACTS §3 object; `sarif` a
 * SARIF 2.1.0 log, one run per policy pack (plan/sarif.ts); `mermaid` a flowchart of accounts, datasets,
 * ingestion, shares and analytics (render/diagram/ builds the graph, render/mermaid.ts prints it);
 * `access` the effective access computed from the planned grants (plan/access/), with `--base <platform
 * file>` also what the change grants or revokes, and `access-markdown` the same as Markdown for a pull
 * request (render/access-markdown.ts). Every format goes to stdout, or to --out.
 *
 * Progress goes to stderr (a line per stack). Exit 0: no mandatory violation; 1: at least one; 2: the
 * input could not be used (the reason on stderr): among others a --policies folder that does not exist
 * or holds no pack (only --no-policies plans without packs), an --out that names an input, duplicate
 * URNs, two stack files for one account.
 */
// First: it defers modules `@pulumi/pulumi` would load at once (start-up; see the file).
import "../mock-runtime/lazy-sdk-modules";
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError, Option } from "commander";
import { isRealDate, loadPlatform } from "../../platform";
import { plan, PlanInputError, PlanReport } from "./engine";
import { renderMermaid } from "./render/mermaid";
import { ProgramEntryError, resolveEntry } from "./program";
import { discoverPacks } from "../policy-eval/packs";
import { printable } from "../../platform/read";
import { renderJson, renderTable } from "./render/report";
import { renderSarif } from "./render/sarif";
import { renderAccessMarkdown } from "./render/access-markdown";
import { AccessReport, accessChanges, renderAccessJson } from "./access/report";

const ROOT = path.resolve(__dirname, "..", "..");

/** Exit statuses of the plan. */
export const EXIT = { ok: 0, mandatory: 1, input: 2 } as const;

function isoDate(value: string): string {
  if (!isRealDate(value)) {
    throw new PlanInputError(
      `--date ${printable(value, 40)}: expected a real calendar date as YYYY-MM-DD, e.g. 2026-11-24`,
    );
  }
  return value;
}

/** How long a stack's program may run before the plan gives up on it (`--timeout`). */
export const DEFAULT_TIMEOUT_SECONDS = 300;

function timeoutMs(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) {
    throw new PlanInputError(
      `--timeout ${printable(value, 40)}: expected a number of seconds above 0, e.g. --timeout 120`,
    );
  }
  return Math.round(Number(value) * 1000);
}

/** `--config key=value` flags as a map; the value may hold `=`, the key may not be empty. */
function configFlags(values: readonly string[]): Record<string, string> {
  const config: Record<string, string> = {};
  for (const v of values) {
    const at = v.indexOf("=");
    if (at <= 0) {
      throw new PlanInputError(
        `--config ${printable(v, 80)}: expected key=value, e.g. --config bucketName=my-site or -c aws:region=eu-west-1`,
      );
    }
    config[v.slice(0, at)] = v.slice(at + 1);
  }
  return config;
}

/** Today (UTC), as the account program's default "today" is. */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The report formats. */
export type Format = "table" | "json" | "sarif" | "mermaid" | "access" | "access-markdown";

/** The formats that report effective access (and take `--base`). */
const ACCESS_FORMATS: readonly Format[] = ["access", "access-markdown"];

/** Renders the report in `format`; `platformFile` and `program` are what was planned. */
export function render(
  report: PlanReport,
  format: Format,
  planned: { platformFile: string; program: string; ownProgram?: boolean; access?: AccessReport },
): string {
  const access = planned.access ?? report.access;
  switch (format) {
    case "access":
      return renderAccessJson(access!);
    case "access-markdown":
      return renderAccessMarkdown(access!, loadPlatform(path.resolve(planned.platformFile)));
    case "json":
      return renderJson(report);
    case "sarif":
      return renderSarif(report, { root: ROOT, programFile: resolveEntry(planned.program) });
    case "mermaid":
      // The plan validated the definition already: this reads it from the loader's cache.
      return renderMermaid(report, loadPlatform(path.resolve(planned.platformFile)));
    case "table":
      // Under --program the plan has no team of the definition to speak for.
      return renderTable(
        report,
        planned.program === path.join(ROOT, "infra")
          ? loadPlatform(path.resolve(planned.platformFile))
          : undefined,
      );
  }
}

/** The real path of `file`, or of its folder joined with its name when it does not exist yet. */
function realTarget(file: string): string {
  const full = path.resolve(file);
  try {
    return fs.realpathSync(full);
  } catch {
    try {
      return path.join(fs.realpathSync(path.dirname(full)), path.basename(full));
    } catch {
      return full;
    }
  }
}

function inside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * Refuses an --out that would overwrite what the plan reads: the platform file, the base definition, a
 * stack file, the program's entry or any file of a program folder, or anything inside a policy pack.
 */
function refuseOutputOverInput(
  out: string,
  inputs: {
    platformFile: string;
    base?: string;
    program: string;
    stacksDir: string;
    policiesDir: string | null;
  },
): void {
  if (out === "") throw new PlanInputError("--out: the path is empty; name the report file");
  const folder = path.dirname(path.resolve(out));
  if (!fs.existsSync(folder)) {
    throw new PlanInputError(`--out ${printable(out)}: the folder ${printable(folder)} does not exist`);
  }
  const target = realTarget(out);
  const fix = "write the report somewhere else, e.g. --out plan-report.json in the working folder";
  const refuse = (what: string) => {
    throw new PlanInputError(`--out ${printable(out)} is ${what}, an input of this plan: ${fix}`);
  };
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) refuse("a folder");
  if (target === realTarget(inputs.platformFile)) refuse("the platform definition (--platform)");
  if (inputs.base !== undefined && target === realTarget(inputs.base)) refuse("the base definition (--base)");
  if (
    path.dirname(target) === realTarget(inputs.stacksDir) &&
    /^Pulumi\..+\.ya?ml$/.test(path.basename(target))
  )
    refuse("a stack file (--stacks-dir)");
  const program = realTarget(inputs.program);
  const programIsFolder = fs.existsSync(program) && fs.statSync(program).isDirectory();
  if (programIsFolder ? inside(target, program) : target === program)
    refuse("part of the program (--program)");
  if (!programIsFolder) {
    try {
      const entry = realTarget(resolveEntry(inputs.program));
      if (target === entry) refuse("the program's entry (--program)");
      // The program's own folder: its modules are loaded with it; a new file there is not an input.
      if (path.dirname(target) === path.dirname(entry) && fs.existsSync(target))
        refuse("a file of the program's folder");
    } catch (err) {
      if (!(err instanceof ProgramEntryError)) throw err;
    }
  }
  if (inputs.policiesDir !== null && fs.existsSync(inputs.policiesDir)) {
    for (const pack of discoverPacks(inputs.policiesDir)) {
      if (inside(target, realTarget(pack))) refuse(`inside the policy pack ${pack} (--policies)`);
    }
  }
}

/** Runs the CLI with `argv` (without node and script); returns the exit status. */
export async function main(
  argv: string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
): Promise<number> {
  const cli = new Command("plan")
    .description("Plan every account's stack offline under Pulumi mocks and evaluate the policy packs")
    .option("--platform <file>", "platform definition", path.join(ROOT, "stacks/platform.yaml"))
    .option(
      "--stack <name>",
      "plan only this stack (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option("--program <path>", "a Pulumi TypeScript program (file or folder) to plan instead of infra/")
    .option("--date <YYYY-MM-DD>", "the day expiry decisions are made for (default: today)")
    .addOption(
      new Option("--format <format>", "report format")
        .choices(["table", "json", "sarif", "mermaid", "access", "access-markdown"])
        .default("table"),
    )
    .option("--out <file>", "write the report to this file instead of stdout")
    .option(
      "--base <file>",
      "with --format access or access-markdown: the platform definition before the change, to list what it grants or revokes",
    )
    .option("--stacks-dir <dir>", "folder of Pulumi.<stack>.yaml files", path.join(ROOT, "stacks"))
    .option("--policies <dir>", "folder of policy packs (must hold one)", path.join(ROOT, "policies"))
    .option("--no-policies", "plan without policy packs (the report says so)")
    .option(
      "-c, --config <key=value>",
      "set a config value for every stack planned, as pulumi preview -c does (repeatable; a key without a namespace is the project's)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option(
      "--timeout <seconds>",
      "a stack whose program has not finished after this many seconds fails, naming what was pending",
      String(DEFAULT_TIMEOUT_SECONDS),
    )
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    cli.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.input;
    throw err;
  }
  const opts = cli.opts<{
    platform: string;
    stack: string[];
    program?: string;
    date?: string;
    format: Format;
    out?: string;
    base?: string;
    stacksDir: string;
    policies: string | false;
    config: string[];
    timeout: string;
  }>();
  const policyFlags = argv.filter(
    (a) => a === "--no-policies" || a === "--policies" || a.startsWith("--policies="),
  );
  if (policyFlags.includes("--no-policies") && policyFlags.length > 1) {
    io.stderr("plan: --policies and --no-policies contradict each other: pass one of them\n");
    return EXIT.input;
  }
  try {
    if (opts.out !== undefined) {
      refuseOutputOverInput(opts.out, {
        platformFile: opts.platform,
        ...(opts.base !== undefined ? { base: opts.base } : {}),
        program: opts.program ?? path.join(ROOT, "infra"),
        stacksDir: opts.stacksDir,
        policiesDir: opts.policies === false ? null : opts.policies,
      });
    }
    if (opts.base !== undefined && !ACCESS_FORMATS.includes(opts.format))
      throw new PlanInputError(
        `--base ${printable(opts.base)}: a base is compared in the access formats only; add --format access or --format access-markdown`,
      );
    const request = {
      config: configFlags(opts.config),
      timeoutMs: timeoutMs(opts.timeout),
      platformFile: opts.platform,
      stacksDir: opts.stacksDir,
      stacks: opts.stack,
      program: opts.program,
      defaultProgram: path.join(ROOT, "infra"),
      date: opts.date ? isoDate(opts.date) : today(),
      policiesDir: opts.policies === false ? null : opts.policies,
      progress: (line: string) => io.stderr(`${line}\n`),
    };
    const report = await plan(request);
    let access = report.access;
    if (opts.base !== undefined) {
      // The base plans the same stacks on the same day, without packs: only its grants are compared.
      let base: PlanReport;
      try {
        base = await plan({
          ...request,
          platformFile: opts.base,
          policiesDir: null,
          progress: (line) => io.stderr(`base: ${line}\n`),
        });
      } catch (err) {
        if (err instanceof PlanInputError)
          throw new PlanInputError(`--base ${printable(opts.base)}: ${err.message}`);
        throw err;
      }
      access = {
        ...access!,
        base: opts.base,
        changes: accessChanges(base.access!.grants, access!.grants),
      };
    }
    const text = render(report, opts.format, {
      platformFile: opts.platform,
      program: opts.program ?? path.join(ROOT, "infra"),
      ownProgram: opts.program === undefined,
      ...(access ? { access } : {}),
    });
    if (opts.out) {
      try {
        fs.writeFileSync(opts.out, text);
      } catch (err) {
        throw new PlanInputError(`--out ${opts.out}: cannot write the report: ${(err as Error).message}`);
      }
    } else io.stdout(text);
    return report.summary.mandatory > 0 ? EXIT.mandatory : EXIT.ok;
  } catch (err) {
    if (err instanceof PlanInputError || err instanceof ProgramEntryError) {
      io.stderr(`plan: ${err.message}\n`);
      return EXIT.input;
    }
    io.stderr(`plan: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.input;
  }
}

if (require.main === module) {
  // stdout is the report's: what a program prints (console.log), which the Pulumi CLI shows as the
  // program's diagnostics, goes to stderr with the progress lines.
  const report = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  main(process.argv.slice(2), {
    stdout: (s) => void report(s),
    stderr: (s) => void process.stderr.write(s),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`plan: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = EXIT.input;
    },
  );
}
