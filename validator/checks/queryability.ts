/**
 * The queryability check: objects under a partitioned table's location that a reader would not show.
 * The table's layout (where partitions lie, `platform/layout.ts`) comes from the definition; its
 * parameters (is projection on, with which template and ranges) and its registered partitions come from
 * Glue, the deployed truth. Two reader classes:
 *
 * - Athena, and QuickSight SPICE which queries through it: with `projection.enabled = true` Athena
 *   ignores every registered partition and reads exactly the folders `storage.location.template` gives
 *   for the values the projection generates ("Enabling partition projection on a table causes Athena to
 *   ignore any partition metadata registered to the table", https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html;
 *   value types: https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html;
 *   `NOW` as a range end: https://docs.aws.amazon.com/athena/latest/ug/partition-projection-kinesis-firehose-example-using-the-date-type.html).
 *   Without projection it reads registered partitions only.
 * - EMR Spark through the Glue catalog and Redshift Spectrum: registered partitions only (projection
 *   is Athena's; they read the partitions `GetPartitions` returns).
 *
 * An object directly under the location of a partitioned table is in no partition: no reader shows it.
 * Only data objects count: Athena treats files whose names start with `_` or `.` as hidden
 * (https://docs.aws.amazon.com/athena/latest/ug/other-notable-limitations.html), and Hive and Spark skip
 * them too (`isDataObject`). Firehose's error prefix lies outside every dataset location.
 * Findings are grouped per partition folder: a warning when some reader shows the objects, an error
 * when none does.
 */
import { GetPartitionsCommand } from "@aws-sdk/client-glue";
import { crawlerName, partitionCrawlerName } from "../../platform";
import type { Dataset, Platform, TableLayout } from "../../platform";
import { AwsCaller, AwsClients, describeError } from "../aws";
import { VALIDATOR_DEFAULTS } from "../defaults";
import { Finding } from "../findings";
import { ListedObject, s3Uri } from "./objects";

/** Example object names in one finding's message. */
const MAX_EXAMPLES = 3;
/** Characters of one example name in a message. */
const MAX_EXAMPLE_CHARS = 80;

const ATHENA = "Athena and QuickSight SPICE";
const REGISTERED_READERS = "EMR Spark and Redshift Spectrum";

/** One registered partition, as GetPartitions returns it. */
export interface RegisteredPartition {
  readonly values: readonly string[];
  /** Its `storageDescriptor.location`. */
  readonly location: string;
}

/** What one object's readers see. */
export interface ObjectVisibility {
  /** The object's key. */
  readonly key: string;
  /**
   * The partition folder it lies in, relative to the table prefix and ending with `/` (the first
   * segments of its key, as deep as the layout's template); empty for an object directly under the
   * table location.
   */
  readonly folder: string;
  /** Athena (and SPICE) shows it. */
  readonly athena: boolean;
  /** Why Athena does not, when it does not. */
  readonly athenaReason?: string;
  /** It lies under a registered partition: EMR Spark and Redshift Spectrum show it. */
  readonly registered: boolean;
}

