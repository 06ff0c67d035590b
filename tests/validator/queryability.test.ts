import { expect } from "chai";
import * as path from "path";
import { loadPlatform, tableLayout } from "../../platform";
import type { Dataset, Platform, TableLayout } from "../../platform";
import {
  objectVisibility,
  parseProjectedDate,
  projectionMiss,
  queryabilityFindings,
  RegisteredPartition,
} from "../../validator/checks/queryability";

const p: Platform = loadPlatform(path.resolve(__dirname, "../../stacks/platform.yaml"));
const dataset = (name: string): Dataset => p.datasets.find((d) => d.name === name)!;
/** The run's as-of instant: the end of 2026-06-15 (a past run date). */
const NOW = new Date("2026-06-16T00:00:00Z");

const telemetry = dataset("device_telemetry");
const telemetryLayout = tableLayout(p, telemetry);
const tickets = dataset("support_tickets");
const ticketsLayout = tableLayout(p, tickets);

/** A DMS table with date folders: `${dt}/` below `<folder>/<schema>/<table>/`, projected. */
const dmsLayout: TableLayout = (() => {
  const base = tableLayout(p, dataset("orders"));
  return {
    ...base,
    partitionKeys: [{ name: "dt", type: "date" }],
    partitionTemplate: "${dt}/",
    projection: {
      "projection.enabled": "true",
      "projection.dt.type": "date",
      "projection.dt.format": "yyyy-MM-dd",
      "projection.dt.range": "2025-01-01,NOW",
      "storage.location.template": `${base.location}\${dt}/`,
    },
  };
})();

const keys = (layout: TableLayout, ...rel: string[]) => rel.map((r) => ({ key: `${layout.prefix}${r}` }));
const partition = (layout: TableLayout, folder: string): RegisteredPartition => ({
  values: [],
  location: `${layout.location}${folder}`,
});
const short = (
  layout: TableLayout,
  v: readonly { key: string; folder: string; athena: boolean; registered: boolean }[],
) =>
  v.map(
    (o) =>
      `${o.key.slice(layout.prefix.length)} ${o.folder || "-"} athena=${o.athena} registered=${o.registered}`,
  );

