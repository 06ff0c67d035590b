import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import {
  isKeyword,
  isPunct,
  known,
  parseS3Url,
  show,
  skipParenthesised,
  SqlToken,
  sqlNameAt,
  sqlStatements,
  str,
} from "@acme/lakehouse-policy-lib";
import { PARQUET_FORMATS } from "./glue-table-enforce-parquet";

interface Config {
  lakeBuckets: string[];
  lakeDatabases: string[];
}

/**
 * What a statement of a saved query writes: a table it creates (CTAS or DDL), or files it unloads.
 * `format` is what the data is stored as, `problems` why that is not Parquet (empty: Parquet).
 */
interface Written {
  /** How the statement reads, for messages: `creates table sales.orders_csv`, `unloads to s3://...`. */
  readonly what: string;
  /** The table's name parts (`[db, table]` or `[table]`); none for UNLOAD. */
  readonly name?: string[];
  /** Where the data lands, when the statement says (`LOCATION`, `external_location`, `location`, `TO`). */
  readonly location?: string;
  /** Why the data is not Parquet; empty when it is. */
  readonly problems: string[];
  /** The fix for this kind of statement. */
  readonly fix: string;
}

/** A string literal's value at `t` (single or, as Hive DDL allows, double quoted); `undefined` otherwise. */
function literal(t: SqlToken | undefined): string | undefined {
  return t?.kind === "string" || t?.kind === "quoted" ? t.value : undefined;
}

/**
 * `( key = 'value', ... )` opening at `st[i]` (CTAS and UNLOAD `WITH`, DDL `TBLPROPERTIES`): each key
 * (a word or a literal) lowercased, with its value when it is a string literal (`ARRAY[...]`, numbers and
 * booleans are skipped).
 */
function properties(st: SqlToken[], i: number): Map<string, string> {
  const out = new Map<string, string>();
  const end = skipParenthesised(st, i) - 1;
  for (let j = i + 1; j < end; j++) {
    const key = st[j].kind === "word" ? st[j].value : literal(st[j]);
    if (key === undefined || !isPunct(st[j + 1], "=")) continue;
    const value = literal(st[j + 2]);
    if (value !== undefined) out.set(key.toLowerCase(), value);
    j += 2;
  }
  return out;
}

const CTAS_FIX =
  "Write Parquet: drop the format property (Athena's CTAS default is PARQUET) or set format = 'PARQUET'.";
const DDL_FIX =
  "Declare the table STORED AS PARQUET (no ROW FORMAT DELIMITED or non-Parquet SERDE) over Parquet data: convert the " +
  "data first, e.g. with a CTAS WITH (format = 'PARQUET'), or land it through the platform's Parquet writers.";
const ICEBERG_FIX =
  "Keep the Iceberg table's data files Parquet: drop TBLPROPERTIES 'format' or set it to 'parquet'.";
const UNLOAD_FIX = "Unload with format = 'PARQUET', or unload outside the lake's buckets.";

/**
 * `CREATE TABLE <name> [WITH (<props>)] AS <query>` (CTAS). Its data is stored as `format`, "If omitted,
 * PARQUET is used by default"; `external_location` (Hive) or `location` (Iceberg) say where, without them
 * Athena writes below the workgroup's query results location
 * (https://docs.aws.amazon.com/athena/latest/ug/create-table-as.html). Iceberg tables allow ORC, PARQUET
 * and AVRO, PARQUET by default too.
 */
function ctasOf(st: SqlToken[], name: string[], i: number): Written | undefined {
  let props = new Map<string, string>();
  if (isKeyword(st[i], "with") && isPunct(st[i + 1], "(")) {
    props = properties(st, i + 1);
    i = skipParenthesised(st, i + 1);
  }
  if (!isKeyword(st[i], "as")) return undefined;
  const format = props.get("format");
  return {
    what: `creates table ${name.join(".")} (CREATE TABLE AS${format ? ` WITH (format = '${format}')` : ""})`,
    name,
    location: props.get("external_location") ?? props.get("location"),
    problems: format === undefined || format.toUpperCase() === "PARQUET" ? [] : [`format = '${format}'`],
    fix: CTAS_FIX,
  };
}

/**
 * `CREATE [EXTERNAL] TABLE <name> (<columns>) ... [ROW FORMAT ...] [STORED AS ...] [LOCATION '...']
 * [TBLPROPERTIES (...)]`. STORED AS is "TEXTFILE" when omitted; ROW FORMAT DELIMITED (or no ROW FORMAT)
 * is the native delimited-text SerDe (https://docs.aws.amazon.com/athena/latest/ug/create-table.html).
 * Parquet is `STORED AS PARQUET`, or the Parquet input and output formats (with, if any, the Parquet
 * SerDe) — the classes glue-table-enforce-parquet requires. An Iceberg table (`'table_type'='ICEBERG'`)
 * stores TBLPROPERTIES `format`, parquet by default
 * (https://docs.aws.amazon.com/athena/latest/ug/querying-iceberg-creating-tables.html).
 */
