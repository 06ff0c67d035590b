import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { CORE_SCHEMA, dump, load } from "js-yaml";
import { lakehouseProgram } from "../../infra/program";
import {
  crawlerName,
  datasetPrefix,
  ingestionErrorPrefix,
  loadPlatform,
  partitionCrawlerName,
  readableDatasets,
  tableLayout,
} from "../../platform";
import { ProgramError, RecordedResource, RunResult, runProgram } from "../../tooling/mock-runtime/harness";

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

    it("creates the zone, access-log and governance buckets with names derived from the definition", () => {
      const names = ofType(lake.resources, "aws:s3/bucket:Bucket").map((b) => b.inputs.bucket);
      expect(names).to.have.members([
        "acme-lake-111111111111-raw",
        "acme-lake-111111111111-curated",
        "acme-lake-111111111111-analytics",
        "acme-lake-111111111111-access-logs",
        "acme-lake-111111111111-governance",
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
      // CONTRACTS §1: the governance tag keys as table parameters, the data classification under
      // `data-classification`; `classification` is Glue's data-format key, read by crawlers and Glue jobs.
      expect(orders.inputs.parameters).to.deep.include({
        classification: "parquet",
        "data-classification": "confidential",
        EXTERNAL: "TRUE",
        dataset: "orders",
        owner: "order-management",
        "owner-email": "order-management@acme.example",
        source: "database",
        "veracity.freshness-hours": "6",
        "registered-on": "2025-02-01",
      });
      const sd = orders.inputs.storageDescriptor as Record<string, unknown>;
      // DMS writes <bucketFolder>/<schema>/<table>/: the table reads below the dataset's prefix.
      expect(sd.location).to.equal("s3://acme-lake-111111111111-raw/333333333333/sales/orders/sales/orders/");
      expect(sd.serDeInfo).to.deep.include({
        serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
      });
    });

    describe("tables read where their writers write", () => {
      const RAW = "s3://acme-lake-111111111111-raw";
      const table = (name: string) =>
        ofType(lake.resources, "aws:glue/catalogTable:CatalogTable").find((t) => t.inputs.name === name)!;
      const location = (name: string) =>
        (table(name).inputs.storageDescriptor as { location: string }).location;
      const params = (name: string) => table(name).inputs.parameters as Record<string, string>;
      const projectionOf = (name: string) =>
        Object.fromEntries(
          Object.entries(params(name)).filter(
            ([k]) => k.startsWith("projection.") || k === "storage.location.template",
          ),
        );

      it("projects a Firehose table's dt and hour from its Hive-style prefix", () => {
        expect(location("device_telemetry")).to.equal(`${RAW}/333333333333/operations/device_telemetry/`);
        expect(table("device_telemetry").inputs.partitionKeys).to.deep.equal([
          { name: "dt", type: "date" },
          { name: "hour", type: "int" },
        ]);
        expect(projectionOf("device_telemetry")).to.deep.equal({
          "projection.enabled": "true",
          "projection.dt.type": "date",
          "projection.dt.format": "yyyy-MM-dd",
          "projection.dt.range": "2025-03-10,NOW",
          "projection.dt.interval": "1",
          "projection.dt.interval.unit": "DAYS",
          "projection.hour.type": "integer",
          "projection.hour.range": "0,23",
          "projection.hour.digits": "2",
          "storage.location.template": `${RAW}/333333333333/operations/device_telemetry/dt=\${dt}/hour=\${hour}/`,
        });
      });

      it("reads a DMS table below <schema>/<table>/, unpartitioned like DMS's full load, without projection", () => {
        expect(location("orders")).to.equal(`${RAW}/333333333333/sales/orders/sales/orders/`);
        expect(table("orders").inputs.partitionKeys).to.deep.equal([]);
        expect(projectionOf("orders")).to.deep.equal({});
      });

      it("projects a Spark table from the platform's Hive-style dt= folders", () => {
        expect(location("inventory_snapshots")).to.equal(
          `${RAW}/333333333333/operations/inventory_snapshots/`,
        );
        expect(projectionOf("inventory_snapshots")).to.deep.include({
          "projection.enabled": "true",
          "storage.location.template": `${RAW}/333333333333/operations/inventory_snapshots/dt=\${dt}/`,
        });
      });

      it("leaves crawled and unpartitioned tables without projection", () => {
        expect(table("support_tickets").inputs.partitionKeys).to.deep.equal([{ name: "dt", type: "date" }]);
        expect(projectionOf("support_tickets")).to.deep.equal({});
        expect(table("country_codes").inputs.partitionKeys).to.deep.equal([]);
        expect(projectionOf("country_codes")).to.deep.equal({});
      });

      it("gives every table exactly its dataset's layout", () => {
        for (const d of platform.datasets) {
          const layout = tableLayout(platform, d);
          expect(location(d.name), d.name).to.equal(layout.location);
          expect(projectionOf(d.name), d.name).to.deep.equal(layout.projection);
        }
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
        // The platform's own: every table active, or retired past its dataset's endsOn.
        ["lifecycle", ["active", "retired"]],
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

    it("deploys the governance validator: its bucket, the registry, a nodejs22.x function on the definition's schedule", () => {
      const [component] = ofType(lake.resources, "lakehouse:governance:GovernanceAutomation");
      const children = lake.resources.filter((r) => r.parent === component.urn);
      const [fn] = children.filter((r) => r.type === "aws:lambda/function:Function");
      expect(fn.inputs.runtime).to.equal("nodejs22.x");
      expect(fn.inputs.environment).to.deep.equal({
        variables: { GOVERNANCE_BUCKET: "acme-lake-111111111111-governance" },
      });
      const [schedule] = children.filter((r) => r.type === "aws:scheduler/schedule:Schedule");
      expect(schedule.inputs.scheduleExpression).to.equal(platform.governance.schedule);
      const [registry] = children.filter((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2");
      expect(registry.inputs.key).to.equal("registry/platform.json");
      expect(JSON.parse(String(registry.inputs.content)).name).to.equal(platform.name);
      const [role] = children.filter(
        (r) => r.type === "aws:iam/role:Role" && r.inputs.name === "acme-lake-governance-validator",
      );
      expect(role, "the validator role the pack config names").to.not.equal(undefined);
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
    expect((caught as Error).message).to.contain(
      'lakehouse:account "mystery" is not an account of the platform definition (accounts: lake-prod,',
    );
  });

  describe("stack config, checked by the program itself (pulumi up runs no plan CLI)", () => {
    const refusal = async (config: Record<string, string>): Promise<string> => {
      let caught: unknown;
      try {
        await runProgram(lakehouseProgram, {
          stack: "lake-prod",
          config: { "lakehouse:account": "lake-prod", ...config },
        });
      } catch (err) {
        caught = err;
      }
      expect(caught, JSON.stringify(config)).to.be.instanceOf(ProgramError);
      const [first] = (caught as ProgramError).errors;
      // A RunError: the engine prints its message alone, without a stack trace.
      expect(pulumi.RunError.isInstance(first), "a RunError").to.equal(true);
      return (caught as ProgramError).message;
    };

    it("refuses a lakehouse:date that is not a calendar date, naming the key and the fix", async () => {
      for (const date of ["2025-02-30", "24/11/2026", "tomorrow", ""]) {
        expect(await refusal({ "lakehouse:platform": PLATFORM, "lakehouse:date": date })).to.contain(
          `lakehouse:date "${date}" is not a calendar date: set it as YYYY-MM-DD`,
        );
      }
    });

    it("refuses a lakehouse:platform that is missing or not a file, naming the key and the fix", async () => {
      expect(await refusal({ "lakehouse:platform": "/nonexistent/platform.yaml" })).to.contain(
        "lakehouse:platform /nonexistent/platform.yaml: no such file; set it to the platform definition's path",
      );
      expect(await refusal({ "lakehouse:platform": os.tmpdir() })).to.contain(
        `lakehouse:platform ${os.tmpdir()} is not a file`,
      );
    });
  });

  describe("ingestion", () => {
    const producers = platform.accounts.filter((a) => a.role === "producer");
    const runs: Record<string, RunResult> = {};
    let lake: RunResult;
    before(async () => {
      for (const a of producers) runs[a.name] = await planStack(a.name);
      lake = await planStack("lake-prod");
    });
    const count = (r: RunResult, type: string) => ofType(r.resources, type).length;

    it("gives each producer stack exactly the ingestion its datasets imply", () => {
      for (const a of producers) {
        const r = runs[a.name];
        const own = platform.datasets.filter((d) => d.producer === a.name);
        const firehose = own.filter((d) => d.ingestion.type === "firehose");
        // A Flink application only where the definition names its built code (`flink: { code }`).
        const flink = firehose.filter(
          (d) => d.ingestion.type === "firehose" && typeof d.ingestion.flink === "object",
        );
        const dms = own.filter((d) => d.ingestion.type === "dms");
        expect(r.outputs.datasets, a.name).to.deep.equal(own.map((d) => d.name));
        expect(count(r, "lakehouse:streaming:StreamingIngestion"), a.name).to.equal(firehose.length);
        expect(count(r, "aws:kinesis/stream:Stream"), a.name).to.equal(firehose.length);
        expect(count(r, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"), a.name).to.equal(
          firehose.length,
        );
        expect(count(r, "lakehouse:streaming:StreamAnalytics"), a.name).to.equal(flink.length);
        expect(count(r, "aws:kinesisanalyticsv2/application:Application"), a.name).to.equal(flink.length);
        expect(count(r, "lakehouse:ingestion:DmsIngestion"), a.name).to.equal(dms.length);
        expect(count(r, "aws:dms/replicationConfig:ReplicationConfig"), a.name).to.equal(dms.length);
        expect(count(r, "aws:dms/s3Endpoint:S3Endpoint"), a.name).to.equal(dms.length);
        // The artifacts bucket (and its access-log bucket) only where a Flink application needs code.
        expect(count(r, "aws:s3/bucket:Bucket"), a.name).to.equal(flink.length > 0 ? 2 : 0);
        const roles = ofType(r.resources, "aws:iam/role:Role").map((x) => x.inputs.name);
        expect(roles, a.name).to.include.members(
          [...firehose, ...dms].map((d) => `acme-lake-${d.name.replace(/_/g, "-")}-ingest`),
        );
        expect(Object.keys(r.outputs.ingestionRoles as object), a.name).to.have.members(
          [...firehose, ...dms].map((d) => d.name),
        );
      }
      // The example: clickstream (Flink wanted, no code yet) in web-producer; device_telemetry and orders
      // (DMS) in ops-producer.
      expect(count(runs["web-producer"], "aws:kinesisanalyticsv2/application:Application")).to.equal(0);
      expect(count(runs["ops-producer"], "aws:dms/replicationConfig:ReplicationConfig")).to.equal(1);
    });

    it("leaves out a Flink application whose code is not built yet, with a notice saying how to add it", () => {
      const notices = runs["web-producer"].logs.filter((l) => l.severity === "warning").map((l) => l.message);
      expect(notices).to.have.length(1);
      expect(notices[0]).to.contain("clickstream: the Managed Flink application");
      expect(notices[0]).to.contain("datasets[0].ingestion.flink to { code: <path of the built .zip or .jar");
    });

    describe("a Flink application with its built code (flink: { code })", () => {
      let dir: string;
      const withCode = (code: string) => {
        const file = path.join(dir, "platform.yaml");
        const yaml = fs.readFileSync(PLATFORM, "utf8");
        expect(yaml).to.contain("      flink: true");
        fs.writeFileSync(file, yaml.replace(/^ {6}flink: true.*$/m, `      flink: { code: ${code} }`));
        return planStack("web-producer", file);
      };
      before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-"));
        // No binary is committed: the artefact is a file the test writes next to its definition.
        fs.mkdirSync(path.join(dir, "build"));
        fs.writeFileSync(path.join(dir, "build", "sessions.zip"), "built by the test");
      });
      after(() => fs.rmSync(dir, { recursive: true, force: true }));

      it("uploads the artefact, relative to the definition's folder, and creates the application after it", async () => {
        const r = await withCode("build/sessions.zip");
        const [object] = ofType(r.resources, "aws:s3/bucketObjectv2:BucketObjectv2");
        expect(object.inputs).to.deep.include({
          bucket: "acme-lake-222222222222-artifacts",
          key: "flink/acme-lake-clickstream-analytics.zip",
          serverSideEncryption: "aws:kms",
        });
        const [app] = ofType(r.resources, "aws:kinesisanalyticsv2/application:Application");
        const [policy] = ofType(r.resources, "aws:s3/bucketPolicy:BucketPolicy").filter((b) =>
          b.name.includes("artifacts-artifacts"),
        );
        const [key] = ofType(r.resources, "aws:kms/key:Key").filter((k) => k.name.includes("artifacts"));
        expect(app.dependencies).to.include.members([object.urn, policy.urn, key.urn]);
        expect(r.logs.filter((l) => l.severity === "warning")).to.deep.equal([]);
      });

      it("refuses a named artefact that is not there, naming the field and the path", async () => {
        let caught: unknown;
        try {
          await withCode("build/missing.zip");
        } catch (err) {
          caught = err;
        }
        expect(caught).to.be.instanceOf(ProgramError);
        expect((caught as Error).message).to.contain("datasets[0].ingestion.flink.code: build/missing.zip");
        expect((caught as Error).message).to.contain(path.join(dir, "build", "missing.zip"));
      });
    });

    it("streams each dataset as Parquet into its own prefix of the raw bucket, as its ingestion role", () => {
      const [delivery] = ofType(
        runs["web-producer"].resources,
        "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
      );
      const s3 = delivery.inputs.extendedS3Configuration as Record<string, Record<string, unknown>>;
      expect(s3).to.deep.include({
        bucketArn: "arn:aws:s3:::acme-lake-111111111111-raw",
        roleArn: "arn:aws:iam::222222222222:role/acme-lake-clickstream-ingest",
        prefix: "222222222222/marketing/clickstream/dt=!{partitionKeyFromQuery:dt}/",
        errorOutputPrefix: "222222222222/_errors/marketing/clickstream/!{firehose:error-output-type}/",
        kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:alias/acme-lake-lake",
        bufferingInterval: 300,
        bufferingSize: 128,
      });
      expect(s3.dataFormatConversionConfiguration.schemaConfiguration).to.deep.include({
        catalogId: "111111111111",
        databaseName: "marketing",
        tableName: "clickstream",
      });
      const [telemetry] = ofType(runs["ops-producer"].resources, "aws:kinesis/stream:Stream");
      expect(telemetry.inputs).to.deep.include({
        name: "acme-lake-device-telemetry",
        shardCount: 4,
        streamModeDetails: { streamMode: "PROVISIONED" },
      });
      const [target] = ofType(runs["ops-producer"].resources, "aws:dms/s3Endpoint:S3Endpoint");
      expect(target.inputs).to.deep.include({
        bucketName: "acme-lake-111111111111-raw",
        bucketFolder: "333333333333/sales/orders",
        dataFormat: "parquet",
        serviceAccessRoleArn: "arn:aws:iam::333333333333:role/acme-lake-orders-ingest",
      });
    });

    it("replicates each DMS dataset's one source table, from its database, to where its table reads", () => {
      const orders = platform.datasets.find((d) => d.name === "orders")!;
      const layout = tableLayout(platform, orders);
      const ops = runs["ops-producer"].resources;
      const [target] = ofType(ops, "aws:dms/s3Endpoint:S3Endpoint");
      const [replication] = ofType(ops, "aws:dms/replicationConfig:ReplicationConfig");
      const [source] = ofType(ops, "aws:dms/endpoint:Endpoint");
      const locator = JSON.parse(String(replication.inputs.tableMappings)).rules[0]["object-locator"];
      // DMS writes <bucketFolder>/<schema>/<table>/; the table is unpartitioned, so no date folders.
      expect(`${target.inputs.bucketFolder}/${locator["schema-name"]}/${locator["table-name"]}/`).to.equal(
        layout.prefix,
      );
      expect(layout.partitionTemplate).to.equal("");
      expect(target.inputs).to.deep.include({
        includeOpForFullLoad: true,
        timestampColumnName: "dms_commit_ts",
      });
      expect(target.inputs).to.not.have.property("datePartitionEnabled");
      expect(target.inputs).to.not.have.property("cdcInsertsOnly");
      expect(source.inputs.databaseName).to.equal("erp");
    });

    it("gives a producer with DMS the VPC endpoints DMS Serverless needs, before its replications", () => {
      const ops = runs["ops-producer"].resources;
      const endpoints = ofType(ops, "aws:ec2/vpcEndpoint:VpcEndpoint");
      expect(endpoints.map((e) => e.inputs.serviceName).sort()).to.deep.equal([
        "com.amazonaws.eu-west-1.s3",
        "com.amazonaws.eu-west-1.secretsmanager",
      ]);
      const s3 = endpoints.find((e) => e.inputs.vpcEndpointType === "Gateway")!;
      expect(s3.inputs).to.deep.include({
        vpcId: "vpc-0a1b2c3d4e5f60000",
        routeTableIds: ["rtb-0a1b2c3d4e5f60004"],
      });
      const policy = JSON.parse(String(s3.inputs.policy));
      // The account's own prefix, whatever it replicates: the endpoint policy does not grow with datasets.
      expect(policy.Statement[0].Resource).to.deep.equal([
        "arn:aws:s3:::acme-lake-111111111111-raw/333333333333/*",
      ]);
      const [rule] = ofType(ops, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
      expect(rule.inputs).to.deep.include({
        referencedSecurityGroupId: "sg-0a1b2c3d4e5f60003",
        fromPort: 443,
      });
      const [replication] = ofType(ops, "aws:dms/replicationConfig:ReplicationConfig");
      for (const e of endpoints) expect(replication.dependencies).to.include(e.urn);
      // web-producer replicates nothing: no endpoints.
      expect(ofType(runs["web-producer"].resources, "aws:ec2/vpcEndpoint:VpcEndpoint")).to.have.length(0);
    });

    it("creates no VPC endpoints where the definition says they exist", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-"));
      try {
        const file = path.join(dir, "platform.yaml");
        const yaml = fs.readFileSync(PLATFORM, "utf8");
        expect(yaml).to.contain("vpcEndpoints: create");
        fs.writeFileSync(file, yaml.replace("vpcEndpoints: create", "vpcEndpoints: existing"));
        const r = await planStack("ops-producer", file);
        expect(ofType(r.resources, "aws:ec2/vpcEndpoint:VpcEndpoint")).to.have.length(0);
        expect(ofType(r.resources, "aws:dms/replicationConfig:ReplicationConfig")).to.have.length(1);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("lets the producers' ingestion roles write their own prefixes, in two statements that name accounts, not roles", () => {
      const writers = platform.datasets.filter(
        (d) => d.ingestion.type === "firehose" || d.ingestion.type === "dms",
      );
      const accountOf = (d: (typeof writers)[number]) =>
        platform.accounts.find((a) => a.name === d.producer)!.id;
      const roleOf = (d: (typeof writers)[number]) =>
        `arn:aws:iam::${accountOf(d)}:role/acme-lake-${d.name.replace(/_/g, "-")}-ingest`;
      const created = producers.flatMap((a) => Object.values(runs[a.name].outputs.ingestionRoles as object));
      expect(created).to.have.members(writers.map(roleOf));
      const roots = [...new Set(writers.map((d) => `arn:aws:iam::${accountOf(d)}:root`))].sort();

      const policy = ofType(lake.resources, "aws:s3/bucketPolicy:BucketPolicy").find(
        (b) => b.inputs.bucket === "acme-lake-111111111111-raw",
      )!;
      type Statement = {
        Sid: string;
        Effect: string;
        Principal?: { AWS: string[] };
        Resource: string[] | string;
        Condition?: unknown;
      };
      const statements = JSON.parse(String(policy.inputs.policy)).Statement as Statement[];
      expect(statements.map((s) => s.Sid).slice(0, 2)).to.deep.equal([
        "DenyInsecureTransport",
        "DenyUnencryptedOrForeignKeyWrites",
      ]);
      const granted = statements.filter((s) => s.Effect === "Allow");
      expect(granted.map((s) => s.Sid)).to.deep.equal(["ProducersWriteOwnPrefixes", "ProducersLocateBucket"]);
      for (const s of granted) {
        expect(s.Principal!.AWS).to.deep.equal(roots);
        expect(s.Condition).to.deep.equal({
          ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/acme-lake-*-ingest" },
        });
      }
      // Each role's account and tags, as AWS fills them in, give exactly its own dataset's prefixes.
      const objects = granted[0].Resource as string[];
      for (const d of writers) {
        const role = producers
          .flatMap((a) => ofType(runs[a.name].resources, "aws:iam/role:Role"))
          .find((r) => r.inputs.name === roleOf(d).split("/").pop())!;
        const tags = role.inputs.tags as Record<string, string>;
        const filled = objects.map((r) =>
          r
            .replace("${aws:PrincipalAccount}", accountOf(d))
            .replace(/\$\{aws:PrincipalTag\/(\w+)\}/g, (_, k: string) => tags[k]),
        );
        expect(filled, d.name).to.deep.equal([
          `arn:aws:s3:::acme-lake-111111111111-raw/${datasetPrefix(platform, d)}*`,
          `arn:aws:s3:::acme-lake-111111111111-raw/${ingestionErrorPrefix(platform, d)}*`,
        ]);
      }
      // No other bucket of the lake lets another account in.
      for (const other of ofType(lake.resources, "aws:s3/bucketPolicy:BucketPolicy").filter(
        (b) => b !== policy,
      ))
        expect(String(other.inputs.policy)).to.not.match(/-ingest|:root/);

      const key = ofType(lake.resources, "aws:kms/key:Key")[0];
      const keyStatement = JSON.parse(String(key.inputs.policy)).Statement.find(
        (s: { Sid: string }) => s.Sid === "IngestionRolesThroughS3AndGlue",
      );
      expect(keyStatement.Principal.AWS).to.deep.equal(roots);
      expect(keyStatement.Action).to.deep.equal(["kms:GenerateDataKey", "kms:Decrypt"]);
      expect(keyStatement.Condition).to.deep.equal({
        StringEquals: { "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "glue.eu-west-1.amazonaws.com"] },
        ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/acme-lake-*-ingest" },
      });
    });

    const writersCount = () =>
      platform.datasets.filter((d) => d.ingestion.type === "firehose" || d.ingestion.type === "dms").length;

    it("grants each ingestion role DESCRIBE on its table only", () => {
      const component = ofType(lake.resources, "lakehouse:ingestion:IngestionGrants")[0];
      const grants = ofType(lake.resources, "aws:lakeformation/permissions:Permissions").filter(
        (g) => g.parent === component.urn,
      );
      const writers = platform.datasets.filter(
        (d) => d.ingestion.type === "firehose" || d.ingestion.type === "dms",
      );
      expect(grants).to.have.length(writers.length);
      for (const g of grants) {
        expect(g.inputs.permissionsWithGrantOptions ?? [], g.name).to.deep.equal([]);
        expect(g.inputs.permissions, g.name).to.deep.equal(["DESCRIBE"]);
      }
      const orders = grants.find((g) => g.name === "lake-ingestion-orders-table")!;
      expect(orders.inputs).to.deep.include({
        principal: "arn:aws:iam::333333333333:role/acme-lake-orders-ingest",
        table: { catalogId: "111111111111", databaseName: "sales", name: "orders" },
      });
      const table = ofType(lake.resources, "aws:glue/catalogTable:CatalogTable").find(
        (t) => t.inputs.name === "orders",
      )!;
      expect(orders.dependencies).to.include(table.urn);
    });

    it("makes each ingestion grant and crawler wait for its own table, not every table (state grows with datasets, not their square)", () => {
      const tables = ofType(lake.resources, "aws:glue/catalogTable:CatalogTable");
      const tableUrns = new Set(tables.map((t) => t.urn));
      const ingestion = lake.resources.filter(
        (r) =>
          r.type.startsWith("aws:") &&
          /^lake-(ingestion|crawler|partitions)-/.test(r.name) &&
          r.dependencies.some((d) => tableUrns.has(d)),
      );
      expect(ingestion.length).to.be.greaterThan(writersCount());
      for (const r of ingestion)
        expect(
          r.dependencies.filter((d) => tableUrns.has(d)),
          r.name,
        ).to.have.length(1);
      // Across the lake, no resource waits for more than a handful of tables.
      const most = Math.max(
        ...lake.resources.map((r) => r.dependencies.filter((d) => tableUrns.has(d)).length),
      );
      expect(most).to.be.at.most(2);
    });

    it("grants no cross-account DATA_LOCATION_ACCESS: every location grant is to a lake-account role", () => {
      const locationGrants = ofType(lake.resources, "aws:lakeformation/permissions:Permissions").filter(
        (g) =>
          g.inputs.dataLocation !== undefined ||
          (g.inputs.permissions as string[]).includes("DATA_LOCATION_ACCESS"),
      );
      expect(locationGrants.length).to.be.greaterThan(0);
      for (const g of locationGrants)
        expect(String(g.inputs.principal), g.name).to.match(/^arn:aws:iam::111111111111:role\//);
    });

    it("crawls each crawler dataset's own table in the lake, on its schedule, logging instead of deleting", () => {
      const crawled = platform.datasets.filter((d) => d.ingestion.type === "crawler");
      const crawlers = ofType(lake.resources, "aws:glue/crawler:Crawler").filter(
        (c) => !String(c.inputs.name).endsWith("-partitions"),
      );
      expect(crawlers.map((c) => c.inputs.name)).to.have.members(
        crawled.map((d) => `acme-lake-${d.name.replace(/_/g, "-")}`),
      );
      const catalog = crawlers.find((c) => c.inputs.name === "acme-lake-product-catalog")!;
      expect(catalog.inputs).to.deep.include({
        databaseName: "marketing",
        catalogTargets: [{ databaseName: "marketing", tables: ["product_catalog"] }],
        schemaChangePolicy: { deleteBehavior: "LOG", updateBehavior: "LOG" },
        schedule: "cron(0 3 * * ? *)",
      });
      const tickets = crawlers.find((c) => c.inputs.name === "acme-lake-support-tickets")!;
      expect(tickets.inputs.schedule).to.equal(undefined);
      expect(lake.outputs.ingestionGrants).to.have.members(["clickstream", "orders", "device_telemetry"]);
    });

    it("encrypts every crawler's logs under the lake key, which lets CloudWatch Logs use it for them", () => {
      const crawlers = ofType(lake.resources, "aws:glue/crawler:Crawler");
      const configurations = ofType(lake.resources, "aws:glue/securityConfiguration:SecurityConfiguration");
      expect(crawlers.length).to.be.greaterThan(0);
      expect(configurations.map((c) => c.inputs.name)).to.have.members(crawlers.map((c) => c.inputs.name));
      const key = ofType(lake.resources, "aws:kms/key:Key")[0];
      for (const c of configurations) {
        const logs = (c.inputs.encryptionConfiguration as Record<string, Record<string, unknown>>)
          .cloudwatchEncryption;
        expect(logs, String(c.inputs.name)).to.deep.equal({
          cloudwatchEncryptionMode: "SSE-KMS",
          kmsKeyArn: lake.outputs.kmsKeyArn,
        });
      }
      for (const c of crawlers) expect(c.inputs.securityConfiguration).to.equal(c.inputs.name);
      const statement = JSON.parse(String(key.inputs.policy)).Statement.find(
        (s: { Sid: string }) => s.Sid === "CloudWatchLogsForGlueCrawlers",
      );
      expect(statement.Principal).to.deep.equal({ Service: "logs.eu-west-1.amazonaws.com" });
      expect(statement.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).to.equal(
        "arn:aws:logs:eu-west-1:111111111111:log-group:/aws-glue/crawlers-role/*",
      );
    });

    it("registers the partitions of every projected table for EMR and Spectrum with a partition crawler", () => {
      const projected = platform.datasets.filter(
        (d) => tableLayout(platform, d).registration === "partition-crawler",
      );
      expect(projected.map((d) => d.name)).to.have.members([
        "clickstream",
        "device_telemetry",
        "inventory_snapshots",
      ]);
      const crawlers = ofType(lake.resources, "aws:glue/crawler:Crawler").filter((c) =>
        String(c.inputs.name).endsWith("-partitions"),
      );
      expect(crawlers.map((c) => c.inputs.name)).to.have.members(
        projected.map((d) => `acme-lake-${d.name.replace(/_/g, "-")}-partitions`),
      );
      expect(lake.outputs.partitionCrawlers).to.have.members(crawlers.map((c) => c.inputs.name));
      const inventory = crawlers.find((c) => c.inputs.name === "acme-lake-inventory-snapshots-partitions")!;
      expect(inventory.inputs).to.deep.include({
        catalogTargets: [{ databaseName: "operations", tables: ["inventory_snapshots"] }],
        schemaChangePolicy: { deleteBehavior: "LOG", updateBehavior: "LOG" },
        schedule: "cron(30 1 * * ? *)", // batch: daily, UTC
        role: "arn:aws:iam::111111111111:role/acme-lake-inventory-snapshots-crawl",
      });
      const clicks = crawlers.find((c) => c.inputs.name === "acme-lake-clickstream-partitions")!;
      expect(clicks.inputs.schedule).to.equal("cron(10 * * * ? *)"); // streaming: hourly
      const policy = ofType(lake.resources, "aws:iam/rolePolicy:RolePolicy").find(
        (r) => r.name === "lake-partitions-inventory_snapshots-role-policy",
      )!;
      const read = JSON.parse(String(policy.inputs.policy)).Statement.find(
        (s: { Sid: string }) => s.Sid === "ReadDatasetObjects",
      );
      expect(read.Resource).to.equal(
        "arn:aws:s3:::acme-lake-111111111111-raw/333333333333/operations/inventory_snapshots/*",
      );
      const grants = ofType(lake.resources, "aws:lakeformation/permissions:Permissions").filter((g) =>
        g.name.startsWith("lake-partitions-inventory_snapshots-"),
      );
      expect(grants.map((g) => g.inputs.permissions)).to.have.deep.members([
        ["ALTER", "DESCRIBE", "INSERT"],
        ["DATA_LOCATION_ACCESS"],
      ]);
      for (const g of grants) expect(g.inputs.catalogId).to.equal("111111111111");
      const table = ofType(lake.resources, "aws:glue/catalogTable:CatalogTable").find(
        (t) => t.inputs.name === "inventory_snapshots",
      )!;
      expect(inventory.dependencies).to.include(table.urn);
    });
  });

  describe("sharing", () => {
    const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
    /** The consumer teams' grants: those of the lake's `LakeShares` (ingestion and analytics grant elsewhere). */
    const teamGrants = (r: RunResult) => {
      const shares = r.resources.find((x) => x.type === "lakehouse:sharing:LakeShares" && x.name === "lake")!;
      return ofType(r.resources, PERMISSIONS).filter((g) => g.parent === shares.urn);
    };
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
      const grants = teamGrants(lake);
      expect(grants).to.have.length(expected);
      expect(grants).to.have.length(11);
      const teamShares = ofType(lake.resources, "lakehouse:sharing:LakeShares").find(
        (x) => x.name === "lake",
      )!;
      expect(
        ofType(lake.resources, "aws:lakeformation/dataCellsFilter:DataCellsFilter").filter(
          (f) => f.parent === teamShares.urn,
        ),
      ).to.have.length(platform.consumers.flatMap((c) => c.rowFilters).length);
      expect(lake.outputs.grants).to.equal(11);
    });

    it("grants in the lake's catalog, to the teams' analyst roles, never with a grant option", () => {
      const roles = platform.consumers.map(
        (c) =>
          `arn:aws:iam::${platform.accounts.find((a) => a.name === c.account)!.id}:role/acme-lake-${c.team}-analyst`,
      );
      for (const g of teamGrants(lake)) {
        expect(g.inputs.catalogId, g.name).to.equal("111111111111");
        expect(roles, g.name).to.include(g.inputs.principal);
        expect(g.inputs.permissionsWithGrantOptions ?? [], g.name).to.deep.equal([]);
        expect(g.parent, g.name).to.equal(ofType(lake.resources, "lakehouse:sharing:LakeShares")[0].urn);
      }
    });

    it("grants a named dataset without its stricter columns and a row-filtered one through its filter only", () => {
      const tableGrant = (team: string, table: string) =>
        teamGrants(lake).find((g) => g.name === `lake-${team}-table-${table}`)!;
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
      const tagGrants = teamGrants(lake).filter((g) => g.name.startsWith("lake-controlling-tables-"));
      expect(tagGrants.map((g) => g.inputs.lfTagPolicy)).to.deep.equal([
        {
          catalogId: "111111111111",
          resourceType: "TABLE",
          expressions: [
            { key: "classification", values: ["internal", "public"] },
            { key: "domain", values: ["sales"] },
            { key: "lifecycle", values: ["active"] },
          ],
        },
      ]);
    });

    it("makes every grant wait for the LF-tags and the settings, and named grants for their table", () => {
      const urn = (type: string) => ofType(lake.resources, type).map((r) => r.urn);
      for (const g of teamGrants(lake))
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

    it("declares no grant before a team's grantedOn, with a notice, and grants it from that day", async () => {
      const on = (date: string) =>
        runProgram(lakehouseProgram, {
          stack: "lake-prod",
          config: {
            "lakehouse:account": "lake-prod",
            "lakehouse:platform": PLATFORM,
            "lakehouse:date": date,
          },
        });
      const marketing = (r: RunResult) =>
        ofType(r.resources, PERMISSIONS)
          .map((g) => String(g.inputs.principal))
          .filter((principal) => principal.includes("-marketing-analytics-"));
      // marketing-analytics is granted on 2025-03-01 (its analyst, Spark and QuickSight roles).
      const before = await on("2025-02-28");
      expect(marketing(before)).to.deep.equal([]);
      expect(before.logs.map((l) => l.message)).to.include(
        "lake: the grant to marketing-analytics (arn:aws:iam::444444444444:role/acme-lake-marketing-analytics-analyst) starts on 2025-03-01; its Lake Formation permissions are not declared yet",
      );
      const from = await on("2025-03-01");
      expect(marketing(from)).to.include.members([
        "arn:aws:iam::444444444444:role/acme-lake-marketing-analytics-analyst",
        "arn:aws:iam::444444444444:role/acme-lake-marketing-analytics-spark-job",
        "arn:aws:iam::444444444444:role/acme-lake-marketing-analytics-quicksight",
      ]);
      const consumer = await runProgram(lakehouseProgram, {
        stack: "analytics-consumer",
        config: {
          "lakehouse:account": "analytics-consumer",
          "lakehouse:platform": PLATFORM,
          "lakehouse:date": "2025-02-28",
        },
      });
      expect(consumer.logs.map((l) => l.message)).to.include(
        "analytics-consumer: the grant of marketing-analytics starts on 2025-03-01; its role and workgroup exist, its permissions on the resource links are not declared yet",
      );
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
      const principals = teamGrants(later).map((g) => g.inputs.principal);
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
      const granted = new Set(teamGrants(lake).map((g) => g.inputs.principal as string));
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

  describe("consumer analytics", () => {
    const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
    const APP = "aws:emrserverless/application:Application";
    const DATA_SET = "aws:quicksight/dataSet:DataSet";
    const accountId = (name: string) => platform.accounts.find((a) => a.name === name)!.id;
    let lake: RunResult;
    let consumers: Record<string, RunResult>;
    const analyticsGrants = (r: RunResult) => {
      const shares = r.resources.find(
        (x) => x.type === "lakehouse:sharing:LakeShares" && x.name === "lake-analytics",
      )!;
      return ofType(r.resources, PERMISSIONS).filter((g) => g.parent === shares.urn);
    };
    before(async () => {
      lake = await planStack("lake-prod");
      consumers = {
        "analytics-consumer": await planStack("analytics-consumer"),
        "finance-consumer": await planStack("finance-consumer"),
      };
    });

    it("gives each consumer stack the Spark applications and SPICE data sets its teams ask for", () => {
      for (const [account, r] of Object.entries(consumers)) {
        const teams = platform.consumers.filter((c) => c.account === account);
        expect(ofType(r.resources, APP), account).to.have.length(
          teams.filter((c) => c.analytics.emrServerless).length,
        );
        expect(ofType(r.resources, DATA_SET), account).to.have.length(
          teams.reduce((n, c) => n + (c.analytics.quicksight?.datasets.length ?? 0), 0),
        );
        expect(ofType(r.resources, "aws:quicksight/dataSource:DataSource"), account).to.have.length(
          teams.filter((c) => c.analytics.quicksight).length,
        );
      }
      // The example: marketing-analytics has Spark and two data sets; controlling one data set, on orders.
      expect(consumers["analytics-consumer"].outputs.sparkApplications).to.have.keys(["marketing-analytics"]);
      expect(consumers["analytics-consumer"].outputs.quicksightDataSets).to.deep.equal({
        "marketing-analytics": ["marketing-analytics-clickstream", "marketing-analytics-product-catalog"],
      });
      expect(consumers["finance-consumer"].outputs.quicksightDataSets).to.deep.equal({
        controlling: ["controlling-orders"],
      });
      expect(ofType(consumers["finance-consumer"].resources, APP)).to.deep.equal([]);
      expect(consumers["finance-consumer"].outputs.quicksightGroups).to.deep.equal({
        controlling: "arn:aws:quicksight:eu-west-1:555555555555:group/default/controlling",
      });
    });

    it("sizes the Spark application from the definition, in the account's network, tagged for its team", () => {
      const [app] = ofType(consumers["analytics-consumer"].resources, APP);
      expect(app.inputs).to.deep.include({
        name: "marketing-analytics-spark",
        maximumCapacity: { cpu: "64 vCPU", memory: "256 GB" },
        networkConfiguration: {
          subnetIds: ["subnet-0b1c2d3e4f5a60001", "subnet-0b1c2d3e4f5a60002"],
          securityGroupIds: ["sg-0b1c2d3e4f5a60003"],
        },
      });
      expect(app.inputs.tags).to.deep.equal({
        dataset: "shared",
        domain: "shared",
        owner: "marketing-analytics",
        "owner-email": "marketing-analytics@acme.example",
        classification: "internal",
        source: "shared",
      });
      const monitoring = app.inputs.monitoringConfiguration as Record<string, Record<string, unknown>>;
      expect(monitoring.s3MonitoringConfiguration.logUri).to.equal(
        "s3://acme-lake-444444444444-athena-results/emr-serverless/marketing-analytics/logs/",
      );
      const roles = ofType(consumers["analytics-consumer"].resources, "aws:iam/role:Role").map(
        (r) => r.inputs.name,
      );
      expect(roles).to.include.members([
        "acme-lake-marketing-analytics-spark-job",
        "acme-lake-marketing-analytics-quicksight",
      ]);
      // The team's analysts submit the jobs.
      const submit = ofType(consumers["analytics-consumer"].resources, "aws:iam/rolePolicy:RolePolicy").find(
        (p) => p.name === "marketing-analytics-spark-submit-analyst",
      )!;
      expect(submit.inputs.role).to.equal("acme-lake-marketing-analytics-analyst");
    });

    it("imports into SPICE only the columns the team may read, through the resource link, tagged as the dataset", () => {
      const set = (account: string, id: string) =>
        ofType(consumers[account].resources, DATA_SET).find((d) => d.inputs.dataSetId === id)!.inputs;
      const table = (inputs: Record<string, unknown>) =>
        (inputs.physicalTableMaps as { relationalTable: Record<string, unknown> }[])[0].relationalTable;
      const clicks = set("analytics-consumer", "marketing-analytics-clickstream");
      expect(table(clicks)).to.deep.include({
        catalog: "AwsDataCatalog",
        schema: "marketing_shared",
        name: "clickstream",
      });
      // user_id is confidential (stricter than the team's tags); device and properties are complex types.
      expect((table(clicks).inputColumns as { name: string }[]).map((c) => c.name)).to.deep.equal([
        "event_id",
        "event_time",
        "session_id",
        "page_url",
        "referrer",
        "event_type",
        "dt",
      ]);
      expect(clicks.tags).to.deep.include({
        dataset: "clickstream",
        owner: "web-analytics",
        classification: "internal",
      });
      const orders = set("finance-consumer", "controlling-orders");
      expect(table(orders)).to.deep.include({ schema: "sales_shared", name: "orders" });
      expect(table(orders).inputColumns).to.deep.equal([
        { name: "order_id", type: "INTEGER" },
        { name: "customer_id", type: "INTEGER" },
        { name: "order_time", type: "DATETIME" },
        { name: "region", type: "STRING" },
        { name: "currency", type: "STRING" },
        { name: "amount", type: "DECIMAL" },
        { name: "status", type: "STRING" },
        { name: "lines", type: "STRING" },
        { name: "op", type: "STRING" },
        { name: "dms_commit_ts", type: "STRING" },
      ]);
      const [source] = ofType(
        consumers["finance-consumer"].resources,
        "aws:quicksight/dataSource:DataSource",
      );
      expect(source.inputs.parameters).to.deep.equal({
        athena: {
          workGroup: "controlling-analytics",
          roleArn: "arn:aws:iam::555555555555:role/acme-lake-controlling-quicksight",
        },
      });
      expect(source.inputs.tags).to.deep.include({ dataset: "shared", owner: "controlling" });
      const [refresh] = ofType(
        consumers["finance-consumer"].resources,
        "aws:quicksight/refreshSchedule:RefreshSchedule",
      );
      expect((refresh.inputs.schedule as Record<string, unknown>).scheduleFrequency).to.deep.equal({
        interval: "HOURLY",
        timezone: "Europe/Berlin",
      });
    });

    it("grants in the lake to the Spark job role what the team reads, and to QuickSight's role only its data sets", () => {
      const grants = analyticsGrants(lake);
      const to = (role: string) => grants.filter((g) => String(g.inputs.principal).endsWith(`:role/${role}`));
      for (const g of grants) {
        expect(g.inputs.catalogId, g.name).to.equal("111111111111");
        expect(g.inputs.permissionsWithGrantOptions ?? [], g.name).to.deep.equal([]);
      }
      expect(grants).to.have.length(
        to("acme-lake-marketing-analytics-spark-job").length +
          to("acme-lake-marketing-analytics-quicksight").length +
          to("acme-lake-controlling-quicksight").length +
          to("acme-lake-controlling-redshift").length,
      );
      // Spark: exactly the team's own grants, to its job role.
      const team = ofType(lake.resources, PERMISSIONS).filter(
        (g) => g.inputs.principal === "arn:aws:iam::444444444444:role/acme-lake-marketing-analytics-analyst",
      );
      const shape = (g: RecordedResource) => {
        const { principal: _principal, ...rest } = g.inputs;
        return JSON.stringify(rest);
      };
      expect(to("acme-lake-marketing-analytics-spark-job").map(shape)).to.have.members(team.map(shape));
      // QuickSight: its data sets' tables only, as the team reads them.
      const qs = to("acme-lake-marketing-analytics-quicksight");
      expect(
        qs.filter((g) => g.inputs.table || g.inputs.tableWithColumns).map((g) => g.name),
      ).to.have.members([
        "lake-analytics-marketing-analytics-quicksight-table-marketing-clickstream",
        "lake-analytics-marketing-analytics-quicksight-table-marketing-product_catalog",
      ]);
      expect(
        qs.find((g) => g.name.endsWith("marketing-clickstream"))!.inputs.tableWithColumns,
      ).to.deep.include({ excludedColumnNames: ["user_id"] });
      const [orders] = to("acme-lake-controlling-quicksight").filter((g) => g.inputs.dataCellsFilter);
      expect(orders.inputs.permissions).to.deep.equal(["SELECT"]);
      const filter = ofType(lake.resources, "aws:lakeformation/dataCellsFilter:DataCellsFilter").find(
        (f) => (f.inputs.tableData as { name: string }).name === "controlling_quicksight__orders",
      )!;
      expect(filter.inputs.tableData).to.deep.include({
        tableName: "orders",
        rowFilter: { filterExpression: "region = 'EU'" },
        columnWildcard: { excludedColumnNames: ["customer_email"] },
      });
      expect(lake.outputs.analyticsGrants).to.equal(grants.length);
      expect(lake.outputs.grants).to.equal(11);
    });

    it("grants the Redshift Spectrum role what controlling reads: its tag expression, and EU orders without customer_email", () => {
      const grants = analyticsGrants(lake);
      const to = (role: string) => grants.filter((g) => String(g.inputs.principal).endsWith(`:role/${role}`));
      const shape = (g: RecordedResource) => {
        const { principal: _principal, dataCellsFilter: _filter, ...rest } = g.inputs;
        return JSON.stringify(rest);
      };
      const team = ofType(lake.resources, PERMISSIONS).filter(
        (g) => g.inputs.principal === "arn:aws:iam::555555555555:role/acme-lake-controlling-analyst",
      );
      const redshift = to("acme-lake-controlling-redshift");
      expect(redshift.map(shape)).to.have.members(team.map(shape));
      // Its own data cells filter, the team's row expression and hidden column.
      const [orders] = redshift.filter((g) => g.inputs.dataCellsFilter);
      expect(orders.inputs.dataCellsFilter).to.deep.include({
        name: "controlling_redshift__orders",
        tableName: "orders",
      });
      const filter = ofType(lake.resources, "aws:lakeformation/dataCellsFilter:DataCellsFilter").find(
        (f) => (f.inputs.tableData as { name: string }).name === "controlling_redshift__orders",
      )!;
      expect(filter.inputs.tableData).to.deep.include({
        rowFilter: { filterExpression: "region = 'EU'" },
        columnWildcard: { excludedColumnNames: ["customer_email"] },
      });
      // Spectrum ignores projection: every partitioned table controlling reads has its partitions
      // registered by a crawler in the lake.
      const controlling = platform.consumers.find((c) => c.team === "controlling")!;
      const crawlers = ofType(lake.resources, "aws:glue/crawler:Crawler").map((c) => String(c.inputs.name));
      const partitioned = readableDatasets(platform, controlling).filter(
        (d) => d.schema.partitionKeys.length > 0,
      );
      expect(partitioned.map((d) => d.name)).to.include("inventory_snapshots");
      for (const d of partitioned) {
        const layout = tableLayout(platform, d);
        expect(layout.registration, d.name).to.not.equal("none");
        const name =
          layout.registration === "partition-crawler"
            ? partitionCrawlerName(platform, d)
            : crawlerName(platform, d);
        expect(crawlers, d.name).to.include(name);
      }
      // The TABLE tag grant is restricted to active datasets like the team's.
      const tags = redshift.find(
        (g) => (g.inputs.lfTagPolicy as { resourceType?: string })?.resourceType === "TABLE",
      )!;
      expect(JSON.stringify(tags.inputs.lfTagPolicy)).to.contain('"key":"lifecycle","values":["active"]');
    });

    it("gives controlling a private Redshift Serverless workgroup with external schemas over its links", () => {
      const fin = consumers["finance-consumer"].resources;
      const [ns] = ofType(fin, "aws:redshiftserverless/namespace:Namespace");
      expect(ns.inputs).to.deep.include({
        namespaceName: "controlling-spectrum",
        manageAdminPassword: true,
        dbName: "lake",
      });
      const [wg] = ofType(fin, "aws:redshiftserverless/workgroup:Workgroup");
      expect(wg.inputs).to.deep.include({
        workgroupName: "controlling-spectrum",
        baseCapacity: 8,
        publiclyAccessible: false,
        enhancedVpcRouting: true,
        subnetIds: ["subnet-0c1d2e3f4a5b60001", "subnet-0c1d2e3f4a5b60002", "subnet-0c1d2e3f4a5b60003"],
      });
      // The workgroup waits for the S3 and Glue endpoints its enhanced VPC routing needs.
      const endpoints = ofType(fin, "aws:ec2/vpcEndpoint:VpcEndpoint");
      expect(endpoints.map((e) => e.inputs.serviceName).sort()).to.deep.equal([
        "com.amazonaws.eu-west-1.glue",
        "com.amazonaws.eu-west-1.s3",
      ]);
      for (const e of endpoints) expect(wg.dependencies).to.include(e.urn);
      const [limit] = ofType(fin, "aws:redshiftserverless/usageLimit:UsageLimit");
      expect(limit.inputs).to.deep.include({ amount: 300, period: "monthly", breachAction: "deactivate" });
      const sql = ofType(fin, "aws:redshiftdata/statement:Statement").map((x) => String(x.inputs.sql));
      const role = "arn:aws:iam::555555555555:role/acme-lake-controlling-redshift";
      // One schema per lake database controlling reads: sales (tags, orders) and operations (inventory).
      expect(sql.filter((x) => x.startsWith("CREATE EXTERNAL SCHEMA"))).to.have.members([
        `CREATE EXTERNAL SCHEMA IF NOT EXISTS "operations" FROM DATA CATALOG DATABASE 'operations_shared' IAM_ROLE '${role}'`,
        `CREATE EXTERNAL SCHEMA IF NOT EXISTS "sales" FROM DATA CATALOG DATABASE 'sales_shared' IAM_ROLE '${role}'`,
      ]);
      expect(sql).to.include('GRANT USAGE ON SCHEMA "sales" TO ROLE "controlling_bi"');
      expect(consumers["finance-consumer"].outputs.redshiftReaderRoles).to.deep.equal({
        controlling: "controlling_bi",
      });
      const describes = ofType(fin, PERMISSIONS).filter((g) =>
        g.name.startsWith("controlling-redshift-describe-"),
      );
      expect(describes.map((g) => g.inputs.principal)).to.have.length(2);
    });

    it("creates in the consumer stacks the roles the lake grants the analytics to, with DESCRIBE on their links", () => {
      const granted = new Set(analyticsGrants(lake).map((g) => String(g.inputs.principal)));
      const declared = new Set(
        Object.entries(consumers).flatMap(([account, r]) =>
          ofType(r.resources, "aws:iam/role:Role").map(
            (role) => `arn:aws:iam::${accountId(account)}:role/${String(role.inputs.name)}`,
          ),
        ),
      );
      for (const principal of granted) expect(declared, principal).to.include(principal);
      const describes = ofType(consumers["finance-consumer"].resources, PERMISSIONS).filter((g) =>
        g.name.startsWith("controlling-quicksight-"),
      );
      expect(describes.map((g) => g.inputs.database)).to.deep.equal([
        { catalogId: "555555555555", name: "sales_shared" },
      ]);
    });

    it("drops an expired team's SPICE data sets and the lake its analytics grants, with a notice", async () => {
      const config = (account: string) => ({
        stack: account,
        config: {
          "lakehouse:account": account,
          "lakehouse:platform": PLATFORM,
          "lakehouse:date": "2027-04-01",
        },
      });
      const finance = await runProgram(lakehouseProgram, config("finance-consumer"));
      expect(ofType(finance.resources, DATA_SET)).to.deep.equal([]);
      expect(finance.logs.map((l) => l.message)).to.include(
        "finance-consumer: the grant of controlling expired on 2027-03-31; its QuickSight SPICE data sets are not declared",
      );
      // Redshift keeps its namespace, workgroup and BI role, but no external schema over the links.
      const sql = ofType(finance.resources, "aws:redshiftdata/statement:Statement").map((x) =>
        String(x.inputs.sql),
      );
      expect(sql.filter((x) => x.startsWith("CREATE EXTERNAL SCHEMA"))).to.deep.equal([]);
      expect(sql.some((x) => x.startsWith("CALL public.lakehouse_create_role_once("))).to.equal(true);
      expect(ofType(finance.resources, "aws:redshiftserverless/workgroup:Workgroup")).to.have.length(1);
      const later = await runProgram(lakehouseProgram, config("lake-prod"));
      for (const role of ["acme-lake-controlling-quicksight", "acme-lake-controlling-redshift"])
        expect(analyticsGrants(later).map((g) => g.inputs.principal)).to.not.include(
          `arn:aws:iam::555555555555:role/${role}`,
        );
      expect(later.outputs.analyticsDataCellsFilters).to.deep.equal([]);
    });
  });

  describe("a dataset past its endsOn", () => {
    const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
    const TABLE_TAGS = "aws:lakeformation/resourceLfTags:ResourceLfTags";
    let dir: string;
    let lake: RunResult;
    let consumer: RunResult;
    let current: RunResult;
    before(async () => {
      // clickstream's registration ends on 2026-11-01; the stacks are planned on 2026-11-24. It is read
      // by tag (marketing-analytics, also into SPICE) and by name (product-insights), and its partitions
      // are crawled.
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-"));
      const definition = load(fs.readFileSync(PLATFORM, "utf8"), { schema: CORE_SCHEMA }) as {
        datasets: { name: string; endsOn?: string }[];
      };
      definition.datasets.find((d) => d.name === "clickstream")!.endsOn = "2026-11-01";
      const file = path.join(dir, "platform.yaml");
      fs.writeFileSync(file, dump(definition));
      lake = await planStack("lake-prod", file);
      consumer = await planStack("analytics-consumer", file);
      current = await planStack("lake-prod");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const tableTags = (r: RunResult, table: string) =>
      ofType(r.resources, TABLE_TAGS).find(
        (t) => (t.inputs.table as { name?: string } | undefined)?.name === table,
      )!.inputs.lfTags;
    /** The TABLE tag grants of the teams and their analytics (LakeShares); the validator's reads all. */
    const teamTagGrants = (r: RunResult) => {
      const shares = r.resources.filter((x) => x.type === "lakehouse:sharing:LakeShares").map((x) => x.urn);
      return ofType(r.resources, PERMISSIONS).filter(
        (g) =>
          shares.includes(g.parent!) &&
          (g.inputs.lfTagPolicy as { resourceType?: string } | undefined)?.resourceType === "TABLE",
      );
    };

    it("tags its table lifecycle=retired, the others active, and every team's tag grant requires active", () => {
      expect(tableTags(lake, "clickstream")).to.deep.include({ key: "lifecycle", value: "retired" });
      expect(tableTags(lake, "orders")).to.deep.include({ key: "lifecycle", value: "active" });
      const grants = teamTagGrants(lake);
      expect(grants).to.have.length.above(0);
      for (const g of grants)
        expect((g.inputs.lfTagPolicy as { expressions: unknown[] }).expressions, g.name).to.deep.include({
          key: "lifecycle",
          values: ["active"],
        });
      // A grant keeps its name (its team's expression's) whatever the date: only the condition is added.
      expect(grants.map((g) => g.name)).to.have.members(teamTagGrants(current).map((g) => g.name));
    });

    it("grants it by name to nobody, crawls it no more, keeps its writer's grant, and says so", () => {
      const named = ofType(lake.resources, PERMISSIONS).filter(
        (g) =>
          (g.inputs.table as { name?: string } | undefined)?.name === "clickstream" ||
          (g.inputs.tableWithColumns as { name?: string } | undefined)?.name === "clickstream",
      );
      expect(named.map((g) => g.inputs.principal)).to.deep.equal([
        "arn:aws:iam::222222222222:role/acme-lake-clickstream-ingest",
      ]);
      expect(lake.outputs.partitionCrawlers).to.not.include("acme-lake-clickstream-partitions");
      expect(lake.outputs.partitionCrawlers).to.include("acme-lake-device-telemetry-partitions");
      expect(lake.outputs.ingestionGrants).to.include("clickstream");
      expect(lake.logs.map((l) => l.message)).to.include(
        "lake-prod: the registration of dataset clickstream ended on 2026-11-01; its table is tagged lifecycle=retired (no grant matches it), no team is granted it by name and it is not crawled. Its data and its writer's grant stay: delete the data and retire the writer, or extend endsOn in the platform definition",
      );
    });

    it("drops the SPICE data set of it, with a notice, and keeps the links other datasets need", () => {
      const dataSets = ofType(consumer.resources, "aws:quicksight/dataSet:DataSet").map(
        (d) => d.inputs.dataSetId,
      );
      expect(dataSets).to.deep.equal(["marketing-analytics-product-catalog"]);
      expect(consumer.logs.map((l) => l.message)).to.include(
        "analytics-consumer: the registration of clickstream ended on 2026-11-01; the SPICE data set marketing-analytics imported of it is not declared",
      );
      expect(Object.keys(consumer.outputs.resourceLinks as object)).to.include("marketing");
    });
  });
});
