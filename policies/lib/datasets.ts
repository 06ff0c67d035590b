/**
 * Which resources of a stack are *dataset resources*: those that hold or move a registered dataset's
 * data or write into the lake, decided from the names and ARNs the registry (the pack config) gives,
 * never from a resource's type alone. A static website's bucket, its HTML objects or a CloudFront log
 * bucket in a program that never touches the lake are not dataset resources; an untagged copy of a
 * dataset is.
 *
 * A resource is a dataset resource when
 * 1. it says so: it carries a `dataset` tag (a Glue table: parameter), whatever its value;
 * 2. it names the lake: an S3 ARN or URL in a lake bucket (a registered dataset's location among them),
 *    a lake bucket's name, or a registered table (`database` and `table` keys side by side, or
 *    `database.table` in SQL) in its inputs (code and log locations aside);
 * 3. it is named as a copy: a bucket or Glue table whose name holds a registered dataset's (or table's)
 *    name together with its domain or a copy word (`orders-export`, `sales_orders_backup`, `orders_csv`);
 * 4. it is an analytics engine (Athena workgroup, EMR Serverless application, QuickSight data set or data
 *    source) in a stack that reads the lake: a Glue resource link to, or a Lake Formation grant on, a lake
 *    database — their results are copies of lake data;
 * 5. data flows between it and a dataset resource of the stack: a Firehose stream and its source stream,
 *    its destination bucket and its schema table; a Flink application and its streams; a DMS replication
 *    and its endpoints, an S3 target and its bucket; a Glue table or crawler and the bucket it reads; an
 *    object and its bucket; an Athena workgroup and its results bucket; a QuickSight data set, its data
 *    source and that source's workgroup; a Glue job and the buckets of its data arguments (an input
 *    bucket makes the job one; a job makes its output buckets one: they hold its copy).
 */
import type { PolicyResource } from "@pulumi/policy";
import { BUCKET_TYPES, bucketNameOf } from "./buckets";
import { decodeJson, Known, known, list, obj, str, UNKNOWN } from "./known";
import { parseS3Url } from "./layout";
import { DatasetLayout, parseS3Arn } from "./registry";
import { effectiveTags, tagMap } from "./tags";

/** What the registry tells the identification (each part may be empty: no pack config). */
export interface DatasetRegistry {
  /** The registered datasets: name, table, bucket and prefix. */
  readonly datasets: readonly DatasetLayout[];
  /** The lake's buckets. */
  readonly lakeBuckets: readonly string[];
  /** The lake's Glue databases and the consumers' resource links to them. */
  readonly lakeDatabases: readonly string[];
}

/** Why a resource is a dataset resource, for messages; `declared` when it carries a `dataset` tag. */
export type DatasetEvidence =
  { readonly declared: true } | { readonly declared: false; readonly why: string };

const T = {
  object: "aws:s3/bucketObject:BucketObject",
  objectV2: "aws:s3/bucketObjectv2:BucketObjectv2",
  stream: "aws:kinesis/stream:Stream",
  firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  flink: "aws:kinesisanalyticsv2/application:Application",
  dmsEndpoint: "aws:dms/endpoint:Endpoint",
  dmsS3: "aws:dms/s3Endpoint:S3Endpoint",
  dmsTask: "aws:dms/replicationTask:ReplicationTask",
  dmsConfig: "aws:dms/replicationConfig:ReplicationConfig",
  emr: "aws:emrserverless/application:Application",
  workgroup: "aws:athena/workgroup:Workgroup",
  qsDataSet: "aws:quicksight/dataSet:DataSet",
  qsDataSource: "aws:quicksight/dataSource:DataSource",
  crawler: "aws:glue/crawler:Crawler",
  table: "aws:glue/catalogTable:CatalogTable",
  job: "aws:glue/job:Job",
  database: "aws:glue/catalogDatabase:CatalogDatabase",
} as const;

/** Engines whose query results are copies of what they read. */
const ANALYTICS_ENGINES: readonly string[] = [T.workgroup, T.emr, T.qsDataSet, T.qsDataSource];

/**
 * Arguments AWS Glue itself reads: code, libraries, logs and settings, not the job's data
 * ("Using job parameters in AWS Glue jobs", https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-glue-arguments.html).
 * `--TempDir` is not among them: Glue stages the job's data there.
 */