function ddlOf(st: SqlToken[], name: string[], i: number, external: boolean): Written {
  let serde: string | undefined;
  let delimited = false;
  let storedAs: string | undefined;
  let inputFormat: string | undefined;
  let outputFormat: string | undefined;
  let location: string | undefined;
  let tblProperties = new Map<string, string>();
  while (i < st.length) {
    if (isPunct(st[i], "(")) {
      i = skipParenthesised(st, i); // the columns, PARTITIONED BY (...), CLUSTERED BY (...)
    } else if (isKeyword(st[i], "row") && isKeyword(st[i + 1], "format")) {
      if (isKeyword(st[i + 2], "serde")) serde = literal(st[i + 3]);
      else if (isKeyword(st[i + 2], "delimited")) delimited = true;
      i += 3;
    } else if (isKeyword(st[i], "stored") && isKeyword(st[i + 1], "as")) {
      if (isKeyword(st[i + 2], "inputformat")) {
        inputFormat = literal(st[i + 3]);
        if (isKeyword(st[i + 4], "outputformat")) outputFormat = literal(st[i + 5]);
        i += 6;
      } else {
        storedAs = st[i + 2]?.kind === "word" ? st[i + 2].text.toUpperCase() : undefined;
        i += 3;
      }
    } else if (isKeyword(st[i], "location") && literal(st[i + 1]) !== undefined) {
      location = literal(st[i + 1]);
      i += 2;
    } else if (isKeyword(st[i], "tblproperties") && isPunct(st[i + 1], "(")) {
      tblProperties = properties(st, i + 1);
      i = skipParenthesised(st, i + 1);
    } else i++;
  }
  const what = `creates ${external ? "external " : ""}table ${name.join(".")}`;
  if (tblProperties.get("table_type")?.toUpperCase() === "ICEBERG") {
    const format = tblProperties.get("format");
    return {
      what: `${what} (Iceberg)`,
      name,
      location,
      problems:
        format === undefined || format.toLowerCase() === "parquet"
          ? []
          : [`TBLPROPERTIES 'format' = '${format}'`],
      fix: ICEBERG_FIX,
    };
  }
  const problems: string[] = [];
  if (delimited) problems.push("ROW FORMAT DELIMITED (delimited text)");
  if (serde !== undefined && serde !== PARQUET_FORMATS.serializationLibrary)
    problems.push(`ROW FORMAT SERDE '${serde}'`);
  if (inputFormat !== undefined || outputFormat !== undefined) {
    if (inputFormat !== PARQUET_FORMATS.inputFormat || outputFormat !== PARQUET_FORMATS.outputFormat)
      problems.push(`STORED AS INPUTFORMAT '${inputFormat ?? ""}' OUTPUTFORMAT '${outputFormat ?? ""}'`);
  } else if (storedAs === undefined) problems.push("no STORED AS (TEXTFILE, Athena's default)");
  else if (storedAs !== "PARQUET") problems.push(`STORED AS ${storedAs}`);
  return { what, name, location, problems, fix: DDL_FIX };
}

/**
 * `UNLOAD (<query>) TO 's3://...' WITH (format = '...', ...)`: `format` is required, one of ORC, PARQUET,
 * AVRO, JSON or TEXTFILE (https://docs.aws.amazon.com/athena/latest/ug/unload.html).
 */
function unloadOf(st: SqlToken[]): Written | undefined {
  if (!isPunct(st[1], "(")) return undefined;
  const to = skipParenthesised(st, 1);
  const destination = literal(st[to + 1]);
  if (!isKeyword(st[to], "to") || destination === undefined) return undefined;
  const props =
    isKeyword(st[to + 2], "with") && isPunct(st[to + 3], "(") ? properties(st, to + 3) : undefined;
  const format = props?.get("format");
  if (format === undefined) return undefined; // Athena rejects an UNLOAD without format
  return {
    what: `unloads to ${destination} (UNLOAD WITH (format = '${format}'))`,
    location: destination,
    problems: format.toUpperCase() === "PARQUET" ? [] : [`format = '${format}'`],
    fix: UNLOAD_FIX,
  };
}

