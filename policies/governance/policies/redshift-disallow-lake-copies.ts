import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  identifierName,
  isKeyword,
  isPunct,
  known,
  skipParenthesised,
  SqlToken,
  sqlNameAt,
  sqlStatements,
  str,
  tableReferences,
  topLevelKeyword,
} from "@acme/lakehouse-policy-lib";

interface Config {
  lakeDatabases: string[];
  lakeAccount?: string;
  lakeBuckets: string[];
}

const STATEMENT = "aws:redshiftdata/statement:Statement";

/**
 * The database under which Redshift mounts the Glue Data Catalog (RA3 and Serverless): its schemas are
 * the catalog's databases, so `awsdatacatalog.<database>.<table>` reads a lake table without any
 * external schema (https://docs.aws.amazon.com/redshift/latest/mgmt/query-editor-v2-glue.html).
 */
const AUTO_MOUNTED_CATALOG = "awsdatacatalog";

/**
 * `CREATE EXTERNAL SCHEMA ... FROM <source>` sources other than the Glue Data Catalog, the default
 * when FROM names none (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_EXTERNAL_SCHEMA.html).
 */
const OTHER_SOURCES = ["hive", "postgres", "mysql", "kinesis", "msk", "redshift", "kafka"];

/** An external schema over a Glue Data Catalog database, from `CREATE EXTERNAL SCHEMA`. */
interface ExternalSchema {
  readonly name: string;
  readonly database: string;
  readonly catalogId?: string;
}

/** Where a statement writes rows it reads, and what it reads. */
type Copy =
  /** CTAS, SELECT INTO, INSERT ... SELECT, materialized views: `query` is what fills `target`. */
  | { readonly form: string; readonly target: string; readonly query: SqlToken[] }
  /** COPY: loads `target` from `source` (an S3 URL, or whatever the statement names). */
  | { readonly form: "COPY"; readonly target: string; readonly source: string }
  /** UNLOAD: writes `query`'s rows to `destination`. */
  | { readonly form: "UNLOAD"; readonly destination: string; readonly query: SqlToken[] };

/** `CREATE EXTERNAL SCHEMA [IF NOT EXISTS] <name> [FROM DATA CATALOG] DATABASE '<db>' ... [CATALOG_ID '<id>']`. */
function externalSchemaOf(st: SqlToken[]): ExternalSchema | undefined {
  if (!isKeyword(st[0], "create") || !isKeyword(st[1], "external") || !isKeyword(st[2], "schema"))
    return undefined;
  let i = 3;
  if (isKeyword(st[i], "if") && isKeyword(st[i + 1], "not") && isKeyword(st[i + 2], "exists")) i += 3;
  const name = identifierName(st[i]);
  if (name === undefined) return undefined;
  if (isKeyword(st[i + 1], "from") && OTHER_SOURCES.some((s) => isKeyword(st[i + 2], s))) return undefined;
  const option = (word: string) => {
    const at = st.findIndex((t, j) => j > i && isKeyword(t, word) && st[j + 1]?.kind === "string");
    return at < 0 ? undefined : st[at + 1].value;
  };
  const database = option("database");
  return database === undefined ? undefined : { name, database, catalogId: option("catalog_id") };
}

/** The dotted name at `st[i]` as written in messages (`analytics.orders_copy`), and the index after it. */
function targetAt(st: SqlToken[], i: number): { target: string; end: number } | undefined {
  const name = sqlNameAt(st, i);
  return name && { target: name.parts.join("."), end: name.end };
}

