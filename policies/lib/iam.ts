/**
 * IAM and bucket policy documents as policies read them: given as JSON strings or objects, with values
 * that may be unknown during a preview. A document that is unknown as a whole yields {@link UNKNOWN};
 * inside a known document, unknown actions, resources or principals stay {@link UNKNOWN} so a check
 * can judge the rest.
 */
import { Known, list, obj, str, UNKNOWN } from "./known";

/** One statement, normalised. */
export interface Statement {
  readonly effect: "Allow" | "Deny" | typeof UNKNOWN | undefined;
  /** `Principal.AWS` entries (account ids, ARNs, `*`); `["*"]` for `Principal: "*"`. */
  readonly awsPrincipals: (string | typeof UNKNOWN)[];
  /** `Principal.Service` entries. */
  readonly servicePrincipals: (string | typeof UNKNOWN)[];
  readonly actions: (string | typeof UNKNOWN)[];
  readonly resources: (string | typeof UNKNOWN)[];
  /** The `Condition` block as given. */
  readonly condition: { [key: string]: Known } | typeof UNKNOWN | undefined;
}

function strings(value: Known | undefined): (string | typeof UNKNOWN)[] {
  if (value === UNKNOWN) return [UNKNOWN];
  return list(value).flatMap((v) => {
    const s = str(v);
    return s === undefined ? [] : [s];
  });
}

/**
 * The document's statements; {@link UNKNOWN} when the document is not known yet; `undefined` when it
 * is not a policy document at all (AWS refuses those itself).
 */
export function statementsOf(document: Known | undefined): Statement[] | typeof UNKNOWN | undefined {
  const doc = obj(document);
  if (doc === UNKNOWN) return UNKNOWN;
  if (!doc) return undefined;
  if (doc.Statement === UNKNOWN) return UNKNOWN;
  return list(doc.Statement).flatMap((raw) => {
    const s = obj(raw);
    if (s === undefined) return [];
    if (s === UNKNOWN) {
      // An unknown statement: nothing about it can be judged.
      return [];
    }
    const principal = s.Principal;
    const p = principal === "*" ? { AWS: "*" } : obj(principal);
    const effect =
      s.Effect === UNKNOWN ? UNKNOWN : s.Effect === "Allow" || s.Effect === "Deny" ? s.Effect : undefined;
    return [
      {
        effect,
        awsPrincipals: p === UNKNOWN ? [UNKNOWN] : strings(p?.AWS),
        servicePrincipals: p === UNKNOWN ? [UNKNOWN] : strings(p?.Service),
        actions: strings(s.Action),
        resources: strings(s.Resource),
        condition: s.Condition === undefined ? undefined : (obj(s.Condition) as Statement["condition"]),
      },
    ];
  });
}

/** True when an IAM action pattern (`s3:Put*`, `s3:*`, `*`) matches the action (case-insensitive). */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return re.test(action);
}

/** True when an ARN pattern with `*` and `?` wildcards covers the given ARN. */
export function arnMatches(pattern: string, arn: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("")}$`,
  );
  return re.test(arn);
}

/** True when one of the statement's known action patterns covers one of `actions`. */
export function allowsAnyAction(s: Statement, actions: readonly string[]): boolean {
  return s.actions.some((pattern) => pattern !== UNKNOWN && actions.some((a) => actionMatches(pattern, a)));
}
