/**
 * The S3 keys a lake writer produces and the keys a Glue table reads, as comparable folder patterns.
 *
 * A pattern is a list of folder segments below the bucket; a segment is literal text and placeholders:
 * `${key}` (a partition value: Firehose's `!{partitionKeyFromQuery:key}` or a table's
 * `storage.location.template`), `{timestamp:<format>}` (Firehose's `!{timestamp:...}`, the arrival
 * time) and `{date:<format>}` (DMS's date folders, the commit date). Unknown values stay
 * {@link UNKNOWN}, so a check compares only what is known.
 *
 * AWS rules encoded here:
 * - Firehose writes `<evaluated prefix><suffix>`; a custom prefix replaces the default `YYYY/MM/dd/HH`
 *   (https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html,
 *   https://docs.aws.amazon.com/firehose/latest/dev/s3-object-name.html).
 * - DMS writes `<bucketFolder>/<schema>/<table>/`, with date folders below it when
 *   `DatePartitionEnabled` (sequence `YYYYMMDD` by default, delimiter `SLASH` by default)
 *   (https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Target.S3.html, "Using date-based folder
 *   partitioning"; S3Settings `DatePartitionSequence`, `DatePartitionDelimiter`).
 * - Athena reads a projected table's partitions at `storage.location.template`, by default Hive style
 *   `<location><key>=${key}/...` (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-setting-up.html).
 */
import { Known, obj, str, UNKNOWN } from "./known";
import { DatasetLayout, parseS3Arn } from "./registry";

/** Folder segments below a bucket. */
export type Segments = string[];

/** A table as the layout checks see it. */
export interface TableShape {
  /** `database.table` for messages. */
  readonly label: string;
  readonly database: string | typeof UNKNOWN;
  readonly table: string | typeof UNKNOWN;
  /** The location's bucket and key prefix (ends with `/`, or empty); UNKNOWN when not known yet. */
  readonly bucket: string | typeof UNKNOWN;
  readonly prefix: string | typeof UNKNOWN;
  /** Partition key names in order; UNKNOWN when not known yet. */
  readonly keys: string[] | typeof UNKNOWN;
  /** Whether Athena projects the partitions; UNKNOWN when not known yet. */
  readonly projected: boolean | typeof UNKNOWN;
  /** Projection parameters (`projection.<key>.type`, `.format`...), for placeholder matching. */
  readonly projection: Readonly<Record<string, Known>>;
  /** Where one partition lies relative to the prefix (segments); UNKNOWN when not known yet. */
  readonly template: Segments | typeof UNKNOWN;
}

/** Splits a key prefix into folder segments (a trailing partial segment, a file-name prefix, dropped). */
export function segmentsOf(prefix: string): Segments {
  const parts = prefix.split("/");
  parts.pop(); // after the last "/": empty, or the start of an object's name
  return parts.filter((p) => p !== "");
}

/** `s3://bucket/a/b` as bucket and key prefix ending with `/` (or empty). */
export function parseS3Url(url: string): { bucket: string; prefix: string } | undefined {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) return undefined;
  const key = m[2];
  return { bucket: m[1], prefix: key === "" || key.endsWith("/") ? key : `${key}/` };
}

/** The Hive-style layout Athena and crawlers assume without a template: `k1=${k1}/k2=${k2}/`. */
export function hiveTemplate(keys: readonly string[]): Segments {
  return keys.map((k) => `${k}=\${${k}}`);
}

function templateRelative(
  template: Known | undefined,
  bucket: string,
  prefix: string,
  keys: string[],
): Segments | typeof UNKNOWN {
  if (template === UNKNOWN) return UNKNOWN;
  if (typeof template !== "string") return hiveTemplate(keys);
  const parsed = parseS3Url(template.endsWith("/") ? template : `${template}/`);
  if (!parsed || parsed.bucket !== bucket) return ["<outside the table's location>"];
  if (!parsed.prefix.startsWith(prefix)) return ["<outside the table's location>"];
  return segmentsOf(parsed.prefix.slice(prefix.length));
}

/** A Glue table's shape from its (known) inputs. */
export function tableOfCatalogTable(props: { [key: string]: Known }): TableShape {
  const database = str(props.databaseName);
  const table = str(props.name);
  const sd = obj(props.storageDescriptor);
  const location = sd === UNKNOWN ? UNKNOWN : str(sd?.location);
  const parsed = typeof location === "string" ? parseS3Url(location) : undefined;
  const bucket = location === UNKNOWN ? UNKNOWN : (parsed?.bucket ?? UNKNOWN);
  const prefix = location === UNKNOWN ? UNKNOWN : (parsed?.prefix ?? UNKNOWN);
  const rawKeys = props.partitionKeys;
  const keys: string[] | typeof UNKNOWN =
    rawKeys === UNKNOWN
      ? UNKNOWN
      : Array.isArray(rawKeys)
        ? rawKeys.some((k) => k === UNKNOWN || (obj(k) as { name?: Known } | undefined)?.name === UNKNOWN)
          ? UNKNOWN
          : rawKeys.map((k) => String((obj(k) as { name?: Known } | undefined)?.name ?? ""))
        : [];
  const params = obj(props.parameters);
  const projection: Record<string, Known> = params === UNKNOWN || params === undefined ? {} : params;
  const enabled = params === UNKNOWN ? UNKNOWN : projection["projection.enabled"];
  const projected =
    enabled === UNKNOWN ? UNKNOWN : typeof enabled === "string" && enabled.toLowerCase() === "true";
  const template =
    typeof bucket === "string" && typeof prefix === "string" && keys !== UNKNOWN && projected !== UNKNOWN
      ? projected
        ? templateRelative(projection["storage.location.template"], bucket, prefix, keys)
        : hiveTemplate(keys)
      : UNKNOWN;
  return {
    label: `${typeof database === "string" ? database : "[unknown]"}.${typeof table === "string" ? table : "[unknown]"}`,
    database: database ?? UNKNOWN,
    table: table ?? UNKNOWN,
    bucket,
    prefix,
    keys,
    projected,
    projection,
    template,
  };
}

