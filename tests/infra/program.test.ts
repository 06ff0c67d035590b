import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { CORE_SCHEMA, dump, load } from "js-yaml";
import { lakehouseProgram } from "../../infra/program";
import { loadPlatform } from "../../platform";
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

  it("gives producer and consumer stacks their provider only, until ingestion and sharing land", async () => {
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
});
