/**
 * `npm run deploy` (CONTRACTS §5): the preflight, then every stack of the definition in the waves of the
 * documented order (docs/sharing.md, "Order of `pulumi up`"), with both policy packs.
 *
 *   npm run deploy -- [--platform <file>] [--stack <name>]... [--preview] [--concurrency <n>]
 *                     [--from <stack>] [--dry-run] [--base <old platform file>]
 *
 * `--concurrency` defaults to 4 stacks of a wave side by side. `--base` (with `--dry-run`) names the
 * definition deployed now, so the dry run shows removed teams and accounts as the real run would find
 * them in the stacks' outputs. Exit 0 done; 1 a stack failed or the preflight found something missing;
 * 2 could not run (bad flags, unknown stack, invalid definition, no Pulumi CLI on PATH), the reason on
 * stderr without a stack trace.
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { loadPlatform, PlatformDefinitionError } from "../../platform";
import type { Platform } from "../../platform";
import { listStacks, StackFileError } from "../plan/stacks";
import { runPreflight } from "./preflight";
import { automationEngine, deploy, DeployError, EXIT, PreflightFn, StackEngine } from "./deploy";
import { runCliEntry } from "./cli-entry";

const ROOT = path.resolve(__dirname, "..", "..");

/** Stacks of a wave run side by side, at most, unless `--concurrency` says otherwise. */
export const DEFAULT_CONCURRENCY = 4;

/** What the CLI runs against; tests replace the preflight (and may replace the engine). */
export interface DeployCliDeps {
  readonly preflight: PreflightFn;
  readonly engine: (root: string) => Promise<StackEngine>;
  /** The repository root: Pulumi's work dir, where `stacks/` is. */
  readonly root: string;
  /** Bundles the validator's handler before the lake's wave. @default `writeValidatorArtefact` */
  readonly buildValidator?: () => string;
}

/** The real preflight (tooling/deploy/preflight), with the caller's credentials and AWS's endpoints. */
const realPreflight: PreflightFn = (options) => runPreflight(options);

const DEFAULT_DEPS: DeployCliDeps = { preflight: realPreflight, engine: automationEngine, root: ROOT };

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError("must be a whole number of stacks, 1 or more");
  return Number(value);
}

/** Runs the CLI with `argv` (without node and script); returns the exit status. */
export async function main(
  argv: string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
  deps: DeployCliDeps = DEFAULT_DEPS,
): Promise<number> {
  const cli = new Command("deploy")
    .description(
      "Run the preflight, then pulumi up on every stack in the documented order, with both policy packs",
    )
    .option("--platform <file>", "platform definition", path.join(deps.root, "stacks/platform.yaml"))
    .option(
      "--stack <name>",
      "deploy only this stack (repeatable; the waves keep their order)",
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option("--preview", "pulumi preview instead of pulumi up", false)
    .option("--concurrency <n>", "stacks of a wave side by side", positiveInt, DEFAULT_CONCURRENCY)
    .option(
      "--from <stack>",
      "resume at this stack's first occurrence in the waves (everything before is skipped)",
    )
    .option(
      "--dry-run",
      "print the waves and each stack's operation; run nothing (no preflight, no Pulumi)",
      false,
    )
    .option("--base <file>", "with --dry-run: the definition deployed now (shows removed teams and accounts)")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    cli.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.done : EXIT.couldNot;
    throw err;
  }
  const opts = cli.opts<{
    platform: string;
    stack: string[];
    preview: boolean;
    concurrency: number;
    from?: string;
    dryRun: boolean;
    base?: string;
  }>();
  const fail = (message: string) => {
    io.stderr(`deploy: ${message}\n`);
    return EXIT.couldNot;
  };
  if (opts.base !== undefined && !opts.dryRun)
    return fail("--base is for --dry-run: a real run reads what is deployed from the stacks' outputs");
  const read = (flag: string, file: string): Platform => {
    if (!fs.existsSync(path.resolve(file))) throw new DeployError(`${flag} ${file}: no such file`);
    return loadPlatform(path.resolve(file));
  };
  try {
    const platform = read("--platform", opts.platform);
    const base = opts.base === undefined ? undefined : read("--base", opts.base);
    return await deploy({
      platform,
      platformFile: path.resolve(opts.platform),
      stackFiles: listStacks(path.join(deps.root, "stacks")),
      root: deps.root,
      stacks: opts.stack,
      from: opts.from,
      preview: opts.preview,
      concurrency: opts.concurrency,
      dryRun: opts.dryRun,
      base,
      preflight: deps.preflight,
      engine: () => deps.engine(deps.root),
      io,
      ...(deps.buildValidator ? { buildValidator: deps.buildValidator } : {}),
    });
  } catch (err) {
    if (err instanceof DeployError || err instanceof PlatformDefinitionError || err instanceof StackFileError)
      return fail(err.message);
    return fail(`internal error: ${(err as Error).stack ?? String(err)}`);
  }
}

if (require.main === module) runCliEntry("deploy", (argv) => main(argv), EXIT.couldNot);
