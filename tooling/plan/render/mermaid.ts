/**
 * `--format mermaid`: the plan as a Mermaid flowchart of how data moves between accounts.
 *
 * - one subgraph per planned stack (its account, role and id), and one per account the plan reaches
 *   without planning it (an account of the definition, or one outside the platform);
 * - datasets: the Glue tables (`aws:glue/catalogTable:CatalogTable`, their `parameters.dataset`), inside
 *   a subgraph per database; a dataset the plan writes or shares whose table no planned stack declares
 *   is drawn from the platform definition, in the lake account;
 * - ingestion: Firehose delivery streams and DMS S3 targets/replications → the dataset they write
 *   (their `dataset` tag, else the Glue table or raw-zone prefix they write), Glue crawlers → the tables
 *   they crawl;
 * - shares: Lake Formation grants of SELECT → the consumer team (its analyst, Spark job and QuickSight
 *   roles, from the definition) or the principal of another account, one edge per dataset and reader
 *   labelled with how it is granted (LF-tags, named, without columns, row filter); grants inside the
 *   granting account (crawlers, the validator) and to ingestion roles are not shares;
 * - resource links in consumer stacks ← the lake database they point to;
 * - analytics: EMR Serverless applications and QuickSight data sets (grouped per team) ← their team.
 *
 * Node ids are `<kind>_<name>` with every other character replaced by `_` (unique by suffix); labels
 * are quoted with `"` escaped as `#quot;`. The output is only the diagram text.
 */
import {
  analystRoleArn,
  databaseName,
  datasetPrefix,
  ingestionRoleArn,
  Platform,
  quicksightDataSetId,
  quicksightRoleArn,
  sparkApplicationName,
  sparkJobRoleArn,
  tableName,
} from "../../../platform";
import type { PlanReport, StackReport } from "../engine";

type Shape = "rect" | "cylinder" | "stadium" | "hexagon" | "parallelogram";

interface GraphNode {
  readonly id: string;
  label: string;
  readonly shape: Shape;
}

interface Container {
  readonly id: string;
  readonly label: string;
  readonly nodes: GraphNode[];
  /** Database subgraphs, by database name. */
  readonly databases: Map<string, Container>;
  /** The account whose resources it holds, when known. */
  readonly account: string | null;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly dotted: boolean;
  readonly labels: Set<string>;
  /** Labels shown only when there are no others (a team's Spark and QuickSight grants). */
  readonly secondary: Set<string>;
}

type Inputs = Record<string, unknown>;

const TABLE = "aws:glue/catalogTable:CatalogTable";
const DATABASE = "aws:glue/catalogDatabase:CatalogDatabase";
const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
const LF_TAGS = "aws:lakeformation/resourceLfTags:ResourceLfTags";
const FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
const DMS_S3_ENDPOINT = "aws:dms/s3Endpoint:S3Endpoint";
const DMS_REPLICATION = "aws:dms/replicationConfig:ReplicationConfig";
const CRAWLER = "aws:glue/crawler:Crawler";
const EMR_APP = "aws:emrserverless/application:Application";
const QUICKSIGHT_DATA_SET = "aws:quicksight/dataSet:DataSet";
const AWS_PROVIDER = "pulumi:providers:aws";

function obj(value: unknown): Inputs | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Inputs) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && value !== "[unknown]" ? value : undefined;
}

function strings(value: unknown): string[] {
  if (typeof value === "string" && value.startsWith("[")) {
    try {
      return strings(JSON.parse(value));
    } catch {
      return [];
    }
  }
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function list(value: unknown): Inputs[] {
  return Array.isArray(value) ? value.map(obj).filter((v): v is Inputs => v !== undefined) : [];
}

/** A label as Mermaid reads it between double quotes; `\n` becomes a line break. */
function label(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\n/g, "<br/>");
}

/** The account a stack deploys: the report's, else the one its AWS provider is pinned to. */
function stackAccount(stack: StackReport): string | null {
  if (stack.account) return stack.account;
  for (const r of stack.resources) {
    if (r.type !== AWS_PROVIDER) continue;
    const [id] = strings(r.inputs.allowedAccountIds);
    if (id) return id;
  }
  return null;
}

