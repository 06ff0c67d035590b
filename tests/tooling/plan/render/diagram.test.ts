import * as path from "path";
import { expect } from "chai";
import { loadPlatform } from "../../../../platform";
import type { PlannedResource, PlanReport, StackReport } from "../../../../tooling/plan/engine";
import { diagramOf } from "../../../../tooling/plan/render/diagram/build";
import { Graph, GraphNode, shownLabels } from "../../../../tooling/plan/render/diagram/graph";
import { printMermaid } from "../../../../tooling/plan/render/mermaid";

const p = loadPlatform(path.join(__dirname, "..", "..", "..", "..", "stacks", "platform.yaml"));
const LAKE = "111111111111";
const MARKETING = "444444444444";

const resource = (type: string, name: string, inputs: Record<string, unknown>): PlannedResource => ({
  urn: `urn:pulumi:lake-prod::lakehouse::${type}::${name}`,
  type,
  name,
  parent: null,
  provider: null,
  inputs,
});
const clickstreamTable = resource("aws:glue/catalogTable:CatalogTable", "clickstream", {
  databaseName: "marketing",
  name: "clickstream",
  parameters: { dataset: "clickstream" },
});
const grant = (name: string, principal: string, how: Record<string, unknown>) =>
  resource("aws:lakeformation/permissions:Permissions", name, {
    principal,
    permissions: ["SELECT"],
    catalogId: LAKE,
    ...how,
  });
const namedTable = { table: { databaseName: "marketing", name: "clickstream" } };
const lakeReport = (resources: PlannedResource[]): PlanReport => {
  const stack: StackReport = {
    stack: "lake-prod",
    account: LAKE,
    role: "lake",
    region: "eu-west-1",
    resources: [clickstreamTable, ...resources],
    outputs: {},
    violations: [],
    notices: [],
  };
  return {
    platform: "acme-lake",
    date: "2026-11-24",
    packs: [],
    stacks: [stack],
    summary: { stacks: 1, resources: stack.resources.length, mandatory: 0, advisory: 0 },
  };
};
const nodes = (g: Graph): GraphNode[] =>
  g.containers.flatMap((c) => [...c.nodes, ...[...c.databases.values()].flatMap((db) => db.nodes)]);
const nodeOf = (g: Graph, kind: GraphNode["kind"]) => nodes(g).filter((n) => n.kind === kind);

