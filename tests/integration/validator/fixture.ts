/**
 * The integration tests' lake: a platform definition with one dataset per situation the validator must
 * report, and moto seeded to match (buckets, real Parquet files, Glue databases and tables carrying the
 * registration as parameters, a verified SES sender). Dates are relative to the run date.
 */
import {
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  GlueClient,
} from "@aws-sdk/client-glue";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateEmailIdentityCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import {
  bucketName,
  databaseName,
  datasetLocation,
  parsePlatform,
  tableName,
  tableLayout,
  tableParameters,
} from "../../../platform";
import type { Dataset, Platform } from "../../../platform";
import { createClients } from "../../../validator/aws";
import type { AwsClients } from "../../../validator/aws";
import { REGISTRY_KEY } from "../../../validator/defaults";
import { parquetBytes, primitive, root, stringElement, truncated } from "../../validator/parquet-files";
import { MOTO_CREDENTIALS } from "../moto";

/** The lake's region in the fixture. */
export const REGION = "eu-west-1";

/** `date` plus `days`, as `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Today, UTC. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

const base = {
  producer: "ingest",
  description: "Test data.",
  source: "s3",
  velocity: "batch",
  variety: "structured",
  value: "Tests the validator.",
  classification: "internal",
  format: "parquet",
  registeredOn: "2024-01-01",
  ingestion: { type: "upload" },
};

/** The definition as written in a file (YAML or JSON), for a run on `date`. */
export function platformInput(date: string): Record<string, unknown> {
  const owner = (team: string) => ({ team, email: `${team}@acme.example` });
  return {
    name: "test-lake",
    accounts: [
      { name: "lake", id: "111111111111", role: "lake", region: REGION },
      { name: "ingest", id: "222222222222", role: "producer", region: REGION },
      { name: "analysis", id: "333333333333", role: "consumer", region: REGION },
    ],
    lake: {
      admins: ["arn:aws:iam::111111111111:role/Admin"],
      platformTeam: owner("data-platform"),
      lfTags: {
        domain: ["sales", "marketing", "operations"],
        classification: ["public", "internal", "confidential"],
      },
      zones: { raw: {}, curated: {} },
    },
    datasets: [
      {
        ...base,
        name: "good_events",
        domain: "marketing",
        owner: owner("team-a"),
        volume: { min: 0, max: 1, unit: "MB/day" },
        veracity: { freshnessHours: 8760 },
        schema: {
          columns: [
            { name: "event_id", type: "string" },
            { name: "event_time", type: "timestamp" },
            { name: "amount", type: "decimal(18,2)" },
            { name: "qty", type: "int" },
            { name: "device", type: "struct<os:string,mobile:boolean>" },
            { name: "tags", type: "array<string>" },
          ],
          partitionKeys: [{ name: "dt", type: "date" }],
        },
      },
      {
        ...base,
        name: "drifted_orders",
        domain: "sales",
        owner: owner("team-b"),
        volume: { min: 1, max: 5, unit: "GB/day" },
        veracity: { freshnessHours: 8760 },
        schema: {
          columns: [
            { name: "order_id", type: "bigint" },
            { name: "customer", type: "string" },
            { name: "amount", type: "double" },
            { name: "status", type: "varchar(32)" },
          ],
        },
        endsOn: addDays(date, 5),
      },
      {
        ...base,
        name: "mixed_formats",
        domain: "sales",
        owner: owner("team-b"),
        volume: { min: 1000, max: 2000, unit: "rows/day" },
        veracity: { freshnessHours: 8760 },
        schema: {
          columns: [
            { name: "id", type: "bigint" },
            { name: "name", type: "string" },
          ],
        },
      },
      {
        ...base,
        name: "stale_readings",
        domain: "operations",
        owner: owner("team-c"),
        volume: { min: 0, max: 1, unit: "MB/day" },
        veracity: { freshnessHours: 24 },
        schema: { columns: [{ name: "reading", type: "double" }] },
      },
      {
        ...base,
        name: "empty_dataset",
        domain: "operations",
        owner: owner("team-c"),
        volume: { min: 0, max: 1, unit: "MB/day" },
        veracity: { freshnessHours: 8760 },
        schema: { columns: [{ name: "reading", type: "double" }] },
      },
      {
        ...base,
        name: "retired_logs",
        domain: "marketing",
        owner: owner("team-d"),
        volume: { min: 0, max: 1, unit: "MB/day" },
        veracity: { freshnessHours: 8760 },
        // Partitioned, with its one object directly under the location, where no reader looks: past
        // endsOn nobody reads it, so only its registration is reported, not its queryability.
        schema: {
          columns: [{ name: "line", type: "string" }],
          partitionKeys: [{ name: "dt", type: "date" }],
        },
        endsOn: addDays(date, -10),
      },
    ],
    consumers: [
      {
        account: "analysis",
        team: "reporting",
        email: "reporting@acme.example",
        read: { datasets: ["good_events"] },
        readOnly: true,
        expiresOn: addDays(date, 3),
      },
      {
        account: "analysis",
        team: "finance",
        email: "finance@acme.example",
        read: { datasets: ["drifted_orders"] },
        readOnly: true,
        expiresOn: addDays(date, -1),
      },
    ],
    governance: { sender: "governance@acme.example", schedule: "rate(1 day)", reminderDays: 14 },
  };
}

