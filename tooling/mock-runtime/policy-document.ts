/**
 * `aws.iam.getPolicyDocument` answered offline, as the provider answers it: the invoke is a pure function
 * of its inputs (the provider makes no AWS call for it), so the plan computes the same `json`,
 * `minifiedJson` and `id` and the packs judge the document a program builds this way.
 *
 * The rules are the AWS provider's data source `aws_iam_policy_document` (terraform-provider-aws v6, which
 * `@pulumi/aws` 7 bridges; `internal/service/iam/policy_document_data_source.go` and `policy_model.go`),
 * restated here, and its documentation's examples are the tests
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document,
 * https://www.pulumi.com/registry/packages/aws/api-docs/iam/getpolicydocument/):
 *
 * - `sourcePolicyDocuments` are merged first, in order (their Sids must be unique across them), then the
 *   document's own `statements`, then `overridePolicyDocuments` in order. Merging a document adopts its
 *   `Id` when it has one, upgrades `Version` when its version is later, and for each statement replaces
 *   the statement of the same non-empty Sid or else appends it.
 * - A statement's `effect` defaults to `Allow`; `version` to `2012-10-17` (`2008-10-17` is the other value
 *   accepted); a Sid is alphanumeric and unique within `statements`.
 * - `actions`, `notActions`, `resources`, `notResources` and principal `identifiers` are sets: one value is
 *   written as a string, several as an array sorted in reverse order. `&{` is written `${` (policy
 *   variables), refused in version `2008-10-17`. Condition values keep their order; a single value is a
 *   string. Principals are grouped by type; `type: "*"` with identifier `*` alone is `"*"`.
 * - An empty Sid is omitted (since provider v5.0.0, hashicorp/terraform-provider-aws#28539; the
 *   documentation's older examples still show `"Sid": ""`), as are empty elements and an empty statement
 *   list.
 * - `json` is indented by two spaces, `minifiedJson` has no whitespace, both escape `<`, `>` and `&` as Go's
 *   encoder does; `id` is the CRC-32 of `json` in decimal.
 */
import { crc32 } from "zlib";

/** The invoke's token. */
export const GET_POLICY_DOCUMENT = "aws:iam/getPolicyDocument:getPolicyDocument";

/** A document the invoke rejects, with the provider's reason: the program fails as under `pulumi preview`. */
export class PolicyDocumentError extends Error {
  constructor(message: string) {
    super(`aws.iam.getPolicyDocument: ${message}`);
    this.name = "PolicyDocumentError";
  }
}

type Strings = string | string[];

interface Principal {
  readonly type: string;
  readonly identifiers: Strings;
}

interface Condition {
  readonly test: string;
  readonly variable: string;
  readonly values: Strings;
}

interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Principal?: Principal[];
  NotPrincipal?: Principal[];
  Condition?: Condition[];
}

interface Doc {
  Version: string;
  Id: string;
  Statement: Statement[];
}

const VERSIONS = ["2008-10-17", "2012-10-17"];

function strings(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new PolicyDocumentError(`${field} must be a list of strings`);
  }
  return value as string[];
}

/** A set of strings as the provider writes it: one as a string, several reverse-sorted, none omitted. */
function stringSet(values: readonly string[]): Strings | undefined {
  const unique = [...new Set(values)];
  if (unique.length === 0) return undefined;
  if (unique.length === 1) return unique[0];
  return unique.sort().reverse();
}

/** `&{aws:username}` → `${aws:username}`, which version 2008-10-17 does not support. */
function policyVariables(value: Strings | undefined, version: string, field: string): Strings | undefined {
  if (value === undefined) return undefined;
  const one = (v: string) => {
    if (version === "2008-10-17" && v.includes("&{")) {
      throw new PolicyDocumentError(
        `${field}: found &{ sequence in (${v}), which is not supported in document version 2008-10-17`,
      );
    }
    return v.split("&{").join("${");
  };
  return typeof value === "string" ? one(value) : value.map(one);
}

function principals(raw: unknown, version: string, field: string): Principal[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new PolicyDocumentError(`${field} must be a list of { type, identifiers }`);
  const out = raw.map((p: unknown, i: number) => {
    const { type, identifiers } = (p ?? {}) as { type?: unknown; identifiers?: unknown };
    if (typeof type !== "string") throw new PolicyDocumentError(`${field}[${i}].type must be a string`);
    const ids = stringSet(strings(identifiers, `${field}[${i}].identifiers`));
    if (ids === undefined) throw new PolicyDocumentError(`${field}[${i}].identifiers must not be empty`);
    return { type, identifiers: policyVariables(ids, version, `${field}[${i}].identifiers`)! };
  });
  return out.length > 0 ? out : undefined;
}

