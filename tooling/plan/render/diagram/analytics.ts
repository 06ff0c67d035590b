/**
 * Analytics: EMR Serverless applications ← their team ("Spark jobs"), Redshift Serverless workgroups ←
 * their team ("BI over Spectrum"), and QuickSight data sets, one node per team and stack listing the
 * datasets it imports into SPICE ← the team ("imports"). A team's application, workgroup and data sets
 * are recognised by the names the definition gives them.
 */
import { quicksightDataSetId, redshiftWorkgroupName, sparkApplicationName } from "../../../../platform";
import { Context, teamNode, teamsIn } from "./context";
import type { Datasets } from "./datasets";
import { EMR_APP, obj, QUICKSIGHT_DATA_SET, REDSHIFT_WORKGROUP, str } from "./inputs";

export function analyticsFlow(ctx: Context, datasets: Datasets): void {
  const { graph, platform } = ctx;
  for (const { stack, account, where } of ctx.stacks) {
    const teams = teamsIn(ctx, account);
    for (const r of stack.resources.filter((x) => x.type === EMR_APP)) {
      const name = str(r.inputs.name) ?? r.name;
      const app = graph.node(where, {
        kind: "app",
        key: r.urn,
        lines: ["EMR Serverless", name],
        shape: "hexagon",
        hint: `${stack.stack} ${name}`,
      });
      const team = teams.find((c) => sparkApplicationName(c) === name);
      const from = team ? teamNode(ctx, team.team) : undefined;
      if (from) graph.edge(from.id, app.id, "Spark jobs");
    }
    for (const r of stack.resources.filter((x) => x.type === REDSHIFT_WORKGROUP)) {
      const name = str(r.inputs.workgroupName) ?? r.name;
      const warehouse = graph.node(where, {
        kind: "warehouse",
        key: r.urn,
        lines: ["Redshift Spectrum", name],
        shape: "hexagon",
        hint: `${stack.stack} ${name}`,
      });
      const team = teams.find((c) => redshiftWorkgroupName(c) === name);
      const from = team ? teamNode(ctx, team.team) : undefined;
      if (from) graph.edge(from.id, warehouse.id, "BI over Spectrum");
    }
    const sets = new Map<string, { team?: string; datasets: string[] }>();
    for (const r of stack.resources.filter((x) => x.type === QUICKSIGHT_DATA_SET)) {
      const id = str(r.inputs.dataSetId) ?? r.name;
      const team = teams.find((c) => platform?.datasets.some((x) => quicksightDataSetId(c, x) === id));
      const dataset =
        (team && platform?.datasets.find((x) => quicksightDataSetId(team, x) === id)?.name) ??
        datasets.registered(str(obj(r.inputs.tags)?.dataset)) ??
        str(r.inputs.name) ??
        id;
      const key = team?.team ?? "";
      const entry = sets.get(key) ?? { team: team?.team, datasets: [] };
      entry.datasets.push(dataset);
      sets.set(key, entry);
    }
    for (const [key, entry] of sets) {
      const node = graph.node(where, {
        kind: "spice",
        key: `${stack.stack} ${key}`,
        lines: ["QuickSight SPICE", entry.datasets.sort().join(" · ")],
        shape: "parallelogram",
      });
      const from = entry.team ? teamNode(ctx, entry.team) : undefined;
      if (from) graph.edge(from.id, node.id, "imports");
    }
  }
}
