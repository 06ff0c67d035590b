/**
 * Parses and validates a platform definition: the schema first (schema.ts), then the cross-references
 * between its parts. Every problem is reported at once, each with its path (`datasets[3].owner.email`)
 * and what a valid value looks like; nothing is declared from an invalid definition.
 */
import { CORE_SCHEMA, load, YAMLException } from "js-yaml";
import { z } from "zod";
import { expressionMatches, LIFECYCLE_TAG, readableDatasets } from "./access";
import { classificationRank } from "./names";
import { nameIssues } from "./aws-names";
import { redshiftCapacityProblem, redshiftSubnetProblems } from "./redshift-rules";
import { expressionIssues } from "./expressions";
import { DMS_COMMIT_TIMESTAMP_COLUMN, EVENT_TIME_KEYS, eventTimeColumn } from "./layout";
import { Platform, platformSchema } from "./schema";
import { aliasProblem, InputFileError, printable, readInputText, statInput } from "./read";

/** One problem of a definition. */
export interface DefinitionIssue {
  /** Where: `datasets[3].owner.email`; empty for the file as a whole. */
  readonly path: string;
  /** What is wrong and what a valid value looks like. */
  readonly message: string;
}

/** The most problems a {@link PlatformDefinitionError} message lists; the rest are counted. */
export const MAX_PRINTED_ISSUES = 50;
/** The most characters of one problem's path, and of its message, that are printed. */
const MAX_ISSUE_PATH = 200;
const MAX_ISSUE_MESSAGE = 400;

function formatDefinitionError(source: string, issues: readonly DefinitionIssue[]): string {
  const shown = issues
    .slice(0, MAX_PRINTED_ISSUES)
    .map(
      (i) =>
        `  ${i.path ? `${printable(i.path, MAX_ISSUE_PATH)}: ` : ""}${printable(i.message, MAX_ISSUE_MESSAGE)}`,
    );
  if (issues.length > MAX_PRINTED_ISSUES) shown.push(`  ... and ${issues.length - MAX_PRINTED_ISSUES} more`);
  return (
    `${printable(source, MAX_ISSUE_PATH)} is not a valid platform definition ` +
    `(${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${shown.join("\n")}`
  );
}

/** A definition that cannot be used, with every problem found. */
export class PlatformDefinitionError extends Error {
  constructor(
    readonly source: string,
    readonly issues: DefinitionIssue[],
  ) {
    super(formatDefinitionError(source, issues));
    this.name = "PlatformDefinitionError";
  }
}

