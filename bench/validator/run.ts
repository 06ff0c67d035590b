/**
 * Validator benchmark: `npm run bench:validator -- [--objects 10000] [--concurrency 24] [--upload-batch 64]`.
 *
 * Starts moto_server on 127.0.0.1, seeds one dataset with `--objects` small Parquet files (uploaded in
 * parallel batches) and its Glue table, then times the validator's check of the lake as a dry run:
 * listing, ranged reads of every object's ends and footer, the Glue table. Prints objects/s and requests;
 * the result also goes to bench/results/validator-<objects>.json.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from "@aws-sdk/client-glue";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Command } from "commander";
import { parquetWriteBuffer } from "hyparquet-writer";
import {
  bucketName,
  databaseName,
  datasetLocation,
  parsePlatform,
  tableName,
  tableParameters,
} from "../../platform";
import { createClients } from "../../validator/aws";
import { VALIDATOR_DEFAULTS } from "../../validator/defaults";
import { validate } from "../../validator/validator";
import { MOTO_CREDENTIALS, startMoto } from "../../tests/integration/moto";

const ROOT = path.resolve(__dirname, "..", "..");
const REGION = "eu-west-1";

function benchPlatform() {
  return parsePlatform(
    {
      name: "bench-lake",
      accounts: [
        { name: "lake", id: "111111111111", role: "lake", region: REGION },
        { name: "ingest", id: "222222222222", role: "producer", region: REGION },
      ],
      lake: {
        admins: ["arn:aws:iam::111111111111:role/Admin"],
        platformTeam: { team: "data-platform", email: "data-platform@acme.example" },
        lfTags: { domain: ["sales"], classification: ["internal"] },
        zones: { raw: {}, curated: {} },
      },
      datasets: [
        {
          name: "events",
          domain: "sales",
          producer: "ingest",
          owner: { team: "sales-data", email: "sales-data@acme.example" },
          description: "Benchmark events.",
          source: "s3",
          volume: { min: 0, max: 10, unit: "GB/day" },
          velocity: "batch",
          variety: "structured",
          veracity: { freshnessHours: 24 },
          value: "Benchmark.",
          classification: "internal",
          format: "parquet",
          schema: {
            columns: [
              { name: "id", type: "bigint" },
              { name: "name", type: "string" },
              { name: "amount", type: "double" },
            ],
            partitionKeys: [{ name: "dt", type: "date" }],
          },
          registeredOn: "2025-01-01",
          ingestion: { type: "upload" },
        },
      ],
      governance: { sender: "governance@acme.example", schedule: "rate(1 day)", reminderDays: 14 },
    },
    "bench",
  );
}

async function main(): Promise<void> {
  const opts = new Command("bench:validator")
    .option("--objects <n>", "Parquet objects in the dataset", "10000")
    .option("--concurrency <n>", "validator requests in flight", String(VALIDATOR_DEFAULTS.concurrency))
    .option("--upload-batch <n>", "uploads in flight while seeding", "64")
    .parse(process.argv.slice(2), { from: "user" })
    .opts<{ objects: string; concurrency: string; uploadBatch: string }>();
  const objects = +opts.objects;
  const concurrency = +opts.concurrency;
  const batch = +opts.uploadBatch;
  const p = benchPlatform();
  const d = p.datasets[0];
  const moto = await startMoto();
  try {
    const cfg = { region: REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS };
    const s3 = new S3Client({ ...cfg, forcePathStyle: true });
    const glue = new GlueClient(cfg);
    for (const zone of ["raw", "governance"] as const)
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucketName(p, zone),
          CreateBucketConfiguration: { LocationConstraint: REGION },
        }),
      );
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: databaseName(d.domain) } }));
    await glue.send(
      new CreateTableCommand({
        DatabaseName: databaseName(d.domain),
        TableInput: {
          Name: tableName(d),
          Parameters: tableParameters(d),
          PartitionKeys: d.schema.partitionKeys.map((k) => ({ Name: k.name, Type: k.type })),
          StorageDescriptor: {
            Location: datasetLocation(p, d),
            Columns: d.schema.columns.map((c) => ({ Name: c.name, Type: c.type })),
          },
        },
      }),
    );
    const body = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: "id", data: Array.from({ length: 100 }, (_, i) => BigInt(i)), type: "INT64" },
          { name: "name", data: Array.from({ length: 100 }, (_, i) => `name-${i}`), type: "STRING" },
          { name: "amount", data: Array.from({ length: 100 }, (_, i) => i * 1.5), type: "DOUBLE" },
        ],
      }),
    );
    const prefix = `${d.domain}/${d.name}/`;
    const seedStart = Date.now();
    for (let i = 0; i < objects; i += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, objects - i) }, (_, j) =>
          s3.send(
            new PutObjectCommand({
              Bucket: bucketName(p, "raw"),
              Key: `${prefix}dt=2026-11-${String(((i + j) % 28) + 1).padStart(2, "0")}/part-${String(i + j).padStart(6, "0")}.parquet`,
              Body: body,
            }),
          ),
        ),
      );
    }
    const seedSeconds = (Date.now() - seedStart) / 1000;
    console.error(`bench: seeded ${objects} objects of ${body.length} bytes in ${seedSeconds.toFixed(1)} s`);
    s3.destroy();
    glue.destroy();

    const clients = createClients({ region: REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    const started = process.hrtime.bigint();
    const report = await validate({
      platform: p,
      date: new Date().toISOString().slice(0, 10),
      clients,
      dryRun: true,
      concurrency,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (report.stats.objects !== objects)
      throw new Error(`validator saw ${report.stats.objects} objects, expected ${objects}`);
    // Every object is good Parquet of the registered schema, fresh and within the volume: no finding.
    if (report.findings.length > 0)
      throw new Error(`unexpected findings: ${JSON.stringify(report.findings, null, 2)}`);
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
      server: "moto_server on 127.0.0.1 (single process)",
      objects,
      objectBytes: body.length,
      concurrency,
      seconds: +seconds.toFixed(2),
      objectsPerSecond: Math.round(objects / seconds),
      requests: report.stats.requests,
      requestsPerSecond: Math.round(report.stats.requests / seconds),
      requestsPerObject: +(report.stats.requests / objects).toFixed(3),
      retries: report.stats.retries,
      findings: report.findings.length,
    };
    console.log(JSON.stringify(result, null, 2));
    const out = path.join(ROOT, "bench", "results", `validator-${objects}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.error(`bench: ${out}`);
  } finally {
    await moto.stop();
  }
}

main().catch((err) => {
  console.error(`bench:validator: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
});
