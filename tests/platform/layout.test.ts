import * as path from "path";
import { expect } from "chai";
import { eventTimeColumn, loadPlatform, Platform, tableLayout, tableLayouts } from "../../platform";

const EXAMPLE = path.join(__dirname, "..", "..", "stacks", "platform.yaml");
const RAW = "acme-lake-111111111111-raw";

describe("table layout (where each writer's data lands and how its table reads it)", () => {
  const p: Platform = loadPlatform(EXAMPLE);
  const layout = (name: string) =>
    tableLayout(
      p,
      p.datasets.find((d) => d.name === name)!,
    );

  it("reads a Firehose dataset at its prefix, Hive-style dt/hour partitions, projected from registration to today", () => {
    const l = layout("device_telemetry");
    expect(l.location).to.equal(`s3://${RAW}/333333333333/operations/device_telemetry/`);
    expect(l.partitionTemplate).to.equal("dt=${dt}/hour=${hour}/");
    expect(l.projection).to.deep.equal({
      "projection.enabled": "true",
      "projection.dt.type": "date",
      "projection.dt.format": "yyyy-MM-dd",
      "projection.dt.range": "2025-03-10,NOW",
      "projection.dt.interval": "1",
      "projection.dt.interval.unit": "DAYS",
      "projection.hour.type": "integer",
      "projection.hour.range": "0,23",
      "projection.hour.digits": "2",
      "storage.location.template": `s3://${RAW}/333333333333/operations/device_telemetry/dt=\${dt}/hour=\${hour}/`,
    });
    expect(l.registration).to.equal("partition-crawler");
  });

  it("reads a DMS dataset where DMS writes, <folder>/<schema>/<table>/, unpartitioned", () => {
    const l = layout("orders");
    expect(l.datasetPrefix).to.equal("333333333333/sales/orders/");
    expect(l.prefix).to.equal("333333333333/sales/orders/sales/orders/");
    expect(l).to.deep.include({ partitionTemplate: "", projection: {}, registration: "none" });
  });

  it("lays a date-partitioned DMS writer's folders out as YYYY-MM-DD below the table folder", () => {
    const orders = p.datasets.find((d) => d.name === "orders")!;
    const byDate = { ...orders, schema: { ...orders.schema, partitionKeys: [{ name: "dt", type: "date" }] } };
    const l = tableLayout(p, byDate);
    expect(l.partitionTemplate).to.equal("${dt}/");
    expect(l.projection["storage.location.template"]).to.equal(
      `s3://${RAW}/333333333333/sales/orders/sales/orders/\${dt}/`,
    );
  });

  it("takes the DMS table folder from sourceTable, else the dataset's name", () => {
    const orders = p.datasets.find((d) => d.name === "orders")!;
    const renamed = {
      ...orders,
      ingestion: {
        type: "dms" as const,
        dms: { ...(orders.ingestion as { dms: object }).dms, sourceTable: "ord" },
      },
    } as typeof orders;
    expect(tableLayout(p, renamed).prefix).to.equal("333333333333/sales/orders/sales/ord/");
  });

  it("leaves projection off for a crawled dataset, whose own crawler registers what its producer writes", () => {
    const l = layout("support_tickets");
    expect(l.projection).to.deep.equal({});
    expect(l.registration).to.equal("dataset-crawler");
  });

  it("projects a Spark dataset by the platform's Hive-style convention and registers its partitions too", () => {
    const l = layout("inventory_snapshots");
    expect(l.partitionTemplate).to.equal("dt=${dt}/");
    expect(l.projection["projection.enabled"]).to.equal("true");
    expect(l.registration).to.equal("partition-crawler");
  });

  it("gives an unpartitioned dataset neither projection nor registration", () => {
    const l = layout("country_codes");
    expect(l).to.deep.include({ partitionTemplate: "", projection: {}, registration: "none" });
  });

  it("does not project keys Athena could not enumerate, leaving them to the partition crawler", () => {
    const d = p.datasets.find((x) => x.name === "inventory_snapshots")!;
    const byWarehouse = {
      ...d,
      schema: { ...d.schema, partitionKeys: [{ name: "warehouse_id", type: "string" }] },
    };
    const l = tableLayout(p, byWarehouse);
    expect(l.projection).to.deep.equal({});
    expect(l.partitionTemplate).to.equal("warehouse_id=${warehouse_id}/");
    expect(l.registration).to.equal("partition-crawler");
  });

  it("derives the event time from the named column, else the first timestamp column", () => {
    expect(eventTimeColumn(p.datasets.find((d) => d.name === "clickstream")!)).to.equal("event_time");
    expect(eventTimeColumn(p.datasets.find((d) => d.name === "device_telemetry")!)).to.equal("reading_time");
    expect(eventTimeColumn(p.datasets.find((d) => d.name === "orders")!)).to.equal(undefined);
  });

  it("lays out every dataset, every table inside its dataset's prefix", () => {
    const all = tableLayouts(p);
    expect(Object.keys(all)).to.have.length(p.datasets.length);
    for (const l of Object.values(all))
      expect(l.prefix.startsWith(l.datasetPrefix), l.dataset).to.equal(true);
  });
});
