/**
 * Renders a {@link PlanReport}: `json` is the CONTRACTS §3 object; `table` is for people, one section
 * per account with its resources by type, its violations grouped by policy with the policy's purpose
 * and each resource's fix, its notices, and a summary table. `sarif` and `mermaid` live in their own
 * modules (plan/sarif.ts, plan/mermaid.ts).
 */
import Table from "cli-table3";
import { printable } from "../../../platform";
import type { Platform } from "../../../platform";
import { columnsCell } from "./access-markdown";
import type { PlanReport, StackReport } from "../engine";
import type { Violation } from "../../policy-eval/packs";

/** Width the table report wraps its text to. */
export const TABLE_WIDTH = 100;

/** The report as CONTRACTS §3 JSON. */
export function renderJson(report: PlanReport): string {
  // The effective access is its own format (`--format access`).
  const { access: _access, ...contract } = report;
  return JSON.stringify(contract, null, 2) + "\n";
}

function countByType(stack: StackReport): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of stack.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

const plainStyle = { head: [], border: [], compact: true };

/**
 * Wraps `text` to `width` columns, each line prefixed with `indent`; paragraphs (lines of the text)
 * stay apart and a word longer than a line (a Java class name, an ARN) is cut where the line ends.
 */
export function wrap(text: string, width: number, indent = ""): string[] {
  const room = Math.max(20, width - indent.length);
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (let word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > room) {
        lines.push(line);
        line = "";
      }
      while (word.length > room - (line ? line.length + 1 : 0)) {
        const cut = room - (line ? line.length + 1 : 0);
        lines.push(line ? `${line} ${word.slice(0, cut)}` : word.slice(0, cut));
        line = "";
        word = word.slice(cut);
      }
      line = line ? `${line} ${word}` : word;
    }
    if (line || lines.length === 0) lines.push(line);
  }
  return lines.map((l) => `${indent}${l}`.trimEnd());
}

/** Splits a violation's message into the policy's description (its first line) and the fix (the rest). */
export function splitMessage(message: string, description?: string): { purpose?: string; fix: string } {
  const newline = message.indexOf("\n");
  const first = newline < 0 ? message : message.slice(0, newline);
  if (newline >= 0 && (description === undefined || first.trim() === description.trim())) {
    return { purpose: first.trim(), fix: message.slice(newline + 1).trim() };
  }
  return { fix: message.trim() };
}

