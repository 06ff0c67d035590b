/**
 * The plan's own check (pack `lakehouse-plan`, CONTRACTS §3): the effective access the planned stacks
 * declare (`effectiveAccess`) against what the definition means (`modelAccess`, `s3Readers`). It needs
 * the lake's stack and the consumers' at once, so no single-stack `pulumi preview` can make it: it is the
 * check that the components implement the definition.
 *
 * - `planned-grants-match-definition`: every principal reads, per lake table, exactly the columns, rows
 *   and permissions the access model gives it, through the resource link it should — a grant wider or
 *   narrower than the definition, a grant to a principal or an account the definition does not name, a
 *   missing one, are each a mandatory violation naming the principal and the dataset;
 * - `lake-data-read-through-lake-formation`: only the readers the model lets bypass Lake Formation
 *   (ingestion, crawler, validator and Lake Formation's own data-access roles, each on its datasets) may
 *   read lake data from S3; `IAMAllowedPrincipals` and hybrid access mode never.
 */
import { accessKey, lakeAccount, modelAccess, s3Readers } from "../../../platform";
import type { Platform, ReadAccess } from "../../../platform";
import type { PackReport, StackReport } from "../engine";
import type { Violation } from "../../policy-eval/packs";
import { EffectiveAccess } from "./effective";

/** The pack name the plan's own findings carry. */
export const PLAN_PACK = "lakehouse-plan";

/** The plan's own policies, as the report lists a pack's. */
export const PLAN_RULES = {
  grants: {
    name: "planned-grants-match-definition",
    description:
      "The Lake Formation grants the stacks plan give each principal exactly what the platform definition means it to read: the same datasets, columns, rows and permissions, through its resource link.",
    remediation:
      "Make the component that declares the grant implement the definition (platform/access.ts says what it means), or change the definition; never grant around it.",
  },
  bypass: {
    name: "lake-data-read-through-lake-formation",
    description:
      "Lake data is read through Lake Formation: only the platform's ingestion, crawler, validator and Lake Formation data-access roles read it from S3 (each its own datasets), and no location or catalog resource lets IAM alone decide (IAMAllowedPrincipals, hybrid access mode).",
    remediation:
      "Remove the S3 read from the role's or bucket's policy and grant the principal through Lake Formation; revoke IAMAllowedPrincipals and register locations without hybrid access.",
  },
} as const;

/** The plan's pack, as the report lists the packs that judged it. */
export const PLAN_PACK_REPORT: PackReport = {
  name: PLAN_PACK,
  version: "1.0.0",
  policies: 2,
  rules: Object.values(PLAN_RULES).map((r) => ({
    name: r.name,
    description: r.description,
    level: "mandatory" as const,
    remediation: r.remediation,
  })),
};

/** What the check could see: the stacks planned, by account id. */
export interface CheckScope {
  /** Account ids whose stack this plan ran. */
  readonly planned: ReadonlySet<string>;
}

const list = (xs: readonly string[]) => (xs.length === 0 ? "none" : xs.join(", "));

function describe(a: ReadAccess): string {
  const who = a.team
    ? `${a.kind ?? "role"} of ${a.team} (${a.principal})`
    : a.kind
      ? `the ${a.kind} role ${a.principal}`
      : a.principal;
  return `${a.delegated ? "the whole account " : ""}${who}`;
}

function table(a: ReadAccess): string {
  return `${a.dataset ?? "no dataset"} (${a.database}.${a.table})`;
}

/** A finding, attached to the stack it should be fixed in. */
export interface PlanFinding {
  /** The stack to attach it to (by name). */
  readonly stack: string;
  readonly violation: Violation;
}

/**
 * The plan's findings on `effective` for `p` on `date`. Only what the plan saw is judged: without the
 * lake's stack there is no grant to compare, and a consumer account whose stack is not planned has its
 * resource links left out of the comparison.
 */