/** Who a Lake Formation principal is: an account id, or an IAM role/user ARN. */
function parsePrincipal(principal: string): { account: string; role?: string } | undefined {
  if (/^\d{12}$/.test(principal)) return { account: principal };
  const m = /^arn:aws[\w-]*:iam::(\d{12}):(?:role|user)\/(?:.*\/)?([^/]+)$/.exec(principal);
  return m ? { account: m[1], role: m[2] } : undefined;
}

class Diagram {
  private readonly ids = new Map<string, string>();
  private readonly used = new Set<string>();
  readonly containers: Container[] = [];
  private readonly containerByAccount = new Map<string, Container>();
  private readonly nodesByKey = new Map<string, GraphNode>();
  readonly edges = new Map<string, Edge>();

  /** A unique Mermaid id for `key` (the same key always gets the same id), made of `hint`. */
  id(kind: string, key: string, hint = key): string {
    const full = `${kind}\u0000${key}`;
    const known = this.ids.get(full);
    if (known) return known;
    const base = `${kind}_${hint.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "") || "x"}`;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.ids.set(full, id);
    return id;
  }

  container(kind: "stack" | "account", key: string, text: string, account: string | null): Container {
    const c: Container = {
      id: this.id(kind, key),
      label: text,
      nodes: [],
      databases: new Map(),
      account,
    };
    this.containers.push(c);
    if (account && !this.containerByAccount.has(account)) this.containerByAccount.set(account, c);
    return c;
  }

  /** The subgraph of an account: its first planned stack, else one made for it. */
  accountContainer(account: string, platform?: Platform): Container {
    const found = this.containerByAccount.get(account);
    if (found) return found;
    const defined = platform?.accounts.find((a) => a.id === account);
    return defined
      ? this.container(
          "account",
          account,
          `${defined.name} · ${defined.role} · account ${account} (not planned)`,
          account,
        )
      : this.container("account", account, `account ${account} · outside the platform`, account);
  }

  database(container: Container, name: string): Container {
    let db = container.databases.get(name);
    if (!db) {
      db = {
        id: this.id("db", `${container.id} ${name}`),
        label: `database ${name}`,
        nodes: [],
        databases: new Map(),
        account: container.account,
      };
      container.databases.set(name, db);
    }
    return db;
  }

  /** The node of `key`, made in `where` with `text` the first time; its id is made of `hint`. */
  node(where: Container, kind: string, key: string, text: string, shape: Shape, hint = key): GraphNode {
    const full = `${kind}\u0000${key}`;
    let node = this.nodesByKey.get(full);
    if (!node) {
      node = { id: this.id(kind, full, hint), label: text, shape };
      this.nodesByKey.set(full, node);
      where.nodes.push(node);
    }
    return node;
  }

  edge(
    from: string,
    to: string,
    text: string,
    options: { dotted?: boolean; secondary?: boolean } = {},
  ): void {
    const dotted = options.dotted ?? false;
    const key = `${from} ${to} ${dotted}`;
    let edge = this.edges.get(key);
    if (!edge) {
      edge = { from, to, dotted, labels: new Set(), secondary: new Set() };
      this.edges.set(key, edge);
    }
    if (text) (options.secondary ? edge.secondary : edge.labels).add(text);
  }
}

const SHAPES: Record<Shape, [string, string]> = {
  rect: ['["', '"]'],
  cylinder: ['[("', '")]'],
  stadium: ['(["', '"])'],
  hexagon: ['{{"', '"}}'],
  parallelogram: ['[/"', '"/]'],
};

/** A Glue table the plan declares, with the dataset it registers and its LF-tags. */
interface PlannedTable {
  readonly account: string | null;
  readonly database: string;
  readonly table: string;
  readonly node: GraphNode;
  readonly tags: Map<string, string>;
}

