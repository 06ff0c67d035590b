import * as path from "path";
import { expect } from "chai";
import { LoadedPack } from "../../../tooling/policy-eval/packs";
import { governancePolicies, PACK_NAME } from "../../../policies/governance/policies";
import { runPlanCli } from "../../run-cli";
import { forbiddenFixtureReport, forbiddenFixtureViolations } from "../helpers";

const ROOT = path.join(__dirname, "..", "..", "..");

const plan = runPlanCli;

describe("lakehouse-governance pack", function () {
  this.timeout(120_000);

  it("assembles exactly these policies at these default levels", async () => {
    const pack = await LoadedPack.load(path.join(ROOT, "policies", "governance"));
    try {
      expect(pack.info.name).to.equal(PACK_NAME);
      expect(pack.info.policies.map((p) => [p.name, p.enforcementLevel, p.severity])).to.deep.equal([
        ["dataset-missing-required-tags", "mandatory", "high"],
        ["dataset-require-registration", "mandatory", "high"],
        ["glue-table-enforce-parquet", "mandatory", "high"],
        ["glue-crawler-enforce-parquet", "mandatory", "high"],
        ["firehose-enforce-parquet-conversion", "mandatory", "high"],
        ["dms-s3-endpoint-enforce-parquet", "mandatory", "high"],
        ["athena-named-query-enforce-parquet", "mandatory", "high"],
        ["lake-writer-require-matching-table", "mandatory", "high"],
        ["s3-bucket-disallow-cross-account-replication", "mandatory", "critical"],
        ["s3-bucket-policy-disallow-cross-account-access", "mandatory", "critical"],
        ["lake-storage-disallow-cross-account-writes", "mandatory", "critical"],
        ["lakeformation-disallow-cross-account-grant-option", "mandatory", "critical"],
        ["lakeformation-grant-require-known-principal", "mandatory", "critical"],
        ["redshift-disallow-lake-copies", "mandatory", "high"],
      ]);
      expect(pack.info.policies).to.have.length(governancePolicies.length);
    } finally {
      await pack.close();
    }
  });

  it("finds nothing to object to in what our components build for the example platform", async () => {
    const r = await plan("--format", "json");
    expect(r.code, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout);
    expect(report.packs.map((p: { name: string }) => p.name)).to.include(PACK_NAME);
    expect(report.summary.mandatory).to.equal(0);
    expect(report.summary.advisory).to.equal(0);
  });

  it("reports each violation of a hand-written program and exits 1", async () => {
    // The untagged stream clicks is no dataset resource: it feeds nothing, and names no lake bucket or table
    // (dataset-missing-required-tags judges dataset resources only).
    expect(await forbiddenFixtureViolations("csv-table-and-copies.ts", PACK_NAME)).to.deep.equal([
      // a table of the registered dataset orders, renamed and outside the lake account: a copy
      "mandatory dataset-require-registration orders-csv",
      "mandatory dms-s3-endpoint-enforce-parquet orders-target",
      "mandatory firehose-enforce-parquet-conversion clicks-to-s3",
      "mandatory glue-table-enforce-parquet orders-csv",
      "mandatory lakeformation-disallow-cross-account-grant-option partner-reshare",
      "mandatory lakeformation-grant-require-known-principal partner-reshare",
      "mandatory s3-bucket-disallow-cross-account-replication exports-to-partner",
      "mandatory s3-bucket-policy-disallow-cross-account-access exports-shared",
    ]);
  });

  it("judges a producer's hand-written writes into the lake against the platform definition", async () => {
    expect(await forbiddenFixtureViolations("writes-into-lake.ts", PACK_NAME)).to.deep.equal([
      "mandatory dataset-require-registration payroll",
      "mandatory glue-crawler-enforce-parquet orders-crawler",
      "mandatory lake-storage-disallow-cross-account-writes etl-writes-raw",
      "mandatory lake-storage-disallow-cross-account-writes orders-to-lake",
      // sales/orders/ is above the registered table's location sales/orders/sales/orders/
      "mandatory lake-writer-require-matching-table orders-to-lake",
    ]);
  });

  it("flags a team's Redshift SQL that copies lake rows into a table or unloads them, not its view or schema", async () => {
    const report = await forbiddenFixtureReport("redshift-warehouse-copies.ts", PACK_NAME);
    expect(report.map((v) => v.name)).to.deep.equal([
      "mandatory redshift-disallow-lake-copies orders-copy",
      "mandatory redshift-disallow-lake-copies orders-export",
    ]);
    expect(report[0].message)
      .to.contain("copies lake table lake_sales.orders")
      .and.contain("into public.orders_copy");
    expect(report[1].message).to.contain("to s3://controlling-exports/orders/");
  });

  it("catches a stream into a partitioned table that neither projects nor crawls, naming the table and the fix", async () => {
    const report = await forbiddenFixtureReport("firehose-into-unprojected-table.ts", PACK_NAME);
    // The team's own table and stream, in its own bucket, hold no registered dataset's data: not dataset resources.
    expect(report.map((v) => v.name)).to.deep.equal([
      "mandatory glue-table-enforce-parquet events",
      "mandatory lake-writer-require-matching-table events",
    ]);
    const message = report.find((v) => v.name.includes("lake-writer"))!.message;
    expect(message).to.include("Table team.events is partitioned by dt");
    expect(message).to.include("storage.location.template s3://team-data/events/dt=${dt}/");
  });

  it("catches a stream writing outside the table it names, naming the table and the prefix to set", async () => {
    const report = await forbiddenFixtureReport("stream-writes-outside-table.ts", PACK_NAME);
    expect(report.map((v) => v.name)).to.deep.equal([
      "mandatory glue-table-enforce-parquet events",
      "mandatory lake-writer-require-matching-table events-outside",
    ]);
    const message = report.find((v) => v.name.includes("lake-writer"))!.message;
    expect(message).to.include("outside s3://team-data/events/, the location of table team.events");
    expect(message).to.include(
      "Set extendedS3Configuration.prefix to events/dt=!{partitionKeyFromQuery:dt}/",
    );
  });
});
