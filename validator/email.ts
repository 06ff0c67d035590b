/**
 * The e-mails: one per team (a dataset owner's address, or a consumer team's for its grants), summing
 * up that team's findings. A team without findings gets none.
 */
import { printable } from "../platform";
import type { Platform } from "../platform";
import { compareFindings, countBySeverity, Finding, RoutedFinding } from "./findings";

/** The most characters of a finding's message, and of an object key (S3 keys are at most 1024 bytes). */
const MAX_MESSAGE = 2000;
const MAX_KEY = 1024;

/** One e-mail to send. */
export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The team names behind each e-mail address of the definition (owners and consumer teams). */
export function teamsByAddress(p: Platform): Map<string, Set<string>> {
  const teams = new Map<string, Set<string>>();
  const add = (email: string, team: string) => teams.set(email, (teams.get(email) ?? new Set()).add(team));
  for (const d of p.datasets) add(d.owner.email, d.owner.team);
  for (const c of p.consumers) add(c.email, c.team);
  return teams;
}

/**
 * Groups the routed findings by address and writes one e-mail per address, its findings by dataset,
 * errors first; `findingsObject` (the full report's S3 URI) is quoted when there is one.
 */
export function composeEmails(
  p: Platform,
  date: string,
  routed: readonly RoutedFinding[],
  findingsObject?: string,
): EmailMessage[] {
  const byAddress = new Map<string, Finding[]>();
  for (const r of routed)
    for (const to of new Set(r.notify)) byAddress.set(to, [...(byAddress.get(to) ?? []), r.finding]);
  const teams = teamsByAddress(p);
  return [...byAddress.keys()].sort().map((to) => {
    const findings = byAddress.get(to)!.sort(compareFindings);
    const team = [...(teams.get(to) ?? [to])].sort().join(", ");
    const counts = countBySeverity(findings);
    const summary = [
      counts.error ? plural(counts.error, "error") : "",
      counts.warning ? plural(counts.warning, "warning") : "",
      counts.info ? plural(counts.info, "reminder") : "",
    ]
      .filter(Boolean)
      .join(", ");
    const lines = [
      `Hello ${team},`,
      "",
      `The data governance validation of ${p.name} for ${date} found ${summary} about your datasets and grants.`,
      "Each line says what to fix.",
    ];
    let current = "";
    for (const f of findings) {
      if (f.dataset !== current) {
        current = f.dataset;
        lines.push("", `${f.dataset}:`);
      }
      // Messages and object keys carry data-derived text (an S3 key may hold a newline or a terminal
      // escape): each stays on its own line, with control characters shown escaped.
      lines.push(`  [${f.severity.toUpperCase()}] ${f.check}: ${printable(f.message, MAX_MESSAGE)}`);
      if (f.object) lines.push(`      ${printable(f.object, MAX_KEY)}`);
    }
    if (findingsObject) lines.push("", `All findings of the run: ${findingsObject}`);
    lines.push("", `-- the ${p.name} governance validator (${p.governance.sender})`);
    return {
      to,
      subject: `[${p.name}] Data governance ${date} for ${team}: ${summary}`,
      body: `${lines.join("\n")}\n`,
    };
  });
}
