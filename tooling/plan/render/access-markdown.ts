/**
 * `--format access-markdown`: the effective-access report as Markdown for a pull-request comment — the
 * changes first (with `--base`), then who reads what, then who reads outside Lake Formation. A column
 * stricter than its dataset is marked `†` wherever it is listed; a principal that sees every column of
 * a table shows "all N".
 */
import { stricterThanDataset, tableColumns } from "../../../platform";
import type { Platform, ReadAccess } from "../../../platform";
import type { AccessChange, AccessReport } from "../access/report";

/** Escapes what would break a Markdown table cell (pipes, newlines, HTML, backticks). */
export function cell(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/[\r\n]+/g, " ")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/`/g, "\\`");
}

function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
}

/**
 * The columns, stricter ones marked: "all N" where they are every column of the dataset's table, "all
 * but X, Y" where a few are hidden, else the list (`whole` false: always the list, for changes).
 */
export function columnsCell(p: Platform, a: Pick<ReadAccess, "dataset" | "columns">, whole = true): string {
  const d = a.dataset === null ? undefined : p.datasets.find((x) => x.name === a.dataset);
  const mark = (c: string) => (d && stricterThanDataset(p, d, c) ? `${c}†` : c);
  if (!d || !whole) return a.columns.map(mark).join(", ");
  const all = tableColumns(p, d);
  const hidden = all.filter((c) => !a.columns.includes(c));
  if (hidden.length === 0) {
    const marked = a.columns.filter((c) => stricterThanDataset(p, d, c));
    return `all ${a.columns.length}${marked.length > 0 ? ` (incl. ${marked.map(mark).join(", ")})` : ""}`;
  }
  return hidden.length < a.columns.length
    ? `all but ${hidden.map(mark).join(", ")}`
    : a.columns.map(mark).join(", ");
}

/** Teams' principals first (by team), then the platform's own roles and strangers. */
export function byTeam<T extends { team: string | null; principal: string }>(entries: readonly T[]): T[] {
  return [...entries].sort(
    (a, b) =>
      (a.team === null ? 1 : 0) - (b.team === null ? 1 : 0) ||
      (a.team ?? "").localeCompare(b.team ?? "") ||
      a.principal.localeCompare(b.principal),
  );
}

const who = (a: { team: string | null; principal: string }) => a.team ?? "—";
const role = (principal: string) => principal.replace(/^arn:aws[\w-]*:iam::(\d{12}):role\//, "$1/");
const rows = (f: string | null) => (f === null ? "all" : f);

function changeRow(p: Platform, c: AccessChange): string[] {
  const detail =
    c.change === "filter-changed"
      ? `${rows(c.rowFilter.before)} → ${rows(c.rowFilter.after)}`
      : c.change === "expiry-changed"
        ? `${c.expiresOn.before ?? "never"} → ${c.expiresOn.after ?? "never"}`
        : c.change === "granted" || c.change === "revoked"
          ? columnsCell(p, c)
          : c.change === "permissions-changed"
            ? `${(c.permissionsBefore ?? []).join(", ")} → ${c.permissions.join(", ")}`
            : columnsCell(p, c, false);
  return [c.change, who(c), role(c.principal), c.dataset ?? `${c.database}.${c.table}`, detail];
}

/** The Markdown report. */
export function renderAccessMarkdown(report: AccessReport, p: Platform): string {
  const out: string[] = [];
  out.push(`### Lake access: ${cell(report.platform)} on ${report.date}`, "");
  if (report.partial)
    out.push(
      `> Partial: the stacks ${report.omittedStacks.map((s) => `\`${cell(s)}\``).join(", ")} were not planned; their grants and resource links are not in this report.`,
      "",
    );
  if (report.base !== undefined) {
    out.push(`#### What this change grants or revokes (against \`${cell(report.base)}\`)`, "");
    if (report.changes.length === 0) out.push("No change to who reads what.", "");
    else
      out.push(
        ...table(
          ["Change", "Team", "Principal", "Dataset", "Columns, rows or dates"],
          report.changes.map((c) => changeRow(p, c)),
        ),
        "",
      );
  }
  out.push(`#### Who reads what (${report.grants.length} grants)`, "");
  out.push(
    ...table(
      ["Team", "Principal", "Dataset", "Columns", "Rows", "Permissions", "Until", "Via"],
      byTeam(report.grants).map((a) => [
        who(a),
        `${role(a.principal)}${a.delegated ? " (whole account: delegated)" : ""}`,
        a.dataset ?? `${a.database}.${a.table}`,
        columnsCell(p, a),
        rows(a.rowFilter),
        a.permissions.join(", "),
        a.expiresOn ?? "—",
        a.via.join("; "),
      ]),
    ),
    "",
  );
  out.push(`#### Read outside Lake Formation (${report.bypass.length})`, "");
  if (report.bypass.length === 0) out.push("Nobody.", "");
  else
    out.push(
      ...table(
        ["Principal", "How", "Datasets", "Allowed by"],
        report.bypass.map((b) => [role(b.principal), b.kind, b.datasets.join(", "), b.via.join(", ")]),
      ),
      "",
    );
  out.push("† a column stricter than its dataset.");
  return out.join("\n") + "\n";
}
