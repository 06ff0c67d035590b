import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { runProgram } from "../../../tooling/mock-runtime/harness";
import { defaultMocks } from "../../../tooling/mock-runtime/mocks";
import { packConfigFor } from "../../../tooling/plan/pack-config";
import { LoadedPack, Violation } from "../../../tooling/policy-eval/packs";
import { loadPlatform } from "../../../platform";

const ROOT = path.join(__dirname, "..", "..", "..");
const POLICY = "lake-writer-require-matching-table";
const config = packConfigFor(loadPlatform(path.join(ROOT, "stacks", "platform.yaml")));
const RAW = "acme-lake-111111111111-raw";

async function violations(
  program: () => void,
  preview = false,
  packConfig: ReturnType<typeof packConfigFor> = config,
): Promise<Violation[]> {
  const { resources } = await runProgram(program, {
    preview,
    mocks: (ctx) =>
      preview
        ? {
            // As in a first preview: a resource's state is its inputs; what it computes is unknown.
            newResource: (args) => ({ id: undefined, state: args.inputs }),
            call: defaultMocks(ctx).call,
          }
        : {
            // As after a deployment: a DMS endpoint has its endpointArn (the default mocks set `arn` only).
            newResource: async (args) => {
              const r = await defaultMocks(ctx).newResource(args);
              return args.type === "aws:dms/s3Endpoint:S3Endpoint"
                ? { ...r, state: { ...r.state, endpointArn: r.state.arn } }
                : r;
            },
            call: defaultMocks(ctx).call,
          },
  });
  const pack = await LoadedPack.load(path.join(ROOT, "policies", "governance"), (name) => packConfig[name]);
  try {
    return (await pack.evaluate(resources)).filter((v) => v.policy === POLICY);
  } finally {
    await pack.close();
  }
}

const provider = () => new aws.Provider("team", { region: "eu-west-1", allowedAccountIds: ["222222222222"] });

/** A team's own table `team.events` at s3://team-data/events/, partitioned by dt. */
function table(p: aws.Provider, parameters: Record<string, string> = {}): void {
  new aws.glue.CatalogTable(
    "events",
    {
      databaseName: "team",
      name: "events",
      parameters,
      partitionKeys: [{ name: "dt", type: "date" }],
      storageDescriptor: { location: "s3://team-data/events/" },
    },
    { provider: p },
  );
}

const PROJECTED = {
  "projection.enabled": "true",
  "projection.dt.type": "date",
  "projection.dt.format": "yyyy-MM-dd",
  "projection.dt.range": "2025-01-01,NOW",
  "storage.location.template": "s3://team-data/events/dt=${dt}/",
};

function stream(
  p: aws.Provider,
  name: string,
  bucket: pulumi.Input<string>,
  prefix: pulumi.Input<string>,
  db = "team",
  tbl = "events",
) {
  new aws.kinesis.FirehoseDeliveryStream(
    name,
    {
      destination: "extended_s3",
      extendedS3Configuration: {
        bucketArn: pulumi.interpolate`arn:aws:s3:::${bucket}`,
        roleArn: "arn:aws:iam::222222222222:role/firehose",
        prefix,
        dataFormatConversionConfiguration: {
          enabled: true,
          inputFormatConfiguration: { deserializer: { hiveJsonSerDe: {} } },
          outputFormatConfiguration: { serializer: { parquetSerDe: {} } },
          schemaConfiguration: {
            databaseName: db,
            tableName: tbl,
            roleArn: "arn:aws:iam::222222222222:role/firehose",
          },
        },
      },
    },
    { provider: p },
  );
}

function dms(p: aws.Provider, settings: Record<string, unknown>, link = true, sourceTable = "orders"): void {
  const target = new aws.dms.S3Endpoint(
    "orders-target",
    {
      endpointId: "orders-target",
      endpointType: "target",
      bucketName: RAW,
      serviceAccessRoleArn: "arn:aws:iam::333333333333:role/dms",
      dataFormat: "parquet",
      ...settings,
    },
    { provider: p },
  );
  if (!link) return;
  new aws.dms.ReplicationConfig(
    "orders-replication",
    {
      replicationConfigIdentifier: "orders",
      replicationType: "full-load-and-cdc",
      sourceEndpointArn: "arn:aws:dms:eu-west-1:333333333333:endpoint:source",
      targetEndpointArn: target.endpointArn,
      computeConfig: { replicationSubnetGroupId: "orders", maxCapacityUnits: 2 },
      tableMappings: JSON.stringify({
        rules: [
          {
            "rule-type": "selection",
            "rule-id": "1",
            "rule-name": "orders",
            "object-locator": { "schema-name": "sales", "table-name": sourceTable },
            "rule-action": "include",
          },
        ],
      }),
    },
    { provider: p },
  );
}