/** The rows a statement copies, if it is one of the copying forms (see the policy's description). */
function copyOf(st: SqlToken[], inProcedure: boolean): Copy | undefined {
  const w = (i: number) => (st[i]?.kind === "word" ? st[i].value : undefined);
  if (w(0) === "create") {
    let i = 1;
    if (w(i) === "or" && w(i + 1) === "replace") i += 2;
    const modifiers: string[] = [];
    while (["temp", "temporary", "local", "global", "external"].includes(w(i) ?? "")) modifiers.push(w(i++)!);
    let form: string;
    if (w(i) === "table") {
      form = modifiers.includes("external") ? "CREATE EXTERNAL TABLE AS" : "CREATE TABLE AS";
      i++;
    } else if (w(i) === "materialized" && w(i + 1) === "view") {
      form = "CREATE MATERIALIZED VIEW";
      i += 2;
    } else return undefined; // views (late-binding ones included) store no rows
    if (w(i) === "if" && w(i + 1) === "not" && w(i + 2) === "exists") i += 3;
    const t = targetAt(st, i);
    const as = t ? topLevelKeyword(st, "as", t.end) : -1;
    return t && as >= 0 ? { form, target: t.target, query: st.slice(as + 1) } : undefined;
  }
  if (w(0) === "insert" && w(1) === "into") {
    const t = targetAt(st, 2);
    if (!t) return undefined;
    let i = t.end;
    // A column list, not a parenthesised query: INSERT INTO t (a, b) SELECT ... / INSERT INTO t (SELECT ...).
    if (isPunct(st[i], "(") && w(i + 1) !== "select" && w(i + 1) !== "with") i = skipParenthesised(st, i);
    if (i >= st.length || w(i) === "values" || w(i) === "default") return undefined;
    return { form: "INSERT INTO ... SELECT", target: t.target, query: st.slice(i) };
  }
  if (w(0) === "with" || w(0) === "select") {
    const insert = topLevelKeyword(st, "insert");
    if (w(0) === "with" && insert >= 0 && w(insert + 1) === "into") {
      const inner = copyOf(st.slice(insert), inProcedure);
      return inner && "query" in inner && "target" in inner
        ? { ...inner, query: [...st.slice(0, insert), ...inner.query] }
        : undefined;
    }
    // In a procedure body SELECT INTO assigns variables, not a table.
    const into = inProcedure ? -1 : topLevelKeyword(st, "into");
    if (into < 0) return undefined;
    let i = into + 1;
    while (["temp", "temporary", "local", "unlogged", "table"].includes(w(i) ?? "")) i++;
    const t = targetAt(st, i);
    return t && { form: "SELECT INTO", target: t.target, query: [...st.slice(0, into), ...st.slice(t.end)] };
  }
  if (w(0) === "copy") {
    const t = targetAt(st, 1);
    const from = t ? topLevelKeyword(st, "from", t.end) : -1;
    const source = st[from + 1];
    return t && from >= 0 && source?.kind === "string"
      ? { form: "COPY", target: t.target, source: source.value }
      : undefined;
  }
  if (w(0) === "unload" && isPunct(st[1], "(") && st[2]?.kind === "string") {
    const to = topLevelKeyword(st, "to", 3);
    const destination = st[to + 1];
    if (to < 0 || destination?.kind !== "string") return undefined;
    // The query is a string; its statements are the query (a quote inside written '' or \').
    return { form: "UNLOAD", destination: destination.value, query: sqlStatements(st[2].value).flat() };
  }
  return undefined;
}

/**
 * The procedure and the statements it runs when called, for `CREATE [OR REPLACE] PROCEDURE <name>(...) ...
 * AS $$<body>$$`: its PL/pgSQL `DECLARE`/`BEGIN` openers dropped so that each statement starts with its verb.
 */
function procedureOf(st: SqlToken[]): { name: string; body: SqlToken[][] } | undefined {
  let i = 1;
  if (isKeyword(st[i], "or") && isKeyword(st[i + 1], "replace")) i += 2;
  if (!isKeyword(st[0], "create") || !isKeyword(st[i], "procedure")) return undefined;
  const name = targetAt(st, i + 1);
  const as = topLevelKeyword(st, "as", i);
  const body = st[as + 1];
  if (!name || as < 0 || body?.kind !== "string") return undefined;
  return {
    name: name.target,
    body: sqlStatements(body.value).map((s) => {
      let j = 0;
      while (isKeyword(s[j], "begin") || isKeyword(s[j], "declare")) j++;
      return s.slice(j);
    }),
  };
}

/** The S3 bucket of an `s3://bucket/key` URL, `undefined` for anything else. */
function bucketOf(url: string): string | undefined {
  if (!url.toLowerCase().startsWith("s3://")) return undefined;
  const bucket = url.slice(5).split("/")[0];
  return bucket || undefined;
}

/**
 * No Redshift SQL the program runs copies lake data into Redshift or out of the lake. The stack's
 * `aws.redshiftdata.Statement`s are scanned as tokens (comments and string literals never count; several
 * statements in one `sql` each count); the lake's tables are those of the external schemas any of them
 * creates over a lake database (`CREATE EXTERNAL SCHEMA ... FROM DATA CATALOG DATABASE '<db>'`, `<db>`
 * in `lakeDatabases` — the lake's databases and their resource links — or `CATALOG_ID` the
 * `lakeAccount`), and the Glue Data Catalog Redshift mounts as `awsdatacatalog`. Without that config
 * every Data Catalog external schema counts as the lake's. A copy is a CTAS, `SELECT INTO`,
 * `INSERT ... SELECT` or materialized view reading a lake table (also inside a stored procedure's body), a
 * `COPY` from a `lakeBuckets` bucket, an `UNLOAD` of a lake table to any other bucket. Queries, views
 * (`WITH NO SCHEMA BINDING`) and grants are fine. Limits: an unqualified table name resolved through
 * `search_path`, dynamic SQL (`EXECUTE '...'`) and a procedure's statements nested in `IF`/`LOOP` blocks
 * are not followed.
 */
