/**
 * Shares: Lake Formation grants of SELECT (or ALL) → the consumer team whose role is granted (who a
 * principal is comes from the access model, `principalByArn`) or the principal of another account, one
 * edge per dataset and reader labelled with how it is granted (LF-tags, named, some columns, without
 * columns, row filter; `, grant option` when grantable). A team reads as its analysts: its Spark job and
 * QuickSight roles read subsets of the same, so their labels show only where its analysts have none.
 * Grants to the platform's own roles (ingestion, crawlers, the validator) and to an unknown principal
 * of the granting account are not shares.
 *
 * Resource links: a consumer's link ← the lake database it points to (dotted).
 */
import { accountContainer, Context, teamNode } from "./context";
import type { Datasets } from "./datasets";
import type { GraphNode } from "./graph";
import { DATABASE, list, obj, parsePrincipal, PERMISSIONS, str, strings } from "./inputs";

export function shareFlow(ctx: Context, datasets: Datasets): void {
  const { graph } = ctx;
  for (const { stack, account } of ctx.stacks) {
    for (const r of stack.resources.filter((x) => x.type === PERMISSIONS)) {
      const permissions = [
        ...strings(r.inputs.permissions),
        ...strings(r.inputs.permissionsWithGrantOptions),
      ];
      if (!permissions.includes("SELECT") && !permissions.includes("ALL")) continue;
      const principal = str(r.inputs.principal);
      const who = principal ? parsePrincipal(principal) : undefined;
      if (!principal || !who) continue;
      const known = ctx.principals.get(principal);
      if (known ? known.team === undefined : who.account === account) continue;
      const reader = known?.team
        ? teamNode(ctx, known.team)
        : graph.node(accountContainer(ctx, who.account), {
            kind: "reader",
            key: principal,
            lines: who.role
              ? [`role ${who.role}`]
              : [`account ${who.account}`, "(every principal it allows)"],
            shape: "stadium",
            hint: who.role ?? who.account,
          });
      if (!reader) continue;
      const grantOption = strings(r.inputs.permissionsWithGrantOptions).length > 0 ? ", grant option" : "";
      const secondary = known !== undefined && known.kind !== "analyst";
      const add = (nodes: GraphNode[], how: string) => {
        for (const n of nodes) graph.edge(n.id, reader.id, `${how}${grantOption}`, { secondary });
      };
      const catalog = str(r.inputs.catalogId) ?? account;
      const table = obj(r.inputs.table);
      const columns = obj(r.inputs.tableWithColumns);
      const cells = obj(r.inputs.dataCellsFilter);
      const lfTags = obj(r.inputs.lfTagPolicy);
      if (table && str(table.databaseName)) {
        const name = table.wildcard === true ? undefined : str(table.name);
        add(datasets.tableNodes(str(table.catalogId) ?? catalog, String(table.databaseName), name), "named");
      } else if (columns && str(columns.databaseName) && str(columns.name)) {
        const excluded = strings(columns.excludedColumnNames).length;
        const only = strings(columns.columnNames).length;
        const how = excluded
          ? `without ${excluded} column${excluded === 1 ? "" : "s"}`
          : only
            ? `${only} column${only === 1 ? "" : "s"}`
            : "named";
        add(
          datasets.tableNodes(
            str(columns.catalogId) ?? catalog,
            String(columns.databaseName),
            String(columns.name),
          ),
          how,
        );
      } else if (cells && str(cells.databaseName) && str(cells.tableName)) {
        add(
          datasets.tableNodes(
            str(cells.tableCatalogId) ?? catalog,
            String(cells.databaseName),
            String(cells.tableName),
          ),
          "row filter",
        );
      } else if (lfTags && lfTags.resourceType === "TABLE") {
        // The tables whose planned LF-tags (a table's over its database's) match every expression.
        const expressions = list(lfTags.expressions);
        const matches = datasets.tables.filter(
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
}

export function resourceLinkFlow(ctx: Context): void {
  const { graph } = ctx;
  for (const { stack, where } of ctx.stacks) {
    for (const r of stack.resources.filter((x) => x.type === DATABASE)) {
      const target = obj(r.inputs.targetDatabase);
      const db = target ? str(target.databaseName) : undefined;
      if (!target || !db) continue;
      const catalog = str(target.catalogId);
      const source = ctx.stacks.find((s) => s.account === catalog && s.where.databases.has(db));
      const name = str(r.inputs.name) ?? r.name;
      const link = graph.node(where, {
        kind: "link",
        key: r.urn,
        lines: source ? [`link ${name}`] : [`link ${name}`, `→ ${catalog ?? "?"} ${db}`],
        shape: "parallelogram",
        hint: `${stack.stack} ${name}`,
      });
      const dbContainer = source?.where.databases.get(db);
      if (dbContainer) graph.edge(dbContainer.id, link.id, "resource link", { dotted: true });
    }
  }
}
