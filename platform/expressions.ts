/**
 * The definition's expressions, parsed by the rules of the service that reads them, not passed through:
 * Lake Formation row filters (the PartiQL subset LF documents), Glue crawler and EventBridge Scheduler
 * schedules, QuickSight time zones, AWS regions, DMS selection names and Secrets Manager ARNs.
 * Pure: no @pulumi import; `expressionIssues` is called by `crossCheck` (validate.ts).
 */
import { hiddenColumns, readableDatasets } from "./access";
import { isRealDate, Consumer, Dataset, Platform } from "./schema";

/** One problem found in an expression: where (`["consumers", 2, "rowFilters", 0, "expression"]`) and the fix. */
export interface ExpressionIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

// ---------------------------------------------------------------------------------------------------
// Lake Formation row filters
// https://docs.aws.amazon.com/lake-formation/latest/dg/partiql-support.html: "Lake Formation does not
// allow any user defined or standard partiQL functions", "you can't compare columns with other columns",
// "Total length of the expression must be less than 2048 characters", "You can't use IS [NOT] NULL
// operator on partition columns", operators `=, >, <, >=, <=, <>, !=, BETWEEN, IN, LIKE, NOT,
// IS [NOT] NULL`, AND/OR, string constants in single quotes, reserved words escaped in double quotes.
// ---------------------------------------------------------------------------------------------------

/** LF's limit: the expression must be shorter than this many characters. */
export const ROW_FILTER_MAX_LENGTH = 2048;
/** At most this many data cells filters in one grant (h14-rules.md row 7d). */
export const FILTERS_PER_GRANT = 10;
/** Nesting depth (parentheses and NOT) the parser accepts; deeper input is refused, not recursed into. */
export const ROW_FILTER_MAX_DEPTH = 32;

type Literal = { kind: "string" | "number" | "boolean"; text: string };
type Cmp = "=" | "<>" | "<" | ">" | "<=" | ">=";

/** A parsed row filter. */
export type RowFilter =
  | { kind: "or" | "and"; parts: RowFilter[] }
  | { kind: "not"; inner: RowFilter }
  | { kind: "cmp"; column: string; op: Cmp; value: Literal }
  | { kind: "between"; column: string; low: Literal; high: Literal; negated: boolean }
  | { kind: "in"; column: string; values: Literal[]; negated: boolean }
  | { kind: "like"; column: string; pattern: Literal; negated: boolean }
  | { kind: "null"; column: string; negated: boolean };

type Token =
  | { t: "id"; v: string; pos: number }
  | { t: "str"; v: string; pos: number }
  | { t: "num"; v: string; pos: number }
  | { t: "op"; v: string; pos: number }
  | { t: "kw"; v: string; pos: number }
  | { t: "end"; v: ""; pos: number };

const KEYWORDS = new Set(["AND", "OR", "NOT", "BETWEEN", "IN", "LIKE", "IS", "NULL", "TRUE", "FALSE"]);

/** A row filter LF would not parse or accept; the message names the fix. */
export class RowFilterSyntaxError extends Error {}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === "'") {
      let v = "";
      i++;
      for (;;) {
        if (i >= src.length)
          throw new RowFilterSyntaxError(
            `the string starting at character ${pos + 1} is not closed; end it with ' (write '' for a quote inside)`,
          );
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i++];
      }
      out.push({ t: "str", v, pos });
    } else if (c === '"') {
      const end = src.indexOf('"', i + 1);
      if (end < 0)
        throw new RowFilterSyntaxError(
          `the quoted column name at character ${pos + 1} is not closed; end it with "`,
        );
      out.push({ t: "id", v: src.slice(i + 1, end), pos });
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(src[i + 1] ?? ""))) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i))!;
      out.push({ t: "num", v: m[0], pos });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(src.slice(i))!;
      const upper = m[0].toUpperCase();
      out.push(KEYWORDS.has(upper) ? { t: "kw", v: upper, pos } : { t: "id", v: m[0], pos });
      i += m[0].length;
    } else {
      const m = /^(<>|!=|>=|<=|=|<|>|\(|\)|,)/.exec(src.slice(i));
      if (!m)
        throw new RowFilterSyntaxError(
          `${JSON.stringify(c)} at character ${pos + 1} is not part of Lake Formation's row filter syntax; use =, <>, !=, <, >, <=, >=, BETWEEN, IN, LIKE, IS [NOT] NULL, NOT, AND, OR and parentheses`,
        );
      out.push({ t: "op", v: m[0], pos });
      i += m[0].length;
    }
  }
  out.push({ t: "end", v: "", pos: src.length });
  return out;
}

