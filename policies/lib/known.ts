/**
 * Values unknown during a preview. `@pulumi/policy` hands policies their inputs behind a proxy that
 * throws as soon as an unknown value is touched, and the analyzer then skips the *whole* policy for
 * that resource (or stack) with an advisory "can't run during preview". Our policies check what *is*
 * known instead: {@link known} returns the inputs as plain data in which every unknown value is the
 * {@link UNKNOWN} symbol, so a check can tell "unset" from "not known yet" and never reports an unknown
 * value as a violation.
 */

/** Stands for a value that is not known until the deployment. */
export const UNKNOWN: unique symbol = Symbol("unknown until deployment");

/**
 * The sentinels `@pulumi/policy` (pinned exactly in package.json) deserialises unknown values into:
 * `unknownBooleanValue` ... `unknownObjectValue` of its `proxy.js`; a test pins them against the
 * installed module.
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** The key under which `@pulumi/policy`'s unknown-checking proxy returns its target. */
const PROXY_TARGET = "__getSpecialProxyTarget";

/** A JSON-like value in which unknowns are {@link UNKNOWN}. */
export type Known = typeof UNKNOWN | null | boolean | number | string | Known[] | { [key: string]: Known };

function reveal(value: unknown): Known {
  if (typeof value === "string") return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
  if (value === null || value === undefined) return null;
  if (typeof value !== "object") return value as boolean | number;
  if (Array.isArray(value)) return value.map(reveal);
  const out: { [key: string]: Known } = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = reveal(v);
  return out;
}

/**
 * A resource's inputs as plain data, unknowns as {@link UNKNOWN}, without tripping the analyzer's
 * unknown-checking proxy. Works on unproxied objects too (unit tests, the plan's records).
 */
export function known(props: unknown): { [key: string]: Known } {
  const target =
    props && typeof props === "object" ? ((props as Record<string, unknown>)[PROXY_TARGET] ?? props) : {};
  const out = reveal(target);
  return out && typeof out === "object" && !Array.isArray(out) ? (out as { [key: string]: Known }) : {};
}

/** True for a value that is not known until the deployment. */
export function isUnknown(value: unknown): value is typeof UNKNOWN {
  return value === UNKNOWN;
}

/** The value as a string, `undefined` when unset or not a string; {@link UNKNOWN} when unknown. */
export function str(value: Known | undefined): string | typeof UNKNOWN | undefined {
  return value === UNKNOWN || typeof value === "string" ? value : undefined;
}

/** The value as an object (JSON object strings parsed), `undefined` otherwise; {@link UNKNOWN} when unknown. */
export function obj(value: Known | undefined): { [key: string]: Known } | typeof UNKNOWN | undefined {
  if (value === UNKNOWN) return UNKNOWN;
  const decoded = decodeJson(value);
  return decoded && typeof decoded === "object" && !Array.isArray(decoded) ? decoded : undefined;
}

/** The value as an array (JSON array strings parsed), `undefined` otherwise; {@link UNKNOWN} when unknown. */
export function arr(value: Known | undefined): Known[] | typeof UNKNOWN | undefined {
  if (value === UNKNOWN) return UNKNOWN;
  const decoded = decodeJson(value);
  return Array.isArray(decoded) ? decoded : undefined;
}

/**
 * Provider inputs and policy documents may arrive as JSON strings; this parses object and array strings
 * (their own unknowns revealed) and returns anything else as given.
 */
export function decodeJson(value: Known | undefined): Known | undefined {
  if (typeof value === "string" && (value.startsWith("{") || value.startsWith("["))) {
    try {
      return reveal(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return value;
}

/** The list of a value that may be one item or many (IAM's `Action`, `Resource`, `Principal.AWS`). */
export function list(value: Known | undefined): Known[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A value for a message: `[unknown]` for {@link UNKNOWN}, strings as they are, anything else as JSON. */
export function show(value: Known | undefined): string {
  if (value === UNKNOWN) return "[unknown]";
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}
