/**
 * The plan as a graph of how data moves between accounts (`diagramOf`), flow by flow:
 * - a container per planned stack (its name, role and account), and one per account the plan reaches
 *   without planning it (an account of the definition, or one outside the platform);
 * - datasets (`datasets.ts`), ingestion (`ingestion.ts`), the consumer teams of the planned accounts,
 *   shares and resource links (`shares.ts`), analytics (`analytics.ts`), in that order (ids are made
 *   in the order nodes are first met);
 * - a planned stack with nothing drawn gets a placeholder node counting its resources.
 */
import { Platform, principalByArn } from "../../../../platform";
import type { PlanReport } from "../../engine";
import { analyticsFlow } from "./analytics";
import { Context, teamNode, teamsIn } from "./context";
import { datasetFlow } from "./datasets";
import { Graph } from "./graph";
import { ingestionFlow } from "./ingestion";
import { stackAccount } from "./inputs";
import { resourceLinkFlow, shareFlow } from "./shares";

/**
 * The plan's data-flow graph. `platform`, a validated definition, names teams, accounts, principals and
 * unplanned datasets.
 */
export function diagramOf(report: PlanReport, platform?: Platform): Graph {
  const graph = new Graph();
  const stacks = report.stacks.map((stack) => {
    const account = stackAccount(stack);
    const parts = [stack.stack, stack.role, account ? `account ${account}` : undefined];
    const where = graph.container("stack", stack.stack, parts.filter(Boolean).join(" · "), account);
    return { stack, account, where };
  });
  const ctx: Context = {
    graph,
    stacks,
    platform,
    lakeAccount: platform?.accounts.find((a) => a.role === "lake")?.id,
    principals: platform ? principalByArn(platform) : new Map(),
  };

  const datasets = datasetFlow(ctx);
  ingestionFlow(ctx, datasets);
  // Consumer teams: in the container of their account.
  for (const { account } of stacks) for (const c of teamsIn(ctx, account)) teamNode(ctx, c.team);
  shareFlow(ctx, datasets);
  resourceLinkFlow(ctx);
  analyticsFlow(ctx, datasets);

  for (const { stack, where } of stacks) {
    if (where.nodes.length > 0 || where.databases.size > 0) continue;
    graph.node(where, {
      kind: "none",
      key: stack.stack,
      lines: [`${stack.resources.length} resources, no data flow`],
      shape: "rect",
    });
  }
  return graph;
}