const GLUE_CODE_ARGUMENTS = new Set([
  "--job-language",
  "--class",
  "--scriptLocation",
  "--extra-py-files",
  "--extra-jars",
  "--extra-files",
  "--user-jars-first",
  "--additional-python-modules",
  "--python-modules-installer-option",
  "--spark-event-logs-path",
  "--enable-spark-ui",
  "--continuous-log-logGroup",
  "--continuous-log-logStreamPrefix",
  "--continuous-log-conversionPattern",
  "--enable-continuous-cloudwatch-log",
  "--enable-continuous-log-filter",
  "--enable-metrics",
  "--enable-observability-metrics",
  "--enable-job-insights",
  "--enable-glue-datacatalog",
  "--job-bookmark-option",
  "--datalake-formats",
  "--conf",
  "--debug",
  "--mode",
  "--JOB_NAME",
]);

/** A Glue job argument that names where the job writes (its output), by the usual argument names. */
const OUTPUT_ARGUMENT = /out|target|dest|sink|write|export|copy/i;

/** Words that mark a name as a copy of what the rest of the name names. */
const COPY_WORDS = new Set([
  "copy",
  "copies",
  "export",
  "exports",
  "exported",
  "extract",
  "extracts",
  "backup",
  "backups",
  "bak",
  "snapshot",
  "snapshots",
  "dump",
  "dumps",
  "mirror",
  "replica",
  "clone",
  "archive",
  "csv",
  "json",
]);

/** `aws.kinesis.FirehoseDeliveryStream "name"` for messages. */
export function describeResource(r: PolicyResource): string {
  const m = /^([^:]+):([^/:]+)\/[^:]+:(.+)$/.exec(r.type);
  return `${m ? `${m[1]}.${m[2]}.${m[3]}` : r.type} "${r.name}"`;
}

function tokens(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== "");
}

/** Where `needle` occurs contiguously in `hay`, or -1. */
function indexOfTokens(hay: string[], needle: string[]): number {
  if (needle.length === 0) return -1;
  for (let i = 0; i + needle.length <= hay.length; i++)
    if (needle.every((t, j) => hay[i + j] === t)) return i;
  return -1;
}

/** Every string value of an input tree, with its key path (excluded paths skipped; JSON strings opened). */
function strings(
  value: Known | undefined,
  skip: (path: string[]) => boolean,
  path: string[] = [],
  out: { path: string[]; value: string }[] = [],
): { path: string[]; value: string }[] {
  if (skip(path)) return out;
  const decoded = decodeJson(value);
  if (typeof decoded === "string") out.push({ path, value: decoded });
  else if (Array.isArray(decoded)) decoded.forEach((v, i) => strings(v, skip, [...path, String(i)], out));
  else if (decoded && typeof decoded === "object")
    for (const [k, v] of Object.entries(decoded)) strings(v, skip, [...path, k], out);
  return out;
}

/** Every object of an input tree with the key it hangs under (for `database`/`table` keys side by side). */
function objects(
  value: Known | undefined,
  key = "",
  out: { key: string; value: { [key: string]: Known } }[] = [],
): { key: string; value: { [key: string]: Known } }[] {
  const decoded = decodeJson(value);
  if (Array.isArray(decoded)) decoded.forEach((v) => objects(v, key, out));
  else if (decoded && typeof decoded === "object") {
    out.push({ key, value: decoded });
    for (const [k, v] of Object.entries(decoded)) objects(v, k, out);
  }
  return out;
}