export const redshiftDisallowLakeCopies: StackValidationPolicy = {
  name: "redshift-disallow-lake-copies",
  description:
    "Redshift SQL the program runs (aws.redshiftdata.Statement sql) copies no lake data: no CREATE TABLE AS, SELECT INTO, " +
    "INSERT ... SELECT or materialized view reading a table of an external schema over a lake database (lakeDatabases, " +
    "or CATALOG_ID lakeAccount; without that config every FROM DATA CATALOG external schema counts as the lake's), no COPY " +
    "from a lake bucket (lakeBuckets; without them COPY is not judged), no UNLOAD of a lake table to another bucket. Querying in place, views WITH NO SCHEMA " +
    "BINDING and grants are fine. A statement whose sql is not known yet (a preview) is skipped. SQL run outside the " +
    "program (a BI tool, the query editor, a console) is beyond any plan.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      lakeDatabases: { type: "array", items: { type: "string" }, default: [] },
      lakeAccount: { type: "string", pattern: "^\\d{12}$" },
      lakeBuckets: { type: "array", items: { type: "string" }, default: [] },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<Config>();
    const lakeDatabases = new Set((config.lakeDatabases ?? []).map((d) => d.toLowerCase()));
    const lakeBuckets = new Set(config.lakeBuckets ?? []);
    const configured = lakeDatabases.size > 0 || config.lakeAccount !== undefined;
    const isLakeDatabase = (database: string, catalogId?: string) =>
      !configured ||
      lakeDatabases.has(database.toLowerCase()) ||
      (config.lakeAccount !== undefined && catalogId === config.lakeAccount);

    // Every statement of the stack whose sql is known, then the lake's external schemas among them.
    const statements: { resource: PolicyResource; tokens: SqlToken[] }[] = [];
    for (const r of args.resources.filter((x) => x.type === STATEMENT)) {
      const sql = str(known(r.props).sql);
      if (typeof sql !== "string") continue;
      for (const tokens of sqlStatements(sql)) statements.push({ resource: r, tokens });
    }
    const lakeSchemas = new Map<string, ExternalSchema>();
    for (const { tokens } of statements) {
      const schema = externalSchemaOf(tokens);
      if (schema && isLakeDatabase(schema.database, schema.catalogId)) lakeSchemas.set(schema.name, schema);
    }

    /** The lake tables a query reads, as `schema.table (...)`. */
    const lakeReads = (query: SqlToken[]): string[] => {
      const reads = new Set<string>();
      for (const { parts } of tableReferences(query)) {
        // schema.table, or database.schema.table (the auto-mounted catalog's database is the Glue catalog).
        const [schema, table] = parts.length === 3 ? parts.slice(1) : parts;
        if (parts.length === 3 && parts[0] === AUTO_MOUNTED_CATALOG && isLakeDatabase(schema))
          reads.add(`${parts.join(".")} (the auto-mounted Glue Data Catalog)`);
        else if (parts.length >= 2 && parts.length <= 3 && lakeSchemas.has(schema))
          reads.add(
            `${schema}.${table} (external schema over Glue database ${lakeSchemas.get(schema)!.database})`,
          );
      }
      return [...reads];
    };

    const FIX =
      "Query the external schema in place (a view WITH NO SCHEMA BINDING stores no rows), or register the result as a " +
      "dataset produced by a producer account.";
    const judge = (r: PolicyResource, tokens: SqlToken[], where: string, inProcedure: boolean) => {
      const copy = copyOf(tokens, inProcedure);
      if (!copy) return;
      const statement = `Statement ${r.name}${where} (sql)`;
      if ("source" in copy) {
        const bucket = bucketOf(copy.source);
        if (bucket === undefined || !lakeBuckets.has(bucket)) return;
        reportViolation(
          `${statement} loads ${copy.source}, in lake bucket ${bucket}, into table ${copy.target} (COPY): a copy of lake ` +
            `data that Lake Formation no longer governs. ${FIX}`,
          r.urn,
        );
        return;
      }
      const reads = lakeReads(copy.query);
      if (reads.length === 0) return;
      if ("destination" in copy) {
        const bucket = bucketOf(copy.destination);
        if (bucket !== undefined && lakeBuckets.has(bucket)) return;
        reportViolation(
          `${statement} unloads lake table ${reads.join(", ")} to ${copy.destination}, outside the lake's buckets ` +
            `(UNLOAD): a copy of lake data that Lake Formation no longer governs. ${FIX}`,
          r.urn,
        );
      } else {
        reportViolation(
          `${statement} copies lake table ${reads.join(", ")} into ${copy.target} (${copy.form}): the rows leave the ` +
            `lake, beyond its Lake Formation permissions and the dataset's registration. ${FIX}`,
          r.urn,
        );
      }
    };
    for (const { resource, tokens } of statements) {
      judge(resource, tokens, "", false);
      const procedure = procedureOf(tokens);
      for (const body of procedure?.body ?? [])
        judge(resource, body, ` in procedure ${procedure!.name}`, true);
    }
  },
};