export function checkAccess(
  p: Platform,
  date: string,
  effective: EffectiveAccess,
  stacks: readonly StackReport[],
): PlanFinding[] {
  const lake = lakeAccount(p);
  const lakeStack = stacks.find((s) => s.account === lake.id);
  if (!lakeStack) return [];
  const planned = new Set(stacks.map((s) => s.account).filter((a): a is string => a !== null));
  const stackOf = (accountName: string | null) =>
    stacks.find((s) => s.account === p.accounts.find((a) => a.name === accountName)?.id)?.stack ??
    lakeStack.stack;
  const accountOfArn = (arn: string) => /^arn:aws[\w-]*:iam::(\d{12}):/.exec(arn)?.[1];
  // Links live in the principal's account: compared only where that account's stack was planned.
  const seenLinks = (a: ReadAccess) => {
    const account = accountOfArn(a.principal);
    return account === undefined || account === lake.id || planned.has(account);
  };
  const comparable = (a: ReadAccess): ReadAccess =>
    seenLinks(a) ? a : { ...a, via: a.via.filter((v) => !v.startsWith("resource link ")) };

  const findings: PlanFinding[] = [];
  const finding = (stack: string, policy: string, urn: string | null, message: string) =>
    findings.push({ stack, violation: { pack: PLAN_PACK, policy, level: "mandatory", urn, message } });
  const model = new Map(
    modelAccess(p, date).map((a) => [accessKey(a.principal, a.database, a.table), comparable(a)]),
  );
  const actual = new Map(
    effective.grants.map((a) => [accessKey(a.principal, a.database, a.table), comparable(a)]),
  );
  const rule = PLAN_RULES.grants.name;
  for (const [key, want] of model) {
    const got = actual.get(key);
    if (!got) {
      finding(
        lakeStack.stack,
        rule,
        null,
        `${describe(want)} is not granted ${table(want)}, which the definition lets it read (${want.via.join("; ")}): the plan grants less than the definition means`,
      );
      continue;
    }
    const urn = effective.sources.get(key)?.[0] ?? null;
    const problems: string[] = [];
    const extra = got.columns.filter((c) => !want.columns.includes(c));
    const missing = want.columns.filter((c) => !got.columns.includes(c));
    if (extra.length > 0) problems.push(`columns the definition does not grant it: ${list(extra)}`);
    if (missing.length > 0) problems.push(`columns it should read but cannot: ${list(missing)}`);
    if (got.rowFilter !== want.rowFilter)
      problems.push(
        `rows ${got.rowFilter === null ? "all" : `where ${got.rowFilter}`} instead of ${want.rowFilter === null ? "all" : `where ${want.rowFilter}`}`,
      );
    if (got.permissions.join() !== want.permissions.join())
      problems.push(`permissions ${list(got.permissions)} instead of ${list(want.permissions)}`);
    const links = (a: ReadAccess) => a.via.filter((v) => v.startsWith("resource link "));
    if (links(got).join() !== links(want).join())
      problems.push(`reaches it through ${list(links(got))} instead of ${list(links(want))}`);
    if (problems.length > 0)
      finding(
        links(got).join() !== links(want).join() && problems.length === 1
          ? stackOf(want.account)
          : lakeStack.stack,
        rule,
        urn,
        `${describe(got)} on ${table(got)}: ${problems.join("; ")} (planned via ${got.via.join("; ")})`,
      );
  }
  for (const [key, got] of actual) {
    if (model.has(key)) continue;
    finding(
      lakeStack.stack,
      rule,
      effective.sources.get(key)?.[0] ?? null,
      `${describe(got)} is granted ${list(got.permissions)} on ${table(got)} (via ${got.via.join("; ")}), which the definition does not let it read${got.delegated ? "; its data lake admins could re-grant it to anyone in the account" : ""}: the plan grants more than the definition means`,
    );
  }

  const allowed = new Map(s3Readers(p).map((r) => [r.principal, r]));
  for (const b of effective.bypass) {
    const stack =
      stacks.find((s) => b.via.some((v) => v.startsWith(`${s.stack}/`)))?.stack ?? lakeStack.stack;
    if (b.kind !== "s3-read") {
      finding(
        stack,
        PLAN_RULES.bypass.name,
        null,
        `${b.kind === "hybrid-access" ? "a location registered in hybrid access mode" : "IAMAllowedPrincipals holds permissions"} (${b.via.join(", ")}): IAM alone decides who reads ${list(b.datasets)}`,
      );
      continue;
    }
    const may = allowed.get(b.principal);
    const beyond = b.datasets.filter((d) => !may?.datasets.includes(d));
    if (beyond.length === 0) continue;
    finding(
      stack,
      PLAN_RULES.bypass.name,
      null,
      `${b.team ? `a role of ${b.team} ` : ""}${b.principal} may read ${list(beyond)} from S3 (${b.via.join(", ")}), outside Lake Formation${may ? ` (as a ${may.kind} role it may read ${list(may.datasets)} only)` : ""}`,
    );
  }
  return findings;
}