/** `["datasets", 3, "owner"]` → `datasets[3].owner`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    "",
  );
}

function duplicates<T>(items: readonly T[], key: (t: T) => string): Map<number, string> {
  const seen = new Map<string, number>();
  const dups = new Map<number, string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) dups.set(i, k);
    else seen.set(k, i);
  });
  return dups;
}

/** The cross-reference checks, on a definition whose shape is valid. */
export function crossCheck(p: Platform): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const add = (path: readonly PropertyKey[], message: string) =>
    issues.push({ path: formatPath(path), message });
  const accounts = new Map(p.accounts.map((a) => [a.name, a]));
  const names = (role: string) =>
    p.accounts
      .filter((a) => a.role === role)
      .map((a) => a.name)
      .join(", ") || "none";

  // Accounts: unique names and ids, exactly one lake, deployment roles in their own account.
  for (const [i, name] of duplicates(p.accounts, (a) => a.name))
    add(["accounts", i, "name"], `"${name}" is used by another account; account names are unique`);
  for (const [i, id] of duplicates(p.accounts, (a) => a.id))
    add(["accounts", i, "id"], `${id} is used by another account; each AWS account is listed once`);
  const lakes = p.accounts.filter((a) => a.role === "lake");
  if (lakes.length !== 1)
    add(["accounts"], `exactly one account must have role lake (found ${lakes.length}: ${names("lake")})`);
  p.accounts.forEach((a, i) => {
    if (a.deploymentRoleArn && a.deploymentRoleArn.split(":")[4] !== a.id) {
      add(
        ["accounts", i, "deploymentRoleArn"],
        `must be a role in account ${a.id}, e.g. arn:aws:iam::${a.id}:role/pulumi-deploy`,
      );
    }
  });
  const lakeId = lakes[0]?.id;
  p.lake.admins.forEach((arn, i) => {
    if (lakeId && arn.split(":")[4] !== lakeId)
      add(["lake", "admins", i], `must be an IAM ARN in the lake account ${lakeId}`);
  });

  // LF-tag ontology.
  const domains = p.lake.lfTags.domain ?? [];
  const classes = p.lake.lfTags.classification ?? [];
  for (const [key, values] of Object.entries(p.lake.lfTags)) {
    if (key === LIFECYCLE_TAG.key)
      add(
        ["lake", "lfTags", key],
        `"${key}" is reserved: the platform tags every table ${key}=${LIFECYCLE_TAG.active} or ${LIFECYCLE_TAG.retired} (past endsOn) itself; rename your key`,
      );
    for (const [i, v] of duplicates(values, (v) => v))
      add(["lake", "lfTags", key, i], `"${v}" is listed twice`);
  }

  // Datasets.
  for (const [i, name] of duplicates(p.datasets, (d) => d.name))
    add(["datasets", i, "name"], `"${name}" is already registered; dataset names are unique`);
  p.datasets.forEach((d, i) => {
    const at = (...rest: PropertyKey[]) => ["datasets", i, ...rest];
    if (!domains.includes(d.domain))
      add(at("domain"), `"${d.domain}" is not a domain of lake.lfTags.domain (${domains.join(", ")})`);
    if (!classes.includes(d.classification)) {
      add(
        at("classification"),
        `"${d.classification}" is not a value of lake.lfTags.classification (${classes.join(", ")})`,
      );
    }
    const producer = accounts.get(d.producer);
    if (!producer)
      add(at("producer"), `"${d.producer}" is not an account; use a producer account (${names("producer")})`);
    else if (producer.role !== "producer") {
      add(
        at("producer"),
        `"${d.producer}" has role ${producer.role}; a dataset's producer must be a producer account (${names("producer")})`,
      );
    }
    const rank = classificationRank(p, d.classification);
    for (const [j, name] of duplicates(d.schema.columns, (c) => c.name))
      add(at("schema", "columns", j, "name"), `column "${name}" is declared twice`);
    d.schema.columns.forEach((c, j) => {
      if (c.classification === undefined) return;
      const colRank = classificationRank(p, c.classification);
      if (colRank < 0)
        add(
          at("schema", "columns", j, "classification"),
          `"${c.classification}" is not a value of lake.lfTags.classification (${classes.join(", ")})`,
        );
      else if (rank >= 0 && colRank <= rank) {
        add(
          at("schema", "columns", j, "classification"),
          `"${c.classification}" is not stricter than the dataset's "${d.classification}"; use one of ${classes.slice(rank + 1).join(", ") || "(none: remove it)"} or remove it`,
        );
      }
    });
    const columnNames = new Set(d.schema.columns.map((c) => c.name));
    d.schema.partitionKeys.forEach((k, j) => {
      if (columnNames.has(k.name))
        add(
          at("schema", "partitionKeys", j, "name"),
          `"${k.name}" is also a column; a partition key is not repeated among the columns`,
        );
    });
    if (d.endsOn && d.endsOn <= d.registeredOn)
      add(at("endsOn"), `${d.endsOn} must be after registeredOn ${d.registeredOn}`);
    const ing = d.ingestion;
    if (ing.type === "firehose") {
      if (d.velocity !== "streaming")
        add(
          at("ingestion", "type"),
          `firehose ingests streams; set velocity: streaming or use crawler, dms, spark or upload`,
        );
      if (ing.stream.mode === "provisioned" && ing.stream.shards === undefined)
        add(
          at("ingestion", "stream", "shards"),
          `a provisioned stream needs its number of shards, e.g. shards: 2`,
        );
      if (ing.stream.mode === "on-demand" && ing.stream.shards !== undefined)
        add(
          at("ingestion", "stream", "shards"),
          `an on-demand stream has no shard count; remove shards or use mode: provisioned`,
        );
    }
    if (ing.type === "firehose") {
      const keys = d.schema.partitionKeys.map((k) => k.name);
      const derived = keys.filter((k) => (EVENT_TIME_KEYS as readonly string[]).includes(k));
      if (ing.eventTimeColumn !== undefined) {
        const c = d.schema.columns.find((c) => c.name === ing.eventTimeColumn);
        if (!c)
          add(
            at("ingestion", "eventTimeColumn"),
            `"${ing.eventTimeColumn}" is not a column of the dataset (${d.schema.columns.map((c) => c.name).join(", ")})`,
          );
        else if (c.type !== "timestamp" && c.type !== "string")
          add(
            at("ingestion", "eventTimeColumn"),
            `"${c.name}" is a ${c.type}; the event time is a timestamp (or string) column holding ISO-8601 times`,
          );
      } else if (derived.length > 0 && eventTimeColumn(d) === undefined)
        add(
          at("schema", "partitionKeys"),
          `Firehose derives ${derived.join(" and ")} from the record's event time, but the dataset has no timestamp column; add one (e.g. { name: event_time, type: timestamp }) or set ingestion.eventTimeColumn`,
        );
    }
    if (ing.type === "dms") {
      const engine = ing.dms.engine;
      if (["postgres", "oracle", "sqlserver"].includes(engine) && ing.dms.databaseName === undefined)
        add(
          at("ingestion", "dms", "databaseName"),
          `a ${engine} source endpoint needs the database name, which the secret does not carry; add databaseName: <database>`,
        );
      d.schema.columns.forEach((c, j) => {
        if (/^(array|struct|map)\s*</i.test(c.type))
          add(
            at("schema", "columns", j, "type"),
            `DMS writes scalar types only, so column "${c.name}" (${c.type}) would never be filled; declare it as string (DMS writes JSON and other non-scalar source values as text)`,
          );
      });
      // DMS writes a full load's files straight into the table folder and only change files into
      // commit-date folders, so a table partitioned by date would never show the initial snapshot.
      if (d.schema.partitionKeys.length > 0)
        add(
          at("schema", "partitionKeys"),
          `a DMS full load writes its files into the table folder, outside any date folder, so a partitioned table would not show the initial snapshot; remove partitionKeys (filter on the commit time column ${DMS_COMMIT_TIMESTAMP_COLUMN} instead)`,
        );
      if (!d.schema.columns.some((c) => c.name === DMS_COMMIT_TIMESTAMP_COLUMN))
        add(
          at("schema", "columns"),
          `DMS writes the commit time of every row into ${DMS_COMMIT_TIMESTAMP_COLUMN}: declare { name: ${DMS_COMMIT_TIMESTAMP_COLUMN}, type: string } (the current state of a row is its latest version by it)`,
        );
      const lakeRegion = lakes[0]?.region;
      const producerRegion = accounts.get(d.producer)?.region;
      if (lakeRegion && producerRegion && producerRegion !== lakeRegion)
        add(
          at("producer"),
          `DMS writes only to a bucket in its own region: ${d.producer} is in ${producerRegion}, the lake's raw bucket in ${lakeRegion}; produce it from an account in ${lakeRegion} or ingest it another way`,
        );
      const op = d.schema.columns.find((c) => c.name === "op");
      if (!ing.dms.insertsOnly && (!op || !/^(string|char\(1\)|varchar\(\d+\))$/.test(op.type)))
        add(
          at("schema", "columns"),
          `DMS writes an Op column (I, U or D) in every change record: declare { name: op, type: string } or set ingestion.dms.insertsOnly: true (updates and deletes are then lost)`,
        );
    }
    if (ing.type === "dms" && d.source !== "database")
      add(
        at("ingestion", "type"),
        `dms replicates databases; set source: database or choose another ingestion`,
      );
    if (d.velocity === "streaming" && ing.type !== "firehose")
      add(
        at("velocity"),
        `streaming datasets are ingested with firehose; set ingestion.type: firehose or velocity: batch`,
      );
  });

  // DMS runs in the producer account's subnets: a producer replicating a database names its network.
  p.accounts.forEach((a, i) => {
    const replicated = p.datasets.filter((d) => d.producer === a.name && d.ingestion.type === "dms");
    if (replicated.length > 0 && !a.network)
      add(
        ["accounts", i, "network"],
        `account ${a.name} replicates ${replicated.map((d) => d.name).join(", ")} with DMS, which runs in ` +
          `its subnets; add network: { vpcId: vpc-..., subnetIds: [subnet-...], securityGroupIds: [sg-...], routeTableIds: [rtb-...] }`,
      );
    else if (replicated.length > 0 && a.network && a.network.vpcEndpoints === "create") {
      // DMS Serverless reaches S3 and Secrets Manager through VPC endpoints only.
      if (a.network.vpcId === undefined)
        add(
          ["accounts", i, "network", "vpcId"],
          `DMS Serverless reaches S3 and Secrets Manager through VPC endpoints the stack creates in the subnets' VPC; add vpcId: vpc-... (or vpcEndpoints: existing)`,
        );
      if (a.network.routeTableIds.length === 0)
        add(
          ["accounts", i, "network", "routeTableIds"],
          `the S3 gateway endpoint DMS Serverless writes through is added to the subnets' route tables; list them, e.g. routeTableIds: [rtb-...] (or vpcEndpoints: existing)`,
        );
      if (a.network.securityGroupIds.length === 0)
        add(
          ["accounts", i, "network", "securityGroupIds"],
          `DMS reaches the Secrets Manager endpoint on port 443 from its security groups; list at least one`,
        );
    }
  });

  // Redshift Serverless runs in the consumer account's subnets: three of them, in three Availability Zones.
  p.consumers.forEach((c, i) => {
    const rs = c.analytics.redshift;
    if (!rs) return;
    const problem = redshiftCapacityProblem(rs.baseCapacity, accounts.get(c.account)?.region);
    if (problem) add(["consumers", i, "analytics", "redshift", "baseCapacity"], problem);
  });
  // Once per account, however many of its teams run Redshift.
  p.accounts.forEach((a, k) => {
    const teams = p.consumers.filter((c) => c.account === a.name && c.analytics.redshift).map((c) => c.team);
    if (teams.length === 0) return;
    const who = `team${teams.length > 1 ? "s" : ""} ${teams.join(", ")}`;
    const net = (...rest: PropertyKey[]) => ["accounts", k, "network", ...rest];
    if (!a.network) {
      add(
        ["accounts", k, "network"],
        `${who} run${teams.length > 1 ? "" : "s"} Redshift Serverless in account ${a.name}, whose workgroups need three subnets in three ` +
          `Availability Zones; add network: { vpcId: vpc-..., subnetIds: [subnet-..., subnet-..., subnet-...], ` +
          `availabilityZones: { subnet-...: ${a.region}a, ... }, securityGroupIds: [sg-...], routeTableIds: [rtb-...] }`,
      );
      return;
    }
    for (const problem of redshiftSubnetProblems(a.network, a.region))
      add(net(...problem.path), problem.message);
    if (a.network.securityGroupIds.length === 0)
      add(
        net("securityGroupIds"),
        `the Redshift workgroups of ${who} run in the account's security groups (and reach the Glue endpoint from them on 443); list at least one`,
      );
    if (a.network.vpcEndpoints === "create") {
      if (a.network.vpcId === undefined)
        add(
          net("vpcId"),
          `with enhanced VPC routing, Redshift Spectrum reaches S3 and Glue through VPC endpoints the stack creates in the subnets' VPC; add vpcId: vpc-... (or vpcEndpoints: existing)`,
        );
      if (a.network.routeTableIds.length === 0)
        add(
          net("routeTableIds"),
          `the S3 gateway endpoint Redshift reaches S3 through is added to the subnets' route tables; list them, e.g. routeTableIds: [rtb-...] (or vpcEndpoints: existing)`,
        );
    }
  });

  // Consumers.
  const datasetsByName = new Map(p.datasets.map((d) => [d.name, d]));
  for (const [i] of duplicates(p.consumers, (c) => `${c.account}/${c.team}`))
    add(
      ["consumers", i, "team"],
      `team "${p.consumers[i].team}" is already listed for account ${p.consumers[i].account}`,
    );
  p.consumers.forEach((c, i) => {
    const at = (...rest: PropertyKey[]) => ["consumers", i, ...rest];
    const account = accounts.get(c.account);
    if (!account)
      add(at("account"), `"${c.account}" is not an account; use a consumer account (${names("consumer")})`);
    else if (account.role !== "consumer") {
      add(
        at("account"),
        `"${c.account}" has role ${account.role}; grants go to consumer accounts only (${names("consumer")})`,
      );
    }
    c.read.tags.forEach((expr, j) => {
      for (const [key, values] of Object.entries(expr)) {
        const allowed = p.lake.lfTags[key];
        if (key === LIFECYCLE_TAG.key) {
          add(
            at("read", "tags", j, key),
            `"${key}" is the platform's own LF-tag: every tag grant already matches only datasets whose registration has not ended; leave it out`,
          );
          continue;
        }
        if (!allowed) {
          add(
            at("read", "tags", j, key),
            `"${key}" is not an LF-tag key (${Object.keys(p.lake.lfTags).join(", ")})`,
          );
          continue;
        }
        values.forEach((v, k) => {
          if (!allowed.includes(v))
            add(
              at("read", "tags", j, key, k),
              `"${v}" is not a value of LF-tag ${key} (${allowed.join(", ")})`,
            );
        });
      }
    });
    c.read.datasets.forEach((name, j) => {
      const d = datasetsByName.get(name);
      if (!d)
        add(
          at("read", "datasets", j),
          `"${name}" is not a registered dataset (${p.datasets.map((x) => x.name).join(", ")})`,
        );
      else if (c.expiresOn <= d.registeredOn)
        add(
          at("expiresOn"),
          `${c.expiresOn} is not after ${name}'s registeredOn ${d.registeredOn}; a grant must end after the dataset exists`,
        );
    });
    if (c.grantedOn && c.expiresOn <= c.grantedOn)
      add(at("expiresOn"), `${c.expiresOn} must be after grantedOn ${c.grantedOn}`);
    const readable = new Set(readableDatasets(p, c).map((d) => d.name));
    const checkReadable = (path: PropertyKey[], name: string) => {
      if (!datasetsByName.has(name)) add(path, `"${name}" is not a registered dataset`);
      else if (!readable.has(name))
        add(path, `"${name}" is not readable by ${c.team}; add it to read.datasets or widen read.tags`);
    };
    c.rowFilters.forEach((f, j) => checkReadable(at("rowFilters", j, "dataset"), f.dataset));
    // Lake Formation permissions add up: a tag expression that grants the dataset in full would make its
    // row filter void, and two filters on one dataset would grant their union.
    for (const [j, name] of duplicates(c.rowFilters, (f) => f.dataset))
      add(
        at("rowFilters", j, "dataset"),
        `"${name}" already has a row filter for ${c.team}; Lake Formation would grant the union of both, so write one expression`,
      );
    c.rowFilters.forEach((f, j) => {
      const d = datasetsByName.get(f.dataset);
      if (!d) return;
      const k = c.read.tags.findIndex((e) => expressionMatches(e, d));
      if (k >= 0)
        add(
          at("rowFilters", j, "dataset"),
          `"${f.dataset}" is granted in full by read.tags[${k}], and Lake Formation permissions add up, so the filter would hide no row; narrow read.tags[${k}] so it does not match ${f.dataset} (domain ${d.domain}, classification ${d.classification}) and name ${f.dataset} in read.datasets`,
        );
    });
    // A tag expression whose every dataset is registered only after the grant expires grants nothing.
    c.read.tags.forEach((expr, j) => {
      const matched = p.datasets.filter((d) => expressionMatches(expr, d));
      if (matched.length > 0 && matched.every((d) => c.expiresOn <= d.registeredOn))
        add(
          at("expiresOn"),
          `${c.expiresOn} is not after the registeredOn of any dataset read.tags[${j}] matches (earliest ${
            matched.map((d) => d.registeredOn).sort()[0]
          }); a grant must end after the data it reads exists`,
        );
    });
    c.analytics.quicksight?.datasets.forEach((q, j) =>
      checkReadable(at("analytics", "quicksight", "datasets", j, "dataset"), q.dataset),
    );
  });
  // Every derived physical name against its service's rule, and names AWS would see as one.
  for (const issue of nameIssues(p)) add(issue.path, issue.message);
  // Every expression (row filters, schedules, time zones, regions, DMS names, secret ARNs) by its service's rules.
  for (const issue of expressionIssues(p)) add(issue.path, issue.message);
  return issues;
}

