import { expect } from "chai";
import {
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  GlueClient,
} from "@aws-sdk/client-glue";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  bucketName,
  databaseName,
  ingestionErrorPrefix,
  parsePlatform,
  tableLayout,
  tableName,
  tableParameters,
} from "../../../platform";
import type { Platform } from "../../../platform";
import type { Finding } from "../../../validator/findings";
import { validate } from "../../../validator/validator";
import { parquetBytes } from "../../validator/parquet-files";
import { Moto, MOTO_CREDENTIALS, startMoto } from "../moto";
import { clientsFor, platformInput, REGION } from "./fixture";

/** A past run date: NOW in the projection is the end of it. */
const DATE = "2026-06-15";

const dataset = (name: string, partitionKeys: { name: string; type: string }[]) => ({
  name,
  domain: "operations",
  producer: "ingest",
  owner: { team: "team-q", email: "team-q@acme.example" },
  description: "Test data.",
  source: "s3",
  volume: { min: 0, max: 1, unit: "MB/day" },
  velocity: "batch",
  variety: "structured",
  veracity: { freshnessHours: 8760 },
  value: "Tests the queryability check.",
  classification: "internal",
  format: "parquet",
  registeredOn: "2026-06-01",
  ingestion: { type: "upload" },
  schema: { columns: [{ name: "reading", type: "double" }], partitionKeys },
});

/** Two partitioned upload datasets: the table of `projected_readings` has projection on, `plain_readings`' not. */
function queryabilityPlatform(): Platform {
  return parsePlatform(
    {
      ...platformInput(DATE),
      datasets: [
        dataset("projected_readings", [
          { name: "dt", type: "date" },
          { name: "hour", type: "int" },
        ]),
        dataset("plain_readings", [{ name: "dt", type: "date" }]),
      ],
      consumers: [],
    },
    "queryability fixture",
  );
}

/** Keys under each table's location; `registered` folders get a Glue partition. */
const SEED = {
  projected_readings: {
    objects: [
      "dt=2026-06-10/hour=05/visible.parquet",
      "dt=2026-06-10/hour=05/_SUCCESS",
      "dt=2026-06-10/hour=05/.visible.parquet.crc",
      "dt=2026-06-11/hour=07/a.parquet",
      "dt=2026-06-11/hour=07/b.parquet",
      "dt=2026-05-20/hour=01/early.parquet",
      "dt=2026-06-20/hour=00/future.parquet",
      "dt=2026-06-12/hour=7/one-digit.parquet",
      "stray.parquet",
    ],
    registered: [
      ["dt=2026-06-10/hour=05/", ["2026-06-10", "5"]],
      ["dt=2026-05-20/hour=01/", ["2026-05-20", "1"]],
    ],
  },
  plain_readings: {
    objects: ["dt=2026-06-10/seen.parquet", "dt=2026-06-11/unseen.parquet"],
    registered: [["dt=2026-06-10/", ["2026-06-10"]]],
  },
} as const;

const PARQUET_SERDE = {
  InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
  OutputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
  SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
};

async function seed(endpoint: string, p: Platform): Promise<void> {
  const cfg = { region: REGION, endpoint, credentials: MOTO_CREDENTIALS };
  const s3 = new S3Client({ ...cfg, forcePathStyle: true });
  const glue = new GlueClient(cfg);
  const raw = bucketName(p, "raw");
  for (const zone of ["raw", "governance"] as const)
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucketName(p, zone),
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
  const body = parquetBytes([{ name: "reading", data: [1.5], type: "DOUBLE" }]);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "operations" } }));
  for (const d of p.datasets) {
    const layout = tableLayout(p, d);
    const { objects, registered } = SEED[d.name as keyof typeof SEED];
    for (const key of objects)
      await s3.send(new PutObjectCommand({ Bucket: raw, Key: `${layout.prefix}${key}`, Body: body }));
    // Firehose's error prefix: outside the location, never a finding.
    await s3.send(
      new PutObjectCommand({ Bucket: raw, Key: `${ingestionErrorPrefix(p, d)}failed.json`, Body: "{}" }),
    );
    const projection = d.name === "projected_readings" ? layout.projection : {};
    const storage = (location: string) => ({
      ...PARQUET_SERDE,
      Location: location,
      Columns: d.schema.columns.map((c) => ({ Name: c.name, Type: c.type })),
    });
    await glue.send(
      new CreateTableCommand({
        DatabaseName: databaseName(d.domain),
        TableInput: {
          Name: tableName(d),
          TableType: "EXTERNAL_TABLE",
          Parameters: { ...tableParameters(d), ...projection },
          PartitionKeys: layout.partitionKeys.map((k) => ({ Name: k.name, Type: k.type })),
          StorageDescriptor: storage(layout.location),
        },
      }),
    );
    for (const [folder, values] of registered)
      await glue.send(
        new CreatePartitionCommand({
          DatabaseName: databaseName(d.domain),
          TableName: tableName(d),
          PartitionInput: { Values: [...values], StorageDescriptor: storage(`${layout.location}${folder}`) },
        }),
      );
  }
  s3.destroy();
  glue.destroy();
}

