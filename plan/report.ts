/**
 * Renders a {@link PlanReport}: `json` is the CONTRACTS §3 object; `table` is for people, one section
 * per account with its resources by type, its violations with their remediation and its notices.
 */
import Table from "cli-table3";
import type { PlanReport, StackReport } from "./engine";

/** The report as CONTRACTS §3 JSON. */
export function renderJson(report: PlanReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}

function countByType(stack: StackReport): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of stack.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

const plainStyle = { head: [], border: [], compact: true };

/** The human-readable report. */
export function renderTable(report: PlanReport): string {
  const out: string[] = [];
  out.push(`Platform ${report.platform} — plan for ${report.date}`);
  out.push(
    report.packs.length === 0
      ? "Policy packs: none found (no governance verdict)"
      : `Policy packs: ${report.packs.map((p) => `${p.name}@${p.version} (${p.policies} policies)`).join(", ")}`,
  );
  for (const stack of report.stacks) {
    out.push("");
    const where = stack.account ? ` — account ${stack.account}, ${stack.role}, ${stack.region}` : "";
    out.push(`Stack ${stack.stack}${where}: ${stack.resources.length} resources`);
    const types = new Table({
      head: ["Resource type", "Count"],
      style: plainStyle,
      colAligns: ["left", "right"],
    });
    for (const [type, count] of countByType(stack)) types.push([type, count]);
    out.push(types.toString());
    if (stack.violations.length > 0) {
      const violations = new Table({
        head: ["Level", "Policy", "Resource", "Message"],
        style: plainStyle,
        colWidths: [11, 62, 28, 70],
        wordWrap: true,
      });
      for (const v of stack.violations) {
        violations.push([
          v.level,
          `${v.pack}/${v.policy}`,
          v.urn ? (v.urn.split("::").pop() ?? v.urn) : "(stack)",
          v.message,
        ]);
      }
      out.push(violations.toString());
    } else {
      out.push(report.packs.length ? "No policy violations." : "");
    }
    for (const notice of stack.notices) out.push(`notice: ${notice}`);
  }
  const s = report.summary;
  out.push("");
  out.push(
    `Summary: ${s.stacks} stacks, ${s.resources} resources, ${s.mandatory} mandatory and ${s.advisory} advisory violations`,
  );
  return out.join("\n") + "\n";
}