/** `s3a://` and `s3n://` locations (Hadoop's schemes) as `s3://`, ending with `/`. */
function normaliseLocation(location: string): string {
  const uri = location.replace(/^s3[an]:\/\//, "s3://");
  return uri.endsWith("/") ? uri : `${uri}/`;
}

/** True when `projection.enabled` is `true` (Athena reads it case-insensitively). */
export function projectionEnabled(parameters: Readonly<Record<string, string>>): boolean {
  return (parameters["projection.enabled"] ?? "").trim().toLowerCase() === "true";
}

// ---------------------------------------------------------------------------------------------------
// Values a projection generates.

const UNIT_MS: Record<string, number> = {
  WEEKS: 7 * 86_400_000,
  DAYS: 86_400_000,
  HOURS: 3_600_000,
  MINUTES: 60_000,
  SECONDS: 1_000,
};

/** `instant` moved by `n` units (calendar months and years, fixed lengths for the rest). */
function addUnits(instant: number, n: number, unit: string): number {
  const u = unit.toUpperCase().replace(/S?$/, "S");
  if (u === "MONTHS" || u === "YEARS") {
    const d = new Date(instant);
    d.setUTCMonth(d.getUTCMonth() + n * (u === "YEARS" ? 12 : 1));
    return d.getTime();
  }
  const ms = UNIT_MS[u];
  if (ms === undefined) throw new Error(`unknown interval unit ${unit}`);
  return instant + n * ms;
}

const DATE_TOKENS: Record<string, { digits: number; field: "y" | "M" | "d" | "H" | "m" | "s" }> = {
  yyyy: { digits: 4, field: "y" },
  MM: { digits: 2, field: "M" },
  dd: { digits: 2, field: "d" },
  HH: { digits: 2, field: "H" },
  mm: { digits: 2, field: "m" },
  ss: { digits: 2, field: "s" },
};

type DatePart = { token: keyof typeof DATE_TOKENS } | { literal: string };

/**
 * A Java date pattern (`yyyy-MM-dd`, `yyyy/MM/dd/HH`, `'dt='yyyyMMdd`) as its parts; undefined when it
 * uses a letter this check does not read (the value is then taken as visible: no false finding).
 */
function dateParts(format: string): DatePart[] | undefined {
  const parts: DatePart[] = [];
  for (let i = 0; i < format.length;) {
    if (format[i] === "'") {
      const end = format.indexOf("'", i + 1);
      if (end < 0) return undefined;
      parts.push({ literal: end === i + 1 ? "'" : format.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const token = Object.keys(DATE_TOKENS).find((t) => format.startsWith(t, i));
    if (token) {
      parts.push({ token: token as keyof typeof DATE_TOKENS });
      i += token.length;
    } else if (/[A-Za-z]/.test(format[i])) return undefined;
    else {
      parts.push({ literal: format[i] });
      i++;
    }
  }
  return parts;
}

/**
 * The instant (UTC) a projected date value stands for, when the value is exactly what the format
 * prints; undefined when it is not (Athena generates values by formatting, so another spelling, like
 * `2026-6-1` for `yyyy-MM-dd`, is never generated). Throws when the format cannot be read.
 */
export function parseProjectedDate(value: string, format: string): number | undefined {
  const parts = dateParts(format);
  if (!parts) throw new Error(`unsupported date format ${format}`);
  const f = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0 };
  let pos = 0;
  for (const part of parts) {
    if ("literal" in part) {
      if (!value.startsWith(part.literal, pos)) return undefined;
      pos += part.literal.length;
    } else {
      const { digits, field } = DATE_TOKENS[part.token];
      const text = value.slice(pos, pos + digits);
      if (!/^\d+$/.test(text) || text.length !== digits) return undefined;
      f[field] = +text;
      pos += digits;
    }
  }
  if (pos !== value.length) return undefined;
  const instant = Date.UTC(f.y, f.M - 1, f.d, f.H, f.m, f.s);
  const d = new Date(instant);
  const real =
    d.getUTCFullYear() === f.y &&
    d.getUTCMonth() === f.M - 1 &&
    d.getUTCDate() === f.d &&
    d.getUTCHours() === f.H &&
    d.getUTCMinutes() === f.m &&
    d.getUTCSeconds() === f.s;
  return real ? instant : undefined;
}

/** One end of a date range: a date in the format, or `NOW`, `NOW-3YEARS`, `NOW+1DAYS` against `now`. */
function rangeEnd(text: string, format: string, now: Date): number | undefined {
  const m = /^NOW(?:\s*([+-])\s*(\d+)\s*([A-Z]+))?$/i.exec(text.trim());
  if (m) {
    // Athena's NOW is the query's instant; the run is judged as of `now` (exclusive, as a value
    // stamped at that instant is not written yet).
    const base = now.getTime() - 1;
    return m[1] ? addUnits(base, (m[1] === "-" ? -1 : 1) * +m[2], m[3]) : base;
  }
  return parseProjectedDate(text.trim(), format);
}

/**
 * Why the projection of `key` does not generate `value`, or undefined when it does. `now` is the
 * instant `NOW` stands for (the run's as-of instant).
 */
export function projectionMiss(
  key: string,
  value: string,
  parameters: Readonly<Record<string, string>>,
  now: Date,
): string | undefined {
  const param = (name: string) => parameters[`projection.${key}.${name}`]?.trim();
  const type = param("type")?.toLowerCase();
  const shown = `${key}=${value}`;
  if (type === undefined) return `the table has no projection.${key}.type`;
  if (type === "injected") return undefined;
  if (type === "enum") {
    const values = (parameters[`projection.${key}.values`] ?? "").split(",");
    return values.includes(value) ? undefined : `${shown} is not among projection.${key}.values`;
  }
  if (type === "integer") {
    const [lo, hi] = (param("range") ?? "").split(",").map((s) => Number(s.trim()));
    const digits = param("digits") !== undefined ? Number(param("digits")) : 0;
    const interval = param("interval") !== undefined ? Number(param("interval")) : 1;
    if (!/^-?\d+$/.test(value)) return `${shown} is not an integer`;
    const n = Number(value);
    if (Number.isFinite(lo) && Number.isFinite(hi) && (n < lo || n > hi))
      return `${shown} is outside projection.${key}.range ${param("range")}`;
    if (interval > 1 && Number.isFinite(lo) && (n - lo) % interval !== 0)
      return `${shown} is not a step of projection.${key}.interval ${interval} from ${lo}`;
    const printed = `${n < 0 ? "-" : ""}${String(Math.abs(n)).padStart(digits, "0")}`;
    if (printed !== value)
      return digits > 0
        ? `${shown} is not written with projection.${key}.digits ${digits} (Athena reads ${key}=${printed})`
        : `${shown} has leading zeros the projection does not print (Athena reads ${key}=${printed})`;
    return undefined;
  }
  if (type === "date") {
    const format = param("format") ?? "";
    let instant: number | undefined;
    try {
      instant = parseProjectedDate(value, format);
    } catch {
      return undefined;
    }
    if (instant === undefined) return `${shown} is not a date written ${format} (projection.${key}.format)`;
    const range = param("range") ?? "";
    const [from, to] = range.split(",");
    const start = from !== undefined ? rangeEnd(from, format, now) : undefined;
    const end = to !== undefined ? rangeEnd(to, format, now) : undefined;
    if ((start !== undefined && instant < start) || (end !== undefined && instant > end))
      return `${shown} is outside projection.${key}.range ${range}${/NOW/i.test(range) ? ` (NOW: ${now.toISOString()})` : ""}`;
    const interval = param("interval") !== undefined ? Number(param("interval")) : 1;
    const unit = param("interval.unit");
    if (interval > 1 && unit && start !== undefined) {
      let t = start;
      while (t < instant) t = addUnits(t, interval, unit);
      if (t !== instant)
        return `${shown} is not a step of ${interval} ${unit} from the start of projection.${key}.range`;
    }
    return undefined;
  }
  return `projection.${key}.type ${type} is not a type Athena projects`;
}

// ---------------------------------------------------------------------------------------------------
// Which readers see one object.

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A `storage.location.template` (or the layout's folder template) as a prefix regex and its keys. */
function templateMatcher(template: string): { regex: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = template
    .split(/(\$\{[^}]+\})/)
    .map((part) => {
      const m = /^\$\{([^}]+)\}$/.exec(part);
      if (!m) return escapeRegExp(part);
      keys.push(m[1]);
      return "([^/]+)";
    })
    .join("");
  return { regex: new RegExp(`^${source}`), keys };
}

/**
 * The template Athena's projection reads: `storage.location.template` when set, else the table
 * location with Hive-style `key=value/` folders (Athena's default).
 */
function athenaTemplate(layout: TableLayout, parameters: Readonly<Record<string, string>>): string {
  return (
    parameters["storage.location.template"]?.trim() ||
    `${layout.location}${layout.partitionKeys.map((k) => `${k.name}=\${${k.name}}/`).join("")}`
  );
}

/** Which readers see each data object under a partitioned table's location (see the module comment). */
export function objectVisibility(
  layout: TableLayout,
  parameters: Readonly<Record<string, string>>,
  partitions: readonly RegisteredPartition[],
  objects: readonly Pick<ListedObject, "key">[],
  now: Date,
): ObjectVisibility[] {
  const depth = layout.partitionTemplate.split("/").filter((s) => s !== "").length;
  const projected = projectionEnabled(parameters);
  const template = athenaTemplate(layout, parameters);
  const matcher = templateMatcher(template);
  const locations = partitions.map((part) => normaliseLocation(part.location));
  return objects
    .filter((o) => o.key.startsWith(layout.prefix))
    .map((o): ObjectVisibility => {
      const rel = o.key.slice(layout.prefix.length);
      const dirs = rel.split("/").slice(0, -1);
      const folder = dirs
        .slice(0, depth)
        .map((d) => `${d}/`)
        .join("");
      if (dirs.length === 0)
        return {
          key: o.key,
          folder,
          athena: false,
          athenaReason: "directly under the table location",
          registered: false,
        };
      const uri = s3Uri(layout.bucket, o.key);
      const registered = locations.some((loc) => uri.startsWith(loc));
      if (!projected)
        return {
          key: o.key,
          folder,
          athena: registered,
          ...(registered
            ? {}
            : {
                athenaReason:
                  "the table has no partition projection, so Athena reads registered partitions only",
              }),
          registered,
        };
      const m = matcher.regex.exec(uri);
      let athenaReason: string | undefined;
      if (!m) athenaReason = `the keys do not follow storage.location.template ${template}`;
      else
        for (const [i, key] of matcher.keys.entries()) {
          athenaReason = projectionMiss(key, m[i + 1], parameters, now);
          if (athenaReason) break;
        }
      return {
        key: o.key,
        folder,
        athena: athenaReason === undefined,
        ...(athenaReason ? { athenaReason } : {}),
        registered,
      };
    });
}

// ---------------------------------------------------------------------------------------------------
// Findings.

/** The crawler that registers a dataset's partitions (infra/lake-ingestion.ts names them alike). */
function registrar(p: Platform, dataset: Dataset, layout: TableLayout): string {
  return layout.registration === "dataset-crawler"
    ? `the crawler ${crawlerName(p, dataset)}`
    : `the partition crawler ${partitionCrawlerName(p, dataset)}`;
}

function examples(keys: readonly string[], prefix: string): string {
  const names = [...keys]
    .sort()
    .slice(0, MAX_EXAMPLES)
    .map((k) => {
      const name = k.slice(prefix.length);
      return name.length > MAX_EXAMPLE_CHARS ? `${name.slice(0, MAX_EXAMPLE_CHARS - 1)}…` : name;
    });
  return ` (${keys.length > names.length ? "e.g. " : ""}${names.join(", ")})`;
}

/**
 * One finding per partition folder and kind of miss: a warning when one reader class shows the
 * objects and the other does not, an error when no reader does; each names the readers, the reason,
 * the fix, and a few example objects. Past `max` findings, one more sums up the rest.
 */
export function queryabilityFindings(
  p: Platform,
  dataset: Dataset,
  layout: TableLayout,
  parameters: Readonly<Record<string, string>>,
  visibility: readonly ObjectVisibility[],
  max: number = VALIDATOR_DEFAULTS.maxNamedObjects,
): Finding[] {
  const projected = projectionEnabled(parameters);
  const groups = new Map<string, ObjectVisibility[]>();
  for (const v of visibility) {
    if (v.athena && v.registered) continue;
    const id = `${v.folder}\u0000${v.athena}\u0000${v.registered}\u0000${v.athenaReason ?? ""}`;
    groups.set(id, [...(groups.get(id) ?? []), v]);
  }
  const findings = [...groups.values()].map((members): Finding => {
    const { folder, athena, registered, athenaReason } = members[0];
    const n = members.length;
    const what = `${n} object${n === 1 ? "" : "s"}`;
    const are = n === 1 ? "is" : "are";
    const them = n === 1 ? "it" : "them";
    const base = `${layout.prefix}${folder}`;
    const eg = examples(
      members.map((m) => m.key),
      base,
    );
    const object = s3Uri(layout.bucket, base);
    const register = `${registrar(p, dataset, layout)} adds the partition on its next run`;
    if (folder === "")
      return {
        dataset: dataset.name,
        check: "queryability",
        severity: "error",
        object,
        message: `${what} ${are} directly under the table location, in no partition folder: no reader sees ${them} (the table reads ${layout.partitionTemplate} folders only); move ${them} into ${n === 1 ? "its" : "their"} partition folder${eg}`,
      };
    if (athena)
      return {
        dataset: dataset.name,
        check: "queryability",
        severity: "warning",
        object,
        message: `${what} under ${folder} ${are} not in a registered partition: ${REGISTERED_READERS} do not see ${them} (${ATHENA} do, through partition projection); ${register}${eg}`,
      };
    if (registered)
      return {
        dataset: dataset.name,
        check: "queryability",
        severity: "warning",
        object,
        message: `${what} under ${folder} ${are} outside the table's partition projection (${athenaReason}): ${ATHENA} do not see ${them} (${REGISTERED_READERS} do, through the registered partition); write ${them} where the projection reads, or correct the table's projection parameters${eg}`,
      };
    return {
      dataset: dataset.name,
      check: "queryability",
      severity: "error",
      object,
      message: projected
        ? `${what} under ${folder} ${are} seen by no reader: ${ATHENA} do not (${athenaReason}) and ${n === 1 ? "it is" : "they are"} in no registered partition, so ${REGISTERED_READERS} do not either; write ${them} where the projection reads (${layout.partitionTemplate}), and ${register}${eg}`
        : `${what} under ${folder} ${are} seen by no reader: ${n === 1 ? "it is" : "they are"} in no registered partition and the table has no partition projection, so neither ${ATHENA} nor ${REGISTERED_READERS} see ${them}; ${register}, or enable the table's partition projection${eg}`,
    };
  });
  findings.sort(
    (a, b) => (a.object ?? "").localeCompare(b.object ?? "") || a.message.localeCompare(b.message),
  );
  if (findings.length <= max) return findings;
  const rest = findings.slice(max);
  return [
    ...findings.slice(0, max),
    {
      dataset: dataset.name,
      check: "queryability",
      severity: rest.some((f) => f.severity === "error") ? "error" : "warning",
      message: `${rest.length} more partition folders hold objects some reader does not see (${findings.length} in all)`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// The Glue side.

/** Every registered partition of a table (GetPartitions, every page). */
export async function readPartitions(
  caller: AwsCaller,
  clients: AwsClients,
  catalogId: string,
  database: string,
  table: string,
): Promise<RegisteredPartition[]> {
  const partitions: RegisteredPartition[] = [];
  let token: string | undefined;
  do {
    const page = await caller.call(`GetPartitions ${database}.${table}`, () =>
      clients.glue.send(
        new GetPartitionsCommand({
          CatalogId: catalogId,
          DatabaseName: database,
          TableName: table,
          NextToken: token,
        }),
      ),
    );
    for (const part of page.Partitions ?? [])
      if (part.StorageDescriptor?.Location)
        partitions.push({ values: part.Values ?? [], location: part.StorageDescriptor.Location });
    token = page.NextToken;
  } while (token);
  return partitions;
}

/** What the validator hands the check for one dataset. */
export interface QueryabilityInput {
  readonly platform: Platform;
  readonly dataset: Dataset;
  readonly layout: TableLayout;
  /** The Glue table's parameters, as deployed. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The data objects the validator listed under the dataset's prefix (no second listing). */
  readonly objects: readonly ListedObject[];
  /** The instant Athena's `NOW` stands for: the run's as-of instant. */
  readonly now: Date;
  readonly caller: AwsCaller;
  readonly clients: AwsClients;
  readonly catalogId: string;
  readonly database: string;
  readonly table: string;
}

/**
 * The check for one dataset: nothing for an unpartitioned table (every reader sees every object under
 * its location) or one with no object under its location; otherwise the registered partitions are read
 * and each object judged. A failed GetPartitions becomes an `unreadable` finding.
 */
export async function checkQueryability(input: QueryabilityInput): Promise<Finding[]> {
  const { layout, dataset } = input;
  if (layout.partitionKeys.length === 0) return [];
  const objects = input.objects.filter((o) => o.key.startsWith(layout.prefix));
  if (objects.length === 0) return [];
  let partitions: RegisteredPartition[];
  try {
    partitions = await readPartitions(
      input.caller,
      input.clients,
      input.catalogId,
      input.database,
      input.table,
    );
  } catch (err) {
    return [
      {
        dataset: dataset.name,
        check: "unreadable",
        severity: "error",
        message: `queryability not checked: ${describeError(err)}`,
      },
    ];
  }
  return queryabilityFindings(
    input.platform,
    dataset,
    layout,
    input.parameters,
    objectVisibility(layout, input.parameters, partitions, objects, input.now),
  );
}
