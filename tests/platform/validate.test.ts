import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { CORE_SCHEMA, load } from "js-yaml";
import { loadPlatform, parsePlatform, PlatformDefinitionError } from "../../platform";

const EXAMPLE = path.join(__dirname, "..", "..", "stacks", "platform.yaml");

/** A fresh, valid definition (the example's data) to break in one place; loosely typed on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function example(): any {
  return load(fs.readFileSync(EXAMPLE, "utf8"), { schema: CORE_SCHEMA });
}

/** The issues `parsePlatform` reports for `input`; fails the test if it accepts it. */
function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parsePlatform(input, "test.yaml");
  } catch (err) {
    expect(err).to.be.instanceOf(PlatformDefinitionError);
    return (err as PlatformDefinitionError).issues;
  }
  expect.fail("the definition was accepted");
}

/** Asserts exactly one issue, at `at`, whose message contains `phrase`. */
function expectIssue(input: unknown, at: string, phrase: string): void {
  const issues = issuesOf(input);
  expect(issues, JSON.stringify(issues)).to.have.length(1);
  expect(issues[0].path).to.equal(at);
  expect(issues[0].message).to.contain(phrase);
}

describe("platform definition", () => {
  describe("the example", () => {
    it("loads: five accounts, seven datasets over three domains, three consumer teams", () => {
      const p = loadPlatform(EXAMPLE);
      expect(p.name).to.equal("acme-lake");
      expect(p.accounts.map((a) => a.role)).to.deep.equal([
        "lake",
        "producer",
        "producer",
        "consumer",
        "consumer",
      ]);
      expect(p.datasets).to.have.length(7);
      expect(new Set(p.datasets.map((d) => d.domain))).to.have.keys("sales", "marketing", "operations");
      expect(p.consumers.map((c) => c.team)).to.deep.equal([
        "marketing-analytics",
        "product-insights",
        "controlling",
      ]);
    });

    it("fills the documented defaults", () => {
      const p = loadPlatform(EXAMPLE);
      expect(p.datasets.find((d) => d.name === "country_codes")!.schema.partitionKeys).to.deep.equal([]);
      const orders = p.consumers.find((c) => c.team === "controlling")!.analytics.quicksight!.datasets[0];
      expect(orders.refresh.timezone).to.equal("Europe/Berlin");
      const input = example();
      delete input.lake.accessLogRetentionDays;
      delete input.consumers[1].analytics;
      const q = parsePlatform(input);
      expect(q.lake.accessLogRetentionDays).to.equal(365);
      expect(q.consumers[1].analytics).to.deep.equal({});
      expect(q.datasets[0].ingestion).to.include({ flink: true });
      expect((q.datasets[2].ingestion as { flink: boolean }).flink).to.equal(false);
    });

    it("normalises YAML dates and accepts quoted ones", () => {
      const input = example();
      input.datasets[0].registeredOn = new Date(Date.UTC(2025, 0, 15));
      expect(parsePlatform(input).datasets[0].registeredOn).to.equal("2025-01-15");
    });
  });

  describe("shape", () => {
    it("rejects an unquoted account id, saying to quote it", () => {
      const input = example();
      input.accounts[1].id = 222222222222;
      expectIssue(input, "accounts[1].id", "in quotes");
    });

    it("rejects an account id that is not 12 digits", () => {
      const input = example();
      input.accounts[1].id = "2222";
      expectIssue(input, "accounts[1].id", "12-digit");
    });

    it("rejects an unknown account role, listing the roles", () => {
      const input = example();
      input.accounts[1].role = "writer";
      expectIssue(input, "accounts[1].role", "lake, producer, consumer");
    });

    it("rejects an owner e-mail that does not parse, showing a valid form", () => {
      const input = example();
      input.datasets[3].owner.email = "bob";
      expectIssue(
        input,
        "datasets[3].owner.email",
        '"bob" is not an e-mail address; write it as team@example.com',
      );
    });

    it("refuses a non-Parquet format and says how to convert", () => {
      const input = example();
      input.datasets[2].format = "csv";
      expectIssue(input, "datasets[2].format", "Parquet only");
    });

    it("rejects a column type that Glue does not know, with examples", () => {
      const input = example();
      input.datasets[0].schema.columns[1].type = "datetime";
      expectIssue(input, "datasets[0].schema.columns[1].type", "decimal(18,2)");
    });

    it("rejects a type Glue would not store or nested past the platform's depth, without echoing it whole", () => {
      const deep = "array<".repeat(200_000) + "string" + ">".repeat(200_000); // recursed: a stack overflow
      const input = example();
      input.datasets[0].schema.columns[8].type = deep;
      const issues = issuesOf(input);
      expect(issues).to.have.length(1);
      expect(issues[0].path).to.equal("datasets[0].schema.columns[8].type");
      expect(issues[0].message).to.contain(
        `is ${deep.length} characters; Glue takes type names of at most 131072`,
      );
      expect(issues[0].message.length).to.be.below(300);
      const nested = example();
      nested.datasets[0].schema.columns[8].type = "array<".repeat(101) + "string" + ">".repeat(101);
      expectIssue(nested, "datasets[0].schema.columns[8].type", "more than 100 levels deep");
      const ok = example();
      ok.datasets[0].schema.columns[8].type = "array<".repeat(100) + "string" + ">".repeat(100);
      expect(parsePlatform(ok, "test.yaml").datasets[0].schema.columns[8].type).to.equal(
        ok.datasets[0].schema.columns[8].type,
      );
    });

    it("rejects an unknown field instead of ignoring it", () => {
      const input = example();
      input.datasets[0].owner.phone = "123";
      expectIssue(input, "datasets[0].owner", "unknown field phone");
    });

    it("rejects a date that is not a calendar date", () => {
      const input = example();
      input.datasets[0].registeredOn = "2025-02-30";
      expectIssue(input, "datasets[0].registeredOn", "YYYY-MM-DD");
    });

    it("rejects a volume whose min exceeds its max", () => {
      const input = example();
      input.datasets[0].volume = { min: 10, max: 1, unit: "GB/day" };
      expectIssue(input, "datasets[0].volume.min", "must not exceed max");
    });

    it("rejects a freshness of zero hours", () => {
      const input = example();
      input.datasets[0].veracity.freshnessHours = 0;
      expectIssue(input, "datasets[0].veracity.freshnessHours", "greater than 0");
    });

    it("rejects an unknown ingestion type, listing the types", () => {
      const input = example();
      input.datasets[3].ingestion = { type: "ftp" };
      expectIssue(input, "datasets[3].ingestion.type", "firehose, crawler, dms, spark, upload");
    });

    it("rejects a consumer that asks for write access", () => {
      const input = example();
      input.consumers[0].readOnly = false;
      expectIssue(input, "consumers[0].readOnly", "must be true");
    });

    it("rejects a consumer that reads nothing", () => {
      const input = example();
      input.consumers[1].read = { datasets: [] };
      expectIssue(input, "consumers[1].read", "at least one tag expression or dataset");
    });

    it("rejects a schedule that EventBridge Scheduler would not accept", () => {
      const input = example();
      input.governance.schedule = "0 6 * * *";
      expectIssue(input, "governance.schedule", "cron(0 6 * * ? *)");
    });

    it("reserves the lifecycle LF-tag: the definition may neither declare it nor grant by it", () => {
      const declared = example();
      declared.lake.lfTags.lifecycle = ["active", "retired"];
      expectIssue(declared, "lake.lfTags.lifecycle", '"lifecycle" is reserved');
      const granted = example();
      granted.consumers[2].read.tags[0].lifecycle = ["retired"];
      expectIssue(granted, "consumers[2].read.tags[0].lifecycle", "the platform's own LF-tag");
    });

    it("rejects an ontology without domain or classification", () => {
      const input = example();
      delete input.lake.lfTags.domain;
      const issues = issuesOf(input);
      expect(issues.map((i) => i.path)).to.include("lake.lfTags");
    });
  });

  describe("cross-references", () => {
    it("requires exactly one lake account", () => {
      const input = example();
      input.accounts[1].role = "lake";
      expect(issuesOf(input).map((i) => i.path)).to.include("accounts");
    });

    it("rejects duplicate account names and ids", () => {
      const input = example();
      input.accounts[2].name = "web-producer";
      input.accounts[4].id = "444444444444";
      const issues = issuesOf(input);
      expect(issues.map((i) => i.path)).to.include.members(["accounts[2].name", "accounts[4].id"]);
    });

    it("rejects a dataset whose producer is not a producer account", () => {
      const input = example();
      input.datasets[0].producer = "analytics-consumer";
      expectIssue(input, "datasets[0].producer", "must be a producer account (web-producer, ops-producer)");
    });

    it("rejects a dataset whose producer is not an account at all", () => {
      const input = example();
      input.datasets[0].producer = "nobody";
      expectIssue(input, "datasets[0].producer", '"nobody" is not an account');
    });

    it("rejects a domain or classification outside the LF-tag ontology", () => {
      const input = example();
      input.datasets[2].domain = "finance";
      input.datasets[5].classification = "secret";
      const issues = issuesOf(input);
      expect(issues.map((i) => i.path)).to.deep.equal(["datasets[2].domain", "datasets[5].classification"]);
      expect(issues[0].message).to.contain("sales, marketing, operations");
    });

    it("rejects a column classification that is not stricter than its dataset's", () => {
      const input = example();
      input.datasets[1].schema.columns[2].classification = "internal";
      expectIssue(
        input,
        "datasets[1].schema.columns[2].classification",
        'not stricter than the dataset\'s "confidential"',
      );
    });

    it("rejects a partition key that is also a column, and duplicate columns", () => {
      const input = example();
      input.datasets[0].schema.partitionKeys = [{ name: "session_id", type: "string" }];
      input.datasets[1].schema.columns.push({ name: "order_id", type: "bigint" });
      const paths = issuesOf(input).map((i) => i.path);
      expect(paths).to.deep.equal([
        "datasets[0].schema.partitionKeys[0].name",
        "datasets[1].schema.columns[11].name",
      ]);
    });

    it("rejects duplicate dataset names", () => {
      const input = example();
      input.datasets[2].name = "clickstream";
      expectIssue(input, "datasets[2].name", "already registered");
    });

    it("rejects an end date before the registration date", () => {
      const input = example();
      input.datasets[6].endsOn = "2025-01-01";
      expectIssue(input, "datasets[6].endsOn", "must be after registeredOn 2025-05-05");
    });

    it("rejects ingestion that does not fit the dataset", () => {
      const input = example();
      input.datasets[1].ingestion = { type: "firehose", stream: { mode: "provisioned" } };
      const issues = issuesOf(input);
      expect(issues.map((i) => i.path)).to.deep.equal([
        "datasets[1].ingestion.type",
        "datasets[1].ingestion.stream.shards",
      ]);
      expect(issues[0].message).to.contain("set velocity: streaming");
    });

    it("rejects a streaming dataset ingested by anything but firehose", () => {
      const input = example();
      input.datasets[3].velocity = "streaming";
      expectIssue(input, "datasets[3].velocity", "set ingestion.type: firehose or velocity: batch");
    });

    it("rejects a second entry for the same team in the same consumer account", () => {
      const input = example();
      input.consumers[1].team = "marketing-analytics";
      expectIssue(input, "consumers[1].team", "already listed for account analytics-consumer");
    });

    it("rejects a team name whose analyst role would exceed IAM's 64 characters", () => {
      const input = example();
      input.consumers[2].team = "controlling-and-financial-planning-for-the-whole-group-x";
      expectIssue(input, "consumers[2].team", "over the 64 AWS allows");
    });

    it("rejects a dataset name whose ingestion role would exceed IAM's 64 characters", () => {
      const input = example();
      input.datasets[2].name = "device_telemetry_of_every_factory_and_warehouse_sensor_x";
      expectIssue(input, "datasets[2].name", "over the 64 AWS allows");
    });

    it("rejects a DMS dataset whose producer account has no network, naming the account's field", () => {
      const input = example();
      const index = input.accounts.findIndex((a: { name: string }) => a.name === "ops-producer");
      delete input.accounts[index].network;
      expectIssue(input, `accounts[${index}].network`, "account ops-producer replicates orders with DMS");
    });

    describe("Redshift Serverless (consumers[].analytics.redshift)", () => {
      const fin = (input: { accounts: { name: string }[] }) =>
        input.accounts.findIndex((a) => a.name === "finance-consumer");
      const team = (input: { consumers: { team: string }[] }) =>
        input.consumers.findIndex((c) => c.team === "controlling");

      it("accepts the example's team with a three-zone network and defaults what it leaves out", () => {
        const input = example();
        delete input.consumers[team(input)].analytics.redshift.usageLimit;
        delete input.consumers[team(input)].analytics.redshift.baseCapacity;
        const p = parsePlatform(input, "test.yaml");
        expect(p.consumers[team(input)].analytics.redshift).to.deep.equal({ baseCapacity: 8 });
        const limited = example();
        limited.consumers[team(limited)].analytics.redshift.usageLimit = { rpuHours: 10 };
        expect(
          parsePlatform(limited, "t.yaml").consumers[team(limited)].analytics.redshift?.usageLimit,
        ).to.deep.equal({
          rpuHours: 10,
          period: "monthly",
          breachAction: "deactivate",
        });
      });

      it("refuses a team whose account has no network, naming the account's field and what to add", () => {
        const input = example();
        delete input.accounts[fin(input)].network;
        expectIssue(input, `accounts[${fin(input)}].network`, "three subnets in three Availability Zones");
      });

      it("reports an account's network once, however many of its teams run Redshift", () => {
        const input = example();
        delete input.accounts[fin(input)].network;
        const second = JSON.parse(JSON.stringify(input.consumers[team(input)]));
        input.consumers.push({ ...second, team: "treasury", email: "treasury@acme.example" });
        expectIssue(
          input,
          `accounts[${fin(input)}].network`,
          "teams controlling, treasury run Redshift Serverless",
        );
      });

      it("refuses two subnets, or three in two zones, or a subnet without its zone", () => {
        const input = example();
        const net = input.accounts[fin(input)].network;
        net.subnetIds = net.subnetIds.slice(0, 2);
        delete net.availabilityZones["subnet-0c1d2e3f4a5b60003"];
        expectIssue(
          input,
          `accounts[${fin(input)}].network.subnetIds`,
          "the network has 2 subnet(s) in 2 zone(s)",
        );
        const twoZones = example();
        twoZones.accounts[fin(twoZones)].network.availabilityZones["subnet-0c1d2e3f4a5b60003"] = "eu-west-1a";
        expectIssue(twoZones, `accounts[${fin(twoZones)}].network.subnetIds`, "(eu-west-1a, eu-west-1b)");
        const unzoned = example();
        delete unzoned.accounts[fin(unzoned)].network.availabilityZones["subnet-0c1d2e3f4a5b60002"];
        expectIssue(
          unzoned,
          `accounts[${fin(unzoned)}].network.availabilityZones`,
          "name the zone of subnet-0c1d2e3f4a5b60002, e.g. availabilityZones: { subnet-0c1d2e3f4a5b60002: eu-west-1a }",
        );
        const stray = example();
        stray.accounts[fin(stray)].network.availabilityZones["subnet-0ffff"] = "eu-west-1c";
        expectIssue(
          stray,
          `accounts[${fin(stray)}].network.availabilityZones.subnet-0ffff`,
          "is not one of network.subnetIds",
        );
        const badZone = example();
        badZone.accounts[fin(badZone)].network.availabilityZones["subnet-0c1d2e3f4a5b60001"] = "west";
        expectIssue(
          badZone,
          `accounts[${fin(badZone)}].network.availabilityZones.subnet-0c1d2e3f4a5b60001`,
          "Availability Zone such as eu-west-1a",
        );
      });

      it("requires the VPC and route tables of the endpoints it creates, and a security group", () => {
        const input = example();
        delete input.accounts[fin(input)].network.vpcId;
        expectIssue(
          input,
          `accounts[${fin(input)}].network.vpcId`,
          "Spectrum reaches S3 and Glue through VPC endpoints",
        );
        const noRoutes = example();
        noRoutes.accounts[fin(noRoutes)].network.routeTableIds = [];
        expectIssue(noRoutes, `accounts[${fin(noRoutes)}].network.routeTableIds`, "S3 gateway endpoint");
        const existing = example();
        delete existing.accounts[fin(existing)].network.vpcId;
        existing.accounts[fin(existing)].network.vpcEndpoints = "existing";
        expect(() => parsePlatform(existing, "t.yaml")).to.not.throw();
        const noGroups = example();
        noGroups.accounts[fin(noGroups)].network.securityGroupIds = [];
        expectIssue(noGroups, `accounts[${fin(noGroups)}].network.securityGroupIds`, "at least one");
      });

      it("refuses a base capacity Redshift Serverless does not offer, and a usage limit below one RPU-hour", () => {
        for (const [rpus, phrase] of [
          [12, "8 to 512 in steps of 8"],
          [0, "8 to 512 in steps of 8"],
          [600, "8 to 512 in steps of 8"],
        ] as const) {
          const input = example();
          input.consumers[team(input)].analytics.redshift.baseCapacity = rpus;
          expectIssue(input, `consumers[${team(input)}].analytics.redshift.baseCapacity`, phrase);
        }
        for (const rpus of [4, 8, 512, 544, 1024]) {
          const input = example();
          input.consumers[team(input)].analytics.redshift.baseCapacity = rpus;
          expect(() => parsePlatform(input, "t.yaml"), String(rpus)).to.not.throw();
        }
        const north = example();
        for (const a of north.accounts) a.region = "eu-north-1";
        north.consumers[team(north)].analytics.redshift.baseCapacity = 1024;
        for (const a of north.accounts)
          if (a.network?.availabilityZones)
            for (const k of Object.keys(a.network.availabilityZones))
              a.network.availabilityZones[k] = a.network.availabilityZones[k].replace(
                "eu-west-1",
                "eu-north-1",
              );
        const issues = issuesOf(north).filter((i) => i.path.endsWith("baseCapacity"));
        expect(issues[0].message).to.contain("the most Redshift Serverless offers in eu-north-1");
        const limit = example();
        limit.consumers[team(limit)].analytics.redshift.usageLimit.rpuHours = 0;
        expectIssue(limit, `consumers[${team(limit)}].analytics.redshift.usageLimit.rpuHours`, "RPU-hours");
      });
    });

    describe("the write → catalog → query path", () => {
      const datasetIndex = (input: { datasets: { name: string }[] }, name: string) =>
        input.datasets.findIndex((d) => d.name === name);

      it("rejects a DMS column of a nested type, naming the column and saying DMS writes it as a string", () => {
        const input = example();
        const i = datasetIndex(input, "orders");
        const j = input.datasets[i].schema.columns.findIndex((c: { name: string }) => c.name === "lines");
        input.datasets[i].schema.columns[j].type = "array<struct<sku:string,quantity:int>>";
        expectIssue(input, `datasets[${i}].schema.columns[${j}].type`, 'column "lines"');
        expect(issuesOf(input)[0].message).to.contain("declare it as string");
      });

      it("requires the database name of a postgres, oracle or sqlserver DMS source", () => {
        for (const engine of ["postgres", "oracle", "sqlserver"]) {
          const input = example();
          const i = datasetIndex(input, "orders");
          input.datasets[i].ingestion.dms.engine = engine;
          delete input.datasets[i].ingestion.dms.databaseName;
          expectIssue(input, `datasets[${i}].ingestion.dms.databaseName`, `a ${engine} source endpoint`);
        }
        const mysql = example();
        const i = datasetIndex(mysql, "orders");
        mysql.datasets[i].ingestion.dms.engine = "mysql";
        delete mysql.datasets[i].ingestion.dms.databaseName;
        expect(() => parsePlatform(mysql)).not.to.throw();
      });

      it("requires the op column DMS writes, unless the dataset replicates inserts only", () => {
        const input = example();
        const i = datasetIndex(input, "orders");
        input.datasets[i].schema.columns = input.datasets[i].schema.columns.filter(
          (c: { name: string }) => c.name !== "op",
        );
        expectIssue(input, `datasets[${i}].schema.columns`, "declare { name: op, type: string }");
        input.datasets[i].ingestion.dms.insertsOnly = true;
        expect(() => parsePlatform(input)).not.to.throw();
      });

      it("refuses a partitioned DMS dataset: its full load would lie outside every partition", () => {
        const input = example();
        const i = datasetIndex(input, "orders");
        input.datasets[i].schema.partitionKeys = [{ name: "dt", type: "date" }];
        expectIssue(input, `datasets[${i}].schema.partitionKeys`, "would not show the initial snapshot");
      });

      it("requires the commit time column DMS writes", () => {
        const input = example();
        const i = datasetIndex(input, "orders");
        input.datasets[i].schema.columns = input.datasets[i].schema.columns.filter(
          (c: { name: string }) => c.name !== "dms_commit_ts",
        );
        expectIssue(input, `datasets[${i}].schema.columns`, "declare { name: dms_commit_ts, type: string }");
      });

      it("refuses a DMS dataset produced in another region than the lake's", () => {
        const input = example();
        const a = input.accounts.findIndex((x: { name: string }) => x.name === "ops-producer");
        input.accounts[a].region = "us-east-1";
        // The secret moves with its producer (a secret in another region is refused on its own).
        input.datasets[datasetIndex(input, "orders")].ingestion.dms.secretArn =
          "arn:aws:secretsmanager:us-east-1:333333333333:secret:erp-replication-AbCdEf";
        expectIssue(
          input,
          `datasets[${datasetIndex(input, "orders")}].producer`,
          "DMS writes only to a bucket in its own region",
        );
      });

      it("refuses a streaming dataset partitioned by dt without an event time to derive it from", () => {
        const input = example();
        const i = datasetIndex(input, "clickstream");
        delete input.datasets[i].ingestion.eventTimeColumn;
        input.datasets[i].schema.columns = input.datasets[i].schema.columns.filter(
          (c: { type: string }) => c.type !== "timestamp",
        );
        expectIssue(input, `datasets[${i}].schema.partitionKeys`, "derives dt from the record's event time");
      });

      it("refuses an event time column that does not exist or is not a time", () => {
        const input = example();
        const i = datasetIndex(input, "clickstream");
        input.datasets[i].ingestion.eventTimeColumn = "happened_at";
        expectIssue(input, `datasets[${i}].ingestion.eventTimeColumn`, '"happened_at" is not a column');
        input.datasets[i].ingestion.eventTimeColumn = "device";
        expectIssue(input, `datasets[${i}].ingestion.eventTimeColumn`, "is a struct");
      });

      it("requires the VPC and route tables where the stack creates DMS's VPC endpoints", () => {
        const input = example();
        const a = input.accounts.findIndex((x: { name: string }) => x.name === "ops-producer");
        delete input.accounts[a].network.vpcId;
        input.accounts[a].network.routeTableIds = [];
        const issues = issuesOf(input);
        expect(issues.map((x) => x.path)).to.deep.equal([
          `accounts[${a}].network.vpcId`,
          `accounts[${a}].network.routeTableIds`,
        ]);
        input.accounts[a].network.vpcEndpoints = "existing";
        expect(() => parsePlatform(input)).not.to.throw();
      });

      it("accepts a Flink application with or without its built code, and refuses an empty path", () => {
        const input = example();
        const i = datasetIndex(input, "clickstream");
        input.datasets[i].ingestion.flink = { code: "build/sessions.zip" };
        expect(parsePlatform(input).datasets[i].ingestion).to.deep.include({
          flink: { code: "build/sessions.zip" },
        });
        input.datasets[i].ingestion.flink = { code: "" };
        expectIssue(input, `datasets[${i}].ingestion.flink.code`, "name the built artefact");
      });
    });

    it("rejects a QuickSight refresh time that is not HH:MM", () => {
      const input = example();
      input.consumers[0].analytics.quicksight.datasets[0].refresh.timeOfDay = "6am";
      expectIssue(input, "consumers[0].analytics.quicksight.datasets[0].refresh.timeOfDay", "HH:MM");
    });

    it("rejects a network without subnets or with malformed ids", () => {
      const input = example();
      input.accounts[2].network = { subnetIds: ["subnet-XYZ"], securityGroupIds: ["sg-01"] };
      expectIssue(input, "accounts[2].network.subnetIds[0]", "subnet-0abc1234");
    });

    it("rejects dms for a dataset that is not from a database", () => {
      const input = example();
      input.datasets[1].source = "saas";
      expectIssue(input, "datasets[1].ingestion.type", "set source: database");
    });

    it("rejects a consumer that names an unregistered dataset", () => {
      const input = example();
      input.consumers[1].read.datasets.push("orderz");
      expectIssue(input, "consumers[1].read.datasets[3]", '"orderz" is not a registered dataset');
    });

    it("rejects a tag expression with an unknown key or value", () => {
      const input = example();
      input.consumers[2].read.tags = [{ team: ["x"] }, { domain: ["finance"] }];
      input.consumers[2].read.datasets.push("orders");
      const issues = issuesOf(input);
      expect(issues.map((i) => i.path)).to.deep.equal([
        "consumers[2].read.tags[0].team",
        "consumers[2].read.tags[1].domain[0]",
      ]);
      expect(issues[1].message).to.contain(
        '"finance" is not a value of LF-tag domain (sales, marketing, operations)',
      );
    });

    it("rejects a grant to a producer account", () => {
      const input = example();
      input.consumers[0].account = "web-producer";
      expectIssue(input, "consumers[0].account", "grants go to consumer accounts only");
    });

    it("rejects a grant that expires before a named dataset was registered", () => {
      const input = example();
      input.consumers[1].expiresOn = "2025-02-01";
      const issues = issuesOf(input);
      expect(issues.map((i) => i.path)).to.include("consumers[1].expiresOn");
      expect(issues[0].message).to.contain("registeredOn");
    });

    it("rejects a grant that expires before it was granted", () => {
      const input = example();
      input.consumers[0].expiresOn = "2025-02-01";
      expectIssue(input, "consumers[0].expiresOn", "must be after grantedOn 2025-03-01");
    });

    it("rejects a QuickSight dataset or row filter on a dataset the team cannot read", () => {
      const input = example();
      input.consumers[0].analytics.quicksight.datasets[0].dataset = "orders";
      input.consumers[2].rowFilters[0].dataset = "clickstream";
      const issues = issuesOf(input);
      expect(issues.map((i) => i.path)).to.deep.equal([
        "consumers[0].analytics.quicksight.datasets[0].dataset",
        "consumers[2].rowFilters[0].dataset",
      ]);
      expect(issues[0].message).to.contain("not readable by marketing-analytics");
    });

    it("rejects a row filter on a dataset the team's tag expressions already grant in full", () => {
      const input = example();
      // The example names orders and filters it; a tag expression matching it would show every row.
      input.consumers[2].read.tags[0].classification.push("confidential");
      expectIssue(
        input,
        "consumers[2].rowFilters[0].dataset",
        '"orders" is granted in full by read.tags[0], and Lake Formation permissions add up',
      );
    });

    it("rejects a second row filter on the same dataset for one team", () => {
      const input = example();
      input.consumers[2].rowFilters.push({ dataset: "orders", expression: "region = 'NA'" });
      expectIssue(input, "consumers[2].rowFilters[1].dataset", "would grant the union of both");
    });

    it("rejects a grant that expires before any dataset its tag expression matches was registered", () => {
      const input = example();
      // controlling's tags match country_codes only (registered 2025-01-20); it names no dataset here.
      input.consumers[2].read.datasets = [];
      input.consumers[2].rowFilters = [];
      input.consumers[2].analytics = {};
      input.consumers[2].grantedOn = "2025-01-01";
      input.consumers[2].expiresOn = "2025-01-20";
      expectIssue(
        input,
        "consumers[2].expiresOn",
        "2025-01-20 is not after the registeredOn of any dataset read.tags[0] matches (earliest 2025-01-20)",
      );
      input.consumers[2].expiresOn = "2025-01-21";
      expect(() => parsePlatform(input)).to.not.throw();
    });

    it("rejects a deployment role or lake admin in the wrong account", () => {
      const input = example();
      input.accounts[1].deploymentRoleArn = "arn:aws:iam::111111111111:role/pulumi-deploy";
      input.lake.admins.push("arn:aws:iam::222222222222:role/Admin");
      expect(issuesOf(input).map((i) => i.path)).to.deep.equal([
        "accounts[1].deploymentRoleArn",
        "lake.admins[1]",
      ]);
    });

    it("rejects a platform name whose bucket names would exceed 63 characters", () => {
      const input = example();
      input.name = "acme-lake-very-long";
      input.accounts[0].id = "111111111111";
      expect(issuesOf({ ...input, name: "a".repeat(21) })[0].path).to.equal("name");
      const p = parsePlatform(input);
      expect(p.name).to.equal("acme-lake-very-long");
    });
  });

  it("reports several errors of different kinds at once, each with its path", () => {
    const input = example();
    input.datasets[3].owner.email = "bob";
    input.datasets[2].format = "csv";
    input.accounts[1].id = 42;
    const issues = issuesOf(input);
    expect(issues.map((i) => i.path)).to.have.members([
      "accounts[1].id",
      "datasets[2].format",
      "datasets[3].owner.email",
    ]);
    const err = new PlatformDefinitionError("x.yaml", issues);
    expect(err.message).to.match(/^x\.yaml is not a valid platform definition \(3 problems\):/);
    expect(err.message).to.contain("\n  datasets[3].owner.email: ");
  });

  it("reports several cross-reference errors at once", () => {
    const input = example();
    input.datasets[0].producer = "nobody";
    input.consumers[0].account = "lake-prod";
    input.consumers[1].read.datasets.push("missing");
    expect(issuesOf(input)).to.have.length(3);
  });

  it("reuses a loaded definition until its file changes, and hands it out frozen", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-"));
    const file = path.join(dir, "platform.yaml");
    try {
      fs.copyFileSync(EXAMPLE, file);
      const first = loadPlatform(file);
      expect(loadPlatform(file)).to.equal(first);
      expect(Object.isFrozen(first.datasets[0].schema.columns[0])).to.equal(true);
      fs.writeFileSync(file, fs.readFileSync(EXAMPLE, "utf8").replace("reminderDays: 14", "reminderDays: 7"));
      const second = loadPlatform(file);
      expect(second).to.not.equal(first);
      expect(second.governance.reminderDays).to.equal(7);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a YAML syntax error with its line and column", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-"));
    const file = path.join(dir, "platform.yaml");
    fs.writeFileSync(file, "name: acme\naccounts:\n  - name: [unclosed\n");
    try {
      expect(() => loadPlatform(file))
        .to.throw(PlatformDefinitionError)
        .with.property("message")
        .that.matches(/YAML syntax error at line \d+, column \d+/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
