import * as path from "path";
import { expect } from "chai";
import {
  datasetStatus,
  endedDatasets,
  grantStatus,
  hiddenColumns,
  lfTagOntology,
  lifecycleTagValue,
  loadPlatform,
  modelAccess,
  Principal,
  principalByArn,
  principals,
  readableDatasets,
  readableOn,
} from "../../platform";

const p = loadPlatform(path.join(__dirname, "..", "..", "stacks", "platform.yaml"));
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

describe("access model: the principals the definition implies", () => {
  it("lists, hand-checked for the example platform, every team, ingestion, crawler and validator role", () => {
    const expected: Principal[] = [
      // marketing-analytics has EMR Serverless and QuickSight: three roles.
      {
        arn: role("444444444444", "acme-lake-marketing-analytics-analyst"),
        kind: "analyst",
        team: "marketing-analytics",
        account: "analytics-consumer",
      },
      {
        arn: role("444444444444", "acme-lake-marketing-analytics-spark-job"),
        kind: "spark",
        team: "marketing-analytics",
        account: "analytics-consumer",
      },
      {
        arn: role("444444444444", "acme-lake-marketing-analytics-quicksight"),
        kind: "quicksight",
        team: "marketing-analytics",
        account: "analytics-consumer",
      },
      // product-insights has no analytics: its analysts only.
      {
        arn: role("444444444444", "acme-lake-product-insights-analyst"),
        kind: "analyst",
        team: "product-insights",
        account: "analytics-consumer",
      },
      // controlling has QuickSight and Redshift Spectrum.
      {
        arn: role("555555555555", "acme-lake-controlling-analyst"),
        kind: "analyst",
        team: "controlling",
        account: "finance-consumer",
      },
      {
        arn: role("555555555555", "acme-lake-controlling-quicksight"),
        kind: "quicksight",
        team: "controlling",
        account: "finance-consumer",
      },
      {
        arn: role("555555555555", "acme-lake-controlling-redshift"),
        kind: "redshift",
        team: "controlling",
        account: "finance-consumer",
      },
      // Firehose and DMS datasets have a writer role in their producer account; upload, Spark and
      // crawled datasets (country_codes, inventory_snapshots, product_catalog, support_tickets) do not.
      {
        arn: role("222222222222", "acme-lake-clickstream-ingest"),
        kind: "ingestion",
        dataset: "clickstream",
        account: "web-producer",
      },
      {
        arn: role("333333333333", "acme-lake-orders-ingest"),
        kind: "ingestion",
        dataset: "orders",
        account: "ops-producer",
      },
      {
        arn: role("333333333333", "acme-lake-device-telemetry-ingest"),
        kind: "ingestion",
        dataset: "device_telemetry",
        account: "ops-producer",
      },
      // Crawled datasets and partitioned tables a partition crawler registers, in the lake account.
      ...["clickstream", "device_telemetry", "product_catalog", "inventory_snapshots", "support_tickets"].map(
        (dataset): Principal => ({
          arn: role("111111111111", `acme-lake-${dataset.replace(/_/g, "-")}-crawl`),
          kind: "crawler",
          dataset,
          account: "lake-prod",
        }),
      ),
      {
        arn: role("111111111111", "acme-lake-governance-validator"),
        kind: "validator",
        account: "lake-prod",
      },
    ];
    expect(principals(p)).to.deep.equal(expected);
  });

  it("gives a team's analytics roles only to a team whose analytics create them", () => {
    const withSpark = {
      ...p,
      consumers: p.consumers.map((c) =>
        c.team === "product-insights"
          ? { ...c, analytics: { ...c.analytics, emrServerless: { maxVcpu: 8, maxMemoryGb: 32 } } }
          : c,
      ),
    } as typeof p;
    const teamRoles = (q: typeof p) =>
      principals(q)
        .filter((x) => x.team === "product-insights")
        .map((x) => x.kind);
    expect(teamRoles(p)).to.deep.equal(["analyst"]);
    expect(teamRoles(withSpark)).to.deep.equal(["analyst", "spark"]);
  });

  it("finds a team by any of its roles' ARNs, whatever the role name ends with", () => {
    const byArn = principalByArn(p);
    const spark = byArn.get(role("444444444444", "acme-lake-marketing-analytics-spark-job"));
    expect(spark).to.include({ kind: "spark", team: "marketing-analytics" });
    expect(byArn.get(role("555555555555", "acme-lake-controlling-quicksight"))).to.include({
      kind: "quicksight",
      team: "controlling",
    });
    // A role of the right name in another account is somebody else's.
    expect(byArn.get(role("999999999999", "acme-lake-controlling-analyst"))).to.equal(undefined);
    expect(byArn.size).to.equal(principals(p).length);
  });
});

