/**
 * `npm run preflight`: what each account must already have for its stack, read-only (CONTRACTS §5).
 *
 *   npm run preflight -- [--platform <file>] [--stack <name>]... [--endpoint <url>] [--format table|json]
 *
 * The report goes to stdout, progress to stderr. Exit 0: nothing missing (unknowns alone pass, and the
 * report says so); 1: something missing, each with its fix; 2: it could not run (bad flags, unknown
 * stack, invalid platform, no credentials), with the reason and no stack trace.
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError, Option } from "commander";
import { loadPlatform, PlatformDefinitionError } from "../../platform";
import type { Platform } from "../../platform";
import { exitCodeOf, PREFLIGHT_EXIT, PreflightInputError, runPreflight } from "./preflight";
import { renderJson, renderTable } from "./preflight/render";
import { runCliEntry } from "./cli-entry";

const ROOT = path.resolve(__dirname, "..", "..");

/** Runs the CLI with `argv` (without node and script); returns the exit status. */
export async function main(
  argv: string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const cli = new Command("preflight")
    .description("Check, read-only, what each account must already have before its stack is deployed")
    .option("--platform <file>", "platform definition", path.join(ROOT, "stacks/platform.yaml"))
    .option(
      "--stack <name>",
      "a stack to check (repeatable; default: every account)",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option("--stacks-dir <dir>", "folder of Pulumi.<stack>.yaml files", path.join(ROOT, "stacks"))
    .option("--endpoint <url>", "send every AWS request to this endpoint (moto, LocalStack)")
    .addOption(new Option("--format <format>", "report format").choices(["table", "json"]).default("table"))
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    cli.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError)
      return err.exitCode === 0 ? PREFLIGHT_EXIT.ok : PREFLIGHT_EXIT.couldNot;
    throw err;
  }
  const opts = cli.opts<{
    platform: string;
    stack: string[];
    stacksDir: string;
    endpoint?: string;
    format: "table" | "json";
  }>();
  const fail = (message: string) => {
    io.stderr(`preflight: ${message}\n`);
    return PREFLIGHT_EXIT.couldNot;
  };
  let platform: Platform;
  try {
    if (!fs.existsSync(path.resolve(opts.platform))) return fail(`--platform ${opts.platform}: no such file`);
    platform = loadPlatform(path.resolve(opts.platform));
  } catch (err) {
    if (err instanceof PlatformDefinitionError) return fail(err.message);
    return fail((err as Error).message);
  }
  try {
    const report = await runPreflight({
      platform,
      stacks: opts.stack,
      stacksDir: path.resolve(opts.stacksDir),
      ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
      backendUrl: env.PULUMI_BACKEND_URL,
      progress: (line) => io.stderr(`preflight: ${line}\n`),
    });
    io.stdout(opts.format === "json" ? renderJson(report) : renderTable(report));
    return exitCodeOf(report);
  } catch (err) {
    if (err instanceof PreflightInputError) return fail(err.message);
    return fail(`internal error: ${(err as Error).message ?? String(err)}`);
  }
}

if (require.main === module) runCliEntry("preflight", (argv) => main(argv), PREFLIGHT_EXIT.couldNot);
