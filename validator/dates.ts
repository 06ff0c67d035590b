/** Calendar dates written `YYYY-MM-DD`, all in UTC. */
import { isRealDate } from "../platform/schema";

/** Parses `YYYY-MM-DD` to its UTC midnight; throws naming the field when it is not a real date. */
export function parseDate(value: string, field = "date"): Date {
  if (!isRealDate(value))
    throw new Error(`${field}: "${value}" is not a real calendar date written YYYY-MM-DD, e.g. 2026-11-24`);
  return new Date(`${value}T00:00:00Z`);
}

/** The UTC date of an instant, as `YYYY-MM-DD`. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((parseDate(to).getTime() - parseDate(from).getTime()) / 86_400_000);
}

/**
 * The instant a run date is judged at: "now" when the date is today (UTC), otherwise the end of that
 * date (the next UTC midnight). So a past date is judged as it stood that evening, and a future date as
 * the data will stand then if nothing more arrives.
 */
export function asOfInstant(date: string, now: Date): Date {
  if (date === utcDate(now)) return now;
  return new Date(parseDate(date).getTime() + 86_400_000);
}