/** The buckets (and keys) an input string points into: S3 ARNs and `s3://` URLs anywhere in it. */
export function s3References(value: string): { bucket: string; key: string }[] {
  const refs: { bucket: string; key: string }[] = [];
  for (const m of value.matchAll(/arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]*)(\/[^\s"',;)]*)?/g))
    refs.push({ bucket: m[1], key: (m[2] ?? "").slice(1) });
  for (const m of value.matchAll(/\bs3[an]?:\/\/([a-z0-9][a-z0-9.-]*)(\/[^\s"',;)]*)?/g))
    refs.push({ bucket: m[1], key: (m[2] ?? "").slice(1) });
  return refs;
}

const TABLE_DATABASE_KEY = /^(?:--)?(?:[a-z]+[_-])?(?:database|db|schema)(?:[_-]?name)?$/i;
const TABLE_NAME_KEY = /^(?:--)?(?:[a-z]+[_-])?(?:table|tables)(?:[_-]?names?)?$/i;

/** Input paths that are code, logs or settings of a resource, not its data. */
function skipPath(type: string): (path: string[]) => boolean {
  return (path) => {
    const [first, second] = path;
    if (path.length === 1 && ["tags", "tagsAll", "policy", "logging", "loggings"].includes(first))
      return true;
    if (path.length === 0) return false;
    if (type === T.job) {
      if (first === "command") return true;
      if ((first === "defaultArguments" || first === "nonOverridableArguments") && second !== undefined)
        return GLUE_CODE_ARGUMENTS.has(second);
    }
    if (type === T.flink && first === "applicationConfiguration" && second === "applicationCodeConfiguration")
      return true;
    if (type === T.emr && (first === "imageConfiguration" || first === "monitoringConfiguration"))
      return true;
    if (type === T.firehose && (first === "cloudwatchLoggingOptions" || first === "processingConfiguration"))
      return true;
    return false;
  };
}

/** The identification, over one stack. */
export class DatasetResources {
  private readonly lakeBuckets: Set<string>;
  private readonly lakeDatabases: Set<string>;
  private readonly byUrn = new Map<string, PolicyResource>();
  private readonly evidence = new Map<PolicyResource, DatasetEvidence>();
  /** Registered datasets by table name. */
  private readonly tables = new Map<string, DatasetLayout[]>();
  /** Each dataset's and table's name as tokens, by their first token (for copy names). */
  private readonly names = new Map<
    string,
    { dataset: DatasetLayout; needle: string[]; domain: string[] }[]
  >();

  constructor(
    private readonly resources: PolicyResource[],
    private readonly registry: DatasetRegistry,
    /** The resource types that may be dataset resources. */
    private readonly types: readonly string[],
  ) {
    this.lakeBuckets = new Set([...registry.lakeBuckets, ...registry.datasets.map((d) => d.bucket)]);
    this.lakeDatabases = new Set([...registry.lakeDatabases, ...registry.datasets.map((d) => d.database)]);
    for (const r of resources) this.byUrn.set(r.urn, r);
    for (const d of registry.datasets) {
      this.tables.set(d.table, [...(this.tables.get(d.table) ?? []), d]);
      for (const subject of new Set([d.dataset, d.table])) {
        const needle = tokens(subject);
        if (needle.length === 0) continue;
        this.names.set(needle[0], [
          ...(this.names.get(needle[0]) ?? []),
          { dataset: d, needle, domain: tokens(d.database) },
        ]);
      }
    }
    this.identify();
  }

  /** The dataset resources of the stack, each with why it is one. */
  get all(): ReadonlyMap<PolicyResource, DatasetEvidence> {
    return this.evidence;
  }

  private candidates(): PolicyResource[] {
    return this.resources.filter((r) => this.types.includes(r.type));
  }

  private identify(): void {
    const candidates = this.candidates();
    const readsLake = this.readsLake();
    for (const r of candidates) {
      const why = this.declared(r)
        ? ({ declared: true } as const)
        : (() => {
            const reason = this.mentionsLake(r) ?? this.copyName(r) ?? this.engine(r, readsLake);
            return reason ? ({ declared: false, why: reason } as const) : undefined;
          })();
      if (why) this.evidence.set(r, why);
    }
    // Data flows: propagate along the edges until nothing changes.
    const edges = new Map<PolicyResource, { to: PolicyResource; how: string }[]>();
    for (const e of this.edges(candidates)) edges.set(e.from, [...(edges.get(e.from) ?? []), e]);
    const queue = [...this.evidence.keys()];
    while (queue.length > 0) {
      const from = queue.shift()!;
      for (const e of edges.get(from) ?? []) {
        if (this.evidence.has(e.to)) continue;
        this.evidence.set(e.to, {
          declared: false,
          why: `${e.how} ${describeResource(from)}, a dataset resource`,
        });
        queue.push(e.to);
      }
    }
  }

  /** Carries a `dataset` tag (a Glue table: parameter), known or not; an unknown tag map says nothing. */
  private declared(r: PolicyResource): boolean {
    const props = known(r.props);
    const tags = r.type === T.table ? tagMap(props.parameters) : effectiveTags(props, r.provider);
    return tags !== UNKNOWN && tags.dataset !== undefined;
  }

  /** The lake bucket, location or table the resource names, for a message; undefined if none. */
  private mentionsLake(r: PolicyResource): string | undefined {
    const props = known(r.props);
    for (const { value } of strings(props, skipPath(r.type))) {
      if (this.lakeBuckets.has(value)) return `it names lake bucket ${value}`;
      for (const ref of s3References(value)) {
        const where = this.lakeLocation(ref.bucket, ref.key);
        if (where) return `it names ${where}`;
      }
      const table = this.sqlTable(value);
      if (table) return `it names table ${table}`;
    }
    for (const { value } of objects(props)) {
      const table = this.structuralTable(value);
      if (table) return `it names table ${table}`;
    }
    return undefined;
  }

  /** `s3://bucket/key` described if it lies in the lake (a dataset's location named). */
  private lakeLocation(bucket: string, key: string): string | undefined {
    if (!this.lakeBuckets.has(bucket)) return undefined;
    const dataset = this.registry.datasets.find(
      (d) => d.bucket === bucket && key.startsWith(d.datasetPrefix),
    );
    return dataset
      ? `s3://${bucket}/${key} (the location of dataset ${dataset.dataset})`
      : `lake bucket ${bucket}${key ? ` (s3://${bucket}/${key})` : ""}`;
  }

  /** The registered dataset of a table named in a lake database (or a resource link to one). */
  private registeredTable(database: string, table: string): DatasetLayout | undefined {
    if (!this.lakeDatabases.has(database)) return undefined;
    const candidates = this.tables.get(table) ?? [];
    return candidates.find((d) => d.database === database) ?? candidates[0];
  }

  /** A registered table written `database.table` (quoted or not) in a string, e.g. a query. */
  private sqlTable(value: string): string | undefined {
    if (!value.includes(".")) return undefined;
    for (const m of value.matchAll(
      /(?:^|[^A-Za-z0-9_])["`]?([A-Za-z0-9_]+)["`]?\.["`]?([A-Za-z0-9_]+)["`]?(?=$|[^A-Za-z0-9_])/g,
    )) {
      const d = this.registeredTable(m[1].toLowerCase(), m[2].toLowerCase());
      if (d) return `${m[1]}.${m[2]} (dataset ${d.dataset})`;
    }
    return undefined;
  }

  /** A registered table named by `database`-like and `table`-like keys of one object. */
  private structuralTable(o: { [key: string]: Known }): string | undefined {
    const keys = Object.keys(o);
    const dbs = keys.filter((k) => TABLE_DATABASE_KEY.test(k)).flatMap((k) => stringsOf(o[k]));
    if (dbs.length === 0) return undefined;
    const tableKeys = keys.filter((k) => TABLE_NAME_KEY.test(k));
    // A Glue table (`databaseName` and `name`), QuickSight's `relationalTable` (`schema` and `name`).
    if (tableKeys.length === 0 && keys.includes("name")) tableKeys.push("name");
    const tables = tableKeys.flatMap((k) => stringsOf(o[k]));
    for (const db of dbs)
      for (const t of tables) {
        const d = this.registeredTable(db, t);
        if (d) return `${db}.${t} (dataset ${d.dataset})`;
      }
    return undefined;
  }

  /** A bucket or table named as a dataset's copy. */
  private copyName(r: PolicyResource): string | undefined {
    const props = known(r.props);
    let name: string;
    if (BUCKET_TYPES.includes(r.type)) {
      const given = str(props.bucket) ?? str(props.bucketPrefix);
      name = typeof given === "string" ? given : r.name;
    } else if (r.type === T.table) {
      const db = str(props.databaseName);
      const table = str(props.name);
      if (typeof table !== "string") return undefined;
      name = typeof db === "string" ? `${db}.${table}` : table;
    } else {
      return undefined;
    }
    const hay = tokens(name);
    for (const { dataset, needle, domain } of hay.flatMap((t) => this.names.get(t) ?? [])) {
      const at = indexOfTokens(hay, needle);
      if (at < 0) continue;
      const rest = [...hay.slice(0, at), ...hay.slice(at + needle.length)];
      const word = rest.find((t) => COPY_WORDS.has(t));
      if (word || indexOfTokens(rest, domain) >= 0)
        return `its name ${name} holds dataset ${dataset.dataset}'s name with ${word ? `"${word}"` : `its domain ${dataset.database}`}: a copy of it`;
    }
    return undefined;
  }

  /** Whether the stack reads the lake: a resource link to, or Lake Formation grant on, a lake database. */
  private readsLake(): string | undefined {
    for (const r of this.resources) {
      const props = known(r.props);
      if (r.type === T.database) {
        const target = obj(props.targetDatabase);
        const name = target && target !== UNKNOWN ? str(target.databaseName) : undefined;
        if (typeof name === "string" && this.lakeDatabases.has(name))
          return `${describeResource(r)} links lake database ${name}`;
      } else if (r.type.startsWith("aws:lakeformation/")) {
        for (const { key, value } of objects(props)) {
          const names = [str(value.databaseName), key === "database" ? str(value.name) : undefined];
          const name = names.find((n): n is string => typeof n === "string" && this.lakeDatabases.has(n));
          if (name) return `${describeResource(r)} grants on lake database ${name}`;
        }
      }
    }
    return undefined;
  }

  private engine(r: PolicyResource, readsLake: string | undefined): string | undefined {
    if (!readsLake || !ANALYTICS_ENGINES.includes(r.type)) return undefined;
    return `it is an analytics engine of a stack that reads the lake (${readsLake}), so its results are copies of lake data`;
  }

  /** The data-flow edges among the candidates: `to` is a dataset resource when `from` is. */
  private edges(candidates: PolicyResource[]): { from: PolicyResource; to: PolicyResource; how: string }[] {
    const set = new Set(candidates);
    const byType = new Map<string, PolicyResource[]>();
    for (const c of candidates) byType.set(c.type, [...(byType.get(c.type) ?? []), c]);
    const of = (types: readonly string[]) => types.flatMap((t) => byType.get(t) ?? []);
    const buckets = of(BUCKET_TYPES);
    const bucketByName = new Map<string, PolicyResource>();
    for (const b of buckets) {
      const name = bucketNameOf(b);
      if (typeof name === "string") bucketByName.set(name, b);
    }
    const deps = (r: PolicyResource, property: string, types: readonly string[]) =>
      (r.propertyDependencies?.[property] ?? [])
        .map((d) => this.byUrn.get(d.urn) ?? d)
        .filter((d) => types.includes(d.type) && set.has(d));
    const bucketsNamed = (values: (string | typeof UNKNOWN | undefined)[]) =>
      values.flatMap((v) => {
        if (typeof v !== "string") return [];
        const name = parseS3Arn(v)?.bucket ?? parseS3Url(v)?.bucket ?? v;
        const b = bucketByName.get(name);
        return b ? [b] : [];
      });
    // Streams, delivery streams and DMS endpoints by ARN and by name (an ARN's last part: `.../stream/<name>`).
    const byKey = new Map<string, PolicyResource[]>();
    for (const c of of([T.stream, T.firehose, T.dmsEndpoint, T.dmsS3])) {
      const p = known(c.props);
      for (const key of [str(p.arn), str(p.endpointArn), str(p.name)])
        if (typeof key === "string") byKey.set(key, [...(byKey.get(key) ?? []), c]);
    }
    const byArn = (types: readonly string[], value: Known | undefined) => {
      const v = str(value);
      if (typeof v !== "string") return [];
      const found = [...(byKey.get(v) ?? []), ...(byKey.get(v.slice(v.lastIndexOf("/") + 1)) ?? [])];
      return [...new Set(found)].filter((c) => types.includes(c.type));
    };

    const edges: { from: PolicyResource; to: PolicyResource; how: string }[] = [];
    /** `a` and `b` exchange data: each makes the other a dataset resource. */
    const both = (a: PolicyResource, b: PolicyResource, aOfB: string, bOfA: string) => {
      if (a === b) return;
      edges.push({ from: b, to: a, how: aOfB }, { from: a, to: b, how: bOfA });
    };
    const unique = (rs: PolicyResource[]) => [...new Set(rs)];

    for (const r of candidates) {
      const p = known(r.props);
      switch (r.type) {
        case T.object:
        case T.objectV2:
          for (const b of unique([...deps(r, "bucket", BUCKET_TYPES), ...bucketsNamed([str(p.bucket)])]))
            both(r, b, "it is an object of", "it holds");
          break;
        case T.firehose: {
          const source = obj(p.kinesisSourceConfiguration);
          const streams = unique([
            ...deps(r, "kinesisSourceConfiguration", [T.stream]),
            ...(source && source !== UNKNOWN ? byArn([T.stream], source.kinesisStreamArn) : []),
          ]);
          for (const s of streams) both(r, s, "it reads", "it is the source of");
          const s3 = obj(p.extendedS3Configuration);
          const destination = unique([
            ...deps(r, "extendedS3Configuration", BUCKET_TYPES),
            ...(s3 && s3 !== UNKNOWN ? bucketsNamed([str(s3.bucketArn)]) : []),
          ]);
          for (const b of destination) both(r, b, "it delivers into", "it receives the deliveries of");
          for (const t of deps(r, "extendedS3Configuration", [T.table]))
            both(r, t, "it converts records to the schema of", "its schema converts the records of");
          break;
        }
        case T.flink: {
          const flows = unique([
            ...deps(r, "applicationConfiguration", [T.stream, T.firehose]),
            ...strings(obj(p.applicationConfiguration) as Known, skipPath(r.type), [
              "applicationConfiguration",
            ]).flatMap((s) => byArn([T.stream, T.firehose], s.value)),
          ]);
          for (const s of flows) both(r, s, "it processes", "it is processed by");
          break;
        }
        case T.dmsTask:
        case T.dmsConfig:
          for (const property of ["sourceEndpointArn", "targetEndpointArn"]) {
            const endpoints = unique([
              ...deps(r, property, [T.dmsEndpoint, T.dmsS3]),
              ...byArn([T.dmsEndpoint, T.dmsS3], p[property]),
            ]);
            for (const e of endpoints) both(r, e, "it replicates through", "it is an endpoint of");
          }
          break;
        case T.dmsS3:
          for (const b of unique([
            ...deps(r, "bucketName", BUCKET_TYPES),
            ...bucketsNamed([str(p.bucketName)]),
          ]))
            both(r, b, "it writes into", "it receives the replication of");
          break;
        case T.table: {
          const sd = obj(p.storageDescriptor);
          const location = sd && sd !== UNKNOWN ? str(sd.location) : undefined;
          for (const b of unique([
            ...deps(r, "storageDescriptor", BUCKET_TYPES),
            ...bucketsNamed([location]),
          ]))
            both(r, b, "it is a table over", "it holds the data of table");
          break;
        }
        case T.crawler: {
          const paths = list(p.s3Targets).map((t) => {
            const o = obj(t);
            return o && o !== UNKNOWN ? str(o.path) : undefined;
          });
          for (const b of unique([...deps(r, "s3Targets", BUCKET_TYPES), ...bucketsNamed(paths)]))
            both(r, b, "it crawls", "it is crawled by");
          for (const t of deps(r, "catalogTargets", [T.table])) both(r, t, "it crawls", "it is crawled by");
          break;
        }
        case T.workgroup: {
          const config = obj(p.configuration);
          const results = config && config !== UNKNOWN ? obj(config.resultConfiguration) : undefined;
          const output = results && results !== UNKNOWN ? str(results.outputLocation) : undefined;
          for (const b of unique([...deps(r, "configuration", BUCKET_TYPES), ...bucketsNamed([output])]))
            both(r, b, "it writes its results into", "it holds the query results of");
          break;
        }
        case T.qsDataSource: {
          const params = obj(p.parameters);
          const athena = params && params !== UNKNOWN ? obj(params.athena) : undefined;
          const name = athena && athena !== UNKNOWN ? str(athena.workGroup) : undefined;
          const workgroups = of([T.workgroup]).filter((w) => str(known(w.props).name) === name);
          for (const w of unique([...deps(r, "parameters", [T.workgroup]), ...workgroups]))
            both(r, w, "it queries through", "it runs the queries of");
          break;
        }
        case T.qsDataSet:
          for (const property of ["physicalTableMaps", "physicalTableMap", "logicalTableMaps"])
            for (const s of deps(r, property, [T.qsDataSource, T.qsDataSet]))
              both(r, s, "it reads", "it is read by");
          break;
        case T.job:
          for (const property of ["defaultArguments", "nonOverridableArguments"]) {
            const args = obj(p[property]);
            if (!args || args === UNKNOWN) continue;
            for (const [key, value] of Object.entries(args)) {
              if (GLUE_CODE_ARGUMENTS.has(key)) continue;
              const named = bucketsNamed(
                typeof value === "string" ? s3References(value).map((ref) => ref.bucket) : [],
              );
              for (const b of named) {
                if (OUTPUT_ARGUMENT.test(key))
                  both(r, b, "it writes into", `it receives the output (${key}) of`);
                else edges.push({ from: b, to: r, how: `it reads (${key})` });
              }
            }
          }
          break;
      }
    }
    return edges;
  }
}

function stringsOf(value: Known | undefined): string[] {
  return list(value).flatMap((v) => (typeof v === "string" ? [v] : []));
}