function conditions(raw: unknown, version: string, field: string): Condition[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    throw new PolicyDocumentError(`${field} must be a list of { test, variable, values }`);
  }
  const out = raw.map((c: unknown, i: number) => {
    const { test, variable, values } = (c ?? {}) as Record<string, unknown>;
    if (typeof test !== "string" || typeof variable !== "string") {
      throw new PolicyDocumentError(`${field}[${i}] needs test and variable strings`);
    }
    const list = policyVariables(strings(values, `${field}[${i}].values`), version, `${field}[${i}].values`);
    const all = list as string[];
    return { test, variable, values: all.length === 1 ? all[0] : all };
  });
  return out.length > 0 ? out : undefined;
}

/** The document's own statements, as the provider reads `statement` blocks. */
function ownStatements(raw: unknown, version: string): Statement[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new PolicyDocumentError("statements must be a list");
  const sids = new Set<string>();
  return raw.map((s: unknown, i: number) => {
    const st = (s ?? {}) as Record<string, unknown>;
    const at = `statements[${i}]`;
    const effect = st.effect ?? "Allow";
    if (effect !== "Allow" && effect !== "Deny") {
      throw new PolicyDocumentError(`${at}.effect must be Allow or Deny, not ${JSON.stringify(effect)}`);
    }
    const out: Statement = { Effect: effect };
    if (st.sid !== undefined && st.sid !== null) {
      if (typeof st.sid !== "string" || !/^[a-zA-Z0-9]*$/.test(st.sid)) {
        throw new PolicyDocumentError(`${at}.sid must only include alphanumeric characters`);
      }
      if (sids.has(st.sid)) {
        throw new PolicyDocumentError(
          `duplicate Sid (${st.sid}). Remove the Sid or ensure the Sid is unique.`,
        );
      }
      if (st.sid !== "") sids.add(st.sid);
      out.Sid = st.sid;
    }
    out.Action = stringSet(strings(st.actions, `${at}.actions`));
    out.NotAction = stringSet(strings(st.notActions, `${at}.notActions`));
    out.Resource = policyVariables(
      stringSet(strings(st.resources, `${at}.resources`)),
      version,
      `${at}.resources`,
    );
    out.NotResource = policyVariables(
      stringSet(strings(st.notResources, `${at}.notResources`)),
      version,
      `${at}.notResources`,
    );
    out.Principal = principals(st.principals, version, `${at}.principals`);
    out.NotPrincipal = principals(st.notPrincipals, version, `${at}.notPrincipals`);
    out.Condition = conditions(st.conditions, version, `${at}.conditions`);
    return out;
  });
}

/** A JSON policy document (`sourcePolicyDocuments`, `overridePolicyDocuments`), read as the provider reads it. */
function parseDocument(text: unknown, field: string): Doc {
  let raw: unknown;
  try {
    raw = typeof text === "string" ? JSON.parse(text) : undefined;
  } catch (err) {
    throw new PolicyDocumentError(`${field} is not valid JSON (${(err as Error).message})`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new PolicyDocumentError(`${field} must be a JSON policy document`);
  }
  const d = raw as Record<string, unknown>;
  const list = d.Statement === undefined || d.Statement === null ? [] : d.Statement;
  if (!Array.isArray(list)) throw new PolicyDocumentError(`${field}: Statement must be a list`);
  return {
    Version: typeof d.Version === "string" ? d.Version : "",
    Id: typeof d.Id === "string" ? d.Id : "",
    Statement: list.map((s: unknown, i: number) => {
      const st = (s ?? {}) as Record<string, unknown>;
      return {
        Sid: typeof st.Sid === "string" ? st.Sid : undefined,
        Effect: typeof st.Effect === "string" ? st.Effect : undefined,
        Action: st.Action,
        NotAction: st.NotAction,
        Resource: st.Resource,
        NotResource: st.NotResource,
        Principal: parsePrincipals(st.Principal, `${field} statement ${i} Principal`),
        NotPrincipal: parsePrincipals(st.NotPrincipal, `${field} statement ${i} NotPrincipal`),
        Condition: parseConditions(st.Condition, `${field} statement ${i} Condition`),
      };
    }),
  };
}

function parsePrincipals(raw: unknown, field: string): Principal[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "string") return [{ type: "*", identifiers: ["*"] }];
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new PolicyDocumentError(`${field} must be "*" or a map of principal types`);
  }
  return Object.entries(raw as Record<string, unknown>).map(([type, ids]) => {
    if (typeof ids === "string") return { type, identifiers: ids };
    return { type, identifiers: [...strings(ids, `${field}.${type}`)].sort() };
  });
}

function parseConditions(raw: unknown, field: string): Condition[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw)) throw new PolicyDocumentError(`${field} must be a map`);
  const out: Condition[] = [];
  for (const [test, vars] of Object.entries(raw as Record<string, unknown>)) {
    for (const [variable, values] of Object.entries((vars ?? {}) as Record<string, unknown>)) {
      if (typeof values === "string") out.push({ test, variable, values: [values] });
      else if (typeof values === "boolean") out.push({ test, variable, values: String(values) });
      else if (Array.isArray(values)) out.push({ test, variable, values: values.map(String) });
    }
  }
  return out;
}

