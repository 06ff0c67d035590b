/**
 * What every flow of the diagram shares: the graph being built, the planned stacks with their
 * containers, and the definition (optional: without it the diagram draws what the plan holds, with no
 * teams and no datasets of the definition).
 */
import type { Platform, Principal } from "../../../../platform";
import type { StackReport } from "../../engine";
import type { Container, Graph, GraphNode } from "./graph";

/** A planned stack, the account it deploys and its container. */
export interface PlannedStack {
  readonly stack: StackReport;
  readonly account: string | null;
  readonly where: Container;
}

export interface Context {
  readonly graph: Graph;
  readonly stacks: readonly PlannedStack[];
  readonly platform?: Platform;
  /** The lake account's id, when the definition is known. */
  readonly lakeAccount?: string;
  /** The principals the definition implies, by ARN (empty without the definition). */
  readonly principals: ReadonlyMap<string, Principal>;
}

/** The container of an account: its first planned stack's, else one made for it. */
export function accountContainer(ctx: Context, account: string): Container {
  const found = ctx.graph.containerOf(account);
  if (found) return found;
  const defined = ctx.platform?.accounts.find((a) => a.id === account);
  return defined
    ? ctx.graph.container(
        "account",
        account,
        `${defined.name} · ${defined.role} · account ${account} (not planned)`,
        account,
      )
    : ctx.graph.container("account", account, `account ${account} · outside the platform`, account);
}

/** The consumer teams of the definition whose account is `account`. */
export function teamsIn(ctx: Context, account: string | null): Platform["consumers"] {
  return (ctx.platform?.consumers ?? []).filter(
    (c) => ctx.platform?.accounts.find((a) => a.name === c.account)?.id === account,
  );
}

/** A consumer team's node, in the container of its account (undefined for a team the definition lacks). */
export function teamNode(ctx: Context, team: string): GraphNode | undefined {
  const consumer = ctx.platform?.consumers.find((c) => c.team === team);
  const account = ctx.platform?.accounts.find((a) => a.name === consumer?.account);
  if (!consumer || !account) return undefined;
  return ctx.graph.node(accountContainer(ctx, account.id), {
    kind: "team",
    key: team,
    lines: [`team ${team}`, `until ${consumer.expiresOn}`],
    shape: "stadium",
  });
}
