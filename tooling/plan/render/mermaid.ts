/**
 * `--format mermaid`: the plan as a Mermaid flowchart of how data moves between accounts. What is drawn
 * is decided in `diagram/` (`diagramOf`: the graph and its flows); this file only prints it:
 * - `flowchart LR`, then a `subgraph` per container in the order they were made, its nodes, then its
 *   databases' subgraphs sorted by label; then the edges in the order they were first drawn;
 * - shapes: rect `["…"]`, cylinder `[("…")]`, stadium `(["…"])`, hexagon `{{"…"}}`, parallelogram
 *   `[/"…"/]`; a dotted edge is `-.->`, else `-->`, labelled `|"…"|` when it has labels;
 * - every label is quoted, with `#` `"` `<` `>` written as the entity codes `#35;` `#quot;` `#lt;` `#gt;`
 *   (https://mermaid.js.org/syntax/flowchart.html, "Entity codes to escape characters"; mermaid's own
 *   example: `A["A double quote:#quot;"]`) and line breaks as `<br/>`.
 * The output is only the diagram text.
 */
import type { Platform } from "../../../platform";
import type { PlanReport } from "../engine";
import { diagramOf } from "./diagram/build";
import { Container, Graph, GraphNode, Shape, shownLabels } from "./diagram/graph";

const SHAPES: Record<Shape, [string, string]> = {
  rect: ['["', '"]'],
  cylinder: ['[("', '")]'],
  stadium: ['(["', '"])'],
  hexagon: ['{{"', '"}}'],
  parallelogram: ['[/"', '"/]'],
};

/** A label as Mermaid reads it between double quotes; `\n` becomes a line break. */
function label(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\n/g, "<br/>");
}

/** Prints a diagram graph as a Mermaid flowchart. */
export function printMermaid(graph: Graph): string {
  const out = ["flowchart LR"];
  const node = (n: GraphNode, indent: string) => {
    const [open, close] = SHAPES[n.shape];
    return `${indent}${n.id}${open}${label(n.lines.join("\n"))}${close}`;
  };
  const subgraph = (c: Container, indent: string) => `${indent}subgraph ${c.id}["${label(c.label)}"]`;
  for (const c of graph.containers) {
    out.push(subgraph(c, "  "));
    for (const n of c.nodes) out.push(node(n, "    "));
    for (const db of [...c.databases.values()].sort((a, b) => a.label.localeCompare(b.label))) {
      out.push(subgraph(db, "    "));
      for (const n of db.nodes) out.push(node(n, "      "));
      out.push("    end");
    }
    out.push("  end");
  }
  for (const e of graph.edges) {
    const arrow = e.dotted ? "-.->" : "-->";
    const text = shownLabels(e).join(", ");
    out.push(`  ${e.from} ${arrow}${text ? `|"${label(text)}"|` : ""} ${e.to}`);
  }
  return out.join("\n") + "\n";
}

/** Renders the plan as a Mermaid flowchart; `platform` names teams, accounts and unplanned datasets. */
export function renderMermaid(report: PlanReport, platform?: Platform): string {
  return printMermaid(diagramOf(report, platform));
}