/** The parsed definition for a run on `date`. */
export function testPlatform(date: string): Platform {
  return parsePlatform(platformInput(date), "fixture");
}

/** SDK clients on moto (or a proxy in front of it). */
export function clientsFor(endpoint: string): AwsClients {
  return createClients({ region: REGION, endpoint, credentials: MOTO_CREDENTIALS });
}

const PARQUET_SERDE = {
  InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
  OutputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
  SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
};

/** The files of each dataset: key under its location → bytes. */
export function datasetFiles(): Record<string, Record<string, Uint8Array>> {
  const events = (withDt: boolean) =>
    parquetBytes(
      [
        { name: "event_id", data: ["e1", "e2"] },
        { name: "event_time", data: [new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:01:00Z")] },
        { name: "amount", data: [1250n, 399n] },
        { name: "qty", data: [1, 2] },
        {
          name: "device",
          data: [
            { os: "ios", mobile: true },
            { os: "linux", mobile: false },
          ],
        },
        { name: "tags", data: [["a"], ["b", "c"]] },
        ...(withDt
          ? [{ name: "dt", data: [new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:00Z")] }]
          : []),
      ],
      [
        root(withDt ? 7 : 6),
        stringElement("event_id"),
        primitive("event_time", "INT64", { converted_type: "TIMESTAMP_MILLIS" }),
        primitive("amount", "INT64", { converted_type: "DECIMAL", precision: 18, scale: 2 }),
        primitive("qty", "INT32"),
        { name: "device", repetition_type: "OPTIONAL", num_children: 2 },
        stringElement("os"),
        primitive("mobile", "BOOLEAN"),
        { name: "tags", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        stringElement("element"),
        ...(withDt ? [primitive("dt", "INT32", { converted_type: "DATE" })] : []),
      ],
    );
  const ids = parquetBytes([
    { name: "id", data: [1n, 2n, 3n], type: "INT64" },
    { name: "name", data: ["a", "b", "c"], type: "STRING" },
  ]);
  return {
    good_events: {
      "dt=2026-01-01/": new Uint8Array(0),
      "dt=2026-01-01/part-0.parquet": events(false),
      "dt=2026-01-02/part-0.parquet": events(true),
      "dt=2026-01-02/_SUCCESS": new Uint8Array(0),
    },
    drifted_orders: {
      "part-0.parquet": parquetBytes([
        { name: "order_id", data: [1, 2], type: "INT32" },
        { name: "customer", data: ["x", "y"], type: "STRING" },
        { name: "amount", data: [1.5, 2.5], type: "DOUBLE" },
        { name: "extra_col", data: ["p", "q"], type: "STRING" },
      ]),
    },
    mixed_formats: {
      "good.parquet": ids,
      "data.csv": new TextEncoder().encode("id,name\n1,a\n2,b\n"),
      "truncated.parquet": truncated(ids),
    },
    stale_readings: { "r.parquet": parquetBytes([{ name: "reading", data: [1.5], type: "DOUBLE" }]) },
    empty_dataset: {},
    retired_logs: { "l.parquet": parquetBytes([{ name: "line", data: ["x"], type: "STRING" }]) },
  };
}

/**
 * Glue table parameters as the fixture stores them: mixed_formats' have drifted, and are written the way
 * tables were before CONTRACTS §1 moved the data classification to `data-classification` (so Glue's
 * `classification`, the data format, holds "internal").
 */
function storedParameters(p: Platform, d: Dataset): Record<string, string> {
  // As the lake stack declares them: the registration and, where the layout projects, Athena's projection.
  const params: Record<string, string> = { ...tableParameters(d), ...tableLayout(p, d).projection };
  if (d.name === "mixed_formats") {
    params.owner = "someone-else";
    delete params.volume;
    params.classification = d.classification;
    delete params["data-classification"];
  }
  return params;
}

/** Creates the buckets, uploads every dataset's files, the Glue tables (not empty_dataset's) and the SES sender. */
export async function seedLake(endpoint: string, p: Platform): Promise<void> {
  const cfg = { region: REGION, endpoint, credentials: MOTO_CREDENTIALS };
  const s3 = new S3Client({ ...cfg, forcePathStyle: true });
  const glue = new GlueClient(cfg);
  const ses = new SESv2Client(cfg);
  for (const zone of ["raw", "governance"] as const)
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucketName(p, zone),
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
  const files = datasetFiles();
  for (const d of p.datasets) {
    const location = datasetLocation(p, d);
    const prefix = location.slice(`s3://${bucketName(p, "raw")}/`.length);
    for (const [key, body] of Object.entries(files[d.name] ?? {}))
      await s3.send(
        new PutObjectCommand({ Bucket: bucketName(p, "raw"), Key: `${prefix}${key}`, Body: body }),
      );
  }
  for (const db of new Set(p.datasets.map((d) => databaseName(d.domain))))
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db } }));
  for (const d of p.datasets.filter((x) => x.name !== "empty_dataset"))
    await glue.send(
      new CreateTableCommand({
        DatabaseName: databaseName(d.domain),
        TableInput: {
          Name: tableName(d),
          TableType: "EXTERNAL_TABLE",
          Parameters: storedParameters(p, d),
          PartitionKeys: d.schema.partitionKeys.map((k) => ({ Name: k.name, Type: k.type })),
          StorageDescriptor: {
            ...PARQUET_SERDE,
            Location: datasetLocation(p, d),
            Columns: d.schema.columns.map((c) => ({ Name: c.name, Type: c.type })),
          },
        },
      }),
    );
  // good_events' partitions, registered as the partition crawler would: every reader sees its data.
  const good = p.datasets.find((d) => d.name === "good_events");
  if (good)
    for (const dt of ["2026-01-01", "2026-01-02"])
      await glue.send(
        new CreatePartitionCommand({
          DatabaseName: databaseName(good.domain),
          TableName: tableName(good),
          PartitionInput: {
            Values: [dt],
            StorageDescriptor: { ...PARQUET_SERDE, Location: `${datasetLocation(p, good)}dt=${dt}/` },
          },
        }),
      );
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: p.governance.sender }));
  await s3.send(
    new PutObjectCommand({ Bucket: bucketName(p, "governance"), Key: REGISTRY_KEY, Body: JSON.stringify(p) }),
  );
  s3.destroy();
  glue.destroy();
  ses.destroy();
}
