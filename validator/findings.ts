/**
 * Findings (CONTRACTS §4): what the validator reports, one per problem, and how they are ordered and
 * serialised. Every check produces them; the report, the findings object and the e-mails are built from them.
 */

/** The checks a finding can come from. */
export const CHECKS = [
  "format",
  "schema",
  "freshness",
  "volume",
  "registration",
  "grant-expiry",
  "metadata",
  "unreadable",
  "queryability",
] as const;

/** How bad a finding is. */
export const SEVERITIES = ["error", "warning", "info"] as const;

/** One of {@link CHECKS}. */
export type Check = (typeof CHECKS)[number];
/** One of {@link SEVERITIES}. */
export type Severity = (typeof SEVERITIES)[number];

/** One problem found in one dataset (CONTRACTS §4). */
export interface Finding {
  /** The dataset's name, as registered. */
  readonly dataset: string;
  readonly check: Check;
  readonly severity: Severity;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** The object concerned, as `s3://bucket/key`, when there is one. */
  readonly object?: string;
}

/** A finding and the e-mail addresses it goes to (owner, and the consumer team for grant expiry). */
export interface RoutedFinding {
  readonly finding: Finding;
  readonly notify: readonly string[];
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Orders findings by dataset, check, severity, object and message: one run's output is deterministic. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.dataset.localeCompare(b.dataset) ||
    CHECKS.indexOf(a.check) - CHECKS.indexOf(b.check) ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    (a.object ?? "").localeCompare(b.object ?? "") ||
    a.message.localeCompare(b.message)
  );
}

/** A finding as a plain object with the contract's keys only, in the contract's order. */
export function findingJson(f: Finding): Finding {
  return {
    dataset: f.dataset,
    check: f.check,
    severity: f.severity,
    message: f.message,
    ...(f.object !== undefined ? { object: f.object } : {}),
  };
}

/** JSON lines of the findings, sorted; the same findings always give the same bytes. */
export function toJsonLines(findings: readonly Finding[]): string {
  return [...findings]
    .sort(compareFindings)
    .map((f) => `${JSON.stringify(findingJson(f))}\n`)
    .join("");
}

/** Counts per severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/**
 * Names up to `max` objects one by one; the rest become one finding saying how many more there are, so a
 * dataset of 10 000 bad objects yields a readable report.
 */
export function capNamedObjects(
  findings: readonly Finding[],
  max: number,
  more: (n: number) => Finding,
): Finding[] {
  if (findings.length <= max) return [...findings];
  return [...findings.slice(0, max), more(findings.length - max)];
}
