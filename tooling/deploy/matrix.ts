/**
 * The deployment waves as GitHub Actions job matrices, for `.github/workflows/lakehouse.yml`:
 *
 *   node -r tsx/cjs tooling/deploy/matrix.ts [--platform <file>] [--stacks-dir <dir>] [--github-output <file>]
 *
 * Prints one JSON object, `{ preview, producers, consumers, lake, "consumers-again" }`, each a matrix
 * `{ "include": [{ stack, account, accountId, region, deploymentRoleArn }] }` for `strategy.matrix:
 * ${{ fromJSON(...) }}`. With `--github-output "$GITHUB_OUTPUT"` it also appends, per wave, `<wave>=<matrix>`
 * and `<wave>-count=<stacks>` lines to that file: the workflow's matrix job exposes them as job outputs.
 * A matrix built from an expression takes the JSON object `fromJSON` returns
 * (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/running-variations-of-jobs-in-a-workflow),
 * and a step sets outputs by appending `name=value` lines to the file `GITHUB_OUTPUT` names
 * (https://docs.github.com/actions/using-jobs/defining-outputs-for-jobs).
 *
 * The order is tooling/deploy/waves.ts's (`planWaves`, docs/sharing.md "Order of `pulumi up`"): 1.
 * producers (the ingestion roles the lake lets in); 2. consumers (the roles the lake grants to, their
 * resource links); 3. the lake (storage, catalog, grants); 4. the consumers again whose teams read
 * anything (a link and a Redshift external schema need the lake's databases and grants). CI plans it as a
 * first deployment: it does not read the deployed stacks' `teams` outputs, so a removed team's consumer
 * stack is not held back until the lake has revoked its grants (`npm run deploy` does that). `preview`
 * is every stack once, in that order, for pull requests.
 *
 * Exit 0 when printed; 2 when it cannot be (the reason on stderr): an invalid definition, a stack file
 * that cannot be read, a stack naming no account of the definition, two stacks for one account, or an
 * account without `deploymentRoleArn` (CI assumes that role through OIDC).
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError } from "commander";
import { loadPlatform, PlatformDefinitionError, printable } from "../../platform";
import type { Platform } from "../../platform";
import { listStacks, StackFile, StackFileError } from "../plan/stacks";
import { planWaves } from "./waves";
import type { Wave } from "./waves";

const ROOT = path.resolve(__dirname, "..", "..");

/** The stack config key that names a stack's account. */
export const ACCOUNT_KEY = "lakehouse:account";

/** The deployment waves' job names, in the order they run. */
export const WAVES = ["producers", "consumers", "lake", "consumers-again"] as const;
/** One deployment wave's job name. */
export type WaveName = (typeof WAVES)[number];

/** One stack of a matrix: what a job needs to assume the account's role and run Pulumi on it. */
export interface MatrixEntry {
  /** The Pulumi stack (`stacks/Pulumi.<stack>.yaml`). */
  readonly stack: string;
  /** The account's name in the definition. */
  readonly account: string;
  /** Its 12-digit id (for `allowed-account-ids`). */
  readonly accountId: string;
  /** Its region (for `aws-region`). */
  readonly region: string;
  /** The role the job assumes through OIDC: the account's `deploymentRoleArn`. */
  readonly deploymentRoleArn: string;
}

/** A GitHub Actions matrix that lists its combinations. */
export interface Matrix {
  readonly include: MatrixEntry[];
}

/** Every matrix the workflow reads: the pull-request previews and the four waves. */
export type DeploymentMatrices = { readonly preview: Matrix } & { readonly [W in WaveName]: Matrix };

/** The definition and stack files cannot make a matrix: exit status 2. */
export class MatrixInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MatrixInputError";
  }
}

/** The workflow's job (and output) name of each of waves.ts's waves. */
const WAVE_NAME: Record<Wave["wave"], WaveName> = {
  1: "producers",
  2: "consumers",
  3: "lake",
  4: "consumers-again",
};

/**
 * The matrices for a definition and its stack files: the stacks in waves.ts's waves ({@link planWaves},
 * a first deployment's order: CI does not read the deployed stacks' outputs, so it knows no removed
 * team), in definition order within a wave; accounts without a stack file are left out. Throws
 * {@link MatrixInputError}.
 */