describe("governance validator: queryability against moto_server", function () {
  this.timeout(120_000);
  let moto: Moto;
  let p: Platform;
  let findings: readonly Finding[];

  before(async () => {
    moto = await startMoto();
    p = queryabilityPlatform();
    await seed(moto.endpoint, p);
    const report = await validate({
      platform: p,
      date: DATE,
      clients: clientsFor(moto.endpoint),
      dryRun: true,
    });
    findings = report.findings;
  });
  after(async () => {
    await moto?.stop();
  });

  const folder = (f: Finding) => {
    const d = p.datasets.find((x) => x.name === f.dataset)!;
    return f.object!.slice(tableLayout(p, d).location.length) || "-";
  };

  it("reports, per partition folder, the objects a reader class does not see, and nothing for visible ones", () => {
    const q = findings.filter((f) => f.check === "queryability");
    expect(q.map((f) => `${f.dataset} ${f.severity} ${folder(f)}`)).to.deep.equal([
      "plain_readings error dt=2026-06-11/",
      "projected_readings error -",
      "projected_readings error dt=2026-06-12/hour=7/",
      "projected_readings error dt=2026-06-20/hour=00/",
      "projected_readings warning dt=2026-05-20/hour=01/",
      "projected_readings warning dt=2026-06-11/hour=07/",
    ]);
    expect(findings.filter((f) => f.check === "unreadable")).to.deep.equal([]);
  });

  it("reads projection from the deployed table and registered partitions from GetPartitions", () => {
    const byFolder = new Map(
      findings.filter((f) => f.check === "queryability").map((f) => [`${f.dataset} ${folder(f)}`, f.message]),
    );
    expect(byFolder.get("projected_readings dt=2026-06-11/hour=07/")).to.equal(
      "2 objects under dt=2026-06-11/hour=07/ are not in a registered partition: EMR Spark and Redshift Spectrum do not see them (Athena and QuickSight SPICE do, through partition projection); the partition crawler test-lake-projected-readings-partitions adds the partition on its next run (a.parquet, b.parquet)",
    );
    expect(byFolder.get("projected_readings dt=2026-05-20/hour=01/")).to.equal(
      "1 object under dt=2026-05-20/hour=01/ is outside the table's partition projection (dt=2026-05-20 is outside projection.dt.range 2026-06-01,NOW (NOW: 2026-06-16T00:00:00.000Z)): Athena and QuickSight SPICE do not see it (EMR Spark and Redshift Spectrum do, through the registered partition); write it where the projection reads, or correct the table's projection parameters (early.parquet)",
    );
    expect(byFolder.get("projected_readings dt=2026-06-12/hour=7/")).to.match(
      /^1 object under dt=2026-06-12\/hour=7\/ is seen by no reader: Athena and QuickSight SPICE do not \(hour=7 is not written with projection.hour.digits 2 \(Athena reads hour=07\)\)/,
    );
    expect(byFolder.get("projected_readings dt=2026-06-20/hour=00/")).to.match(
      /^1 object under dt=2026-06-20\/hour=00\/ is seen by no reader: .*dt=2026-06-20 is outside projection.dt.range/,
    );
    expect(byFolder.get("projected_readings -")).to.match(
      /^1 object is directly under the table location, in no partition folder: no reader sees it .*\(stray.parquet\)$/,
    );
    expect(byFolder.get("plain_readings dt=2026-06-11/")).to.match(
      /^1 object under dt=2026-06-11\/ is seen by no reader: it is in no registered partition and the table has no partition projection/,
    );
  });
});