describe("governance runtime: queryability", () => {
  describe("projected values", () => {
    const params = telemetryLayout.projection;

    it("generates dt dates within the range, NOW being the run's as-of instant (exclusive)", () => {
      expect(params["projection.dt.range"]).to.equal("2025-03-10,NOW");
      expect(projectionMiss("dt", "2025-03-10", params, NOW)).to.equal(undefined);
      expect(projectionMiss("dt", "2026-06-15", params, NOW)).to.equal(undefined);
      expect(projectionMiss("dt", "2026-06-16", params, NOW)).to.match(
        /^dt=2026-06-16 is outside projection.dt.range 2025-03-10,NOW \(NOW: 2026-06-16T00:00:00.000Z\)$/,
      );
      expect(projectionMiss("dt", "2025-03-09", params, NOW)).to.match(/outside projection.dt.range/);
    });

    it("generates only ISO dates as the format prints them", () => {
      expect(projectionMiss("dt", "2026/06/15", params, NOW)).to.equal(
        "dt=2026/06/15 is not a date written yyyy-MM-dd (projection.dt.format)",
      );
      expect(projectionMiss("dt", "2026-6-15", params, NOW)).to.match(/is not a date written yyyy-MM-dd/);
      expect(projectionMiss("dt", "2026-02-30", params, NOW)).to.match(/is not a date written yyyy-MM-dd/);
      expect(parseProjectedDate("2026/06/15/07", "yyyy/MM/dd/HH")).to.equal(Date.UTC(2026, 5, 15, 7));
      expect(parseProjectedDate("dt=20260615", "'dt='yyyyMMdd")).to.equal(Date.UTC(2026, 5, 15));
    });

    it("reads NOW with an offset and fixed range ends", () => {
      const ranged = { "projection.d.type": "date", "projection.d.format": "yyyy-MM-dd" };
      const at = (range: string, value: string) =>
        projectionMiss("d", value, { ...ranged, "projection.d.range": range }, NOW);
      expect(at("NOW-1YEARS,NOW", "2025-06-16")).to.equal(undefined);
      expect(at("NOW-1YEARS,NOW", "2025-06-15")).to.match(/outside/);
      expect(at("2026-01-01,2026-01-31", "2026-01-31")).to.equal(undefined);
      expect(at("2026-01-01,2026-01-31", "2026-02-01")).to.match(/outside/);
    });

    it("generates hours 00-23 with the digits the projection prints", () => {
      expect(params["projection.hour.digits"]).to.equal("2");
      expect(projectionMiss("hour", "00", params, NOW)).to.equal(undefined);
      expect(projectionMiss("hour", "23", params, NOW)).to.equal(undefined);
      expect(projectionMiss("hour", "24", params, NOW)).to.equal(
        "hour=24 is outside projection.hour.range 0,23",
      );
      expect(projectionMiss("hour", "7", params, NOW)).to.equal(
        "hour=7 is not written with projection.hour.digits 2 (Athena reads hour=07)",
      );
      expect(projectionMiss("hour", "x", params, NOW)).to.equal("hour=x is not an integer");
      const noDigits = { "projection.h.type": "integer", "projection.h.range": "0,23" };
      expect(projectionMiss("h", "07", noDigits, NOW)).to.match(/leading zeros .* \(Athena reads h=7\)/);
      expect(projectionMiss("h", "7", noDigits, NOW)).to.equal(undefined);
    });

    it("generates enum values, any injected value, and nothing for a key without a projection type", () => {
      const enumParams = { "projection.r.type": "enum", "projection.r.values": "eu,us" };
      expect(projectionMiss("r", "eu", enumParams, NOW)).to.equal(undefined);
      expect(projectionMiss("r", "ap", enumParams, NOW)).to.equal("r=ap is not among projection.r.values");
      expect(projectionMiss("r", "anything", { "projection.r.type": "injected" }, NOW)).to.equal(undefined);
      expect(projectionMiss("r", "eu", {}, NOW)).to.equal("the table has no projection.r.type");
    });
  });

  describe("which readers see an object", () => {
    it("with projection on: Athena follows the template and ranges, ignoring registered partitions; EMR and Spectrum read registered ones", () => {
      const v = objectVisibility(
        telemetryLayout,
        telemetryLayout.projection,
        [
          partition(telemetryLayout, "dt=2026-06-10/hour=05/"),
          partition(telemetryLayout, "dt=2020-01-01/hour=00"),
        ],
        keys(
          telemetryLayout,
          "dt=2026-06-10/hour=05/a.parquet",
          "dt=2026-06-11/hour=07/b.parquet",
          "dt=2020-01-01/hour=00/c.parquet",
          "dt=2026-06-12/hour=7/d.parquet",
          "dt=2026-06-12/e.parquet",
          "f.parquet",
        ),
        NOW,
      );
      expect(short(telemetryLayout, v)).to.deep.equal([
        "dt=2026-06-10/hour=05/a.parquet dt=2026-06-10/hour=05/ athena=true registered=true",
        "dt=2026-06-11/hour=07/b.parquet dt=2026-06-11/hour=07/ athena=true registered=false",
        "dt=2020-01-01/hour=00/c.parquet dt=2020-01-01/hour=00/ athena=false registered=true",
        "dt=2026-06-12/hour=7/d.parquet dt=2026-06-12/hour=7/ athena=false registered=false",
        "dt=2026-06-12/e.parquet dt=2026-06-12/ athena=false registered=false",
        "f.parquet - athena=false registered=false",
      ]);
      expect(v[4].athenaReason).to.match(
        /^the keys do not follow storage.location.template s3:\/\/.*\/dt=\$\{dt\}\/hour=\$\{hour\}\/$/,
      );
    });

    it("without projection: every reader sees exactly the registered partitions", () => {
      const v = objectVisibility(
        ticketsLayout,
        {},
        [partition(ticketsLayout, "dt=2026-06-10/")],
        keys(
          ticketsLayout,
          "dt=2026-06-10/a.parquet",
          "dt=2026-06-10/sub/b.parquet",
          "dt=2026-06-11/c.parquet",
        ),
        NOW,
      );
      expect(short(ticketsLayout, v)).to.deep.equal([
        "dt=2026-06-10/a.parquet dt=2026-06-10/ athena=true registered=true",
        "dt=2026-06-10/sub/b.parquet dt=2026-06-10/ athena=true registered=true",
        "dt=2026-06-11/c.parquet dt=2026-06-11/ athena=false registered=false",
      ]);
    });

    it("takes projection.enabled from the deployed parameters, not the definition", () => {
      const drifted = { ...telemetryLayout.projection, "projection.enabled": "false" };
      const [o] = objectVisibility(
        telemetryLayout,
        drifted,
        [],
        keys(telemetryLayout, "dt=2026-06-10/hour=05/a.parquet"),
        NOW,
      );
      expect(o.athena).to.equal(false);
      const upper = { ...telemetryLayout.projection, "projection.enabled": "TRUE" };
      expect(
        objectVisibility(
          telemetryLayout,
          upper,
          [],
          keys(telemetryLayout, "dt=2026-06-10/hour=05/a.parquet"),
          NOW,
        )[0].athena,
      ).to.equal(true);
    });

    it("reads DMS date folders (${dt}/) below the table's nested prefix, and ignores objects outside it", () => {
      const v = objectVisibility(
        dmsLayout,
        dmsLayout.projection,
        [],
        [
          ...keys(dmsLayout, "2026-06-14/LOAD00000001.parquet", "20260614/x.parquet", "LOAD00000001.parquet"),
          { key: `${dmsLayout.datasetPrefix}elsewhere/y.parquet` },
        ],
        NOW,
      );
      expect(short(dmsLayout, v)).to.deep.equal([
        "2026-06-14/LOAD00000001.parquet 2026-06-14/ athena=true registered=false",
        "20260614/x.parquet 20260614/ athena=false registered=false",
        "LOAD00000001.parquet - athena=false registered=false",
      ]);
      expect(v[1].athenaReason).to.equal(
        "dt=20260614 is not a date written yyyy-MM-dd (projection.dt.format)",
      );
    });
  });

  describe("findings", () => {
    const visibility = objectVisibility(
      telemetryLayout,
      telemetryLayout.projection,
      [
        partition(telemetryLayout, "dt=2026-06-10/hour=05/"),
        partition(telemetryLayout, "dt=2020-01-01/hour=00/"),
      ],
      keys(
        telemetryLayout,
        "dt=2026-06-10/hour=05/ok.parquet",
        "dt=2026-06-11/hour=07/a.parquet",
        "dt=2026-06-11/hour=07/b.parquet",
        "dt=2026-06-11/hour=07/c.parquet",
        "dt=2026-06-11/hour=07/d.parquet",
        "dt=2020-01-01/hour=00/old.parquet",
        "dt=2026-06-20/hour=00/future.parquet",
        "root-1.parquet",
        "root-2.parquet",
      ),
      NOW,
    );
    const findings = queryabilityFindings(
      p,
      telemetry,
      telemetryLayout,
      telemetryLayout.projection,
      visibility,
    );
    const location = telemetryLayout.location;

    it("groups per partition folder: a warning naming the readers that miss them, an error when no reader sees them", () => {
      expect(findings.map((f) => `${f.severity} ${f.object!.slice(location.length) || "-"}`)).to.deep.equal([
        "error -",
        "warning dt=2020-01-01/hour=00/",
        "warning dt=2026-06-11/hour=07/",
        "error dt=2026-06-20/hour=00/",
      ]);
      expect(findings.every((f) => f.check === "queryability" && f.dataset === "device_telemetry")).to.equal(
        true,
      );
    });

    it("says which readers miss the objects, why, and the fix, with a count and a few examples", () => {
      const [root, old, unregistered, future] = findings.map((f) => f.message);
      expect(unregistered).to.equal(
        "4 objects under dt=2026-06-11/hour=07/ are not in a registered partition: EMR Spark and Redshift Spectrum do not see them (Athena and QuickSight SPICE do, through partition projection); the partition crawler acme-lake-device-telemetry-partitions adds the partition on its next run (e.g. a.parquet, b.parquet, c.parquet)",
      );
      expect(old).to.equal(
        "1 object under dt=2020-01-01/hour=00/ is outside the table's partition projection (dt=2020-01-01 is outside projection.dt.range 2025-03-10,NOW (NOW: 2026-06-16T00:00:00.000Z)): Athena and QuickSight SPICE do not see it (EMR Spark and Redshift Spectrum do, through the registered partition); write it where the projection reads, or correct the table's projection parameters (old.parquet)",
      );
      expect(future).to.match(
        /^1 object under dt=2026-06-20\/hour=00\/ is seen by no reader: Athena and QuickSight SPICE do not \(dt=2026-06-20 is outside/,
      );
      expect(root).to.equal(
        "2 objects are directly under the table location, in no partition folder: no reader sees them (the table reads dt=${dt}/hour=${hour}/ folders only); move them into their partition folder (root-1.parquet, root-2.parquet)",
      );
    });

    it("names the dataset's own crawler for a crawled dataset, and the missing projection for a table without one", () => {
      const v = objectVisibility(ticketsLayout, {}, [], keys(ticketsLayout, "dt=2026-06-11/c.parquet"), NOW);
      const [f] = queryabilityFindings(p, tickets, ticketsLayout, {}, v);
      expect(f.severity).to.equal("error");
      expect(f.message).to.equal(
        "1 object under dt=2026-06-11/ is seen by no reader: it is in no registered partition and the table has no partition projection, so neither Athena and QuickSight SPICE nor EMR Spark and Redshift Spectrum see it; the crawler acme-lake-support-tickets adds the partition on its next run, or enable the table's partition projection (c.parquet)",
      );
    });

    it("sums up the folders past the cap in one finding", () => {
      const many = objectVisibility(
        ticketsLayout,
        {},
        [],
        keys(ticketsLayout, ...Array.from({ length: 5 }, (_, i) => `dt=2026-06-0${i + 1}/x.parquet`)),
        NOW,
      );
      const capped = queryabilityFindings(p, tickets, ticketsLayout, {}, many, 2);
      expect(capped).to.have.length(3);
      expect(capped[2]).to.deep.equal({
        dataset: "support_tickets",
        check: "queryability",
        severity: "error",
        message: "3 more partition folders hold objects some reader does not see (5 in all)",
      });
    });

    it("reports nothing when every reader sees every object", () => {
      const v = objectVisibility(
        telemetryLayout,
        telemetryLayout.projection,
        [partition(telemetryLayout, "dt=2026-06-10/hour=05/")],
        keys(telemetryLayout, "dt=2026-06-10/hour=05/a.parquet"),
        NOW,
      );
      expect(
        queryabilityFindings(p, telemetry, telemetryLayout, telemetryLayout.projection, v),
      ).to.deep.equal([]);
    });
  });
});