describe("the plan diagram's graph model", () => {
  it("draws a grant to a team's Spark role as a secondary edge from the dataset to the team", () => {
    const spark = `arn:aws:iam::${MARKETING}:role/acme-lake-marketing-analytics-spark-job`;
    const g = diagramOf(lakeReport([grant("spark", spark, namedTable)]), p);
    const [dataset] = nodeOf(g, "dataset");
    const team = nodeOf(g, "team").find((n) => n.lines[0] === "team marketing-analytics")!;
    expect(team.id).to.equal("team_marketing_analytics");
    // The team is drawn in its (unplanned) account's container.
    const account = g.containers.find((c) => c.nodes.includes(team))!;
    expect(account).to.include({ kind: "account", account: MARKETING });
    const edges = g.edges.filter((e) => e.from === dataset.id && e.to === team.id);
    expect(edges).to.have.length(1);
    expect([...edges[0].labels]).to.deep.equal([]);
    expect([...edges[0].secondary]).to.deep.equal(["named"]);
    expect(shownLabels(edges[0])).to.deep.equal(["named"]);
  });

  it("labels a team's edge with its analysts' grant over its analytics roles' grants", () => {
    const analyst = `arn:aws:iam::${MARKETING}:role/acme-lake-marketing-analytics-analyst`;
    const quicksight = `arn:aws:iam::${MARKETING}:role/acme-lake-marketing-analytics-quicksight`;
    const g = diagramOf(
      lakeReport([
        grant("qs", quicksight, namedTable),
        grant("analyst", analyst, {
          tableWithColumns: {
            databaseName: "marketing",
            name: "clickstream",
            excludedColumnNames: ["user_id"],
          },
        }),
      ]),
      p,
    );
    const [edge] = g.edges;
    expect(g.edges).to.have.length(1);
    expect(shownLabels(edge)).to.deep.equal(["without 1 column"]);
    expect([...edge.secondary]).to.deep.equal(["named"]);
  });

  it("draws no share for a grant inside the granting account to a role the definition does not know", () => {
    const g = diagramOf(
      lakeReport([grant("local", `arn:aws:iam::${LAKE}:role/some-etl-job`, namedTable)]),
      p,
    );
    expect(g.edges).to.deep.equal([]);
    expect(nodeOf(g, "reader")).to.deep.equal([]);
  });

  it("draws no share for a grant to the platform's own roles, even one in another account", () => {
    const ingestion = "arn:aws:iam::222222222222:role/acme-lake-clickstream-ingest";
    const validator = `arn:aws:iam::${LAKE}:role/acme-lake-governance-validator`;
    const g = diagramOf(
      lakeReport([grant("ingest", ingestion, namedTable), grant("v", validator, namedTable)]),
      p,
    );
    expect(g.edges).to.deep.equal([]);
    expect(nodeOf(g, "reader")).to.deep.equal([]);
  });

  it("draws a grant to an unknown role of another account as a reader in that account's container", () => {
    const g = diagramOf(
      lakeReport([grant("partner", "arn:aws:iam::999999999999:role/partner-bi", namedTable)]),
      p,
    );
    const [reader] = nodeOf(g, "reader");
    expect(reader).to.deep.include({ id: "reader_partner_bi", lines: ["role partner-bi"], shape: "stadium" });
    const container = g.containers.find((c) => c.nodes.includes(reader))!;
    expect(container).to.include({ kind: "account", label: "account 999999999999 · outside the platform" });
    expect(g.edges.map((e) => [e.to, shownLabels(e)])).to.deep.equal([["reader_partner_bi", ["named"]]]);
  });

  it("keeps labels as plain lines of text, quotes and all, and leaves the syntax to the printer", () => {
    const table = resource("aws:glue/catalogTable:CatalogTable", "odd", {
      databaseName: "marketing",
      name: "odd",
      parameters: { dataset: "odd", owner: 'say "hi" <b>#1</b>' },
    });
    const g = diagramOf(lakeReport([table]));
    const odd = nodeOf(g, "dataset").find((n) => n.lines[0] === "odd")!;
    expect(odd.lines).to.deep.equal(["odd", 'say "hi" <b>#1</b>']);
    expect(g.containers.map((c) => c.label)).to.deep.equal(["lake-prod · lake · account 111111111111"]);
  });

  it("makes unique ids of names that differ only in punctuation, and the same id for the same key", () => {
    const g = new Graph();
    const c = g.container("stack", "a-b", "a-b", null);
    const one = g.node(c, { kind: "dataset", key: "a-b", lines: ["one"], shape: "cylinder" });
    const two = g.node(c, { kind: "dataset", key: "a_b", lines: ["two"], shape: "cylinder" });
    const again = g.node(c, { kind: "dataset", key: "a-b", lines: ["ignored"], shape: "rect" });
    expect([one.id, two.id]).to.deep.equal(["ds_a_b", "ds_a_b_2"]);
    expect(again).to.equal(one);
    expect(c.nodes).to.have.length(2);
  });
});

describe("the Mermaid printer", () => {
  it('prints every shape, subgraph and edge style, escaping # " < > in labels', () => {
    const g = new Graph();
    const stack = g.container("stack", "s", 'stack "s" #1', null);
    const db = g.database(stack, "b");
    const shapes = ["rect", "cylinder", "stadium", "hexagon", "parallelogram"] as const;
    const [rect, cylinder, ...rest] = shapes.map((shape) =>
      g.node(shape === "cylinder" ? db : stack, {
        kind: "dataset",
        key: shape,
        lines: [shape, 'a "b" <c> #d'],
        shape,
      }),
    );
    g.edge(rect.id, cylinder.id, "writes");
    g.edge(rect.id, cylinder.id, "also");
    g.edge(cylinder.id, rest[0].id, "", { dotted: true });
    expect(printMermaid(g)).to.equal(
      [
        "flowchart LR",
        '  subgraph stack_s["stack #quot;s#quot; #35;1"]',
        '    ds_rect["rect<br/>a #quot;b#quot; #lt;c#gt; #35;d"]',
        '    ds_stadium(["stadium<br/>a #quot;b#quot; #lt;c#gt; #35;d"])',
        '    ds_hexagon{{"hexagon<br/>a #quot;b#quot; #lt;c#gt; #35;d"}}',
        '    ds_parallelogram[/"parallelogram<br/>a #quot;b#quot; #lt;c#gt; #35;d"/]',
        '    subgraph db_stack_s_b["database b"]',
        '      ds_cylinder[("cylinder<br/>a #quot;b#quot; #lt;c#gt; #35;d")]',
        "    end",
        "  end",
        '  ds_rect -->|"also, writes"| ds_cylinder',
        "  ds_cylinder -.-> ds_stadium",
        "",
      ].join("\n"),
    );
  });
});