/** Parses a row filter in LF's PartiQL subset; throws {@link RowFilterSyntaxError} with the fix. */
export function parseRowFilter(src: string): RowFilter {
  const tokens = tokenize(src);
  let k = 0;
  const peek = () => tokens[k];
  const next = () => tokens[k++];
  const isKw = (v: string) => peek().t === "kw" && peek().v === v;
  const describe = (tok: Token) =>
    tok.t === "end" ? "the end of the expression" : `"${tok.v}" at character ${tok.pos + 1}`;
  const fail = (what: string): never => {
    throw new RowFilterSyntaxError(`expected ${what} but found ${describe(peek())}`);
  };

  const literal = (column: string): Literal => {
    const tok = next();
    if (tok.t === "str") return { kind: "string", text: tok.v };
    if (tok.t === "num") return { kind: "number", text: tok.v };
    if (tok.t === "kw" && (tok.v === "TRUE" || tok.v === "FALSE")) return { kind: "boolean", text: tok.v };
    if (tok.t === "id" && peek().t === "op" && peek().v === "(")
      throw new RowFilterSyntaxError(
        `uses the function ${tok.v}(); Lake Formation allows no functions in a row filter: compare ${column} with a constant`,
      );
    if (tok.t === "id")
      throw new RowFilterSyntaxError(
        `compares column ${column} with column ${tok.v}; Lake Formation compares a column with a constant only, e.g. ${column} = 'value'`,
      );
    k--;
    return fail(`a constant ('text', a number, TRUE or FALSE) after ${column}`);
  };

  const predicate = (): RowFilter => {
    const tok = next();
    if (tok.t !== "id") {
      k--;
      if (tok.t === "str" || tok.t === "num")
        throw new RowFilterSyntaxError(
          `starts a comparison with the constant ${tok.t === "str" ? `'${tok.v}'` : tok.v}; write the column first, e.g. region = 'EU'`,
        );
      return fail("a column name");
    }
    const column = tok.v;
    if (peek().t === "op" && peek().v === "(")
      throw new RowFilterSyntaxError(
        `uses the function ${column}(); Lake Formation allows no functions in a row filter: compare a column with a constant, e.g. region = 'EU'`,
      );
    const op = peek();
    if (op.t === "op" && ["=", "<>", "!=", "<", ">", "<=", ">="].includes(op.v)) {
      k++;
      return { kind: "cmp", column, op: (op.v === "!=" ? "<>" : op.v) as Cmp, value: literal(column) };
    }
    if (isKw("IS")) {
      k++;
      const negated = isKw("NOT");
      if (negated) k++;
      if (!isKw("NULL")) fail("NULL after IS");
      k++;
      return { kind: "null", column, negated };
    }
    const negated = isKw("NOT");
    if (negated) k++;
    if (isKw("BETWEEN")) {
      k++;
      const low = literal(column);
      if (!isKw("AND")) fail("AND in BETWEEN ... AND ...");
      k++;
      return { kind: "between", column, low, high: literal(column), negated };
    }
    if (isKw("IN")) {
      k++;
      if (!(peek().t === "op" && peek().v === "(")) fail("( after IN");
      k++;
      const values = [literal(column)];
      while (peek().t === "op" && peek().v === ",") {
        k++;
        values.push(literal(column));
      }
      if (!(peek().t === "op" && peek().v === ")")) fail(") closing the IN list");
      k++;
      return { kind: "in", column, values, negated };
    }
    if (isKw("LIKE")) {
      k++;
      const pattern = literal(column);
      if (pattern.kind !== "string")
        throw new RowFilterSyntaxError(`LIKE takes a quoted pattern such as '%EU%', not ${pattern.text}`);
      return { kind: "like", column, pattern, negated };
    }
    return fail(`an operator after ${column} (=, <>, !=, <, >, <=, >=, BETWEEN, IN, LIKE or IS [NOT] NULL)`);
  };

  const unary = (depth: number): RowFilter => {
    if (depth > ROW_FILTER_MAX_DEPTH)
      throw new RowFilterSyntaxError(
        `nests parentheses and NOT more than ${ROW_FILTER_MAX_DEPTH} deep; flatten the expression`,
      );
    if (isKw("NOT")) {
      k++;
      return { kind: "not", inner: unary(depth + 1) };
    }
    if (peek().t === "op" && peek().v === "(") {
      k++;
      const inner = or(depth + 1);
      if (!(peek().t === "op" && peek().v === ")")) fail(")");
      k++;
      return inner;
    }
    return predicate();
  };
  const and = (depth: number): RowFilter => {
    const parts = [unary(depth)];
    while (isKw("AND")) {
      k++;
      parts.push(unary(depth));
    }
    return parts.length === 1 ? parts[0] : { kind: "and", parts };
  };
  const or = (depth: number): RowFilter => {
    const parts = [and(depth)];
    while (isKw("OR")) {
      k++;
      parts.push(and(depth));
    }
    return parts.length === 1 ? parts[0] : { kind: "or", parts };
  };

  const tree = or(0);
  if (peek().t !== "end") fail("AND, OR or the end of the expression");
  return tree;
}