/** What a statement writes, if it creates a table or unloads files. */
function writtenBy(st: SqlToken[]): Written | undefined {
  if (isKeyword(st[0], "unload")) return unloadOf(st);
  if (!isKeyword(st[0], "create")) return undefined;
  let i = 1;
  const external = isKeyword(st[i], "external");
  if (external) i++;
  if (!isKeyword(st[i], "table")) return undefined; // views, databases: no data of their own
  i++;
  if (isKeyword(st[i], "if") && isKeyword(st[i + 1], "not") && isKeyword(st[i + 2], "exists")) i += 3;
  const name = sqlNameAt(st, i);
  if (!name) return undefined;
  return ctasOf(st, name.parts, name.end) ?? ddlOf(st, name.parts, name.end, external);
}

/**
 * Athena saved queries (`aws.athena.NamedQuery` `query`, every statement, scanned as tokens so that
 * comments and strings never count) create no table in the lake that is not Parquet: a CTAS with a
 * `format` other than PARQUET (its default), a `CREATE [EXTERNAL] TABLE` stored as anything but Parquet
 * (TEXTFILE when STORED AS is omitted, ROW FORMAT DELIMITED, a non-Parquet SerDe or input/output format),
 * an Iceberg table whose `format` is not parquet; nor UNLOAD non-Parquet files into a lake bucket. In the
 * lake means: its location (LOCATION, `external_location`, `location`) in a `lakeBuckets` bucket, or its
 * database (the table's qualifier, else the query's `database`) in `lakeDatabases`. Without that config
 * every table a query creates counts (as glue-table-enforce-parquet judges every Glue table) and UNLOAD
 * is not judged. A query not known yet (a preview) is skipped; queries run outside the program are beyond
 * any plan.
 */
export const athenaNamedQueryEnforceParquet: ResourceValidationPolicy = {
  name: "athena-named-query-enforce-parquet",
  description:
    "Athena saved queries (aws.athena.NamedQuery query) create no non-Parquet table in the lake (CTAS format other than " +
    "PARQUET, its default; CREATE [EXTERNAL] TABLE not STORED AS PARQUET, TEXTFILE when omitted; Iceberg format not " +
    "parquet) and UNLOAD no non-Parquet files into a lake bucket. In the lake: location in lakeBuckets or database in " +
    "lakeDatabases; without them every created table counts and UNLOAD is not judged.",
  remediationSteps:
    "Create lake tables as Parquet: a CTAS without format (Athena's default) or with format = 'PARQUET'; CREATE EXTERNAL " +
    "TABLE ... STORED AS PARQUET over Parquet data (no ROW FORMAT DELIMITED); an Iceberg table with format parquet; " +
    "UNLOAD into the lake WITH (format = 'PARQUET'). Convert text data before it lands in the lake.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      lakeBuckets: { type: "array", items: { type: "string" }, default: [] },
      lakeDatabases: { type: "array", items: { type: "string" }, default: [] },
    },
  },
  validateResource: validateResourceOfType(aws.athena.NamedQuery, (_query, args, reportViolation) => {
    const props = known(args.props);
    const sql = str(props.query);
    if (typeof sql !== "string") return;
    const config = args.getConfig<Config>();
    const lakeBuckets = new Set(config.lakeBuckets ?? []);
    const lakeDatabases = new Set((config.lakeDatabases ?? []).map((d) => d.toLowerCase()));
    const configured = lakeBuckets.size > 0 || lakeDatabases.size > 0;
    const queryDatabase = str(props.database);
    const statements = sqlStatements(sql, { backtickIdentifiers: true });
    statements.forEach((st, n) => {
      const written = writtenBy(st);
      if (!written || written.problems.length === 0) return;
      const bucket = written.location ? parseS3Url(written.location)?.bucket : undefined;
      const qualifier =
        written.name && written.name.length >= 2 ? written.name[written.name.length - 2] : undefined;
      const database = written.name ? (qualifier ?? queryDatabase) : undefined;
      let where: string | undefined;
      if (!configured) {
        if (!written.name) return; // an UNLOAD: without lakeBuckets no bucket is known to be the lake's
        where = "";
      } else if (bucket !== undefined && lakeBuckets.has(bucket)) where = ` in lake bucket ${bucket}`;
      else if (typeof database === "string" && lakeDatabases.has(database.toLowerCase()))
        where = ` in lake database ${database}`;
      if (where === undefined) return; // outside the lake, or its database not known yet
      const statement = statements.length > 1 ? `, statement ${n + 1}` : "";
      reportViolation(
        `Athena named query ${show(props.name ?? args.name)} (query${statement}) ${written.what}${where}` +
          `${written.location ? ` at ${written.location}` : ""}, and its data is not Parquet: ` +
          `${written.problems.join(", ")}. ${written.fix}`,
      );
    });
  }),
};
