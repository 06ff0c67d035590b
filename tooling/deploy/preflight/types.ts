/**
 * The preflight's report (CONTRACTS §5): one row per check of one stack's account, each `ok`, `missing`
 * (with the exact fix) or `unknown` (with why it could not be told), and the exit status it implies.
 */

/** What one check found. */
export type PreflightStatus = "ok" | "missing" | "unknown";

/** One check of one stack's account, as `--format json` writes it. */
export interface PreflightCheck {
  /** The stack (`stacks/Pulumi.<stack>.yaml`; the account's name when it has no stack file). */
  readonly stack: string;
  /** The account's 12-digit id. */
  readonly account: string;
  /** What was checked: `principal`, `service-role`, `bucket-name`, `lake-formation-admin`... */
  readonly check: string;
  readonly status: PreflightStatus;
  /** What was found; for `missing` the fix (a command or console step), for `unknown` why. */
  readonly message: string;
}

/** Everything the preflight found, stacks in deployment order. */
export interface PreflightReport {
  readonly checks: PreflightCheck[];
}

/** Exit statuses of `npm run preflight` (CONTRACTS §5). */
export const PREFLIGHT_EXIT = { ok: 0, missing: 1, couldNot: 2 } as const;

/** `0` when nothing is missing (unknowns alone do not fail the preflight), else `1`. */
export function exitCodeOf(report: PreflightReport): 0 | 1 {
  return report.checks.some((c) => c.status === "missing") ? PREFLIGHT_EXIT.missing : PREFLIGHT_EXIT.ok;
}

/** The preflight could not run at all (unknown stack, unreadable stack file, no credentials): exit 2. */
export class PreflightInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PreflightInputError";
  }
}
