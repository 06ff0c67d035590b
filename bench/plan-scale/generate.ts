/**
 * Generates a large, valid platform definition for the scale benchmark: by default 50 accounts
 * (1 lake, 29 producers, 20 consumers), 500 datasets over 10 domains and 100 consumer teams, plus one
 * stack file per account. Deterministic: the same sizes give the same files.
 */
import * as fs from "fs";
import * as path from "path";
import { dump } from "js-yaml";

/** Sizes of the generated platform. */
export interface ScaleSizes {
  readonly accounts: number;
  readonly datasets: number;
  readonly consumers: number;
}

/** The benchmark's default sizes (issue: 50 accounts, 500 datasets, 100 consumers). */
export const DEFAULT_SIZES: ScaleSizes = { accounts: 50, datasets: 500, consumers: 100 };

const DOMAINS = [
  "sales",
  "marketing",
  "operations",
  "finance",
  "logistics",
  "hr",
  "product",
  "support",
  "risk",
  "iot",
];
const CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"];

/** Every generated dataset's columns (DMS datasets take `attributes` as a string). */
const COLUMNS = [
  { name: "id", type: "string" },
  { name: "created_at", type: "timestamp" },
  { name: "amount", type: "decimal(18,2)" },
  { name: "quantity", type: "int" },
  { name: "country", type: "string" },
  { name: "attributes", type: "map<string,string>" },
  { name: "contact_email", type: "string", classification: "restricted" },
  { name: "score", type: "double" },
];

function accountId(i: number): string {
  return String(100000000000 + i * 7919).padStart(12, "0");
}

/** Builds the platform definition object. */
export function generatePlatform(sizes: ScaleSizes = DEFAULT_SIZES): Record<string, unknown> {
  const consumerAccounts = Math.max(1, Math.floor((sizes.accounts - 1) * 0.4));
  const producerAccounts = Math.max(1, sizes.accounts - 1 - consumerAccounts);
  const accounts = [
    {
      name: "lake-prod",
      id: accountId(0),
      role: "lake",
      region: "eu-west-1",
      deploymentRoleArn: `arn:aws:iam::${accountId(0)}:role/pulumi-deploy`,
    },
    ...Array.from({ length: producerAccounts }, (_, i) => ({
      name: `producer-${i + 1}`,
      id: accountId(1 + i),
      role: "producer",
      region: "eu-west-1",
      // DMS replications run in the producer's subnets, reaching S3 and Secrets Manager through the VPC
      // endpoints the stack creates.
      network: {
        vpcId: `vpc-${(i + 1).toString(16).padStart(17, "0")}`,
        subnetIds: [`subnet-${(i + 1).toString(16).padStart(17, "0")}`],
        securityGroupIds: [`sg-${(i + 1).toString(16).padStart(17, "0")}`],
        routeTableIds: [`rtb-${(i + 1).toString(16).padStart(17, "0")}`],
      },
    })),
    ...Array.from({ length: consumerAccounts }, (_, i) => ({
      name: `consumer-${i + 1}`,
      id: accountId(1 + producerAccounts + i),
      role: "consumer",
      region: "eu-west-1",
    })),
  ];
  const datasets = Array.from({ length: sizes.datasets }, (_, i) => {
    const domain = DOMAINS[i % DOMAINS.length];
    const classification = CLASSIFICATIONS[i % 3];
    const streaming = i % 5 === 0;
    const database = !streaming && i % 5 === 1;
    return {
      name: `${domain}_dataset_${i + 1}`,
      domain,
      producer: `producer-${(i % producerAccounts) + 1}`,
      owner: { team: `team-${i % 40}`, email: `team-${i % 40}@acme.example` },
      description: `Generated dataset ${i + 1} of the ${domain} domain`,
      source: streaming ? "stream" : database ? "database" : "s3",
      volume: { min: 1, max: 10 + (i % 90), unit: "GB/day" },
      velocity: streaming ? "streaming" : "batch",
      variety: "structured",
      veracity: { freshnessHours: streaming ? 1 : 24 },
      value: "Benchmark",
      classification,
      format: "parquet",
      // DMS writes scalar columns only, with its change type and commit time, into unpartitioned tables
      // (the definition's DMS rules, docs/ingestion.md).
      schema: database
        ? {
            columns: [
              ...COLUMNS.map((c) => (c.name === "attributes" ? { ...c, type: "string" } : c)),
              { name: "op", type: "string" },
              { name: "dms_commit_ts", type: "string" },
            ],
          }
        : { columns: COLUMNS, partitionKeys: [{ name: "dt", type: "date" }] },
      registeredOn: "2025-01-15",
      ingestion: streaming
        ? { type: "firehose", stream: { mode: "on-demand" } }
        : database
          ? {
              type: "dms",
              dms: {
                engine: "postgres",
                databaseName: "erp",
                secretArn: `arn:aws:secretsmanager:eu-west-1:${accountId(1 + (i % producerAccounts))}:secret:db-${i}`,
                sourceSchema: "public",
              },
            }
          : { type: i % 2 ? "crawler" : "spark" },
    };
  });
  const consumers = Array.from({ length: sizes.consumers }, (_, i) => {
    const domains = [DOMAINS[i % DOMAINS.length], DOMAINS[(i + 3) % DOMAINS.length]];
    const classifications = ["public", "internal"];
    const named = datasets[(i * 7) % datasets.length];
    // Every fourth team filters the rows of its named dataset, where its tags do not grant it in full.
    const filtered =
      i % 4 === 0 && !(domains.includes(named.domain) && classifications.includes(named.classification));
    return {
      account: `consumer-${(i % consumerAccounts) + 1}`,
      team: `analysts-${i + 1}`,
      email: `analysts-${i + 1}@acme.example`,
      read: { tags: [{ domain: domains, classification: classifications }], datasets: [named.name] },
      readOnly: true,
      expiresOn: "2030-12-31",
      ...(filtered ? { rowFilters: [{ dataset: named.name, expression: "country = 'DE'" }] } : {}),
    };
  });
  return {
    name: "scale",
    accounts,
    lake: {
      admins: [`arn:aws:iam::${accountId(0)}:role/DataPlatformAdmin`],
      platformTeam: { team: "data-platform", email: "data-platform@acme.example" },
      lfTags: { domain: DOMAINS, classification: CLASSIFICATIONS },
      zones: {
        raw: { expireAfterDays: 730, infrequentAccessAfterDays: 30, noncurrentVersionExpireDays: 30 },
        curated: { infrequentAccessAfterDays: 90, noncurrentVersionExpireDays: 90 },
        analytics: { noncurrentVersionExpireDays: 30 },
      },
      accessLogRetentionDays: 365,
    },
    datasets,
    consumers,
    governance: { sender: "data-governance@acme.example", schedule: "cron(0 6 * * ? *)", reminderDays: 14 },
  };
}

/** Writes `platform.yaml` and one `Pulumi.<account>.yaml` per account into `dir`. */
export function writeScalePlatform(dir: string, sizes: ScaleSizes = DEFAULT_SIZES): string {
  fs.mkdirSync(dir, { recursive: true });
  const platform = generatePlatform(sizes);
  const file = path.join(dir, "platform.yaml");
  fs.writeFileSync(file, dump(platform, { lineWidth: -1, noRefs: true }));
  for (const account of platform.accounts as { name: string }[]) {
    fs.writeFileSync(
      path.join(dir, `Pulumi.${account.name}.yaml`),
      dump({ config: { "lakehouse:account": account.name } }),
    );
  }
  return file;
}