/** Every predicate of a filter, depth-first (iterative: the tree is at most ROW_FILTER_MAX_DEPTH deep anyway). */
type Predicate = Extract<RowFilter, { column: string }>;
function predicates(f: RowFilter): Predicate[] {
  const out: Predicate[] = [];
  const stack = [f];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.kind === "or" || n.kind === "and") stack.push(...[...n.parts].reverse());
    else if (n.kind === "not") stack.push(n.inner);
    else if ("column" in n) out.push(n);
  }
  return out;
}

const COMPLEMENT: Record<Cmp, Cmp> = { "=": "<>", "<>": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">" };

/** A comparison (or a negated one) as `column op value`, with NOT pushed into the operator. */
function atom(n: RowFilter): string | undefined {
  if (n.kind === "cmp") return `${n.column}\u0000${n.op}\u0000${n.value.kind}:${n.value.text}`;
  if (n.kind === "not" && n.inner.kind === "cmp")
    return `${n.inner.column}\u0000${COMPLEMENT[n.inner.op]}\u0000${n.inner.value.kind}:${n.inner.value.text}`;
  if (n.kind === "null") return `${n.column}\u0000${n.negated ? "notnull" : "null"}\u0000`;
  if (n.kind === "not" && n.inner.kind === "null")
    return `${n.inner.column}\u0000${n.inner.negated ? "null" : "notnull"}\u0000`;
  return undefined;
}

function complementOf(a: string): string {
  const [column, op, value] = a.split("\u0000");
  const flipped = op === "null" ? "notnull" : op === "notnull" ? "null" : COMPLEMENT[op as Cmp];
  return `${column}\u0000${flipped}\u0000${value}`;
}

/**
 * The column of a disjunction that holds a comparison and its complement (`c = 'x' OR c <> 'x'`,
 * `c = 'x' OR NOT c = 'x'`, `c < 5 OR c >= 5`): such a filter is true for every value and hides nothing.
 */
export function tautologicalColumn(f: RowFilter): string | undefined {
  const stack = [f];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.kind === "or") {
      const atoms = new Set(n.parts.map(atom).filter((a): a is string => a !== undefined));
      for (const a of atoms) if (atoms.has(complementOf(a))) return a.split("\u0000")[0];
    }
    if (n.kind === "or" || n.kind === "and") stack.push(...n.parts);
    else if (n.kind === "not") stack.push(n.inner);
  }
  return undefined;
}

/** The column types LF lists for row filters (STRING, CHAR, VARCHAR, INT, LONG, BIGINT, FLOAT, DECIMAL, DOUBLE, BOOLEAN, STRUCT). */
function lfFilterable(type: string): boolean {
  return !/^(array|map)\s*</.test(type) && type !== "binary";
}

