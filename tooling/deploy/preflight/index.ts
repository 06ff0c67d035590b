/**
 * `runPreflight`: read-only checks, per account of the selected stacks, of what the account must already
 * have for its stack (CONTRACTS §5). Each account is checked as the deployment would reach it: its
 * `deploymentRoleArn` assumed from the caller's credentials, or the caller's credentials themselves.
 */
import * as path from "path";
import { CORE_SCHEMA, load } from "js-yaml";
import type { Account, Platform } from "../../../platform";
import { printable } from "../../../platform";
import { readInputText } from "../../../platform/read";
import { describeError } from "../../../validator/aws";
import { listStacks, StackFile, StackFileError } from "../../plan/stacks";
import {
  AccountClients,
  assumeDeploymentRole,
  callerIdentity,
  callerSts,
  checkEndpoints,
  Credentials,
  Endpoints,
  isAccessDenied,
  roleArnOf,
  unknownBecause,
} from "./aws";
import { bucketNames } from "./buckets";
import { CheckContext, Finding, missing, ok, unknown } from "./context";
import { network } from "./network";
import { dmsServiceRoles, lakeAdmins } from "./principals";
import { secretsProvider, stateBackend } from "./pulumi";
import { kinesisQuota, lambdaConcurrency } from "./quotas";
import { quicksight, ses } from "./services";
import { lakeFormationAdmin, ramSharing } from "./sharing";
import { PreflightCheck, PreflightInputError, PreflightReport } from "./types";

export * from "./types";
export type { Credentials, Endpoints, PreflightService } from "./aws";

/** The repository's stack files, read when `stacksDir` is not given. */
export const DEFAULT_STACKS_DIR = path.resolve(__dirname, "..", "..", "..", "stacks");

/** What to check and how to reach AWS. */
export interface PreflightOptions extends Endpoints {
  /** The validated platform definition. */
  readonly platform: Platform;
  /** Stacks to check (stack file names, or account names); every account of the definition when empty. */
  readonly stacks?: readonly string[];
  /** The folder of `Pulumi.<stack>.yaml` files (stack → account, secrets provider). @default stacks/ */
  readonly stacksDir?: string;
  /** Region of the caller's own STS calls. @default the lake account's region */
  readonly region?: string;
  /** The caller's credentials. @default the SDK's provider chain (environment, profile, SSO) */
  readonly credentials?: Credentials;
  /**
   * The day the deployment decides expiry for (`lakehouse:date`), YYYY-MM-DD. No check depends on it
   * yet: every dataset's and team's resources are checked whatever their dates. @default today (UTC)
   */
  readonly date?: string;
  /** The Pulumi state backend URL. @default process.env.PULUMI_BACKEND_URL */
  readonly backendUrl?: string;
  /** Progress lines (which account is being checked). */
  readonly progress?: (line: string) => void;
}

/** One stack to check: its name, its account, its stack file's secrets provider. */
interface Target {
  readonly stack: string;
  readonly account: Account;
  readonly secretsProvider?: string;
}

/** The stack file's top-level `secretsprovider:` (readStack keeps only `config:`). */
function secretsProviderOf(file: StackFile): string | undefined {
  const doc = load(readInputText(file.file).text, { schema: CORE_SCHEMA, filename: file.file }) as {
    secretsprovider?: unknown;
  } | null;
  return typeof doc?.secretsprovider === "string" ? doc.secretsprovider : undefined;
}

/** The selected stacks, lake first, then producers, then consumers (the deployment's order). */
export function resolveTargets(p: Platform, stacks: readonly string[], stacksDir: string): Target[] {
  let files: StackFile[];
  try {
    files = listStacks(stacksDir);
  } catch (err) {
    if (err instanceof StackFileError) throw new PreflightInputError(err.message);
    throw err;
  }
  const accountOf = (f: StackFile) => f.config["lakehouse:account"];
  const target = (account: Account, file?: StackFile): Target => {
    let secrets: string | undefined;
    try {
      secrets = file ? secretsProviderOf(file) : undefined;
    } catch (err) {
      throw new PreflightInputError(`${file!.file}: ${(err as Error).message}`);
    }
    return {
      stack: file?.name ?? account.name,
      account,
      ...(secrets !== undefined ? { secretsProvider: secrets } : {}),
    };
  };
  let chosen: Target[];
  if (stacks.length === 0) {
    chosen = p.accounts.map((a) =>
      target(
        a,
        files.find((f) => accountOf(f) === a.name),
      ),
    );
  } else {
    chosen = [...new Set(stacks)].map((name) => {
      const file = files.find((f) => f.name === name);
      if (file) {
        const accountName = accountOf(file);
        const account = p.accounts.find((a) => a.name === accountName);
        if (!account)
          throw new PreflightInputError(
            `${file.file}: lakehouse:account ${accountName === undefined ? "is missing" : `"${printable(accountName)}" is not an account of the definition`} ` +
              `(accounts: ${p.accounts.map((a) => a.name).join(", ")})`,
          );
        return target(account, file);
      }
      const account = p.accounts.find((a) => a.name === name);
      if (account)
        return target(
          account,
          files.find((f) => accountOf(f) === account.name),
        );
      throw new PreflightInputError(
        `unknown stack "${printable(name)}": no ${path.join(stacksDir, `Pulumi.${name}.yaml`)} and no account of that name ` +
          `(stacks: ${[...new Set([...files.map((f) => f.name), ...p.accounts.map((a) => a.name)])].join(", ")})`,
      );
    });
  }
  const order = { lake: 0, producer: 1, consumer: 2 } as const;
  return chosen.sort((a, b) => order[a.account.role] - order[b.account.role]);
}

