/**
 * The order of `pulumi up` across the platform's stacks (docs/sharing.md, "Order of `pulumi up`"), as
 * waves: every stack of a wave may run side by side, a wave starts when the one before has finished.
 * Pure: the definition and, when known, what is deployed now (each consumer stack's `teams` output)
 * decide it; nothing is read or called here.
 *
 * 1. producers: the ingestion roles the lake lets write to its raw bucket;
 * 2. consumers: the analyst, Spark, QuickSight and Redshift roles the lake grants to, their resource links;
 *    Lake Formation refuses a grant to an IAM principal that does not exist, so they come before the lake
 *    (https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_DataLakePrincipal.html: "Supported
 *    principals are IAM users or IAM roles");
 * 3. the lake: storage, catalog, and the grants;
 * 4. the consumers again, where their links or grants need the lake: every consumer stack with a team
 *    that reads something (resource links are followed and Redshift external schemas created only once
 *    the lake's databases and grants exist). A planned wave, not a retry.
 *
 * A team removed from the definition (in its deployed consumer stack's `teams` output, not in the
 * definition) keeps grants in the lake until the lake's stack revokes them, and revoking needs the grant
 * to still name a principal (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lakeformation-permissions.html:
 * "you can't call revoke on non-existing permissions"): the lake goes first, then that consumer stack
 * deletes the team's role; such a stack leaves wave 2 and runs in wave 4. A consumer account removed from
 * the definition likewise: the lake revokes, then its stack is destroyed (the program refuses to run for
 * an account the definition does not have, so `up` cannot shrink it).
 */
import { readableDatasets } from "../../platform";
import type { Account, Platform } from "../../platform";

/** What `deploy` runs for a stack. */
export type Operation = "up" | "destroy";

/** One stack in a wave. */
export interface WaveStep {
  /** The Pulumi stack (the account's stack file `stacks/Pulumi.<stack>.yaml`). */
  readonly stack: string;
  /** The account of the definition it deploys (for a removed account: the one it deployed). */
  readonly account: string;
  /** The account's role. */
  readonly role: Account["role"];
  /** `up`, or `destroy` for a consumer account removed from the definition. */
  readonly operation: Operation;
  /** Why it is in this wave, for the dry run's listing. */
  readonly reason: string;
}

/** A wave: stacks that may run side by side. */
export interface Wave {
  /** 1 producers, 2 consumers, 3 the lake, 4 consumers after the lake. */
  readonly wave: 1 | 2 | 3 | 4;
  /** What the wave does. */
  readonly title: string;
  /** Its stacks, in definition order (removed accounts last, by name). */
  readonly steps: readonly WaveStep[];
}

/** What is deployed now, as far as the order depends on it. */
export interface DeployedState {
  /**
   * Each deployed consumer stack's teams (its `teams` output), keyed by the account it deploys (its
   * `account` output). An account of the definition missing here was never deployed: no team to remove.
   * An account here that the definition does not have (any more) is a removed consumer account.
   */
  readonly consumerTeams: Readonly<Record<string, readonly string[]>>;
  /** The stack of a removed account (default: the account's name). */
  readonly stackOf?: Readonly<Record<string, string>>;
}

/** The waves, and what cannot be ordered. */
export interface WavePlan {
  /** The non-empty waves, in order. */
  readonly waves: readonly Wave[];
  /** Teams removed from the definition, per consumer account still in it. */
  readonly removedTeams: Readonly<Record<string, readonly string[]>>;
  /** Consumer accounts removed from the definition (their stacks are destroyed after the lake). */
  readonly removedAccounts: readonly string[];
  /**
   * Changes no order can apply in one run: a consumer stack that both adds a team (whose role must exist
   * before the lake grants to it) and removes one (whose grants the lake must revoke before its role goes).
   */
  readonly conflicts: readonly string[];
}

/** The wave titles, as the dry run prints them. */
export const WAVE_TITLES = {
  1: "producers: the ingestion roles the lake lets in",
  2: "consumers: the roles the lake grants to, their resource links",
  3: "the lake: storage, catalog, grants",
  4: "consumers after the lake: links, Redshift schemas and removals that need the lake's databases and grants",
} as const;

/**
 * Orders the definition's stacks into waves. `stackOf(account)` names an account's stack (default: the
 * account's name, as the stack files do); `deployed` is what the consumer stacks hold now (omitted: a
 * first deployment, nothing removed).
 */