export function deploymentMatrices(p: Platform, stacks: readonly StackFile[]): DeploymentMatrices {
  const entries = new Map<string, MatrixEntry>();
  for (const s of [...stacks].sort((a, b) => a.name.localeCompare(b.name))) {
    const name = s.config[ACCOUNT_KEY];
    if (name === undefined) {
      throw new MatrixInputError(
        `${s.file}: no ${ACCOUNT_KEY} config; name the stack's account, e.g. ${ACCOUNT_KEY}: ${s.name}`,
      );
    }
    const account = p.accounts.find((a) => a.name === name);
    if (!account) {
      throw new MatrixInputError(
        `${s.file}: ${ACCOUNT_KEY} ${printable(name)} is no account of the definition (accounts: ${p.accounts.map((a) => a.name).join(", ")})`,
      );
    }
    const other = entries.get(account.name);
    if (other !== undefined) {
      throw new MatrixInputError(
        `stacks ${other.stack} and ${s.name} both deploy account ${account.name}: keep one stack file per account`,
      );
    }
    if (account.deploymentRoleArn === undefined) {
      throw new MatrixInputError(
        `account ${account.name} has no deploymentRoleArn: CI assumes each account's deployment role through OIDC; add deploymentRoleArn: arn:aws:iam::${account.id}:role/<name> to it in the definition`,
      );
    }
    entries.set(account.name, {
      stack: s.name,
      account: account.name,
      accountId: account.id,
      region: account.region,
      deploymentRoleArn: account.deploymentRoleArn,
    });
  }
  const waves: Record<WaveName, MatrixEntry[]> = {
    producers: [],
    consumers: [],
    lake: [],
    "consumers-again": [],
  };
  const plan = planWaves(p, { consumerTeams: {} }, (a) => entries.get(a)?.stack ?? a);
  for (const w of plan.waves) {
    for (const step of w.steps) {
      const entry = entries.get(step.account);
      if (entry !== undefined && step.operation === "up") waves[WAVE_NAME[w.wave]].push(entry);
    }
  }
  return {
    preview: { include: [...waves.producers, ...waves.consumers, ...waves.lake] },
    producers: { include: waves.producers },
    consumers: { include: waves.consumers },
    lake: { include: waves.lake },
    "consumers-again": { include: waves["consumers-again"] },
  };
}

/** The `GITHUB_OUTPUT` lines: `<name>=<compact matrix>` and `<name>-count=<stacks>` per matrix. */
export function githubOutputLines(m: DeploymentMatrices): string {
  return (["preview", ...WAVES] as const)
    .map((name) => `${name}=${JSON.stringify(m[name])}\n${name}-count=${m[name].include.length}\n`)
    .join("");
}

/** Runs the CLI with `argv` (without node and script); returns the exit status. */
export function main(
  argv: string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
): number {
  const cli = new Command("matrix")
    .description("Print the deployment waves as GitHub Actions matrices (JSON) for the CI workflow")
    .option("--platform <file>", "platform definition", path.join(ROOT, "stacks/platform.yaml"))
    .option("--stacks-dir <dir>", "folder of Pulumi.<stack>.yaml files", path.join(ROOT, "stacks"))
    .option("--github-output <file>", "also append <wave>=<matrix> and <wave>-count=<n> lines to this file")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    cli.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const opts = cli.opts<{ platform: string; stacksDir: string; githubOutput?: string }>();
  try {
    const platform = loadPlatform(opts.platform);
    const stacks = listStacks(opts.stacksDir);
    if (stacks.length === 0) {
      throw new MatrixInputError(`--stacks-dir ${printable(opts.stacksDir)}: no Pulumi.<stack>.yaml files`);
    }
    const matrices = deploymentMatrices(platform, stacks);
    const withStack = new Set(stacks.map((s) => s.config[ACCOUNT_KEY]));
    for (const a of platform.accounts.filter((a) => !withStack.has(a.name))) {
      io.stderr(`matrix: account ${a.name} has no stack file in ${opts.stacksDir}: CI does not deploy it\n`);
    }
    if (opts.githubOutput !== undefined) {
      try {
        fs.appendFileSync(opts.githubOutput, githubOutputLines(matrices));
      } catch (err) {
        throw new MatrixInputError(
          `--github-output ${printable(opts.githubOutput)}: cannot append to it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        );
      }
    }
    io.stdout(`${JSON.stringify(matrices, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (
      err instanceof MatrixInputError ||
      err instanceof PlatformDefinitionError ||
      err instanceof StackFileError
    ) {
      io.stderr(`matrix: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