/** A registered dataset's table (declared in the lake stack) from its layout in the pack config. */
export function tableOfLayout(d: DatasetLayout): TableShape {
  const keys = d.partitionKeys.map((k) => k.name);
  const projected = d.projection["projection.enabled"] === "true";
  return {
    label: `${d.database}.${d.table}`,
    database: d.database,
    table: d.table,
    bucket: d.bucket,
    prefix: d.prefix,
    keys,
    projected,
    projection: d.projection,
    template: projected ? segmentsOf(d.partitionTemplate) : hiveTemplate(keys),
  };
}

/** What a writer produces: the bucket and the folder segments of every object it writes. */
export interface WriterOutput {
  readonly bucket: string | typeof UNKNOWN;
  /** Folder segments of the object keys, placeholders for what varies; UNKNOWN when not known yet. */
  readonly segments: Segments | typeof UNKNOWN;
  /** The keys as written in the resource, for messages. */
  readonly shown: string;
}

/** Firehose's prefix expressions as pattern placeholders (a multi-folder timestamp split per folder). */
export function firehosePattern(prefix: string): Segments {
  const converted = prefix.replace(/!\{\s*([A-Za-z]+)\s*:\s*([^}]*)\}/g, (_m, ns: string, value: string) => {
    const v = value.trim();
    if (ns === "partitionKeyFromQuery" || ns === "partitionKeyFromLambda") return `\${${v}}`;
    if (ns === "timestamp")
      return v
        .split("/")
        .map((part) => (part === "" ? "" : `{timestamp:${part}}`))
        .join("/");
    return `{${ns}:${v}}`;
  });
  return segmentsOf(converted);
}

/** A Firehose stream's S3 output (`extendedS3Configuration`). */
export function firehoseOutput(s3: { [key: string]: Known }): WriterOutput {
  const arn = str(s3.bucketArn);
  const bucket =
    arn === UNKNOWN ? UNKNOWN : typeof arn === "string" ? (parseS3Arn(arn)?.bucket ?? UNKNOWN) : UNKNOWN;
  const prefix = str(s3.prefix);
  if (prefix === UNKNOWN) return { bucket, segments: UNKNOWN, shown: "[unknown]" };
  // No prefix: Firehose's default time folders YYYY/MM/dd/HH at the bucket's root.
  const given = prefix ?? "";
  const segments =
    given === ""
      ? ["{timestamp:yyyy}", "{timestamp:MM}", "{timestamp:dd}", "{timestamp:HH}"]
      : firehosePattern(given);
  return { bucket, segments, shown: given === "" ? "(no prefix: YYYY/MM/dd/HH/)" : given };
}

const DMS_DATE_PARTS: Record<string, string[]> = {
  YYYYMMDD: ["yyyy", "MM", "dd"],
  YYYYMMDDHH: ["yyyy", "MM", "dd", "HH"],
  YYYYMM: ["yyyy", "MM"],
  MMYYYYDD: ["MM", "yyyy", "dd"],
  DDMMYYYY: ["dd", "MM", "yyyy"],
};
const DMS_DELIMITERS: Record<string, string> = { SLASH: "/", DASH: "-", UNDERSCORE: "_", NONE: "" };

/** The date folders a DMS S3 target writes below each table folder; [] without date partitioning. */
export function dmsDateSegments(endpoint: { [key: string]: Known }): Segments | typeof UNKNOWN {
  const enabled = endpoint.datePartitionEnabled;
  if (enabled === UNKNOWN) return UNKNOWN;
  if (enabled !== true) return [];
  const sequence = endpoint.datePartitionSequence ?? "YYYYMMDD";
  const delimiter = endpoint.datePartitionDelimiter ?? "SLASH";
  if (sequence === UNKNOWN || delimiter === UNKNOWN) return UNKNOWN;
  const parts = DMS_DATE_PARTS[String(sequence).toUpperCase()] ?? [String(sequence)];
  const sep = DMS_DELIMITERS[String(delimiter).toUpperCase()] ?? "/";
  return sep === "/" ? parts.map((p) => `{date:${p}}`) : [`{date:${parts.join(sep)}}`];
}