function literalFits(type: string, lit: Literal): boolean {
  if (/^(string|char|varchar)\b/.test(type) || type === "date" || type === "timestamp")
    return lit.kind === "string";
  if (/^(tinyint|smallint|int|integer|bigint|float|double|decimal)\b/.test(type))
    return lit.kind === "number";
  if (type === "boolean") return lit.kind === "boolean";
  return true;
}

function literalsOf(n: Predicate): Literal[] {
  switch (n.kind) {
    case "cmp":
      return [n.value];
    case "between":
      return [n.low, n.high];
    case "in":
      return n.values;
    case "like":
      return [n.pattern];
    default:
      return [];
  }
}

/** The problems of one row filter of `consumer` on `dataset`, as messages (the path is the caller's). */
export function rowFilterProblems(
  p: Platform,
  consumer: Consumer,
  dataset: Dataset,
  expression: string,
): string[] {
  if (expression.length >= ROW_FILTER_MAX_LENGTH)
    return [
      `is ${expression.length} characters; Lake Formation requires a row filter shorter than ${ROW_FILTER_MAX_LENGTH} characters: shorten it`,
    ];
  let tree: RowFilter;
  try {
    tree = parseRowFilter(expression);
  } catch (err) {
    if (err instanceof RowFilterSyntaxError) return [err.message];
    throw err;
  }
  const problems: string[] = [];
  const columns = new Map(dataset.schema.columns.map((c) => [c.name, { type: c.type, partition: false }]));
  for (const k of dataset.schema.partitionKeys) columns.set(k.name, { type: k.type, partition: true });
  const hidden = new Set(hiddenColumns(p, consumer, dataset));
  const seen = new Set<string>();
  for (const n of predicates(tree)) {
    const [root, ...nested] = n.column.split(".");
    const col = columns.get(root);
    const once = (m: string) => {
      if (!seen.has(m)) problems.push(m);
      seen.add(m);
    };
    if (!col) {
      once(
        `"${root}" is not a column of ${dataset.name} (${[...columns.keys()].join(", ")}); filter on one of them`,
      );
      continue;
    }
    if (hidden.has(root)) {
      once(
        `"${root}" is hidden from ${consumer.team} (its classification is stricter than what the team reads); filter on a column the team can read`,
      );
      continue;
    }
    if (nested.length > 0 && !/^struct</.test(col.type)) {
      once(
        `"${n.column}" names a field of ${root}, which is ${col.type}, not a struct; filter on ${root} itself`,
      );
      continue;
    }
    if (nested.length > 0 && col.partition) {
      once(
        `"${n.column}" is a nested field under a partition column; Lake Formation refuses that: filter on ${root}`,
      );
      continue;
    }
    if (!lfFilterable(col.type)) {
      once(
        `"${root}" is ${col.type}; Lake Formation row filters support string, char, varchar, int, bigint, float, decimal, double, boolean and struct columns only: filter on another column`,
      );
      continue;
    }
    if (n.kind === "null" && col.partition)
      once(
        `"${root}" is a partition column and Lake Formation refuses IS [NOT] NULL on partition columns; compare it with a value instead, e.g. ${root} = '...'`,
      );
    if (nested.length === 0)
      for (const lit of literalsOf(n))
        if (!literalFits(col.type, lit))
          once(
            `compares "${root}" (${col.type}) with ${lit.kind === "string" ? `'${lit.text}'` : lit.text}; Lake Formation requires a constant of the column's type${lit.kind === "string" ? " (remove the quotes)" : /^(string|char|varchar|date|timestamp)/.test(col.type) ? " (quote it: '...')" : ""}`,
          );
  }
  const always = tautologicalColumn(tree);
  if (always !== undefined)
    problems.push(
      `has a disjunction true for every value of ${always} (a comparison OR its complement), which hides no row; remove one side of the OR`,
    );
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Schedules
// Glue: https://docs.aws.amazon.com/glue/latest/dg/monitor-data-warehouse-schedule.html ("cron(Minutes
// Hours Day-of-month Month Day-of-week Year)", UTC, "the minimum precision for a schedule is 5 minutes",
// the `?` rule; wildcards , - * ? / L W, no #). Scheduler:
// https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html (at(yyyy-mm-ddThh:mm:ss),
// rate(value unit) "a value as a positive integer" and unit minute|minutes|hour|hours|day|days, cron with
// six fields and `#` in day-of-week); singular unit iff value 1:
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html
// ---------------------------------------------------------------------------------------------------

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}
const CRON_FIELDS: readonly FieldRule[] = [
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day-of-week", min: 1, max: 7, names: DAYS },
  { name: "year", min: 1970, max: 2199 },
];

