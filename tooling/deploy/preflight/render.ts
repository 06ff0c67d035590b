/** The preflight's report for a terminal (a table and a verdict) or as CONTRACTS §5 JSON. */
import Table from "cli-table3";
import { printable } from "../../../platform";
import { PreflightReport } from "./types";

/** `{ "checks": [ { stack, account, check, status, message } ] }`. */
export function renderJson(report: PreflightReport): string {
  return `${JSON.stringify(
    {
      checks: report.checks.map(({ stack, account, check, status, message }) => ({
        stack,
        account,
        check,
        status,
        message,
      })),
    },
    null,
    2,
  )}\n`;
}

/** Counts of each status. */
export function tally(report: PreflightReport): { ok: number; missing: number; unknown: number } {
  const n = { ok: 0, missing: 0, unknown: 0 };
  for (const c of report.checks) n[c.status]++;
  return n;
}

/** The verdict line: what is missing, and whether unknowns alone let the deployment go ahead. */
export function verdict(report: PreflightReport): string {
  const n = tally(report);
  const counts = `${report.checks.length} checks: ${n.ok} ok, ${n.missing} missing, ${n.unknown} unknown`;
  if (n.missing > 0)
    return `${counts}. Fix what is missing (the message says how) and run the preflight again.`;
  if (n.unknown > 0)
    return `${counts}. Nothing is missing, but ${n.unknown} check${n.unknown === 1 ? "" : "s"} could not be told (unknown: see why above); the preflight passes.`;
  return `${counts}. Every account is ready.`;
}

/** The checks as a table, then the verdict. */
export function renderTable(report: PreflightReport): string {
  const table = new Table({
    head: ["Stack", "Account", "Check", "Status", "Message"],
    style: { head: [], border: [], compact: true },
    colWidths: [20, 14, 26, 9, 90],
    wordWrap: true,
  });
  for (const c of report.checks)
    table.push([c.stack, c.account, c.check, c.status, printable(c.message, 2000)]);
  return `${report.checks.length > 0 ? `${table.toString()}\n` : "No checks.\n"}${verdict(report)}\n`;
}
