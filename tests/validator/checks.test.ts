import { expect } from "chai";
import * as path from "path";
import { loadPlatform, tableParameters } from "../../platform";
import type { Dataset, Platform } from "../../platform";
import { formatFindings } from "../../validator/checks/format";
import { dayVolume, formatBytes, freshnessFindings, volumeFindings } from "../../validator/checks/freshness";
import { metadataFindings } from "../../validator/checks/metadata";
import { isDataObject, ListedObject } from "../../validator/checks/objects";
import { grantExpiryFindings, registrationFindings } from "../../validator/checks/registration";
import { GlueTableShape, schemaFindings, tableMissingFinding } from "../../validator/checks/schema";
import { asOfInstant, daysBetween, parseDate } from "../../validator/dates";
import { parseHiveType } from "../../validator/hive";

const p: Platform = loadPlatform(path.resolve(__dirname, "../../stacks/platform.yaml"));
const dataset = (name: string): Dataset => p.datasets.find((d) => d.name === name)!;
const at = (iso: string) => new Date(iso);
const obj = (key: string, size: number, modified: string): ListedObject => ({
  key,
  size,
  lastModified: at(modified),
});
const col = (name: string, type: string) => ({ name, type: parseHiveType(type) });

describe("governance runtime: checks", () => {
  describe("objects and dates", () => {
    it("treats folder keys, zero-byte markers and files Athena skips (_x, .x) as no data", () => {
      expect(isDataObject({ key: "a/dt=1/", size: 0 })).to.equal(false);
      expect(isDataObject({ key: "a/empty.parquet", size: 0 })).to.equal(false);
      expect(isDataObject({ key: "a/_SUCCESS", size: 10 })).to.equal(false);
      expect(isDataObject({ key: "a/.part-0.crc", size: 10 })).to.equal(false);
      expect(isDataObject({ key: "a/part-0.parquet", size: 10 })).to.equal(true);
    });

    it("judges today at the current instant and any other date at its end (the next UTC midnight)", () => {
      const now = at("2026-11-24T09:30:00Z");
      expect(asOfInstant("2026-11-24", now).toISOString()).to.equal("2026-11-24T09:30:00.000Z");
      expect(asOfInstant("2026-11-20", now).toISOString()).to.equal("2026-11-21T00:00:00.000Z");
      expect(asOfInstant("2026-12-01", now).toISOString()).to.equal("2026-12-02T00:00:00.000Z");
      expect(daysBetween("2026-11-24", "2026-12-01")).to.equal(7);
      expect(() => parseDate("2026-02-30", "--date")).to.throw(
        /--date: "2026-02-30" is not a real calendar date/,
      );
    });
  });

  describe("format", () => {
    it("names each object that is not Parquet, sorted, and sums up those past the cap", () => {
      const inspected = [
        { key: "d/b.csv", inspection: { ok: false as const, problem: "starts with x" } },
        { key: "d/ok.parquet", inspection: { ok: true as const, columns: [], numRows: 1 } },
        { key: "d/a.json", inspection: { ok: false as const, problem: "starts with {" } },
        { key: "d/c.txt", inspection: { ok: false as const, problem: "starts with t" } },
      ];
      const findings = formatFindings("orders", "raw", inspected, 2);
      expect(findings).to.deep.equal([
        {
          dataset: "orders",
          check: "format",
          severity: "error",
          message: "a.json: starts with {",
          object: "s3://raw/d/a.json",
        },
        {
          dataset: "orders",
          check: "format",
          severity: "error",
          message: "b.csv: starts with x",
          object: "s3://raw/d/b.csv",
        },
        {
          dataset: "orders",
          check: "format",
          severity: "error",
          message: "1 more object is not readable Parquet (3 of 4 in all)",
        },
      ]);
      expect(formatFindings("orders", "raw", inspected.slice(1, 2), 2)).to.deep.equal([]);
    });
  });

  describe("schema", () => {
    const table: GlueTableShape = {
      columns: [
        { name: "order_id", type: "bigint" },
        { name: "status", type: "varchar(32)" },
        { name: "amount", type: "decimal(18,2)" },
      ],
      partitionKeys: [{ name: "dt", type: "date" }],
      parameters: {},
    };

    it("finds nothing when the files store the declared columns (partition keys in the file or not)", () => {
      const files = [
        {
          key: "o/1.parquet",
          columns: [col("order_id", "bigint"), col("status", "string"), col("amount", "decimal(18,2)")],
        },
        {
          key: "o/2.parquet",
          columns: [
            col("amount", "decimal(18,2)"),
            col("order_id", "bigint"),
            col("status", "string"),
            col("dt", "date"),
          ],
        },
      ];
      expect(schemaFindings("orders", "raw", table, files)).to.deep.equal([]);
    });

    it("reports a deployed column type it cannot read as an error, not a crash", () => {
      const odd: GlueTableShape = {
        ...table,
        columns: [...table.columns, { name: "blob", type: "map<string>" }],
      };
      const files = [
        {
          key: "o/1.parquet",
          columns: [col("order_id", "bigint"), col("status", "string"), col("amount", "decimal(18,2)")],
        },
      ];
      const findings = schemaFindings("orders", "raw", odd, files);
      expect(findings.map((f) => [f.severity, f.message.split(":")[0]])).to.deep.equal([
        [
          "error",
          `column blob's Glue type "map<string>" is not a Glue/Hive type the validator reads (or nests more than 100 levels deep)`,
        ],
      ]);
    });

    it("reports missing, retyped and added columns once per difference, counting and naming the files", () => {
      const good = [col("order_id", "bigint"), col("status", "string"), col("amount", "decimal(18,2)")];
      const drifted = [col("order_id", "int"), col("amount", "decimal(18,2)"), col("coupon", "string")];
      const files = [
        { key: "o/1.parquet", columns: good },
        { key: "o/3.parquet", columns: drifted },
        { key: "o/2.parquet", columns: drifted },
      ];
      const findings = schemaFindings("orders", "raw", table, files);
      expect(findings.map((f) => [f.severity, f.object, f.message.split(":")[0]])).to.deep.equal([
        [
          "error",
          "s3://raw/o/2.parquet",
          "column order_id is int in 2 of 3 Parquet objects but bigint in Glue",
        ],
        [
          "error",
          "s3://raw/o/2.parquet",
          "column status (varchar(32) in Glue) is missing from 2 of 3 Parquet objects",
        ],
        [
          "warning",
          "s3://raw/o/2.parquet",
          "column coupon (string) in 2 of 3 Parquet objects is not in the Glue table",
        ],
      ]);
    });

    it("says what to do when the Glue table does not exist", () => {
      expect(tableMissingFinding("orders", "sales", "orders", "111111111111").message).to.match(
        /^Glue table sales\.orders does not exist in catalog 111111111111: .*run pulumi up/,
      );
    });
  });

  describe("freshness and volume", () => {
    const clicks = dataset("clickstream"); // freshness 1 hour, 20-120 GB/day
    const asOf = at("2026-11-24T12:00:00Z");

    it("is fresh when the newest data object is within the freshness hours, ignoring markers and later objects", () => {
      const objects = [
        obj("c/old.parquet", 10, "2026-11-24T08:00:00Z"),
        obj("c/new.parquet", 10, "2026-11-24T11:30:00Z"),
        obj("c/_SUCCESS", 0, "2026-11-24T11:59:00Z"),
      ];
      expect(freshnessFindings(clicks, objects, asOf)).to.deep.equal([]);
      const later = [
        obj("c/old.parquet", 10, "2026-11-24T08:00:00Z"),
        obj("c/future.parquet", 10, "2026-11-24T13:00:00Z"),
      ];
      const stale = freshnessFindings(clicks, later, asOf);
      expect(stale).to.have.length(1);
      expect(stale[0]).to.include({ dataset: "clickstream", check: "freshness", severity: "error" });
      expect(stale[0].message).to.match(
        /^newest data is 4\.0 hours old \(last modified 2026-11-24T08:00:00\.000Z\), more than the 1 hours registered/,
      );
    });

    it("reports a dataset with no data once its freshness window since registration has passed", () => {
      expect(freshnessFindings(clicks, [], asOf)[0].message).to.match(
        /^no data under the dataset's location/,
      );
      expect(
        freshnessFindings({ ...clicks, registeredOn: "2026-11-24" }, [], at("2026-11-24T00:30:00Z")),
      ).to.deep.equal([]);
    });

    it("sums the last day's data bytes and rows, and warns only far outside the declared range", () => {
      const objects = [
        obj("c/a.parquet", 1e9, "2026-11-23T11:00:00Z"), // more than a day before: not counted
        obj("c/b.parquet", 3e9, "2026-11-24T01:00:00Z"),
        obj("c/c.parquet", 2e9, "2026-11-24T11:00:00Z"),
      ];
      const day = dayVolume(objects, asOf, (k) => (k === "c/b.parquet" ? 700 : 300));
      expect(day).to.deep.equal({ bytes: 5e9, rows: 1000 });
      // 5 GB is below the 20 GB minimum, but not below a tenth of it: no warning.
      expect(volumeFindings(clicks, day)).to.deep.equal([]);
      const low = volumeFindings(clicks, { bytes: 1.5e9, rows: 0 });
      expect(low[0]).to.include({ check: "volume", severity: "warning" });
      expect(low[0].message).to.match(
        /^1\.5 GB landed in the last day, far below the declared 20-120 GB\/day \(under 0\.1× the minimum\)/,
      );
      expect(volumeFindings(clicks, { bytes: 1.2e12, rows: 0 })).to.deep.equal([]);
      expect(volumeFindings(clicks, { bytes: 1.21e12, rows: 0 })[0].message).to.match(
        /^1\.21 TB .* far above the declared 20-120 GB\/day \(over 10× the maximum\)/,
      );
    });

    it("compares rows/day with the footers' row counts, and never warns low for a minimum of 0", () => {
      const orders = dataset("orders"); // 200000-1500000 rows/day
      expect(volumeFindings(orders, { bytes: 1e12, rows: 19_999 })[0].message).to.match(/^19999 rows landed/);
      expect(volumeFindings(orders, { bytes: 0, rows: 20_000 })).to.deep.equal([]);
      expect(volumeFindings(dataset("country_codes"), { bytes: 0, rows: 0 })).to.deep.equal([]);
      expect(formatBytes(496)).to.equal("496 B");
    });
  });

  describe("registration and grants", () => {
    const tickets = dataset("support_tickets"); // endsOn 2027-05-05, reminderDays 14

    it("reminds the owner within the reminder window and says nothing before it", () => {
      expect(registrationFindings(tickets, "2027-04-20", 14, true)).to.deep.equal([]);
      const reminder = registrationFindings(tickets, "2027-04-21", 14, true);
      expect(reminder).to.have.length(1);
      expect(reminder[0]).to.include({ check: "registration", severity: "info" });
      expect(reminder[0].message).to.match(/^registration ends on 2027-05-05 \(in 14 days\)/);
      expect(registrationFindings(tickets, "2027-05-05", 14, true)[0].message).to.match(/\(today\)/);
      expect(registrationFindings(dataset("orders"), "2030-01-01", 14, true)).to.deep.equal([]);
    });

    it("past endsOn: an error while data remains, a warning once the location is empty", () => {
      expect(registrationFindings(tickets, "2027-05-06", 14, true)[0]).to.deep.include({ severity: "error" });
      expect(registrationFindings(tickets, "2027-05-06", 14, true)[0].message).to.match(
        /\(yesterday\) but data is still under its location/,
      );
      expect(registrationFindings(tickets, "2027-06-01", 14, false)[0]).to.deep.include({
        severity: "warning",
      });
    });

    it("reminds a consumer team and each owner of what it reads when its grant nears or passes expiry", () => {
      // product-insights reads clickstream, product_catalog and support_tickets until 2026-12-31.
      expect(grantExpiryFindings(p, "2026-12-16")).to.deep.equal([]);
      // Before marketing-analytics' grantedOn (2025-03-01) its grant neither holds nor ends: no reminder.
      expect(
        grantExpiryFindings(p, "2025-02-28").filter((r) =>
          r.notify.includes("marketing-analytics@acme.example"),
        ),
      ).to.deep.equal([]);
      const soon = grantExpiryFindings(p, "2026-12-17");
      expect(soon.map((r) => [r.finding.dataset, r.finding.severity, r.notify])).to.deep.equal([
        ["clickstream", "info", ["product-insights@acme.example", "web-analytics@acme.example"]],
        ["product_catalog", "info", ["product-insights@acme.example", "merchandising@acme.example"]],
        ["support_tickets", "info", ["product-insights@acme.example", "customer-care@acme.example"]],
      ]);
      expect(soon[0].finding.message).to.match(
        /^product-insights's read grant \(account analytics-consumer\) expires on 2026-12-31 \(in 14 days\)/,
      );
      const expired = grantExpiryFindings(p, "2027-01-02").filter(
        (r) => r.notify[0] === "product-insights@acme.example",
      );
      expect(expired.map((r) => r.finding.severity)).to.deep.equal(["warning", "warning", "warning"]);
      expect(expired[0].finding.message).to.match(/expired on 2026-12-31 \(2 days ago\)/);
      // After support_tickets' endsOn (2027-05-05) nobody reads it: no reminder about its grants.
      const late = grantExpiryFindings(p, "2027-05-06").filter(
        (r) => r.notify[0] === "product-insights@acme.example",
      );
      expect(late.map((r) => r.finding.dataset)).to.deep.equal(["clickstream", "product_catalog"]);
    });
  });

  describe("metadata", () => {
    const orders = dataset("orders");

    it("finds nothing when the table carries the registration (extra parameters are fine)", () => {
      expect(metadataFindings(orders, { ...tableParameters(orders), EXTERNAL: "TRUE" })).to.deep.equal([]);
    });

    it("reports missing and changed parameters: errors for governance tags, warnings for the rest", () => {
      const params = { ...tableParameters(orders), owner: "nobody", velocity: "streaming" };
      delete (params as Record<string, string>)["owner-email"];
      delete (params as Record<string, string>).description;
      const findings = metadataFindings(orders, params);
      expect(findings.map((f) => [f.severity, f.message.slice(0, 40)])).to.deep.equal([
        ["error", 'table parameter owner is "nobody", regis'],
        ["error", "table parameter owner-email is missing ("],
        ["warning", "table parameter description is missing ("],
        ["warning", 'table parameter velocity is "streaming",'],
      ]);
    });

    it("reports a table whose classification holds the data classification instead of the Parquet format", () => {
      // The registration before CONTRACTS §1 put the data classification under Glue's format key.
      const params: Record<string, string> = { ...tableParameters(orders), classification: "confidential" };
      delete params["data-classification"];
      const findings = metadataFindings(orders, params);
      expect(findings.map((f) => f.severity)).to.deep.equal(["error", "error"]);
      expect(findings[0].message).to.equal(
        'table parameter classification is "confidential", the data classification, but Glue reads classification as the data format: ' +
          'run pulumi up for the lake account to set classification: "parquet" and data-classification: "confidential"',
      );
      expect(findings[1].message).to.match(
        /^table parameter data-classification is missing \(registered: "confidential"\)/,
      );
    });

    it("reports a table that lost its format as an error and another format by value", () => {
      const params: Record<string, string> = { ...tableParameters(orders) };
      delete params.classification;
      expect(metadataFindings(orders, params).map((f) => [f.severity, f.message.slice(0, 45)])).to.deep.equal(
        [["error", "table parameter classification is missing (re"]],
      );
      expect(
        metadataFindings(orders, { ...tableParameters(orders), classification: "csv" }).map((f) => f.message),
      ).to.deep.equal([
        'table parameter classification is "csv", registered "parquet": run pulumi up for the lake account, or change the registration',
      ]);
    });
  });
});
