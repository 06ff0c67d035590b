/**
 * The effective-access report (CONTRACTS §3 `--format access`) and the diff of a change (`--base`):
 * what the planned grants let whom read, and what a new definition grants or revokes against the old.
 */
import type { ReadAccess } from "../../../platform";
import type { BypassReader } from "./effective";

/** What a change does to one principal's access to one dataset. */
export type ChangeKind =
  | "granted"
  | "revoked"
  | "columns-added"
  | "columns-removed"
  | "filter-changed"
  | "permissions-changed"
  | "expiry-changed";

/** One change (CONTRACTS §3 `changes[]`). */
export interface AccessChange {
  readonly change: ChangeKind;
  readonly principal: string;
  readonly team: string | null;
  readonly dataset: string | null;
  readonly database: string;
  readonly table: string;
  /** The columns concerned: all visible ones for `granted`/`revoked`, else the ones added or removed. */
  readonly columns: string[];
  /** The rows seen before and after (`null`: all; absent side of a grant or revocation: `null`). */
  readonly rowFilter: { readonly before: string | null; readonly after: string | null };
  /** The permissions concerned: granted, revoked, or (changed) those held after the change. */
  readonly permissions: string[];
  /** The expiry before and after. */
  readonly expiresOn: { readonly before: string | null; readonly after: string | null };
  /** With `permissions-changed`: the permissions held before the change. */
  readonly permissionsBefore?: string[];
}

/** The report. */
export interface AccessReport {
  readonly platform: string;
  readonly date: string;
  /** True when `--stack` left stacks out: grants and links declared there are not in the report. */
  readonly partial: boolean;
  /** The stacks the plan left out (by name), sorted. */
  readonly omittedStacks: string[];
  readonly grants: ReadAccess[];
  /** Readers of lake data outside Lake Formation. */
  readonly bypass: BypassReader[];
  /** With `--base`: what the change grants or revokes; else empty. */
  readonly changes: AccessChange[];
  /** With `--base`: the base platform file, as given. */
  readonly base?: string;
}

const key = (a: Pick<ReadAccess, "principal" | "database" | "table">) =>
  `${a.principal}\u0000${a.database}\u0000${a.table}`;

/**
 * What changes from `before` to `after`, one entry per principal, dataset and kind of change, sorted by
 * principal, database, table and kind.
 */
export function accessChanges(before: readonly ReadAccess[], after: readonly ReadAccess[]): AccessChange[] {
  const was = new Map(before.map((a) => [key(a), a]));
  const now = new Map(after.map((a) => [key(a), a]));
  const changes: AccessChange[] = [];
  const entry = (
    change: ChangeKind,
    a: ReadAccess,
    b: ReadAccess | undefined,
    n: ReadAccess | undefined,
    columns: string[],
    permissions: string[],
  ): AccessChange => ({
    change,
    principal: a.principal,
    team: a.team,
    dataset: a.dataset,
    database: a.database,
    table: a.table,
    columns,
    rowFilter: { before: b?.rowFilter ?? null, after: n?.rowFilter ?? null },
    permissions,
    expiresOn: { before: b?.expiresOn ?? null, after: n?.expiresOn ?? null },
  });
  for (const [k, n] of now) {
    const b = was.get(k);
    if (!b) {
      changes.push(entry("granted", n, undefined, n, n.columns, n.permissions));
      continue;
    }
    const added = n.columns.filter((c) => !b.columns.includes(c));
    const removed = b.columns.filter((c) => !n.columns.includes(c));
    if (added.length > 0) changes.push(entry("columns-added", n, b, n, added, n.permissions));
    if (removed.length > 0) changes.push(entry("columns-removed", n, b, n, removed, n.permissions));
    if (b.rowFilter !== n.rowFilter) changes.push(entry("filter-changed", n, b, n, [], n.permissions));
    if (b.permissions.join() !== n.permissions.join())
      changes.push({
        ...entry("permissions-changed", n, b, n, [], n.permissions),
        permissionsBefore: b.permissions,
      });
    if (b.expiresOn !== n.expiresOn) changes.push(entry("expiry-changed", n, b, n, [], n.permissions));
  }
  for (const [k, b] of was)
    if (!now.has(k)) changes.push(entry("revoked", b, b, undefined, b.columns, b.permissions));
  const order: ChangeKind[] = [
    "granted",
    "revoked",
    "columns-added",
    "columns-removed",
    "filter-changed",
    "permissions-changed",
    "expiry-changed",
  ];
  return changes.sort(
    (x, y) =>
      x.principal.localeCompare(y.principal) ||
      x.database.localeCompare(y.database) ||
      x.table.localeCompare(y.table) ||
      order.indexOf(x.change) - order.indexOf(y.change),
  );
}

/** The report as CONTRACTS §3 JSON. */
export function renderAccessJson(report: AccessReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}