/** Validates an already-parsed definition (e.g. the YAML's data). Throws {@link PlatformDefinitionError}. */
export function parsePlatform(input: unknown, source = "platform definition"): Platform {
  const parsed = platformSchema.safeParse(input);
  if (!parsed.success) {
    throw new PlatformDefinitionError(source, parsed.error.issues.map(toIssue));
  }
  const issues = crossCheck(parsed.data);
  if (issues.length > 0) throw new PlatformDefinitionError(source, issues);
  return parsed.data;
}

function toIssue(issue: z.core.$ZodIssue): DefinitionIssue {
  let message = issue.message;
  if (issue.code === "unrecognized_keys")
    message = `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}: remove or correct ${issue.keys.length > 1 ? "them" : "it"}`;
  if (issue.code === "invalid_type" && /received undefined/.test(message))
    message = `is required (${message.replace(/^Invalid input: /, "")})`;
  return { path: formatPath(issue.path), message };
}

/** Deep-freezes a parsed definition, so one reader cannot change what the next one sees. */
function freeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) freeze(v);
  }
  return value;
}

/** The last definition loaded per file, with the file's identity (inode, size, mtime) when read. */
const loaded = new Map<string, { stamp: string; platform: Platform }>();

/**
 * Reads and validates a YAML platform definition. Throws {@link PlatformDefinitionError}.
 * The result is frozen and reused while the file is unchanged (same inode, size and modification
 * time): every stack of a plan reads the same definition, and parsing it is the dearest part of a
 * small stack.
 */