describe("grantStatus: when a consumer's grant holds", () => {
  const grant = { grantedOn: "2026-12-10", expiresOn: "2027-03-31" };
  it("is pending before grantedOn, active from it, expiring within the reminder window, expired after expiresOn", () => {
    expect(grantStatus(grant, "2026-12-09", 14)).to.equal("pending");
    expect(grantStatus(grant, "2026-12-10", 14)).to.equal("active");
    expect(grantStatus(grant, "2027-03-17", 14)).to.equal("expiring");
    expect(grantStatus(grant, "2027-03-31", 14)).to.equal("expiring");
    expect(grantStatus(grant, "2027-04-01", 14)).to.equal("expired");
    expect(grantStatus({ expiresOn: "2027-03-31" }, "2000-01-01", 14)).to.equal("active");
  });
});

describe("datasetStatus: when a dataset is shared and crawled", () => {
  it("is active without endsOn, ending within the reminder window, ended the day after endsOn", () => {
    const d = { endsOn: "2027-05-05" };
    expect(datasetStatus({}, "2099-01-01", 14)).to.equal("active");
    expect(datasetStatus(d, "2027-04-20", 14)).to.equal("active");
    expect(datasetStatus(d, "2027-04-21", 14)).to.equal("ending");
    expect(datasetStatus(d, "2027-05-05", 14)).to.equal("ending");
    expect(datasetStatus(d, "2027-05-06", 14)).to.equal("ended");
    expect(lifecycleTagValue(d, "2027-05-05")).to.equal("active");
    expect(lifecycleTagValue(d, "2027-05-06")).to.equal("retired");
  });

  it("leaves a dataset past its endsOn out of what every team reads, and adds the lifecycle tag to the ontology", () => {
    // support_tickets ends on 2027-05-05; product-insights names it.
    expect(endedDatasets(p, "2027-05-05")).to.deep.equal([]);
    expect(endedDatasets(p, "2027-05-06").map((d) => d.name)).to.deep.equal(["support_tickets"]);
    const team = p.consumers.find((c) => c.team === "product-insights")!;
    expect(readableDatasets(p, team).map((d) => d.name)).to.include("support_tickets");
    expect(readableOn(p, team, "2027-05-06").map((d) => d.name)).to.deep.equal([
      "clickstream",
      "product_catalog",
    ]);
    expect(lfTagOntology(p)).to.deep.equal({ ...p.lake.lfTags, lifecycle: ["active", "retired"] });
  });
});