function fieldValue(rule: FieldRule, text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = +text;
    return n >= rule.min && n <= rule.max ? n : undefined;
  }
  const i = rule.names?.indexOf(text.toUpperCase()) ?? -1;
  return i >= 0 ? i + rule.min : undefined;
}

/** The problem of one cron field, or undefined. */
function cronFieldProblem(rule: FieldRule, field: string, service: "glue" | "scheduler"): string | undefined {
  const range = `${rule.min}-${rule.max}${rule.names ? ` or ${rule.names[0]}-${rule.names[rule.names.length - 1]}` : ""}`;
  const bad = `the ${rule.name} field "${field}" is not valid: use *, a value ${range}, a range a-b, a list a,b or a step a/n`;
  for (const item of field.split(",")) {
    if (item === "*") continue;
    if (item === "?") {
      if (rule.name !== "day-of-month" && rule.name !== "day-of-week")
        return `the ${rule.name} field cannot be ?; only day-of-month or day-of-week can`;
      if (field !== "?") return bad;
      continue;
    }
    if (rule.name === "day-of-month" && /^(L|LW|\d{1,2}W)$/i.test(item)) {
      if (/^\d/.test(item) && fieldValue(rule, item.slice(0, -1)) === undefined) return bad;
      continue;
    }
    if (rule.name === "day-of-week" && /^([1-7]|[A-Za-z]{3})?L$/i.test(item)) {
      if (item.length > 1 && fieldValue(rule, item.slice(0, -1)) === undefined) return bad;
      continue;
    }
    if (rule.name === "day-of-week" && item.includes("#")) {
      if (service === "glue")
        return `Glue cron does not take # in day-of-week ("${field}"); use a value, range or L`;
      const [d, nth] = item.split("#");
      if (fieldValue(rule, d) === undefined || !/^[1-5]$/.test(nth ?? "")) return bad;
      continue;
    }
    const m = /^([^/-]+)(?:-([^/]+))?(?:\/(\d+))?$/.exec(item);
    if (!m) return bad;
    const [, from, to, step] = m;
    if (from !== "*" && fieldValue(rule, from) === undefined) return bad;
    if (to !== undefined && (from === "*" || fieldValue(rule, to) === undefined)) return bad;
    if (step !== undefined && +step < 1) return bad;
  }
  return undefined;
}

/** The problem of a cron expression's body (the six fields), or undefined. */
function cronProblem(body: string, service: "glue" | "scheduler"): string | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6)
    return `cron() takes six fields (minutes hours day-of-month month day-of-week year), found ${fields.length}: e.g. cron(0 6 * * ? *)`;
  for (let i = 0; i < 6; i++) {
    const problem = cronFieldProblem(CRON_FIELDS[i], fields[i], service);
    if (problem) return problem;
  }
  const [minutes, , dom, , dow] = fields;
  if ((dom === "?") === (dow === "?"))
    return `exactly one of day-of-month ("${dom}") and day-of-week ("${dow}") must be ?: e.g. cron(0 6 * * ? *) or cron(0 6 ? * MON *)`;
  if (service === "glue") {
    const fine = minutes.split(",").some((item) => {
      const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(item);
      if (!m) return false;
      if (m[3] !== undefined) return +m[3] < 5;
      return m[1] === "*" || m[2] !== undefined;
    });
    if (fine)
      return `the minutes field "${minutes}" runs more often than every 5 minutes, and Glue's minimum precision is 5 minutes; use e.g. 0/5 or a fixed minute`;
  }
  return undefined;
}

