import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { CORE_SCHEMA, dump, load } from "js-yaml";
import { lakehouseProgram } from "../../infra/program";
import { loadPlatform, readableDatasets } from "../../platform";
import { ProgramError, RecordedResource, RunResult, runProgram } from "../../plan/harness";

const PLATFORM = path.join(__dirname, "..", "..", "stacks", "platform.yaml");
const platform = loadPlatform(PLATFORM);

function planStack(account: string, platformFile = PLATFORM): Promise<RunResult> {
  return runProgram(lakehouseProgram, {
    stack: account,
    config: {
      "lakehouse:account": account,
      "lakehouse:platform": platformFile,
      "lakehouse:date": "2026-11-24",
    },
  });
}

const ofType = (resources: RecordedResource[], type: string) => resources.filter((r) => r.type === type);

describe("account program (infra/)", function () {
  this.timeout(60_000);

  describe("every role", () => {
    for (const account of platform.accounts) {
      it(`gives ${account.name} one explicit AWS provider pinned to its account, region and deployment role`, async () => {
        const { resources, outputs } = await planStack(account.name);
        const providers = ofType(resources, "pulumi:providers:aws");
        expect(providers).to.have.length(1);
        const inputs = providers[0].inputs;
        expect(inputs.region).to.equal(account.region);
        expect(JSON.parse(String(inputs.allowedAccountIds))).to.deep.equal([account.id]);
        expect(JSON.parse(String(inputs.assumeRoles))).to.deep.equal([
          { roleArn: account.deploymentRoleArn, sessionName: `lakehouse-${account.name}` },
        ]);
        const ref = `${providers[0].urn}::${providers[0].name}-provider-id`;
        for (const r of resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:"))) {
          expect(r.provider, `${r.type} ${r.name}`).to.equal(ref);
        }
        expect(outputs).to.include({ account: account.name, accountId: account.id, role: account.role });
      });
    }
  });

  describe("lake account", () => {
    let lake: RunResult;
    before(async () => {
      lake = await planStack("lake-prod");
    });

    it("builds lake storage, Lake Formation and the catalog as components", () => {
      const types = lake.resources.map((r) => r.type);
      expect(types).to.include.members([
        "lakehouse:storage:LakeStorage",
        "lakehouse:lakeformation:LakeFormation",
        "lakehouse:catalog:LakeCatalog",
      ]);
    });

    it("creates the zone buckets and the access-log bucket with names derived from the definition", () => {
      const names = ofType(lake.resources, "aws:s3/bucket:Bucket").map((b) => b.inputs.bucket);
      expect(names).to.have.members([
        "acme-lake-111111111111-raw",
        "acme-lake-111111111111-curated",
        "acme-lake-111111111111-analytics",
        "acme-lake-111111111111-access-logs",
      ]);
    });

    it("declares one Glue database per domain and one Parquet table per dataset with its metadata", () => {
      const dbs = ofType(lake.resources, "aws:glue/catalogDatabase:CatalogDatabase").map(
        (d) => d.inputs.name,
      );
      expect(dbs).to.have.members(["marketing", "operations", "sales"]);
      const tables = ofType(lake.resources, "aws:glue/catalogTable:CatalogTable");
      expect(tables.map((t) => t.inputs.name)).to.have.members(platform.datasets.map((d) => d.name));
      const orders = tables.find((t) => t.inputs.name === "orders")!;
      expect(orders.inputs.databaseName).to.equal("sales");
      expect(orders.inputs.catalogId).to.equal("111111111111");
      // CONTRACTS §1: the governance tag keys as table parameters, so `classification` is the data's
      // sensitivity here; the Parquet format is carried by the SerDe and input/output formats.
      expect(orders.inputs.parameters).to.deep.include({
        classification: "confidential",
        EXTERNAL: "TRUE",
        dataset: "orders",
        owner: "order-management",
        "owner-email": "order-management@acme.example",
        source: "database",
        "veracity.freshness-hours": "6",
        "registered-on": "2025-02-01",
      });
      const sd = orders.inputs.storageDescriptor as Record<string, unknown>;
      expect(sd.location).to.equal("s3://acme-lake-111111111111-raw/sales/orders/");
      expect(sd.serDeInfo).to.deep.include({
        serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
      });
    });

    it("makes the definition's admins plus the deployment role the data lake admins", () => {
      const [settings] = ofType(lake.resources, "aws:lakeformation/dataLakeSettings:DataLakeSettings");
      expect(settings.inputs.admins).to.have.members([
        "arn:aws:iam::111111111111:role/DataPlatformAdmin",
        "arn:aws:iam::111111111111:role/pulumi-deploy",
      ]);
      expect(settings.inputs.parameters).to.deep.equal({ CROSS_ACCOUNT_VERSION: "4" });
    });

    it("creates the LF-tag ontology and tags each column stricter than its dataset", () => {
      const tags = ofType(lake.resources, "aws:lakeformation/lfTag:LfTag").map((t) => [
        t.inputs.key,
        t.inputs.values,
      ]);
      expect(tags).to.have.deep.members([
        ["domain", ["sales", "marketing", "operations"]],
        ["classification", ["public", "internal", "confidential", "restricted"]],
      ]);
      const columnTags = ofType(lake.resources, "aws:lakeformation/resourceLfTags:ResourceLfTags").filter(
        (r) => r.inputs.tableWithColumns,
      );
      const stricter = platform.datasets.flatMap((d) =>
        d.schema.columns.filter((c) => c.classification).map((c) => `${d.name}.${c.name}`),
      );
      const tagged = columnTags.flatMap((r) => {
        const t = r.inputs.tableWithColumns as { name: string; columnNames: string[] };
        return t.columnNames.map((c) => `${t.name}.${c}`);
      });
      expect(tagged).to.have.members(stricter);
    });

    it("registers every zone with Lake Formation through a dedicated role", () => {
      const registered = ofType(lake.resources, "aws:lakeformation/resource:Resource");
      expect(registered.map((r) => r.inputs.arn)).to.have.members([
        "arn:aws:s3:::acme-lake-111111111111-raw",
        "arn:aws:s3:::acme-lake-111111111111-curated",
        "arn:aws:s3:::acme-lake-111111111111-analytics",
      ]);
      for (const r of registered)
        expect(r.inputs.roleArn).to.equal("arn:aws:iam::111111111111:role/acme-lake-lf-data-access");
    });

    it("exports the names other stacks and the validator use", () => {
      expect(lake.outputs).to.deep.include({
        accessLogBucket: "acme-lake-111111111111-access-logs",
        databases: ["marketing", "operations", "sales"],
      });
      expect(lake.outputs.tables).to.have.length(platform.datasets.length);
    });
  });

  it("takes the deployer's role from the credentials when the definition names none", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-"));
    try {
      const doc = load(fs.readFileSync(PLATFORM, "utf8"), { schema: CORE_SCHEMA }) as {
        accounts: Record<string, unknown>[];
      };
      delete doc.accounts[0].deploymentRoleArn;
      const file = path.join(dir, "platform.yaml");
      fs.writeFileSync(file, dump(doc));
      const { resources } = await planStack("lake-prod", file);
      const [settings] = ofType(resources, "aws:lakeformation/dataLakeSettings:DataLakeSettings");
      // The plan's mocks deploy as the assumed role "plan": its IAM role becomes an admin.
      expect(settings.inputs.admins).to.include("arn:aws:iam::111111111111:role/plan");
      const [provider] = ofType(resources, "pulumi:providers:aws");
      expect(provider.inputs.assumeRoles).to.equal(undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an invalid definition before declaring any resource", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-"));
    try {
      const file = path.join(dir, "platform.yaml");
      fs.writeFileSync(
        file,
        fs.readFileSync(PLATFORM, "utf8").replace("producer: web-producer", "producer: nobody"),
      );
      let caught: unknown;
      try {
        await planStack("lake-prod", file);
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(ProgramError);
      expect((caught as ProgramError).message).to.contain('datasets[0].producer: "nobody" is not an account');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a stack whose account is not in the definition, naming the accounts", async () => {
    let caught: unknown;
    try {
      await planStack("mystery");
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).message).to.contain('unknown account "mystery"');
  });

  it("gives producer stacks their provider only, until ingestion lands", async () => {
    const producer = await planStack("ops-producer");
    expect(producer.resources.map((r) => r.type)).to.deep.equal([
      "pulumi:pulumi:Stack",
      "pulumi:providers:aws",
    ]);
    expect(producer.outputs.datasets).to.deep.equal([
      "orders",
      "device_telemetry",
      "country_codes",
      "inventory_snapshots",
    ]);
    const consumer = await planStack("analytics-consumer");
    expect(consumer.outputs.teams).to.deep.equal(["marketing-analytics", "product-insights"]);
  });

  describe("sharing", () => {
    const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
    let lake: RunResult;
    let consumers: Record<string, RunResult>;
    before(async () => {
      lake = await planStack("lake-prod");
      consumers = {
        "analytics-consumer": await planStack("analytics-consumer"),
        "finance-consumer": await planStack("finance-consumer"),
      };
    });

    it("declares in the lake exactly the grants the definition implies: teams × expressions, not datasets", () => {
      // Per team: one grant per distinct tag expression, one DATABASE grant, one per named dataset that
      // no expression of the team matches (row-filtered ones through their filter).
      const matches = (e: Record<string, string[]>, d: { domain: string; classification: string }) =>
        Object.entries(e).every(([k, v]) =>
          v.includes(k === "domain" ? d.domain : k === "classification" ? d.classification : ""),
        );
      const expected = platform.consumers.reduce((n, c) => {
        const expressions = new Set(c.read.tags.map((e) => JSON.stringify(Object.entries(e).sort())));
        const named = platform.datasets.filter(
          (d) => c.read.datasets.includes(d.name) && !c.read.tags.some((e) => matches(e, d)),
        );
        return n + expressions.size + 1 + named.length;
      }, 0);
      const grants = ofType(lake.resources, PERMISSIONS);
      expect(grants).to.have.length(expected);
      expect(grants).to.have.length(11);
      expect(ofType(lake.resources, "aws:lakeformation/dataCellsFilter:DataCellsFilter")).to.have.length(
        platform.consumers.flatMap((c) => c.rowFilters).length,
      );
      expect(lake.outputs.grants).to.equal(11);
    });

    it("grants in the lake's catalog, to the teams' analyst roles, never with a grant option", () => {
      const roles = platform.consumers.map(
        (c) =>
          `arn:aws:iam::${platform.accounts.find((a) => a.name === c.account)!.id}:role/acme-lake-${c.team}-analyst`,
      );
      for (const g of ofType(lake.resources, PERMISSIONS)) {
        expect(g.inputs.catalogId, g.name).to.equal("111111111111");
        expect(roles, g.name).to.include(g.inputs.principal);
        expect(g.inputs.permissionsWithGrantOptions ?? [], g.name).to.deep.equal([]);
        expect(g.parent, g.name).to.equal(ofType(lake.resources, "lakehouse:sharing:LakeShares")[0].urn);
      }
    });

    it("grants a named dataset without its stricter columns and a row-filtered one through its filter only", () => {
      const tableGrant = (team: string, table: string) =>
        ofType(lake.resources, PERMISSIONS).find((g) => g.name === `lake-${team}-table-${table}`)!;
      expect(tableGrant("product-insights", "marketing-clickstream").inputs.tableWithColumns).to.deep.include(
        {
          name: "clickstream",
          excludedColumnNames: ["user_id"],
        },
      );
      expect(
        tableGrant("controlling", "operations-inventory_snapshots").inputs.tableWithColumns,
      ).to.deep.include({
        excludedColumnNames: ["unit_cost"],
      });
      expect(tableGrant("controlling", "sales-orders").inputs.dataCellsFilter).to.deep.include({
        name: "controlling__orders",
        tableName: "orders",
      });
      const [filter] = ofType(lake.resources, "aws:lakeformation/dataCellsFilter:DataCellsFilter");
      expect(filter.inputs.tableData).to.deep.include({
        rowFilter: { filterExpression: "region = 'EU'" },
        columnWildcard: { excludedColumnNames: ["customer_email"] },
      });
      // No other grant of controlling could show orders' other rows: its tags stop at internal.
      const tagGrants = ofType(lake.resources, PERMISSIONS).filter((g) =>
        g.name.startsWith("lake-controlling-tables-"),
      );
      expect(tagGrants.map((g) => g.inputs.lfTagPolicy)).to.deep.equal([
        {
          catalogId: "111111111111",
          resourceType: "TABLE",
          expressions: [
            { key: "classification", values: ["internal", "public"] },
            { key: "domain", values: ["sales"] },
          ],
        },
      ]);
    });

    it("makes every grant wait for the LF-tags and the settings, and named grants for their table", () => {
      const urn = (type: string) => ofType(lake.resources, type).map((r) => r.urn);
      for (const g of ofType(lake.resources, PERMISSIONS))
        expect(g.dependencies, g.name).to.include.members([
          ...urn("aws:lakeformation/lfTag:LfTag"),
          ...urn("aws:lakeformation/dataLakeSettings:DataLakeSettings"),
        ]);
      const orders = ofType(lake.resources, "aws:glue/catalogTable:CatalogTable").find(
        (t) => t.inputs.name === "orders",
      )!;
      const [filter] = ofType(lake.resources, "aws:lakeformation/dataCellsFilter:DataCellsFilter");
      expect(filter.dependencies).to.include(orders.urn);
    });

    it("leaves out an expired team's grants with a notice, and lists grants about to end", async () => {
      const later = await runProgram(lakehouseProgram, {
        stack: "lake-prod",
        config: {
          "lakehouse:account": "lake-prod",
          "lakehouse:platform": PLATFORM,
          "lakehouse:date": "2027-01-01",
        },
      });
      const principals = ofType(later.resources, PERMISSIONS).map((g) => g.inputs.principal);
      expect(principals).to.not.include("arn:aws:iam::444444444444:role/acme-lake-product-insights-analyst");
      expect(principals).to.have.length(11 - 4);
      expect(later.logs.map((l) => l.message)).to.deep.equal([
        "lake: the grant to product-insights (arn:aws:iam::444444444444:role/acme-lake-product-insights-analyst) expired on 2026-12-31; its Lake Formation permissions are not declared, so a deployment revokes them",
      ]);
      expect(later.outputs.expiredGrants).to.deep.equal([
        { team: "product-insights", account: "analytics-consumer", expiresOn: "2026-12-31" },
      ]);
      const soon = await runProgram(lakehouseProgram, {
        stack: "lake-prod",
        config: {
          "lakehouse:account": "lake-prod",
          "lakehouse:platform": PLATFORM,
          "lakehouse:date": "2026-12-17",
        },
      });
      expect(soon.outputs.expiringGrants).to.deep.equal([
        { team: "product-insights", account: "analytics-consumer", expiresOn: "2026-12-31" },
      ]);
      expect(lake.outputs.expiringGrants).to.deep.equal([]);
    });

    it("gives a consumer account one resource link per lake database its teams read", () => {
      for (const [account, result] of Object.entries(consumers)) {
        const domains = new Set(
          platform.consumers
            .filter((c) => c.account === account)
            .flatMap((c) => readableDatasets(platform, c).map((d) => d.domain)),
        );
        const links = ofType(result.resources, "aws:glue/catalogDatabase:CatalogDatabase");
        expect(links.map((l) => l.inputs.name)).to.have.members([...domains].map((d) => `${d}_shared`));
        for (const l of links)
          expect((l.inputs.targetDatabase as { catalogId: string }).catalogId).to.equal("111111111111");
      }
      expect(
        ofType(consumers["analytics-consumer"].resources, "aws:glue/catalogDatabase:CatalogDatabase"),
      ).to.have.length(3);
      expect(consumers["finance-consumer"].outputs.resourceLinks).to.deep.equal({
        operations: "operations_shared",
        sales: "sales_shared",
      });
    });

    it("creates in the consumer stacks the roles the lake grants to, each with its workgroup tagged for its team", () => {
      const declared = Object.values(consumers).flatMap((r) =>
        Object.values(r.outputs.analystRoleArns as Record<string, string>),
      );
      const granted = new Set(ofType(lake.resources, PERMISSIONS).map((g) => g.inputs.principal as string));
      expect(declared).to.include.members([...granted]);
      const [wg] = ofType(consumers["finance-consumer"].resources, "aws:athena/workgroup:Workgroup");
      expect(wg.inputs.name).to.equal("controlling-analytics");
      expect(wg.inputs.tags).to.deep.include({
        dataset: "shared",
        owner: "controlling",
        "owner-email": "controlling@acme.example",
        classification: "confidential",
      });
    });

    it("makes the consumer's deployer its only data lake admin, without IAMAllowedPrincipals defaults", () => {
      const [settings] = ofType(
        consumers["finance-consumer"].resources,
        "aws:lakeformation/dataLakeSettings:DataLakeSettings",
      );
      expect(settings.inputs).to.deep.include({
        catalogId: "555555555555",
        admins: ["arn:aws:iam::555555555555:role/pulumi-deploy"],
        createDatabaseDefaultPermissions: [],
        createTableDefaultPermissions: [],
        parameters: { CROSS_ACCOUNT_VERSION: "4" },
      });
    });

    it("lets the consumer accounts decrypt the lake's catalog metadata through Glue", () => {
      const key = ofType(lake.resources, "aws:kms/key:Key")[0];
      const statement = JSON.parse(String(key.inputs.policy)).Statement.find(
        (s: { Sid: string }) => s.Sid === "CatalogReadersDecryptThroughGlue",
      );
      expect(statement.Principal.AWS).to.deep.equal([
        "arn:aws:iam::444444444444:root",
        "arn:aws:iam::555555555555:root",
      ]);
    });
  });
});