/** Renders the plan as a Mermaid flowchart; `platform` names teams, accounts and unplanned datasets. */
export function renderMermaid(report: PlanReport, platform?: Platform): string {
  const d = new Diagram();
  const stacks = report.stacks.map((stack) => {
    const account = stackAccount(stack);
    const parts = [stack.stack, stack.role, account ? `account ${account}` : undefined];
    const where = d.container("stack", stack.stack, parts.filter(Boolean).join(" · "), account);
    return { stack, account, where };
  });
  const lakeAccount = platform?.accounts.find((a) => a.role === "lake")?.id;

  // Datasets: the Glue tables, in a subgraph per database of their stack.
  const tables: PlannedTable[] = [];
  const datasetNodes = new Map<string, { node: GraphNode; lake: boolean }>();
  for (const { stack, account, where } of stacks) {
    const dbTags = new Map<string, Map<string, string>>();
    const tableTags = new Map<string, Map<string, string>>();
    for (const r of stack.resources.filter((x) => x.type === LF_TAGS)) {
      const tags = new Map(list(r.inputs.lfTags).map((t) => [String(t.key), String(t.value)]));
      const db = obj(r.inputs.database);
      const table = obj(r.inputs.table);
      if (table) tableTags.set(`${table.databaseName}.${table.name}`, tags);
      else if (db) dbTags.set(String(db.name), tags);
    }
    for (const r of stack.resources.filter((x) => x.type === TABLE)) {
      const database = str(r.inputs.databaseName) ?? "?";
      const table = str(r.inputs.name) ?? r.name;
      const params = obj(r.inputs.parameters) ?? {};
      const dataset = str(params.dataset);
      const lines = [dataset ?? `${database}.${table}`];
      if (dataset && table !== tableName({ name: dataset })) lines.push(`as table ${database}.${table}`);
      const about = [str(params["data-classification"]), str(params.owner)].filter(Boolean).join(" · ");
      if (about) lines.push(about);
      const node = d.node(
        d.database(where, database),
        "ds",
        `${stack.stack} ${database}.${table}`,
        lines.join("\n"),
        "cylinder",
        `${stack.stack} ${database} ${table}`,
      );
      const tags = new Map([
        ...(dbTags.get(database) ?? new Map<string, string>()),
        ...(tableTags.get(`${database}.${table}`) ?? new Map<string, string>()),
      ]);
      tables.push({ account, database, table, node, tags });
      if (dataset) {
        const lake = stack.role === "lake" || (account !== null && account === lakeAccount);
        const seen = datasetNodes.get(dataset);
        if (!seen || (lake && !seen.lake)) datasetNodes.set(dataset, { node, lake });
      }
    }
  }

  /** The node of a registered dataset: its table in the lake, else any table, else the definition's. */
  const datasetNode = (name: string): GraphNode | undefined => {
    const seen = datasetNodes.get(name);
    if (seen) return seen.node;
    const defined = platform?.datasets.find((x) => x.name === name);
    if (!platform || !defined || !lakeAccount) return undefined;
    const db = d.database(d.accountContainer(lakeAccount, platform), databaseName(defined.domain));
    const node = d.node(
      db,
      "ds",
      `definition ${name}`,
      `${name}\n${defined.classification} · ${defined.owner.team}`,
      "cylinder",
    );
    datasetNodes.set(name, { node, lake: true });
    return node;
  };

  const findTables = (account: string | null, database: string, table?: string): PlannedTable[] => {
    const matching = tables.filter(
      (t) => t.database === database && (table === undefined || t.table === table),
    );
    const inAccount = matching.filter((t) => account !== null && t.account === account);
    return inAccount.length > 0 ? inAccount : matching;
  };

  /** The dataset node of a table reference: a planned table, else the definition's dataset of that name. */
  const tableNodes = (account: string | null, database: string, table?: string): GraphNode[] => {
    const found = findTables(account, database, table).map((t) => t.node);
    if (found.length > 0 || table === undefined) return found;
    const defined = platform?.datasets.find(
      (x) => databaseName(x.domain) === database && tableName(x) === table,
    );
    const node = defined ? datasetNode(defined.name) : undefined;
    return node ? [node] : [];
  };

  const registered = (name: string | undefined) =>
    name && name !== "shared" && (!platform || platform.datasets.some((x) => x.name === name))
      ? name
      : undefined;

  /** The dataset a raw-zone key prefix belongs to (`<domain>/<dataset>/`). */
  const byPrefix = (prefix: string | undefined): string | undefined =>
    prefix ? platform?.datasets.find((x) => prefix.startsWith(datasetPrefix(x)))?.name : undefined;

  // Ingestion: Firehose and DMS write datasets; crawlers catalog them.
  for (const { stack, account, where } of stacks) {
    for (const r of stack.resources) {
      const tags = obj(r.inputs.tags) ?? {};
      let kind: "Firehose" | "DMS" | undefined;
      let name: string | undefined;
      let dataset: string | undefined;
      let targets: GraphNode[] = [];
      if (r.type === FIREHOSE) {
        const s3 = obj(r.inputs.extendedS3Configuration) ?? obj(r.inputs.s3Configuration);
        if (!s3) continue;
        kind = "Firehose";
        name = str(r.inputs.name);
        const schema = obj(obj(s3.dataFormatConversionConfiguration)?.schemaConfiguration);
        dataset = registered(str(tags.dataset)) ?? byPrefix(str(s3.prefix));
        const node = dataset ? datasetNode(dataset) : undefined;
        targets = node
          ? [node]
          : schema && str(schema.databaseName) && str(schema.tableName)
            ? tableNodes(str(schema.catalogId) ?? null, String(schema.databaseName), String(schema.tableName))
            : [];
      } else if (
        (r.type === DMS_S3_ENDPOINT && r.inputs.endpointType !== "source") ||
        r.type === DMS_REPLICATION
      ) {
        kind = "DMS";
        name = str(r.inputs.replicationConfigIdentifier) ?? str(r.inputs.endpointId);
        dataset = registered(str(tags.dataset)) ?? byPrefix(str(r.inputs.bucketFolder));
        const node = dataset ? datasetNode(dataset) : undefined;
        targets = node ? [node] : [];
      } else if (r.type === CRAWLER) {
        const crawler = d.node(
          where,
          "crawler",
          r.urn,
          `Glue crawler\n${str(r.inputs.name) ?? r.name}`,
          "rect",
          `${stack.stack} ${str(r.inputs.name) ?? r.name}`,
        );
        for (const target of list(r.inputs.catalogTargets)) {
          const db = str(target.databaseName);
          if (!db) continue;
          for (const t of strings(target.tables)) {
            for (const node of tableNodes(account, db, t))
              d.edge(crawler.id, node.id, "crawls", { dotted: true });
          }
        }
        continue;
      }
      if (!kind) continue;
      // One node per kind and dataset of a stack (a DMS replication and its S3 target are one).
      const key = `${stack.stack} ${kind} ${targets.map((t) => t.id).join(",") || r.urn}`;
      const hint = `${stack.stack} ${kind} ${targets.length ? (dataset ?? r.name) : r.name}`;
      const node = d.node(where, "ingest", key, `${kind}\n${name ?? r.name}`, "rect", hint);
      if (r.type === DMS_REPLICATION && name) node.label = `${kind}\n${name}`;
      for (const t of targets) d.edge(node.id, t.id, kind === "DMS" ? "replicates" : "writes");
    }
  }

  // Consumer teams: in the subgraph of their account.
  const teamNode = (team: string): GraphNode | undefined => {
    const consumer = platform?.consumers.find((c) => c.team === team);
    const account = platform?.accounts.find((a) => a.name === consumer?.account);
    if (!consumer || !account) return undefined;
    return d.node(
      d.accountContainer(account.id, platform),
      "team",
      team,
      `team ${team}\nuntil ${consumer.expiresOn}`,
      "stadium",
    );
  };
  for (const { account } of stacks) {
    for (const c of platform?.consumers ?? []) {
      if (platform?.accounts.find((a) => a.name === c.account)?.id === account) teamNode(c.team);
    }
  }

  /** The team whose role a principal is, or an ingestion role's dataset. */
  const principalOf = (principal: string): { team?: string; ingestion?: boolean } => {
    if (!platform) return {};
    for (const c of platform.consumers) {
      const roles = [
        analystRoleArn(platform, c),
        sparkJobRoleArn(platform, c),
        quicksightRoleArn(platform, c),
      ];
      if (roles.includes(principal)) return { team: c.team };
    }
    const ingestion = platform.datasets.some((x) => ingestionRoleArn(platform, x) === principal);
    return ingestion ? { ingestion } : {};
  };

  // Shares: Lake Formation grants of SELECT, dataset → reader.
  for (const { stack, account } of stacks) {
    for (const r of stack.resources.filter((x) => x.type === PERMISSIONS)) {
      const permissions = [
        ...strings(r.inputs.permissions),
        ...strings(r.inputs.permissionsWithGrantOptions),
      ];
      if (!permissions.includes("SELECT") && !permissions.includes("ALL")) continue;
      const principal = str(r.inputs.principal);
      const who = principal ? parsePrincipal(principal) : undefined;
      if (!principal || !who) continue;
      const known = principalOf(principal);
      if (known.ingestion || (!known.team && who.account === account)) continue;
      const reader = known.team
        ? teamNode(known.team)
        : d.node(
            d.accountContainer(who.account, platform),
            "reader",
            principal,
            who.role ? `role ${who.role}` : `account ${who.account}\n(every principal it allows)`,
            "stadium",
            who.role ?? who.account,
          );
      if (!reader) continue;
      const grantOption = strings(r.inputs.permissionsWithGrantOptions).length > 0 ? ", grant option" : "";
      // A team reads as its analysts; its Spark job and QuickSight roles read subsets of the same.
      const secondary = known.team !== undefined && !principal.endsWith("-analyst");
      const add = (nodes: GraphNode[], how: string) => {
        for (const n of nodes) d.edge(n.id, reader.id, `${how}${grantOption}`, { secondary });
      };
      const catalog = str(r.inputs.catalogId) ?? account;
      const table = obj(r.inputs.table);
      const columns = obj(r.inputs.tableWithColumns);
      const cells = obj(r.inputs.dataCellsFilter);
      const lfTags = obj(r.inputs.lfTagPolicy);
      if (table && str(table.databaseName)) {
        const name = table.wildcard === true ? undefined : str(table.name);
        add(tableNodes(str(table.catalogId) ?? catalog, String(table.databaseName), name), "named");
      } else if (columns && str(columns.databaseName) && str(columns.name)) {
        const excluded = strings(columns.excludedColumnNames).length;
        const only = strings(columns.columnNames).length;
        const how = excluded
          ? `without ${excluded} column${excluded === 1 ? "" : "s"}`
          : only
            ? `${only} column${only === 1 ? "" : "s"}`
            : "named";
        add(
          tableNodes(str(columns.catalogId) ?? catalog, String(columns.databaseName), String(columns.name)),
          how,
        );
      } else if (cells && str(cells.databaseName) && str(cells.tableName)) {
        add(
          tableNodes(
            str(cells.tableCatalogId) ?? catalog,
            String(cells.databaseName),
            String(cells.tableName),
          ),
          "row filter",
        );
      } else if (lfTags && lfTags.resourceType === "TABLE") {
        const expressions = list(lfTags.expressions);
        const matches = tables.filter(
          (t) =>
            (catalog === null || t.account === null || t.account === (str(lfTags.catalogId) ?? catalog)) &&
            expressions.every((e) => strings(e.values).includes(t.tags.get(String(e.key)) ?? "\u0000")),
        );
        add(
          matches.map((t) => t.node),
          "LF-tags",
        );
      }
    }
  }

  // Resource links: a consumer's link ← the lake database it points to.
  for (const { stack, where } of stacks) {
    for (const r of stack.resources.filter((x) => x.type === DATABASE)) {
      const target = obj(r.inputs.targetDatabase);
      const db = target ? str(target.databaseName) : undefined;
      if (!target || !db) continue;
      const catalog = str(target.catalogId);
      const source = stacks.find((s) => s.account === catalog && s.where.databases.has(db));
      const text = `link ${str(r.inputs.name) ?? r.name}` + (source ? "" : `\n→ ${catalog ?? "?"} ${db}`);
      const name = str(r.inputs.name) ?? r.name;
      const link = d.node(where, "link", r.urn, text, "parallelogram", `${stack.stack} ${name}`);
      const dbGraph = source?.where.databases.get(db);
      if (dbGraph) d.edge(dbGraph.id, link.id, "resource link", { dotted: true });
    }
  }

  // Analytics: EMR Serverless applications and QuickSight data sets, from their team.
  for (const { stack, account, where } of stacks) {
    const teams = (platform?.consumers ?? []).filter(
      (c) => platform?.accounts.find((a) => a.name === c.account)?.id === account,
    );
    for (const r of stack.resources.filter((x) => x.type === EMR_APP)) {
      const name = str(r.inputs.name) ?? r.name;
      const app = d.node(where, "app", r.urn, `EMR Serverless\n${name}`, "hexagon", `${stack.stack} ${name}`);
      const team = teams.find((c) => sparkApplicationName(c) === name);
      const from = team ? teamNode(team.team) : undefined;
      if (from) d.edge(from.id, app.id, "Spark jobs");
    }
    const sets = new Map<string, { team?: string; datasets: string[] }>();
    for (const r of stack.resources.filter((x) => x.type === QUICKSIGHT_DATA_SET)) {
      const id = str(r.inputs.dataSetId) ?? r.name;
      const team = teams.find((c) => platform?.datasets.some((x) => quicksightDataSetId(c, x) === id));
      const dataset =
        (team && platform?.datasets.find((x) => quicksightDataSetId(team, x) === id)?.name) ??
        registered(str(obj(r.inputs.tags)?.dataset)) ??
        str(r.inputs.name) ??
        id;
      const key = team?.team ?? "";
      const entry = sets.get(key) ?? { team: team?.team, datasets: [] };
      entry.datasets.push(dataset);
      sets.set(key, entry);
    }
    for (const [key, entry] of sets) {
      const node = d.node(
        where,
        "qs",
        `${stack.stack} ${key}`,
        `QuickSight SPICE\n${entry.datasets.sort().join(" · ")}`,
        "parallelogram",
      );
      const from = entry.team ? teamNode(entry.team) : undefined;
      if (from) d.edge(from.id, node.id, "imports");
    }
  }

  return print(d, stacks);
}