describe("access model: what each principal reads (modelAccess)", () => {
  const at = (date: string) => modelAccess(p, date);
  const entry = (date: string, role: string, dataset: string) =>
    at(date).find((a) => a.principal.endsWith(`:role/${role}`) && a.dataset === dataset);
  const teamDatasets = (date: string, role: string) =>
    at(date)
      .filter((a) => a.principal.endsWith(`:role/${role}`))
      .map((a) => a.dataset)
      .sort();

  it("gives each team of the example its datasets, columns and rows, hand-computed", () => {
    const d = "2026-12-04";
    // marketing-analytics: tags {marketing, operations} × {public, internal}, and country_codes by name.
    expect(teamDatasets(d, "acme-lake-marketing-analytics-analyst")).to.deep.equal([
      "clickstream",
      "country_codes",
      "device_telemetry",
      "inventory_snapshots",
      "product_catalog",
    ]);
    expect(entry(d, "acme-lake-marketing-analytics-analyst", "clickstream")).to.deep.include({
      team: "marketing-analytics",
      account: "analytics-consumer",
      kind: "analyst",
      database: "marketing",
      table: "clickstream",
      rowFilter: null,
      permissions: ["DESCRIBE", "SELECT"],
      expiresOn: "2027-06-30",
      via: [
        "lf-tag {classification:[internal,public],domain:[marketing,operations],lifecycle:[active]}",
        "resource link marketing_shared",
      ],
    });
    // user_id is confidential: the expression does not reach it.
    expect(entry(d, "acme-lake-marketing-analytics-analyst", "clickstream")!.columns).to.not.include(
      "user_id",
    );
    expect(entry(d, "acme-lake-marketing-analytics-analyst", "country_codes")!.via).to.deep.equal([
      "named sales.country_codes",
      "resource link sales_shared",
    ]);
    // controlling: orders by name, through its EU row filter, without the restricted customer_email.
    const orders = entry(d, "acme-lake-controlling-analyst", "orders")!;
    expect(orders.rowFilter).to.equal("region = 'EU'");
    expect(orders.permissions).to.deep.equal(["SELECT"]);
    expect(orders.columns).to.not.include("customer_email");
    expect(orders.columns).to.include.members(["order_id", "region", "amount"]);
    expect(orders.via).to.include("data cells filter controlling__orders");
    // Its Redshift and QuickSight roles read orders the same way, through filters of their own.
    expect(entry(d, "acme-lake-controlling-redshift", "orders")).to.deep.include({
      rowFilter: "region = 'EU'",
      columns: orders.columns,
    });
    expect(entry(d, "acme-lake-controlling-quicksight", "orders")!.via).to.include(
      "data cells filter controlling_quicksight__orders",
    );
    // QuickSight reads only the SPICE datasets.
    expect(teamDatasets(d, "acme-lake-controlling-quicksight")).to.deep.equal(["orders"]);
    // product-insights reads by name only: stricter columns left out.
    expect(teamDatasets(d, "acme-lake-product-insights-analyst")).to.deep.equal([
      "clickstream",
      "product_catalog",
      "support_tickets",
    ]);
    expect(entry(d, "acme-lake-product-insights-analyst", "support_tickets")!.columns).to.not.include(
      "customer_email",
    );
    // The platform's own roles: the validator reads every table, an ingestion role describes its own.
    expect(entry(d, "acme-lake-governance-validator", "orders")!.columns).to.include("customer_email");
    expect(entry(d, "acme-lake-orders-ingest", "orders")).to.deep.include({
      team: null,
      account: null,
      permissions: ["DESCRIBE"],
    });
  });

  it("gives nothing before grantedOn or after expiresOn, and nothing of a dataset past its endsOn", () => {
    // marketing-analytics is granted from 2025-03-01; controlling from 2025-02-15.
    expect(teamDatasets("2025-02-20", "acme-lake-marketing-analytics-analyst")).to.deep.equal([]);
    expect(teamDatasets("2025-02-20", "acme-lake-controlling-analyst")).to.not.deep.equal([]);
    // product-insights expires on 2026-12-31: it reads on that day, not the day after.
    expect(teamDatasets("2026-12-31", "acme-lake-product-insights-analyst")).to.have.length(3);
    expect(teamDatasets("2027-01-01", "acme-lake-product-insights-analyst")).to.deep.equal([]);
    // support_tickets ends on 2027-05-05: no team, no crawler reads it after; the validator still does.
    const after = at("2027-05-06").filter((a) => a.dataset === "support_tickets");
    expect(after.map((a) => a.principal.split("/").pop())).to.deep.equal(["acme-lake-governance-validator"]);
  });

  it("judges a tag grant column by column: a stricter column an expression names is visible", () => {
    const wider = {
      ...p,
      consumers: p.consumers.map((c) =>
        c.team === "product-insights"
          ? { ...c, read: { ...c.read, tags: [{ domain: ["operations"], classification: ["restricted"] }] } }
          : c,
      ),
    };
    const c = wider.consumers.find((x) => x.team === "product-insights")!;
    const tickets = wider.datasets.find((d) => d.name === "support_tickets")!;
    // support_tickets is named; its customer_email column is restricted, and the expression reaches it.
    expect(hiddenColumns(wider, c, tickets)).to.deep.equal([]);
    const columns = modelAccess(wider, "2026-12-04").find(
      (a) => a.team === "product-insights" && a.dataset === "support_tickets",
    )!.columns;
    expect(columns).to.include("customer_email");
  });
});
