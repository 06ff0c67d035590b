import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  arr,
  DatasetLayout,
  datasetLayoutSchema,
  dmsOutput,
  firehoseOutput,
  firehosePrefixFor,
  fit,
  known,
  Known,
  list,
  obj,
  parseS3Url,
  segmentsOf,
  showSegments,
  str,
  tableOfCatalogTable,
  tableOfLayout,
  TableShape,
  UNKNOWN,
  WriterOutput,
} from "@acme/lakehouse-policy-lib";

interface Config {
  datasets: DatasetLayout[];
}

const TABLE = "aws:glue/catalogTable:CatalogTable";
const CRAWLER = "aws:glue/crawler:Crawler";
const FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
const DMS_TARGET = "aws:dms/s3Endpoint:S3Endpoint";
const DMS_REPLICATIONS = [
  "aws:dms/replicationConfig:ReplicationConfig",
  "aws:dms/replicationTask:ReplicationTask",
];

/** A table the checks can match a writer to: declared in this stack, or registered (the lake stack's). */
interface Candidate {
  readonly shape: TableShape;
  /** The table resource when this stack declares it. */
  readonly resource?: PolicyResource;
  /** The registered dataset's layout when the definition registers it. */
  readonly layout?: DatasetLayout;
}

/** One writer's output into one table. */
interface Writer {
  readonly what: string;
  readonly resource: PolicyResource;
  readonly output: WriterOutput;
  /** The table the writer names (Firehose's schemaConfiguration), if any. */
  readonly names?: { database: Known | undefined; table: Known | undefined };
  readonly kind: "firehose" | "dms" | "crawler";
  /** The table, where already known (a registered dataset's table in this stack). */
  readonly target?: Candidate;
}

/** The schema and table of each include selection rule of a DMS table mapping; UNKNOWN parts stay so. */
function selections(
  mappings: Known | undefined,
): { schema: string | typeof UNKNOWN; table: string | typeof UNKNOWN }[] {
  const doc = obj(mappings);
  if (doc === UNKNOWN) return [{ schema: UNKNOWN, table: UNKNOWN }];
  const rules = arr(doc?.rules);
  if (rules === UNKNOWN) return [{ schema: UNKNOWN, table: UNKNOWN }];
  const out: { schema: string | typeof UNKNOWN; table: string | typeof UNKNOWN }[] = [];
  for (const r of rules ?? []) {
    const rule = obj(r);
    if (rule === UNKNOWN) {
      out.push({ schema: UNKNOWN, table: UNKNOWN });
      continue;
    }
    if (rule?.["rule-type"] !== "selection" || rule["rule-action"] === "exclude") continue;
    const locator = obj(rule["object-locator"]);
    const part = (v: Known | undefined) => {
      const s = str(v);
      if (typeof s !== "string") return UNKNOWN;
      // `[_]` is a literal underscore, the folder's `_`; `%` and other `[...]` sets are DMS wildcards: the
      // folder names are then not known from the mapping. A bare `_` (one any character) is taken as
      // itself, the table the rule most likely means.
      const literal = s.replace(/\[_\]/g, "_");
      return /[%[\]]/.test(literal) ? UNKNOWN : literal;
    };
    out.push(
      locator === UNKNOWN
        ? { schema: UNKNOWN, table: UNKNOWN }
        : { schema: part(locator?.["schema-name"]), table: part(locator?.["table-name"]) },
    );
  }
  return out;
}

function startsWith(longer: string[], shorter: string[]): boolean {
  return shorter.length <= longer.length && shorter.every((s, i) => longer[i] === s);
}

/** The literal leading folders of a writer's keys (up to the first that varies). */
function literalFolders(output: WriterOutput): string[] {
  if (output.segments === UNKNOWN) return [];
  const i = output.segments.findIndex((s) => s.includes("{"));
  return i < 0 ? output.segments : output.segments.slice(0, i);
}

/**
 * Every writer of the lake fills a table that reads what it writes: Firehose streams (the table their
 * `schemaConfiguration` names, else the table whose location their prefix lies under), DMS S3 targets
 * (linked to their replication through `propertyDependencies` of `targetEndpointArn`; the selection
 * rule gives the `<schema>/<table>/` folder) and Glue crawlers' S3 targets. The table is the one this
 * stack declares or, where the stack declares none, the registered dataset's table from the pack
 * config (`npm run policy-config`: packs run per stack and a producer's writers fill the lake stack's
 * tables). A stack's partitioned table of a registered dataset is also judged against the dataset's
 * writer layout from the config.
 */
