/**
 * The plan's data-flow diagram as a graph, free of any diagram syntax: containers (a planned stack, or an
 * account the plan reaches without planning it) holding nodes and database sub-containers, and edges
 * between nodes or containers. `build.ts` makes it from a plan; `../mermaid.ts` prints it.
 *
 * Node and container ids are made here, stable for a given plan: `<kind>_<name>` with every run of other
 * characters than `A-Z a-z 0-9` replaced by `_` (`x` when nothing is left), made unique by a `_2`, `_3`...
 * suffix in the order they are asked for; the same key always gets the same id.
 */

/** How a node is drawn. */
export type Shape = "rect" | "cylinder" | "stadium" | "hexagon" | "parallelogram";

/**
 * What a node stands for, and the id prefix of its kind:
 * - `dataset` (`ds`): a Glue table, or a dataset of the definition no planned stack declares a table for;
 * - `ingestion` (`ingest`): a Firehose delivery stream or a DMS replication (with its S3 target);
 * - `crawler` (`crawler`): a Glue crawler;
 * - `team` (`team`): a consumer team of the definition;
 * - `reader` (`reader`): a principal of another account a grant shares with (a role, or the account);
 * - `link` (`link`): a resource link to a lake database;
 * - `app` (`app`): an EMR Serverless application;
 * - `spice` (`qs`): a team's QuickSight SPICE data sets in one stack;
 * - `warehouse` (`rs`): a Redshift Serverless workgroup (a team's Redshift Spectrum);
 * - `none` (`none`): the placeholder of a planned stack with nothing to draw.
 */
export type NodeKind = keyof typeof ID_PREFIX;

const ID_PREFIX = {
  dataset: "ds",
  ingestion: "ingest",
  crawler: "crawler",
  team: "team",
  reader: "reader",
  link: "link",
  app: "app",
  spice: "qs",
  warehouse: "rs",
  none: "none",
} as const;

/** A node: what it is, how it is drawn, and its label, one string per line. */
export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly shape: Shape;
  lines: string[];
}

/** A planned stack, an account the plan reaches, or a database inside one of them. */
export interface Container {
  readonly id: string;
  readonly kind: "stack" | "account" | "database";
  readonly label: string;
  readonly nodes: GraphNode[];
  /** Database sub-containers, by database name (only in a stack or account container). */
  readonly databases: Map<string, Container>;
  /** The account whose resources it holds, when known. */
  readonly account: string | null;
}

/** An edge between two node or container ids; parallel edges of one style are merged, labels unioned. */
export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly dotted: boolean;
  readonly labels: Set<string>;
  /** Labels shown only when there are no others (a team's Spark and QuickSight grants). */
  readonly secondary: Set<string>;
}

/** The labels an edge shows, sorted: its own, else its secondary ones. */
export function shownLabels(edge: Edge): string[] {
  return [...(edge.labels.size ? edge.labels : edge.secondary)].sort();
}

export class Graph {
  private readonly ids = new Map<string, string>();
  private readonly used = new Set<string>();
  /** The top-level containers, in the order they were made. */
  readonly containers: Container[] = [];
  private readonly containerByAccount = new Map<string, Container>();
  private readonly nodesByKey = new Map<string, GraphNode>();
  private readonly edgesByKey = new Map<string, Edge>();

  /** The edges, in the order they were first drawn. */
  get edges(): Edge[] {
    return [...this.edgesByKey.values()];
  }

  /** A unique id for `key` of `kind` (the same key always gets the same id), made of `hint`. */
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

  /** A new top-level container; the first one of an account is that account's. */
  container(kind: "stack" | "account", key: string, label: string, account: string | null): Container {
    const c: Container = {
      id: this.id(kind, key),
      kind,
      label,
      nodes: [],
      databases: new Map(),
      account,
    };
    this.containers.push(c);
    if (account && !this.containerByAccount.has(account)) this.containerByAccount.set(account, c);
    return c;
  }

  /** The container of an account, if one was made. */
  containerOf(account: string): Container | undefined {
    return this.containerByAccount.get(account);
  }

  /** The sub-container of database `name` in `container`, made the first time. */
  database(container: Container, name: string): Container {
    let db = container.databases.get(name);
    if (!db) {
      db = {
        id: this.id("db", `${container.id} ${name}`),
        kind: "database",
        label: `database ${name}`,
        nodes: [],
        databases: new Map(),
        account: container.account,
      };
      container.databases.set(name, db);
    }
    return db;
  }

  /**
   * The node of `kind` and `key`, made in `where` with `lines` the first time; its id is made of its
   * kind's prefix and `hint` (default: `key`). A key names one node of a kind across the whole graph,
   * wherever it was first made.
   */
  node(
    where: Container,
    node: { kind: NodeKind; key: string; lines: string[]; shape: Shape; hint?: string },
  ): GraphNode {
    const prefix = ID_PREFIX[node.kind];
    const full = `${prefix}\u0000${node.key}`;
    let found = this.nodesByKey.get(full);
    if (!found) {
      found = {
        id: this.id(prefix, full, node.hint ?? node.key),
        kind: node.kind,
        shape: node.shape,
        lines: node.lines,
      };
      this.nodesByKey.set(full, found);
      where.nodes.push(found);
    }
    return found;
  }

  /** An edge `from` → `to` labelled `label` (none when empty); `secondary` labels yield to the others. */
  edge(
    from: string,
    to: string,
    label: string,
    options: { dotted?: boolean; secondary?: boolean } = {},
  ): void {
    const dotted = options.dotted ?? false;
    const key = `${from} ${to} ${dotted}`;
    let edge = this.edgesByKey.get(key);
    if (!edge) {
      edge = { from, to, dotted, labels: new Set(), secondary: new Set() };
      this.edgesByKey.set(key, edge);
    }
    if (label) (options.secondary ? edge.secondary : edge.labels).add(label);
  }
}