function print(d: Diagram, stacks: { stack: StackReport; where: Container }[]): string {
  const out = ["flowchart LR"];
  const nodeLine = (n: GraphNode, indent: string) => {
    const [open, close] = SHAPES[n.shape];
    return `${indent}${n.id}${open}${label(n.label)}${close}`;
  };
  for (const c of d.containers) {
    out.push(`  subgraph ${c.id}["${label(c.label)}"]`);
    const planned = stacks.find((s) => s.where === c);
    if (planned && c.nodes.length === 0 && c.databases.size === 0) {
      c.nodes.push({
        id: d.id("none", planned.stack.stack),
        label: `${planned.stack.resources.length} resources, no data flow`,
        shape: "rect",
      });
    }
    for (const n of c.nodes) out.push(nodeLine(n, "    "));
    for (const db of [...c.databases.values()].sort((a, b) => a.label.localeCompare(b.label))) {
      out.push(`    subgraph ${db.id}["${label(db.label)}"]`);
      for (const n of db.nodes) out.push(nodeLine(n, "      "));
      out.push("    end");
    }
    out.push("  end");
  }
  for (const e of d.edges.values()) {
    const arrow = e.dotted ? "-.->" : "-->";
    const text = [...(e.labels.size ? e.labels : e.secondary)].sort().join(", ");
    out.push(`  ${e.from} ${arrow}${text ? `|"${label(text)}"|` : ""} ${e.to}`);
  }
  return out.join("\n") + "\n";
}