export const lakeWriterRequireMatchingTable: StackValidationPolicy = {
  name: "lake-writer-require-matching-table",
  description:
    "Every lake writer (Firehose, DMS S3 target, Glue crawler) writes inside its table's location, in the table's partition layout, " +
    "and a partitioned table's partitions reach readers (projection or a crawler). Matched in the stack, else against the registered " +
    "dataset's layout in the pack config. Where a writer's prefix or a table's location is not known yet (a preview), only the known " +
    "parts are judged (which table a writer names, whether its partitions are registered); the location and layout wait for known values.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: { datasets: { type: "array", items: datasetLayoutSchema, default: [] } },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<Config>();
    const registered = config.datasets ?? [];
    const stackTables: Candidate[] = args.resources
      .filter((r) => r.type === TABLE)
      .map((r) => {
        const shape = tableOfCatalogTable(known(r.props));
        const layout = registered.find((d) => d.database === shape.database && d.table === shape.table);
        return { shape, resource: r, layout };
      });
    const registeredTables: Candidate[] = registered
      .filter((d) => !stackTables.some((t) => t.layout === d))
      .map((d) => ({ shape: tableOfLayout(d), layout: d }));
    const crawlers = args.resources
      .filter((r) => r.type === CRAWLER)
      .map((r) => ({ r, props: known(r.props) }));

    /** Whether a crawler of this stack registers the table's partitions (a catalog target, or its location). */
    const crawled = (t: TableShape): boolean | typeof UNKNOWN => {
      let unknown = false;
      for (const { props } of crawlers) {
        for (const target of list(props.catalogTargets)) {
          const c = obj(target);
          if (c === UNKNOWN) {
            unknown = true;
            continue;
          }
          const names = list(c?.tables);
          if (c?.databaseName === UNKNOWN || names.includes(UNKNOWN)) unknown = true;
          if (c?.databaseName === t.database && names.includes(t.table as Known)) return true;
        }
        for (const target of list(props.s3Targets)) {
          const s = obj(target);
          const path = s === UNKNOWN ? UNKNOWN : str(s?.path);
          if (path === UNKNOWN) unknown = true;
          const parsed = typeof path === "string" ? parseS3Url(path) : undefined;
          if (parsed && parsed.bucket === t.bucket && parsed.prefix === t.prefix) return true;
        }
      }
      return unknown ? UNKNOWN : false;
    };

    /** The table a writer fills: the one it names, else the one whose (dataset) prefix its keys lie under. */
    const tableFor = (w: Writer): Candidate | undefined => {
      const db = w.names?.database;
      const name = w.names?.table;
      if (typeof db === "string" && typeof name === "string") {
        return (
          stackTables.find((t) => t.shape.database === db && t.shape.table === name) ??
          registeredTables.find((t) => t.shape.database === db && t.shape.table === name)
        );
      }
      if (db === UNKNOWN || name === UNKNOWN || w.output.bucket === UNKNOWN || w.output.segments === UNKNOWN)
        return undefined;
      const folders = literalFolders(w.output);
      const scoped = (t: Candidate) => {
        const scope = t.layout && !t.resource ? t.layout.datasetPrefix : t.shape.prefix;
        return t.shape.bucket === w.output.bucket &&
          typeof scope === "string" &&
          startsWith(folders, segmentsOf(scope))
          ? segmentsOf(scope).length
          : -1;
      };
      const best = [...stackTables, ...registeredTables]
        .map((t) => ({ t, n: scoped(t) }))
        .filter((x) => x.n >= 0)
        .sort((a, b) => b.n - a.n)[0];
      return best?.t;
    };

    const reportedRegistration = new Set<Candidate>();
    const judge = (w: Writer) => {
      const target = w.target ?? tableFor(w);
      if (!target) return;
      const t = target.shape;
      const f = fit(w.output, t);
      const where =
        typeof t.prefix === "string" && typeof t.bucket === "string"
          ? `s3://${t.bucket}/${t.prefix}`
          : "its location";
      const from = target.resource ? "" : " (the registered dataset's table, in the lake stack)";
      if (f.kind === "outside") {
        reportViolation(
          `${w.what} writes s3://${String(w.output.bucket)}/${w.output.shown}, outside ${where}, the location of table ${t.label}${from} ` +
            `it fills: no reader of the table sees these objects. ${fixFor(w, t)}`,
          w.resource.urn,
        );
      } else if (f.kind === "layout") {
        reportViolation(
          `${w.what} writes partitions as ${showSegments(f.written) || "(no folders)"} below ${where}, but table ${t.label}${from} ` +
            `reads ${showSegments(f.expected) || "no partition folders (it has no partition keys)"}: readers find no rows in them. ${fixFor(w, t)}`,
          w.resource.urn,
        );
      }
      // Partitions nobody registers: readers see no rows at all.
      if (reportedRegistration.has(target) || t.keys === UNKNOWN || t.keys.length === 0) return;
      if (target.resource) {
        if (t.projected !== false) return;
        const c = crawled(t);
        if (c !== false) return;
        reportedRegistration.add(target);
        reportViolation(
          `Table ${t.label} is partitioned by ${t.keys.join(", ")}, filled by ${w.what}, but neither projects its partitions nor is crawled ` +
            `by a crawler of this stack: Athena, EMR Spark and Spectrum see 0 rows. Enable partition projection (projection.enabled "true", ` +
            `projection.<key>.* per key, storage.location.template ${where}${showSegments(t.template === UNKNOWN ? [] : t.template)}) and add ` +
            `a crawler with catalogTargets on the table for readers that ignore projection.`,
          target.resource.urn,
        );
      } else if (target.layout && target.layout.registration === "none") {
        reportedRegistration.add(target);
        reportViolation(
          `Registered table ${t.label} is partitioned by ${t.keys.join(", ")} and filled by ${w.what}, but the definition registers no ` +
            `partitions for it (registration "none"): EMR Spark and Spectrum see 0 rows. Register the dataset's partitions (a partition ` +
            `crawler on the table) and regenerate the pack config with \`npm run policy-config\`.`,
          w.resource.urn,
        );
      }
    };

    for (const r of args.resources) {
      const props = known(r.props);
      if (r.type === FIREHOSE) {
        if (props.destination !== "extended_s3" && props.destination !== UNKNOWN) continue;
        const s3 = obj(props.extendedS3Configuration);
        if (s3 === UNKNOWN || s3 === undefined) continue;
        const conversion = obj(s3.dataFormatConversionConfiguration);
        const schema = conversion === UNKNOWN ? UNKNOWN : obj(conversion?.schemaConfiguration);
        judge({
          what: `Firehose stream ${r.name}`,
          resource: r,
          kind: "firehose",
          output: firehoseOutput(s3),
          names:
            schema === UNKNOWN
              ? { database: UNKNOWN, table: UNKNOWN }
              : schema
                ? { database: schema.databaseName, table: schema.tableName }
                : undefined,
        });
      } else if (r.type === DMS_TARGET) {
        if (props.endpointType !== "target") continue;
        // The replications writing through this endpoint: those whose targetEndpointArn came from it.
        const replications = args.resources.filter(
          (x) =>
            DMS_REPLICATIONS.includes(x.type) &&
            (x.propertyDependencies?.targetEndpointArn ?? []).some((d) => d.urn === r.urn),
        );
        for (const replication of replications)
          for (const source of selections(known(replication.props).tableMappings))
            judge({
              what: `DMS target ${r.name} (replication ${replication.name})`,
              resource: r,
              kind: "dms",
              output: dmsOutput(props, source),
            });
      } else if (r.type === CRAWLER) {
        for (const target of list(props.s3Targets)) {
          const s = obj(target);
          const path = s === UNKNOWN ? UNKNOWN : str(s?.path);
          if (typeof path !== "string") continue;
          const parsed = parseS3Url(path);
          if (!parsed) continue;
          const output: WriterOutput = {
            bucket: parsed.bucket,
            segments: segmentsOf(parsed.prefix),
            shown: parsed.prefix,
          };
          const candidate = tableFor({ what: "", resource: r, kind: "crawler", output });
          if (!candidate || candidate.shape.prefix === UNKNOWN || candidate.shape.prefix === parsed.prefix)
            continue;
          reportViolation(
            `Crawler ${r.name} crawls ${path}, but table ${candidate.shape.label} reads s3://${String(candidate.shape.bucket)}/${candidate.shape.prefix}: ` +
              `the crawler would make tables or partitions of other folders than the table's. Crawl the table's location, or give the crawler ` +
              `catalogTargets naming the table.`,
            r.urn,
          );
        }
      }
    }

    // The lake stack: a table of a registered dataset reads where the dataset's writer writes.
    for (const t of stackTables) {
      const d = t.layout;
      if (!d || d.writer === "crawler") continue;
      const written: WriterOutput = {
        bucket: d.bucket,
        segments: [...segmentsOf(d.prefix), ...segmentsOf(d.partitionTemplate)],
        shown: `${d.prefix}${d.partitionTemplate}`,
      };
      judge({
        what: `the dataset's ${d.writer} writer (registered layout)`,
        resource: t.resource!,
        kind: "crawler",
        output: written,
        target: t,
      });
    }
  },
};

/** The fix for a writer that does not fit its table. */
function fixFor(w: Writer, t: TableShape): string {
  const keys = t.keys === UNKNOWN ? [] : t.keys;
  if (w.kind === "firehose")
    return `Set extendedS3Configuration.prefix to ${firehosePrefixFor(t)}${keys.length ? ` (dynamic partitioning on ${keys.join(", ")})` : ""}.`;
  if (w.kind === "dms") {
    const prefix = typeof t.prefix === "string" ? t.prefix : "<table prefix>";
    const dated = t.template !== UNKNOWN && t.template.length > 0;
    return (
      `Write the table's folder (bucketFolder plus the selection rule's <schema>/<table>/ = ${prefix})` +
      (dated
        ? `, with date folders datePartitionEnabled: true, datePartitionSequence: "YYYYMMDD", datePartitionDelimiter: "DASH" for ${showSegments(t.template as string[])}.`
        : ` without date folders (datePartitionEnabled: false), or partition the table by them.`)
    );
  }
  return `Make the table's location and partition layout the writer's (${firehosePrefixFor(t)}).`;
}