export function loadPlatform(file: string): Platform {
  try {
    const stat = statInput(file);
    const stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    const cached = loaded.get(file);
    if (cached && cached.stamp === stamp) return cached.platform;
    const read = readInputText(file);
    const platform = freeze(parseText(read.text, file));
    loaded.set(file, { stamp: `${read.stat.ino}:${read.stat.size}:${read.stat.mtimeMs}`, platform });
    return platform;
  } catch (err) {
    if (err instanceof InputFileError) {
      throw new PlatformDefinitionError(file === "" ? "(empty path)" : file, [
        {
          path: "",
          message: `${err.reason} (the platform definition: a YAML file, e.g. stacks/platform.yaml)`,
        },
      ]);
    }
    throw err;
  }
}

function parseText(text: string, file: string): Platform {
  let data: unknown;
  try {
    // YAML 1.2 core schema: dates stay strings, as the schema expects them; no merge keys (`<<`).
    data = load(text, { schema: CORE_SCHEMA, filename: file });
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    const where = err.mark ? ` at line ${err.mark.line + 1}, column ${err.mark.column + 1}` : "";
    throw new PlatformDefinitionError(file, [
      { path: "", message: `YAML syntax error${where}: ${err.reason}` },
    ]);
  }
  // js-yaml shares an aliased node rather than copying it, and has no cap on how far aliases expand.
  const aliases = aliasProblem(data);
  if (aliases) throw new PlatformDefinitionError(file, [{ path: "", message: aliases }]);
  return parsePlatform(data, file);
}