/** The account's checks, in the order the report lists them. */
const CHECKS: ((ctx: CheckContext) => Promise<Finding[]>)[] = [
  lakeAdmins,
  dmsServiceRoles,
  lakeFormationAdmin,
  ramSharing,
  bucketNames,
  network,
  quicksight,
  ses,
  lambdaConcurrency,
  kinesisQuota,
  secretsProvider,
];

/**
 * The account's clients as the deployment's principal: the deployment role assumed (`deployment-role`
 * ok, or missing when STS refuses it), or the caller's own credentials when the definition names no
 * role (`credentials` ok when they are the account's).
 */
async function reach(
  options: PreflightOptions,
  caller: { account: string; roleArn: string },
  callerClient: ReturnType<typeof callerSts>,
  t: Target,
): Promise<{ findings: Finding[]; clients?: AccountClients; deployer?: string }> {
  const a = t.account;
  if (!a.deploymentRoleArn) {
    if (caller.account !== a.id)
      return {
        findings: [
          missing(
            "credentials",
            `no deploymentRoleArn, and the caller's credentials (${caller.roleArn}) are for account ${caller.account}, not ${a.id}: ` +
              `set accounts[${options.platform.accounts.indexOf(a)}].deploymentRoleArn, or run with credentials of ${a.id}`,
          ),
        ],
      };
    return {
      findings: [ok("credentials", `no deploymentRoleArn: deploying as the caller, ${caller.roleArn}`)],
      clients: new AccountClients(a.region, options, options.credentials),
      deployer: caller.roleArn,
    };
  }
  let credentials: Credentials;
  try {
    credentials = await assumeDeploymentRole(callerClient, a, t.stack);
  } catch (err) {
    if (isAccessDenied(err))
      return {
        findings: [
          missing(
            "deployment-role",
            `${caller.roleArn} cannot assume ${a.deploymentRoleArn} (${describeError(err)}): create the role in account ${a.id} ` +
              `(aws iam create-role --role-name ${a.deploymentRoleArn.split("/").pop()} --assume-role-policy-document file://trust.json) ` +
              `with a trust policy that lets ${caller.roleArn} call sts:AssumeRole, or fix the trust policy of the existing one; ` +
              `the account's other checks need it`,
          ),
        ],
      };
    return {
      findings: [
        unknown(
          "deployment-role",
          `${unknownBecause("sts AssumeRole", err)}; the account's other checks need it`,
        ),
      ],
    };
  }
  const clients = new AccountClients(a.region, options, credentials);
  let deployer = a.deploymentRoleArn;
  try {
    deployer = (await callerIdentity(clients.sts)).roleArn;
  } catch {
    // The assumed role's own ARN is the deployer when STS does not say otherwise.
  }
  return {
    findings: [ok("deployment-role", `${a.deploymentRoleArn} exists and ${caller.roleArn} may assume it`)],
    clients,
    deployer: roleArnOf(deployer),
  };
}

/**
 * Runs every check of every selected stack's account, read-only. Throws {@link PreflightInputError}
 * when it cannot run (unknown stack, unreadable stack file, a bad endpoint, no credentials).
 */
export async function runPreflight(options: PreflightOptions): Promise<PreflightReport> {
  checkEndpoints(options);
  const p = options.platform;
  const lake = p.accounts.find((a) => a.role === "lake");
  const targets = resolveTargets(p, options.stacks ?? [], options.stacksDir ?? DEFAULT_STACKS_DIR);
  const region = options.region ?? lake?.region ?? targets[0]?.account.region ?? "us-east-1";
  const sts = callerSts(options, region, options.credentials);
  const caller = await callerIdentity(sts);
  const backendUrl = "backendUrl" in options ? options.backendUrl : process.env.PULUMI_BACKEND_URL;

  const checks: PreflightCheck[] = [];
  for (const t of targets) {
    options.progress?.(`checking ${t.stack} (account ${t.account.id}, ${t.account.region})`);
    const row = (f: Finding): PreflightCheck => ({ stack: t.stack, account: t.account.id, ...f });
    const reached = await reach(options, caller, sts, t);
    checks.push(...reached.findings.map(row));
    if (!reached.clients) continue;
    const ctx: CheckContext = {
      platform: p,
      account: t.account,
      stack: t.stack,
      clients: reached.clients,
      deployer: reached.deployer!,
      ...(t.secretsProvider !== undefined ? { secretsProvider: t.secretsProvider } : {}),
    };
    const all = [
      ...CHECKS,
      ...(t.account.role === "lake" ? [(c: CheckContext) => stateBackend(c, backendUrl)] : []),
    ];
    const found = await Promise.all(
      all.map((check) =>
        check(ctx).catch((err: unknown) => [
          unknown(check.name || "check", `could not be checked: ${describeError(err)}`),
        ]),
      ),
    );
    checks.push(...found.flat().map(row));
  }
  return { checks };
}