export function planWaves(
  p: Platform,
  deployed: DeployedState = { consumerTeams: {} },
  stackOf: (account: string) => string = (a) => a,
): WavePlan {
  const producers = p.accounts.filter((a) => a.role === "producer");
  const consumers = p.accounts.filter((a) => a.role === "consumer");
  const lakes = p.accounts.filter((a) => a.role === "lake");
  const teamsOf = (account: string) => p.consumers.filter((c) => c.account === account);

  const removedTeams: Record<string, string[]> = {};
  const conflicts: string[] = [];
  for (const a of consumers) {
    const before = deployed.consumerTeams[a.name];
    if (!before) continue;
    const now = new Set(teamsOf(a.name).map((c) => c.team));
    const removed = [...new Set(before)].filter((t) => !now.has(t)).sort();
    if (removed.length === 0) continue;
    removedTeams[a.name] = removed;
    const added = [...now].filter((t) => !before.includes(t)).sort();
    if (added.length > 0)
      conflicts.push(
        `${stackOf(a.name)} removes ${removed.join(", ")} and adds ${added.join(", ")}: the lake must revoke ` +
          `the removed teams' grants before their roles go, and the new teams' roles must exist before the lake ` +
          `grants to them; deploy the removal first (the definition without ${added.join(", ")}), then the addition`,
      );
  }
  const known = new Set(p.accounts.map((a) => a.name));
  const removedAccounts = Object.keys(deployed.consumerTeams)
    .filter((a) => !known.has(a))
    .sort();

  const step = (a: Account, reason: string): WaveStep => ({
    stack: stackOf(a.name),
    account: a.name,
    role: a.role,
    operation: "up",
    reason,
  });
  const reads = (account: string) => teamsOf(account).some((c) => readableDatasets(p, c).length > 0);
  const waves: Wave[] = [
    {
      wave: 1,
      title: WAVE_TITLES[1],
      steps: producers.map((a) => step(a, "its ingestion roles exist before the lake lets them write")),
    },
    {
      wave: 2,
      title: WAVE_TITLES[2],
      steps: consumers
        .filter((a) => !removedTeams[a.name])
        .map((a) => step(a, "its teams' roles exist before the lake grants to them")),
    },
    {
      wave: 3,
      title: WAVE_TITLES[3],
      steps: lakes.map((a) => step(a, "storage, catalog and the grants to the roles above")),
    },
    {
      wave: 4,
      title: WAVE_TITLES[4],
      steps: [
        ...consumers
          .filter((a) => removedTeams[a.name] || reads(a.name))
          .map((a) =>
            step(
              a,
              removedTeams[a.name]
                ? `removed ${removedTeams[a.name].join(", ")}: their roles go once the lake has revoked their grants`
                : "its links and Redshift schemas follow the lake's databases and grants",
            ),
          ),
        ...removedAccounts.map((account): WaveStep => ({
          stack: deployed.stackOf?.[account] ?? account,
          account,
          role: "consumer",
          operation: "destroy",
          reason: "removed from the definition: destroyed once the lake has revoked its grants",
        })),
      ],
    },
  ];
  return { waves: waves.filter((w) => w.steps.length > 0), removedTeams, removedAccounts, conflicts };
}

/** The plan's steps in run order, each with its wave. */
export function stepsInOrder(waves: readonly Wave[]): (WaveStep & { wave: Wave["wave"] })[] {
  return waves.flatMap((w) => w.steps.map((s) => ({ ...s, wave: w.wave })));
}

/**
 * Narrows the waves: `stacks` (when given) keeps only those stacks, waves in their order; `from` skips
 * everything before that stack's first occurrence. Empty waves are dropped. The names must be in the
 * plan (checked by the caller).
 */
export function selectSteps(
  waves: readonly Wave[],
  select: { stacks?: readonly string[]; from?: string },
): { waves: Wave[]; skipped: (WaveStep & { wave: Wave["wave"]; why: "--stack" | "--from" })[] } {
  const skipped: (WaveStep & { wave: Wave["wave"]; why: "--stack" | "--from" })[] = [];
  const chosen = select.stacks && select.stacks.length > 0 ? new Set(select.stacks) : undefined;
  let started = select.from === undefined;
  const kept: Wave[] = [];
  for (const w of waves) {
    const steps: WaveStep[] = [];
    for (const s of w.steps) {
      if (chosen && !chosen.has(s.stack)) {
        skipped.push({ ...s, wave: w.wave, why: "--stack" });
        continue;
      }
      if (!started && s.stack === select.from) started = true;
      if (!started) {
        skipped.push({ ...s, wave: w.wave, why: "--from" });
        continue;
      }
      steps.push(s);
    }
    if (steps.length > 0) kept.push({ ...w, steps });
  }
  return { waves: kept, skipped };
}