/** The problem of a Glue crawler schedule, or undefined. Glue reads it in UTC. */
export function glueScheduleProblem(schedule: string): string | undefined {
  const m = /^cron\((.*)\)$/.exec(schedule.trim());
  if (!m)
    return `"${schedule}" is not a Glue schedule: Glue crawlers take cron() only (six fields, in UTC), e.g. cron(0 3 * * ? *)`;
  const problem = cronProblem(m[1], "glue");
  return problem && `${problem} (Glue cron, in UTC)`;
}

/** The problem of an EventBridge Scheduler expression (`cron()`, `rate()` or `at()`), or undefined. */
export function schedulerExpressionProblem(expression: string): string | undefined {
  const e = expression.trim();
  let m = /^cron\((.*)\)$/.exec(e);
  if (m) return cronProblem(m[1], "scheduler");
  m = /^rate\((.*)\)$/.exec(e);
  if (m) {
    const r = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(m[1]);
    if (!r || +r[1] < 1)
      return `"${e}" is not a rate: write rate(<positive integer> <minute|minutes|hour|hours|day|days>), e.g. rate(1 day) or rate(5 minutes)`;
    const plural = r[2].endsWith("s");
    if (+r[1] === 1 && plural) return `write rate(1 ${r[2].slice(0, -1)}): the unit is singular for 1`;
    if (+r[1] > 1 && !plural) return `write rate(${+r[1]} ${r[2]}s): the unit is plural for values above 1`;
    return undefined;
  }
  m = /^at\((.*)\)$/.exec(e);
  if (m) {
    const a = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/.exec(m[1]);
    if (!a || !isRealDate(a[1]))
      return `"${e}" is not a one-time schedule: write at(yyyy-mm-ddThh:mm:ss) with a real date and time, e.g. at(2027-01-15T06:00:00)`;
    return undefined;
  }
  return `"${e}" is not an EventBridge Scheduler expression: use cron(...), rate(...) or at(...), e.g. cron(0 6 * * ? *) or rate(1 day)`;
}

// ---------------------------------------------------------------------------------------------------
// Time zones and regions
// ---------------------------------------------------------------------------------------------------

/** True for an IANA time zone Node's ICU knows, or "UTC" (QuickSight's RefreshFrequency.Timezone). */
export function isTimeZone(zone: string): boolean {
  zones ??= new Set(Intl.supportedValuesOf("timeZone"));
  return zone === "UTC" || zones.has(zone);
}
let zones: Set<string> | undefined;

/**
 * The AWS regions, generated from the AWS SDK's partitions data (@aws-sdk/core 3.981.0,
 * dist-es/submodules/client/util-endpoints/lib/aws/partitions.js, every partition, the `*-global`
 * pseudo-regions left out). The SDK is a dev dependency, so the list is a constant here and
 * tests/platform/expressions.test.ts fails when it drifts from the installed SDK's.
 */
export const AWS_REGIONS: readonly string[] = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "cn-north-1",
  "cn-northwest-1",
  "eu-central-1",
  "eu-central-2",
  "eu-isoe-west-1",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eusc-de-east-1",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "me-west-1",
  "mx-central-1",
  "sa-east-1",
  "sa-west-1",
  "us-east-1",
  "us-east-2",
  "us-gov-east-1",
  "us-gov-west-1",
  "us-iso-east-1",
  "us-iso-west-1",
  "us-isob-east-1",
  "us-isob-west-1",
  "us-isof-east-1",
  "us-isof-south-1",
  "us-west-1",
  "us-west-2",
];

function regionProblem(region: string): string | undefined {
  if (AWS_REGIONS.includes(region)) return undefined;
  const prefix = region.split("-")[0];
  const near = AWS_REGIONS.filter((r) => r.split("-")[0] === prefix);
  return `"${region}" is not an AWS region; use one of ${(near.length > 0 ? near : AWS_REGIONS).join(", ")}`;
}

// ---------------------------------------------------------------------------------------------------
// DMS selection names and Secrets Manager ARNs
// https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Wildcards.html:
// in selection rules `%` is any string, `_` one character, `[_]` a literal underscore, `[ab]`/`[a-d]` sets.
// ---------------------------------------------------------------------------------------------------