describe("lake-writer-require-matching-table", function () {
  this.timeout(60_000);

  describe("a writer and its table in the same stack", () => {
    it("passes a stream writing its projected table's dt=${dt}/ layout", async () => {
      expect(
        await violations(() => {
          const p = provider();
          table(p, PROJECTED);
          stream(p, "events-in", "team-data", "events/dt=!{partitionKeyFromQuery:dt}/");
        }),
      ).to.deep.equal([]);
    });

    it("fails a partitioned table with no projection and no crawler, on the table, naming the fix", async () => {
      const found = await violations(() => {
        const p = provider();
        table(p);
        stream(p, "events-in", "team-data", "events/dt=!{partitionKeyFromQuery:dt}/");
      });
      expect(found).to.have.length(1);
      expect(found[0].urn).to.match(/::events$/);
      expect(found[0].message).to.contain("Table team.events is partitioned by dt");
      expect(found[0].message).to.contain("Enable partition projection");
    });

    it("passes the same table when a crawler of the stack has a catalog target on it", async () => {
      expect(
        await violations(() => {
          const p = provider();
          table(p);
          stream(p, "events-in", "team-data", "events/dt=!{partitionKeyFromQuery:dt}/");
          new aws.glue.Crawler(
            "events-partitions",
            {
              databaseName: "team",
              role: "arn:aws:iam::222222222222:role/crawler",
              catalogTargets: [{ databaseName: "team", tables: ["events"] }],
              schemaChangePolicy: { deleteBehavior: "LOG", updateBehavior: "LOG" },
            },
            { provider: p },
          );
        }),
      ).to.deep.equal([]);
    });

    it("fails a stream writing outside its table's location, on the stream", async () => {
      const found = await violations(() => {
        const p = provider();
        table(p, PROJECTED);
        stream(p, "events-in", "team-data", "landing/events/dt=!{partitionKeyFromQuery:dt}/");
      });
      expect(found.map((v) => v.urn?.split("::").pop())).to.deep.equal(["events-in"]);
      expect(found[0].message).to.contain(
        "outside s3://team-data/events/, the location of table team.events",
      );
      expect(found[0].message).to.contain(
        "Set extendedS3Configuration.prefix to events/dt=!{partitionKeyFromQuery:dt}/",
      );
    });

    it("fails a stream whose partition folders differ from the projection template", async () => {
      const found = await violations(() => {
        const p = provider();
        table(p, PROJECTED);
        stream(p, "events-in", "team-data", "events/!{timestamp:yyyy}/!{timestamp:MM}/");
      });
      expect(found).to.have.length(1);
      expect(found[0].message).to.contain("reads dt=${dt}/");
    });

    it("accepts a timestamp folder in the projected date format for dt", async () => {
      expect(
        await violations(() => {
          const p = provider();
          table(p, PROJECTED);
          stream(p, "events-in", "team-data", "events/dt=!{timestamp:yyyy-MM-dd}/");
        }),
      ).to.deep.equal([]);
    });
  });

  describe("a producer's writer against the registered dataset's layout", () => {
    it("passes our component's Firehose prefix for a registered dataset", async () => {
      expect(
        await violations(() => {
          const p = provider();
          stream(
            p,
            "telemetry",
            RAW,
            "333333333333/operations/device_telemetry/dt=!{partitionKeyFromQuery:dt}/hour=!{partitionKeyFromQuery:hour}/",
            "operations",
            "device_telemetry",
          );
        }),
      ).to.deep.equal([]);
    });

    it("fails keys in another order than the registered table's partition keys", async () => {
      const [v, ...rest] = await violations(() => {
        const p = provider();
        stream(
          p,
          "telemetry",
          RAW,
          "333333333333/operations/device_telemetry/hour=!{partitionKeyFromQuery:hour}/dt=!{partitionKeyFromQuery:dt}/",
          "operations",
          "device_telemetry",
        );
      });
      expect(rest).to.deep.equal([]);
      expect(v.message).to.contain("table operations.device_telemetry (the registered dataset's table");
      expect(v.message).to.contain("dt=!{partitionKeyFromQuery:dt}/hour=!{partitionKeyFromQuery:hour}/");
    });

    it("passes a DMS target linked to its replication through propertyDependencies, writing the table's folder", async () => {
      expect(
        await violations(() => dms(provider(), { bucketFolder: "333333333333/sales/orders" })),
      ).to.deep.equal([]);
    });

    it("fails DMS date folders the unpartitioned registered table has no key for", async () => {
      const found = await violations(() =>
        dms(provider(), {
          bucketFolder: "333333333333/sales/orders/",
          datePartitionEnabled: true,
          datePartitionSequence: "YYYYMMDD",
          datePartitionDelimiter: "DASH",
        }),
      );
      expect(found).to.have.length(1);
      expect(found[0].message).to.contain("writes partitions as {date:yyyy-MM-dd}/");
      expect(found[0].message).to.contain("datePartitionEnabled: false");
    });

    it("fails a DMS target whose folder is not the table's", async () => {
      const found = await violations(() =>
        dms(provider(), { bucketFolder: "333333333333/sales/orders/cdc" }),
      );
      expect(found).to.have.length(1);
      expect(found[0].message).to.contain(
        "outside s3://acme-lake-111111111111-raw/333333333333/sales/orders/sales/orders/",
      );
    });

    it("links the endpoint to its replication in a preview, where its ARN is not known yet", async () => {
      const found = await violations(
        () => dms(provider(), { bucketFolder: "333333333333/sales/orders/cdc" }),
        true,
      );
      expect(found.map((v) => v.urn?.split("::").pop())).to.deep.equal(["orders-target"]);
    });

    describe("a source table with an underscore (DMS reads a bare _ as any one character)", () => {
      // orders replicated from erp's sales.order_headers: its table reads sales/orders/sales/order_headers/.
      const underscored = () => {
        const yaml = fs.readFileSync(path.join(ROOT, "stacks", "platform.yaml"), "utf8");
        expect(yaml).to.contain("        sourceTable: orders\n");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-"));
        try {
          const file = path.join(dir, "platform.yaml");
          fs.writeFileSync(
            file,
            yaml.replace("        sourceTable: orders\n", "        sourceTable: order_headers\n"),
          );
          return packConfigFor(loadPlatform(file));
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      };

      it("passes the rule DmsIngestion writes, order[_]headers: the literal underscore is the folder's", async () => {
        const found = await violations(
          () => dms(provider(), { bucketFolder: "333333333333/sales/orders" }, true, "order[_]headers"),
          false,
          underscored(),
        );
        expect(found).to.deep.equal([]);
      });

      it("fails a rule for another table, with the folder it writes and the table's location", async () => {
        const found = await violations(
          () => dms(provider(), { bucketFolder: "333333333333/sales/orders" }, true, "order[_]lines"),
          false,
          underscored(),
        );
        expect(found).to.have.length(1);
        expect(found[0].message).to.contain("333333333333/sales/orders/sales/order_lines/");
        expect(found[0].message).to.contain(
          "s3://acme-lake-111111111111-raw/333333333333/sales/orders/sales/order_headers/",
        );
      });
    });

    it("judges no DMS target that no replication writes through", async () => {
      expect(await violations(() => dms(provider(), { bucketFolder: "elsewhere" }, false))).to.deep.equal([]);
    });
  });

  describe("values not known in a preview", () => {
    it("reports no layout or location for a prefix that is an unknown Output", async () => {
      expect(
        await violations(() => {
          const p = provider();
          table(p, PROJECTED);
          const bucket = new aws.s3.Bucket("landing", {}, { provider: p });
          stream(p, "events-in", "team-data", pulumi.interpolate`${bucket.arn}/events/`);
        }, true),
      ).to.deep.equal([]);
    });

    it("still fails an unregistered partitioned table whose writer's prefix is unknown", async () => {
      const found = await violations(() => {
        const p = provider();
        table(p);
        const bucket = new aws.s3.Bucket("landing", {}, { provider: p });
        stream(p, "events-in", "team-data", pulumi.interpolate`${bucket.arn}/events/`);
      }, true);
      expect(found.map((v) => v.urn?.split("::").pop())).to.deep.equal(["events"]);
    });
  });
});