/** Merges `next` into `into` (Id adopted, Version upgraded, statements replaced by Sid or appended). */
function merge(into: Doc, next: Doc): void {
  if (next.Id.length > 0) into.Id = next.Id;
  if (next.Version > into.Version) into.Version = next.Version;
  for (const statement of next.Statement) {
    const at = statement.Sid ? into.Statement.findIndex((s) => s.Sid === statement.Sid) : -1;
    if (at >= 0) into.Statement[at] = statement;
    else into.Statement.push(statement);
  }
}

/** Principals as the document writes them: by type (keys sorted, as Go writes a map), `*` alone as `"*"`. */
function writePrincipals(ps: readonly Principal[] | undefined): unknown {
  if (!ps || ps.length === 0) return undefined;
  if (ps.length === 1 && ps[0].type === "*") {
    const ids = ps[0].identifiers;
    if (ids === "*" || (Array.isArray(ids) && ids.length === 1 && ids[0] === "*")) return "*";
  }
  const byType: Record<string, Strings> = {};
  for (const p of ps) {
    const prior = byType[p.type];
    const ids = typeof p.identifiers === "string" ? [p.identifiers] : [...p.identifiers].sort().reverse();
    if (prior === undefined) byType[p.type] = typeof p.identifiers === "string" ? p.identifiers : ids;
    else byType[p.type] = [...(typeof prior === "string" ? [prior] : prior), ...ids];
  }
  return sortedKeys(byType);
}

function writeConditions(cs: readonly Condition[] | undefined): unknown {
  if (!cs || cs.length === 0) return undefined;
  const byTest: Record<string, Record<string, string[]>> = {};
  for (const c of cs) {
    const vars = (byTest[c.test] ??= {});
    (vars[c.variable] ??= []).push(...(typeof c.values === "string" ? [c.values] : c.values));
  }
  return sortedKeys(
    Object.fromEntries(
      Object.entries(byTest).map(([test, vars]) => [
        test,
        sortedKeys(Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v.length === 1 ? v[0] : v]))),
      ]),
    ),
  );
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const empty = (v: unknown) =>
  v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** The document in the provider's field order, empty fields omitted. */
function output(doc: Doc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (doc.Version) out.Version = doc.Version;
  if (doc.Id) out.Id = doc.Id;
  if (doc.Statement.length > 0) {
    out.Statement = doc.Statement.map((s) => {
      const written: Record<string, unknown> = {
        Sid: s.Sid,
        Effect: s.Effect,
        Action: s.Action,
        NotAction: s.NotAction,
        Resource: s.Resource,
        NotResource: s.NotResource,
        Principal: writePrincipals(s.Principal),
        NotPrincipal: writePrincipals(s.NotPrincipal),
        Condition: writeConditions(s.Condition),
      };
      return Object.fromEntries(Object.entries(written).filter(([, v]) => !empty(v)));
    });
  }
  return out;
}

/** Go's encoder escapes `<`, `>`, `&`, U+2028 and U+2029 in strings; JSON.stringify writes them as they are. */
function goEscape(json: string): string {
  return json
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The invoke's result for its inputs (camelCase, as `aws.iam.getPolicyDocument` sends them). */
export function getPolicyDocument(inputs: Record<string, unknown>): Record<string, unknown> {
  const version = inputs.version ?? "2012-10-17";
  if (typeof version !== "string" || !VERSIONS.includes(version)) {
    throw new PolicyDocumentError(
      `version must be one of ${VERSIONS.join(", ")}, not ${JSON.stringify(version)}`,
    );
  }
  if (inputs.policyId !== undefined && inputs.policyId !== null && typeof inputs.policyId !== "string") {
    throw new PolicyDocumentError("policyId must be a string");
  }
  const merged: Doc = { Version: "", Id: "", Statement: [] };
  const sourceSids = new Set<string>();
  strings(inputs.sourcePolicyDocuments, "sourcePolicyDocuments").forEach((text, i) => {
    const source = parseDocument(text, `sourcePolicyDocuments[${i}]`);
    source.Statement.forEach((s, j) => {
      if (!s.Sid) return;
      if (sourceSids.has(s.Sid)) {
        throw new PolicyDocumentError(
          `merging source document ${i}: duplicate Sid (${s.Sid}) in source_policy_documents (statement ${j}). ` +
            `Remove the Sid or ensure Sids are unique.`,
        );
      }
      sourceSids.add(s.Sid);
    });
    merge(merged, source);
  });
  merge(merged, {
    Version: version,
    Id: typeof inputs.policyId === "string" ? inputs.policyId : "",
    Statement: ownStatements(inputs.statements, version),
  });
  strings(inputs.overridePolicyDocuments, "overridePolicyDocuments").forEach((text, i) =>
    merge(merged, parseDocument(text, `overridePolicyDocuments[${i}]`)),
  );
  const doc = output(merged);
  const json = goEscape(JSON.stringify(doc, null, 2));
  return {
    ...inputs,
    version,
    json,
    minifiedJson: goEscape(JSON.stringify(doc)),
    id: String(crc32(json)),
  };
}
