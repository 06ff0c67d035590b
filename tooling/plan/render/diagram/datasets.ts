/**
 * Datasets: the Glue tables (`aws:glue/catalogTable:CatalogTable`, their `parameters.dataset`), inside a
 * sub-container per database of their stack. A dataset the plan writes or shares whose table no planned
 * stack declares is drawn from the platform definition, in the lake account.
 */
import { databaseName, datasetPrefix, tableName } from "../../../../platform";
import { accountContainer, Context } from "./context";
import type { GraphNode } from "./graph";
import { LF_TAGS, list, obj, str, TABLE } from "./inputs";

/** A Glue table the plan declares, with its node and the LF-tags planned on it (its database's too). */
export interface PlannedTable {
  readonly account: string | null;
  readonly database: string;
  readonly table: string;
  readonly node: GraphNode;
  readonly tags: Map<string, string>;
}

/** The tables the plan declares, and how the other flows find the dataset node a reference means. */
export interface Datasets {
  readonly tables: readonly PlannedTable[];
  /** The node of a registered dataset: its table in the lake, else any table, else the definition's. */
  node(name: string): GraphNode | undefined;
  /**
   * The dataset nodes of a table reference (every table of the database when `table` is undefined):
   * the planned tables in `account` if any, else in any account, else the definition's dataset of that
   * database and table.
   */
  tableNodes(account: string | null, database: string, table?: string): GraphNode[];
  /** `name` if it is a dataset of the definition (any name but `shared` without a definition). */
  registered(name: string | undefined): string | undefined;
  /** The dataset a raw-zone key prefix belongs to (`<domain>/<dataset>/`). */
  byPrefix(prefix: string | undefined): string | undefined;
}

/** Draws the planned tables and returns the index the other flows use. */
export function datasetFlow(ctx: Context): Datasets {
  const { graph, platform, lakeAccount } = ctx;
  const tables: PlannedTable[] = [];
  const nodes = new Map<string, { node: GraphNode; lake: boolean }>();
  for (const { stack, account, where } of ctx.stacks) {
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
      const node = graph.node(graph.database(where, database), {
        kind: "dataset",
        key: `${stack.stack} ${database}.${table}`,
        lines,
        shape: "cylinder",
        hint: `${stack.stack} ${database} ${table}`,
      });
      const tags = new Map([
        ...(dbTags.get(database) ?? new Map<string, string>()),
        ...(tableTags.get(`${database}.${table}`) ?? new Map<string, string>()),
      ]);
      tables.push({ account, database, table, node, tags });
      if (dataset) {
        const lake = stack.role === "lake" || (account !== null && account === lakeAccount);
        const seen = nodes.get(dataset);
        if (!seen || (lake && !seen.lake)) nodes.set(dataset, { node, lake });
      }
    }
  }

  const node = (name: string): GraphNode | undefined => {
    const seen = nodes.get(name);
    if (seen) return seen.node;
    const defined = platform?.datasets.find((x) => x.name === name);
    if (!platform || !defined || !lakeAccount) return undefined;
    const db = graph.database(accountContainer(ctx, lakeAccount), databaseName(defined.domain));
    const drawn = graph.node(db, {
      kind: "dataset",
      key: `definition ${name}`,
      lines: [name, `${defined.classification} · ${defined.owner.team}`],
      shape: "cylinder",
    });
    nodes.set(name, { node: drawn, lake: true });
    return drawn;
  };

  const tableNodes = (account: string | null, database: string, table?: string): GraphNode[] => {
    const matching = tables.filter(
      (t) => t.database === database && (table === undefined || t.table === table),
    );
    const inAccount = matching.filter((t) => account !== null && t.account === account);
    const found = (inAccount.length > 0 ? inAccount : matching).map((t) => t.node);
    if (found.length > 0 || table === undefined) return found;
    const defined = platform?.datasets.find(
      (x) => databaseName(x.domain) === database && tableName(x) === table,
    );
    const drawn = defined ? node(defined.name) : undefined;
    return drawn ? [drawn] : [];
  };

  return {
    tables,
    node,
    tableNodes,
    registered: (name) =>
      name && name !== "shared" && (!platform || platform.datasets.some((x) => x.name === name))
        ? name
        : undefined,
    byPrefix: (prefix) =>
      prefix
        ? platform?.datasets.find((x) => platform && prefix.startsWith(datasetPrefix(platform, x)))?.name
        : undefined,
  };
}