/** The resource a violation names, as `name (type)`, or the stack for a stack policy. */
function resourceLabel(stack: StackReport, urn: string | null): string {
  if (!urn) return `stack ${stack.stack}`;
  const found = stack.resources.find((r) => r.urn === urn);
  if (found) return `${found.name} (${found.type})`;
  return urn.split("::").pop() ?? urn;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function violationCounts(violations: readonly Violation[]): string {
  if (violations.length === 0) return "no violations";
  const mandatory = violations.filter((v) => v.level === "mandatory").length;
  return `${mandatory} mandatory and ${violations.length - mandatory} advisory violations`;
}

function renderViolations(report: PlanReport, stack: StackReport): string[] {
  const out: string[] = [];
  const groups = new Map<string, Violation[]>();
  const sorted = [...stack.violations].sort(
    (a, b) =>
      (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1) ||
      a.pack.localeCompare(b.pack) ||
      a.policy.localeCompare(b.policy),
  );
  for (const v of sorted) {
    const key = `${v.level}\u0000${v.pack}\u0000${v.policy}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const mandatory = stack.violations.filter((v) => v.level === "mandatory").length;
  out.push(`Violations: ${mandatory} mandatory, ${stack.violations.length - mandatory} advisory`);
  for (const group of groups.values()) {
    const [first] = group;
    const rule = report.packs.find((p) => p.name === first.pack)?.rules.find((r) => r.name === first.policy);
    const severity = first.severity ?? rule?.severity;
    out.push("");
    const parts = [
      first.level.toUpperCase(),
      `${first.pack} / ${first.policy}`,
      ...(severity ? [`(severity ${severity})`] : []),
      ...(group.length > 1 ? [`×${group.length}`] : []),
    ];
    // The heading's parts, two spaces apart, on as few lines as the width allows.
    let heading = `  ${parts[0]}`;
    for (const part of parts.slice(1)) {
      if (heading.length + 2 + part.length > TABLE_WIDTH) {
        out.push(heading);
        heading = `    ${part}`;
      } else heading = `${heading}  ${part}`;
    }
    out.push(heading);
    const purpose = rule?.description ?? splitMessage(first.message).purpose;
    if (purpose) out.push(...wrap(purpose, TABLE_WIDTH, "  "));
    if (rule?.remediation) out.push(...wrap(`How to fix: ${rule.remediation}`, TABLE_WIDTH, "  "));
    for (const v of group) {
      out.push(...wrap(`✗ ${resourceLabel(stack, v.urn)}`, TABLE_WIDTH, "    "));
      out.push(...wrap(splitMessage(v.message, purpose).fix, TABLE_WIDTH, "      "));
    }
  }
  return out;
}

/**
 * Who reads what, per consumer team, from the planned grants: per dataset its columns (stricter ones
 * marked †), its rows, until when, and which of the team's principals read it that way.
 */
export function whoReadsWhat(report: PlanReport, p: Platform): string[] {
  const grants = (report.access?.grants ?? []).filter((g) => g.team !== null);
  if (grants.length === 0 && !report.access?.partial) return [];
  const out = [
    "",
    `Who reads what (from the planned grants${report.access?.partial ? `; partial: ${report.access.omittedStacks.join(", ")} not planned` : ""}):`,
  ];
  const teams = [...new Set(grants.map((g) => g.team!))].sort();
  for (const team of teams) {
    const mine = grants.filter((g) => g.team === team);
    out.push(`  ${team} (${mine[0].account ?? "?"}, until ${mine[0].expiresOn ?? "no end"}):`);
    const lines = new Map<string, string[]>();
    for (const g of mine) {
      const what = `${g.dataset ?? `${g.database}.${g.table}`}: ${columnsCell(p, g)}; ${g.rowFilter === null ? "all rows" : `rows where ${g.rowFilter}`}`;
      lines.set(what, [...(lines.get(what) ?? []), g.kind ?? "role"]);
    }
    for (const [what, kinds] of [...lines].sort((a, b) => a[0].localeCompare(b[0])))
      out.push(...wrap(`${what} — as ${kinds.join(", ")}`, TABLE_WIDTH, "    "));
  }
  return out;
}

/** The human-readable report; with the definition, it says who reads what per team. */
export function renderTable(report: PlanReport, p?: Platform): string {
  const out: string[] = [];
  out.push(`Platform ${report.platform} — plan for ${report.date}`);
  out.push(
    report.packs.length === 0
      ? "Policy packs: none evaluated (--no-policies): no governance verdict"
      : `Policy packs: ${report.packs.map((p) => `${p.name}@${p.version} (${p.policies} policies)`).join(", ")}`,
  );
  for (const stack of report.stacks) {
    out.push("");
    const where = stack.account ? ` — account ${stack.account}, ${stack.role}, ${stack.region}` : "";
    const judged = report.packs.length ? `, ${violationCounts(stack.violations)}` : "";
    out.push(`Stack ${stack.stack}${where}: ${stack.resources.length} resources${judged}`);
    const types = new Table({
      head: ["Resource type", "Count"],
      style: plainStyle,
      colAligns: ["left", "right"],
    });
    for (const [type, count] of countByType(stack)) types.push([type, count]);
    out.push(types.toString());
    if (stack.violations.length > 0) out.push(...renderViolations(report, stack));
    else if (report.packs.length) out.push("No policy violations.");
    if (stack.notices.length > 0) {
      out.push(`Notices (${stack.notices.length}):`);
      for (const notice of stack.notices) {
        const [head, ...rest] = wrap(notice, TABLE_WIDTH - 4);
        out.push(`  • ${head}`, ...rest.map((l) => `    ${l}`));
      }
    }
  }
  if (p) out.push(...whoReadsWhat(report, p));
  const s = report.summary;
  out.push("");
  if (report.stacks.length > 1) {
    const totals = new Table({
      head: ["Stack", "Account", "Role", "Region", "Resources", "Mandatory", "Advisory", "Notices"],
      style: plainStyle,
      colAligns: ["left", "left", "left", "left", "right", "right", "right", "right"],
    });
    for (const stack of report.stacks) {
      const mandatory = stack.violations.filter((v) => v.level === "mandatory").length;
      totals.push([
        stack.stack,
        stack.account ?? "-",
        stack.role ?? "-",
        stack.region ?? "-",
        stack.resources.length,
        mandatory,
        stack.violations.length - mandatory,
        stack.notices.length,
      ]);
    }
    out.push(totals.toString());
  }
  out.push(
    `Summary: ${plural(s.stacks, "stack")}, ${plural(s.resources, "resource")}, ${s.mandatory} mandatory and ${s.advisory} advisory violations`,
  );
  if (s.mandatory > 0) {
    out.push("Mandatory violations block the deployment: fix them (exit status 1).");
  }
  // Names, messages and notices carry program- and data-derived text: each line is printed with its
  // control characters (terminal escapes, carriage returns, bidi overrides) shown escaped.
  return (
    out
      .join("\n")
      .split("\n")
      .map((line) => printable(line, Number.MAX_SAFE_INTEGER))
      .join("\n") + "\n"
  );
}
