/**
 * Ingestion: Firehose delivery streams and DMS S3 targets/replications → the dataset they write (their
 * `dataset` tag, else the raw-zone prefix they write, else for Firehose the Glue table its format
 * conversion names); Glue crawlers → the tables they crawl (dotted).
 */
import type { Context } from "./context";
import type { Datasets } from "./datasets";
import type { GraphNode } from "./graph";
import { CRAWLER, DMS_REPLICATION, DMS_S3_ENDPOINT, FIREHOSE, list, obj, str, strings } from "./inputs";

export function ingestionFlow(ctx: Context, datasets: Datasets): void {
  const { graph } = ctx;
  for (const { stack, account, where } of ctx.stacks) {
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
        dataset = datasets.registered(str(tags.dataset)) ?? datasets.byPrefix(str(s3.prefix));
        const node = dataset ? datasets.node(dataset) : undefined;
        targets = node
          ? [node]
          : schema && str(schema.databaseName) && str(schema.tableName)
            ? datasets.tableNodes(
                str(schema.catalogId) ?? null,
                String(schema.databaseName),
                String(schema.tableName),
              )
            : [];
      } else if (
        (r.type === DMS_S3_ENDPOINT && r.inputs.endpointType !== "source") ||
        r.type === DMS_REPLICATION
      ) {
        kind = "DMS";
        name = str(r.inputs.replicationConfigIdentifier) ?? str(r.inputs.endpointId);
        dataset = datasets.registered(str(tags.dataset)) ?? datasets.byPrefix(str(r.inputs.bucketFolder));
        const node = dataset ? datasets.node(dataset) : undefined;
        targets = node ? [node] : [];
      } else if (r.type === CRAWLER) {
        const crawlerName = str(r.inputs.name) ?? r.name;
        const crawler = graph.node(where, {
          kind: "crawler",
          key: r.urn,
          lines: ["Glue crawler", crawlerName],
          shape: "rect",
          hint: `${stack.stack} ${crawlerName}`,
        });
        for (const target of list(r.inputs.catalogTargets)) {
          const db = str(target.databaseName);
          if (!db) continue;
          for (const t of strings(target.tables)) {
            for (const node of datasets.tableNodes(account, db, t))
              graph.edge(crawler.id, node.id, "crawls", { dotted: true });
          }
        }
        continue;
      }
      if (!kind) continue;
      // One node per kind and dataset of a stack (a DMS replication and its S3 target are one).
      const node = graph.node(where, {
        kind: "ingestion",
        key: `${stack.stack} ${kind} ${targets.map((t) => t.id).join(",") || r.urn}`,
        lines: [kind, name ?? r.name],
        shape: "rect",
        hint: `${stack.stack} ${kind} ${targets.length ? (dataset ?? r.name) : r.name}`,
      });
      // The replication names the pair, whichever of the two came first.
      if (r.type === DMS_REPLICATION && name) node.lines = [kind, name];
      for (const t of targets) graph.edge(node.id, t.id, kind === "DMS" ? "replicates" : "writes");
    }
  }
}