/** A schema or table name as a DMS selection rule matches it literally: `_` → `[_]`. */
export function dmsLiteral(name: string): string {
  return name.replace(/_/g, "[_]");
}

function dmsNameProblem(field: string, name: string): string | undefined {
  const wild = [...new Set(name.match(/[%[\]]/g) ?? [])];
  if (wild.length === 0) return undefined;
  return `"${name}" contains ${wild.join(" and ")}, which DMS selection rules read as wildcards; the definition selects exactly one table and wildcards are not supported: write the ${field} name exactly`;
}

// ---------------------------------------------------------------------------------------------------

/** Every expression of the definition checked by its service's rules (called by `crossCheck`). */
export function expressionIssues(p: Platform): ExpressionIssue[] {
  const issues: ExpressionIssue[] = [];
  const add = (path: readonly PropertyKey[], message: string | undefined) => {
    if (message !== undefined) issues.push({ path, message });
  };
  const accounts = new Map(p.accounts.map((a) => [a.name, a]));
  const datasets = new Map(p.datasets.map((d) => [d.name, d]));

  p.accounts.forEach((a, i) => add(["accounts", i, "region"], regionProblem(a.region)));

  p.datasets.forEach((d, i) => {
    const ing = d.ingestion;
    if (ing.type === "crawler" && ing.schedule !== undefined)
      add(["datasets", i, "ingestion", "schedule"], glueScheduleProblem(ing.schedule));
    if (ing.type === "dms") {
      const at = ["datasets", i, "ingestion", "dms"];
      add([...at, "sourceSchema"], dmsNameProblem("schema", ing.dms.sourceSchema));
      if (ing.dms.sourceTable !== undefined)
        add([...at, "sourceTable"], dmsNameProblem("table", ing.dms.sourceTable));
      const arn = ing.dms.secretArn;
      const [, , , region, account] = arn.split(":");
      const producer = accounts.get(d.producer);
      if (/[*?]/.test(arn))
        add(
          [...at, "secretArn"],
          `contains a wildcard (* or ?); name one secret by its full ARN, e.g. arn:aws:secretsmanager:${producer?.region ?? "eu-west-1"}:${producer?.id ?? "111111111111"}:secret:db-creds-AbCdEf`,
        );
      else if (producer && (account !== producer.id || region !== producer.region))
        add(
          [...at, "secretArn"],
          `is in account ${account}, region ${region}; the secret must be in the producer ${d.producer}'s own account ${producer.id} and region ${producer.region}: arn:aws:secretsmanager:${producer.region}:${producer.id}:secret:...`,
        );
    }
  });

  p.consumers.forEach((c, i) => {
    const perDataset = new Map<string, number>();
    const readable = new Set(readableDatasets(p, c).map((d) => d.name));
    c.rowFilters.forEach((f, j) => {
      perDataset.set(f.dataset, (perDataset.get(f.dataset) ?? 0) + 1);
      const d = datasets.get(f.dataset);
      // An unknown or unreadable dataset is reported by crossCheck; its columns are not the team's to filter.
      if (!d || !readable.has(d.name)) return;
      for (const m of rowFilterProblems(p, c, d, f.expression))
        add(["consumers", i, "rowFilters", j, "expression"], m);
    });
    for (const [name, n] of perDataset)
      if (n > FILTERS_PER_GRANT)
        add(
          ["consumers", i, "rowFilters"],
          `${n} row filters for ${name}; one Lake Formation grant takes at most ${FILTERS_PER_GRANT} data cells filters: combine them into one expression`,
        );
    c.analytics.quicksight?.datasets.forEach((q, j) => {
      if (!isTimeZone(q.refresh.timezone))
        add(
          ["consumers", i, "analytics", "quicksight", "datasets", j, "refresh", "timezone"],
          `"${q.refresh.timezone}" is not an IANA time zone QuickSight knows; use one such as Europe/Paris, America/New_York or UTC`,
        );
    });
  });

  add(["governance", "schedule"], schedulerExpressionProblem(p.governance.schedule));
  return issues;
}