/** Describes date segments for messages: `YYYY-MM-DD/`. */
export function showSegments(segments: Segments): string {
  return segments.map((s) => `${s}/`).join("");
}

/** A DMS S3 target's output for one selected source table. */
export function dmsOutput(
  endpoint: { [key: string]: Known },
  source: { schema: string | typeof UNKNOWN; table: string | typeof UNKNOWN },
): WriterOutput {
  const bucket = str(endpoint.bucketName) ?? UNKNOWN;
  const folder = str(endpoint.bucketFolder);
  const dates = dmsDateSegments(endpoint);
  if (folder === UNKNOWN) return { bucket, segments: UNKNOWN, shown: "[unknown]" };
  const base = segmentsOf(`${folder ?? ""}/`);
  const schema = source.schema;
  const table = source.table;
  const shown = `${folder ?? ""}/${String(schema === UNKNOWN ? "[unknown]" : schema)}/${String(table === UNKNOWN ? "[unknown]" : table)}/`;
  if (schema === UNKNOWN || table === UNKNOWN || dates === UNKNOWN)
    // Only the folder is known: the keys' start, not their layout.
    return {
      bucket,
      segments: [...base, ...(schema === UNKNOWN ? [] : [schema])].concat(["{unknown}"]),
      shown,
    };
  return { bucket, segments: [...base, schema, table, ...dates], shown: `${shown}${showSegments(dates)}` };
}

/** How a writer's keys relate to a table's location and partition layout. */
export type Fit =
  | { kind: "fits" }
  | { kind: "unknown" }
  | { kind: "outside" }
  | { kind: "layout"; written: Segments; expected: Segments };

const TOKEN = /(\$\{[^}]+\}|\{[a-z]+:[^}]*\})/;

function tokens(segment: string): string[] {
  return segment.split(TOKEN).filter((t) => t !== "");
}

function isPlaceholder(token: string): boolean {
  return token.startsWith("${") || token.startsWith("{");
}

/** Whether a writer's segment yields the table's segment (a `${key}` from the same key or a fitting time). */
function segmentFits(written: string, expected: string, table: TableShape): boolean {
  const w = tokens(written);
  const e = tokens(expected);
  if (w.length !== e.length) return false;
  return w.every((wt, i) => {
    const et = e[i];
    if (!isPlaceholder(et)) return wt === et;
    if (!isPlaceholder(wt)) return false;
    if (wt === et) return true;
    const key = /^\$\{(.+)\}$/.exec(et)?.[1];
    const time = /^\{(timestamp|date):(.*)\}$/.exec(wt);
    if (!key || !time) return false;
    // A time folder fills a key only where its values are what the table reads: with projection, the
    // key's date format (or an integer key from an all-digit time field); without, any value is read.
    if (table.projected !== true) return true;
    const type = table.projection[`projection.${key}.type`];
    if (type === "date") return table.projection[`projection.${key}.format`] === time[2];
    if (type === "integer") return /^[HhmsdMy]+$/.test(time[2]);
    return false;
  });
}

/** Does the writer write inside the table's location, in the table's partition layout? */
export function fit(output: WriterOutput, table: TableShape): Fit {
  if (output.bucket === UNKNOWN || table.bucket === UNKNOWN || table.prefix === UNKNOWN)
    return { kind: "unknown" };
  if (output.bucket !== table.bucket) return { kind: "outside" };
  if (output.segments === UNKNOWN) return { kind: "unknown" };
  const location = segmentsOf(table.prefix);
  const written = output.segments;
  const unknownAt = written.indexOf("{unknown}");
  const knownPart = unknownAt < 0 ? written : written.slice(0, unknownAt);
  for (let i = 0; i < Math.min(location.length, knownPart.length); i++)
    if (knownPart[i] !== location[i]) return { kind: "outside" };
  if (unknownAt >= 0) return { kind: "unknown" };
  if (written.length < location.length) return { kind: "outside" };
  if (table.keys === UNKNOWN || table.template === UNKNOWN) return { kind: "unknown" };
  const below = written.slice(location.length);
  const expected = table.template;
  if (table.keys.length === 0) {
    // Unpartitioned: folders that vary per record would be partitions the table has no column for.
    return below.some((s) => tokens(s).some(isPlaceholder))
      ? { kind: "layout", written: below, expected: [] }
      : { kind: "fits" };
  }
  if (below.length !== expected.length || !below.every((s, i) => segmentFits(s, expected[i], table)))
    return { kind: "layout", written: below, expected };
  return { kind: "fits" };
}

/** The Firehose prefix that writes a table's layout: `${k}` as `!{partitionKeyFromQuery:k}`. */
export function firehosePrefixFor(table: TableShape): string {
  const prefix = typeof table.prefix === "string" ? table.prefix : "<table prefix>";
  const template = table.template === UNKNOWN ? [] : table.template;
  return prefix + showSegments(template).replace(/\$\{([^}]+)\}/g, "!{partitionKeyFromQuery:$1}");
}
