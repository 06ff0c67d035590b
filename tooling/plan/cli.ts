/**
 * `npm run plan`: the offline plan (CONTRACTS §3).
 *
 *   npm run plan -- [--platform <file>] [--stack <name>]... [--program <file|folder>] [--date YYYY-MM-DD]
 *                   [--format table|json|sarif|mermaid] [--out <file>] [--stacks-dir <dir>]
 *                   [--policies <dir>]
 *
 * Formats: `table` (default) for people — per account its resources by type, violations grouped by
 * policy with each resource's fix, notices, and a summary; `json` the CONTRACTS §3 object; `sarif` a
 * SARIF 2.1.0 log, one run per policy pack (plan/sarif.ts); `mermaid` a flowchart of accounts, datasets,
 * ingestion, shares and analytics (plan/mermaid.ts). Every format goes to stdout, or to --out.
 *
 * Progress goes to stderr (a line per stack). Exit 0: no mandatory violation; 1: at least one; 2: the
 * input could not be used (the reason on stderr).
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError, Option } from "commander";
import { isRealDate, loadPlatform } from "../../platform";
import { plan, PlanInputError, PlanReport } from "./engine";
import { renderMermaid } from "./render/mermaid";
import { resolveEntry } from "./program";
import { renderJson, renderTable } from "./render/report";
import { renderSarif } from "./render/sarif";

const ROOT = path.resolve(__dirname, "..", "..");

/** Exit statuses of the plan. */
export const EXIT = { ok: 0, mandatory: 1, input: 2 } as const;

function isoDate(value: string): string {
  if (!isRealDate(value)) {
    throw new PlanInputError(`--date ${value}: expected a real calendar date as YYYY-MM-DD, e.g. 2026-11-24`);
  }
  return value;
}

/** Today (UTC), as the account program's default "today" is. */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The report formats. */
export type Format = "table" | "json" | "sarif" | "mermaid";

/** Renders the report in `format`; `platformFile` and `program` are what was planned. */
export function render(
  report: PlanReport,
  format: Format,
  planned: { platformFile: string; program: string },
): string {
  switch (format) {
    case "json":
      return renderJson(report);
    case "sarif":
      return renderSarif(report, { root: ROOT, programFile: resolveEntry(planned.program) });
    case "mermaid":
      // The plan validated the definition already: this reads it from the loader's cache.
      return renderMermaid(report, loadPlatform(path.resolve(planned.platformFile)));
    case "table":
      return renderTable(report);
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
        .choices(["table", "json", "sarif", "mermaid"])
        .default("table"),
    )
    .option("--out <file>", "write the report to this file instead of stdout")
    .option("--stacks-dir <dir>", "folder of Pulumi.<stack>.yaml files", path.join(ROOT, "stacks"))
    .option("--policies <dir>", "folder of policy packs", path.join(ROOT, "policies"))
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
    stacksDir: string;
    policies: string;
  }>();
  try {
    if (opts.out && !fs.existsSync(path.dirname(path.resolve(opts.out)))) {
      throw new PlanInputError(
        `--out ${opts.out}: the folder ${path.dirname(path.resolve(opts.out))} does not exist`,
      );
    }
    const report = await plan({
      platformFile: opts.platform,
      stacksDir: opts.stacksDir,
      stacks: opts.stack,
      program: opts.program,
      defaultProgram: path.join(ROOT, "infra"),
      date: opts.date ? isoDate(opts.date) : today(),
      policiesDir: opts.policies,
      progress: (line) => io.stderr(`${line}\n`),
    });
    const text = render(report, opts.format, {
      platformFile: opts.platform,
      program: opts.program ?? path.join(ROOT, "infra"),
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
    if (err instanceof PlanInputError) {
      io.stderr(`plan: ${err.message}\n`);
      return EXIT.input;
    }
    io.stderr(`plan: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.input;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`plan: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = EXIT.input;
    },
  );
}
