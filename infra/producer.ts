import * as fs from "fs";
import * as path from "path";
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DmsIngestion } from "../components/ingestion";
import { DmsVpcEndpoints } from "../components/network";
import { LakeStorage } from "../components/storage";
import { StreamAnalytics } from "../components/streaming";
import { eventTimePartitionQueries, StreamingIngestion } from "../components/streaming";
import {
  accessLogBucketName,
  artifactsBucketName,
  bucketName,
  databaseName,
  datasetPrefix,
  datasetTags,
  deliveryStreamName,
  EVENT_TIME_KEYS,
  eventTimeColumn,
  dmsReplicationId,
  dmsSecretRoleName,
  dmsSourceTable,
  flinkApplicationName,
  flinkRoleName,
  ingestionErrorPrefix,
  ingestionRoleName,
  ingestionStreamName,
  producerPrefix,
  lakeAccount,
  lakeKeyAliasArn,
  sharedTags,
  tableName,
  DMS_COMMIT_TIMESTAMP_COLUMN,
} from "../platform";
import type { Dataset } from "../platform";
import type { AccountContext } from "./context";

type Firehose = Extract<Dataset["ingestion"], { type: "firehose" }>;

/**
 * The folder a definition's relative paths (a Flink artefact's `ingestion.flink.code`) are relative to:
 * that of the definition the stack reads (config `lakehouse:platform`, default `stacks/platform.yaml`).
 */
function definitionFolder(): string {
  const file =
    new pulumi.Config("lakehouse").get("platform") ?? path.join(__dirname, "..", "stacks", "platform.yaml");
  return path.dirname(path.resolve(file));
}

/**
 * The Flink code artefact of each dataset whose definition names one, resolved against the definition's
 * folder; a path that is not a file is refused, naming the field, before any resource is declared.
 */
function flinkArtefacts(all: readonly Dataset[], own: readonly Dataset[]): Record<string, string> {
  const folder = definitionFolder();
  const found: Record<string, string> = {};
  for (const d of own) {
    const ing = d.ingestion;
    if (ing.type !== "firehose" || typeof ing.flink !== "object") continue;
    const file = path.resolve(folder, ing.flink.code);
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile())
      throw new Error(
        `datasets[${all.indexOf(d)}].ingestion.flink.code: ${ing.flink.code} (${file}) is not a file; ` +
          `build the Flink application's artefact (.zip or .jar) there, or set flink: true to leave the application out until it is built`,
      );
    found[d.name] = file;
  }
  return found;
}
type Dms = Extract<Dataset["ingestion"], { type: "dms" }>;

/**
 * A producer account: the ingestion of the datasets it is registered to produce, into their prefixes of
 * the lake's raw bucket, each as the dataset's ingestion role. Streaming datasets (`ingestion.type:
 * firehose`) get a Kinesis data stream and a Firehose delivery stream converting to Parquet against the
 * dataset's table in the lake's catalog, and a Flink application where `ingestion.flink` names its
 * built code (uploaded to the account's artifacts bucket; `flink: true` leaves it out with a notice);
 * database datasets (`dms`) a serverless DMS replication
 * writing Parquet. Everything about the lake (account, region, bucket, key alias, database and table
 * names) comes from the definition, so the stack plans and deploys on its own — before the lake, whose
 * bucket, key and Lake Formation grants name the roles created here.
 */
export function producerAccount(ctx: AccountContext, provider: aws.Provider): Record<string, unknown> {
  const p = ctx.platform;
  const account = ctx.account;
  const lake = lakeAccount(p);
  const datasets = p.datasets.filter((d) => d.producer === account.name);
  const lakeTarget = (d: Dataset) => ({
    accountId: lake.id,
    region: lake.region,
    bucketName: bucketName(p, "raw"),
    prefix: datasetPrefix(p, d),
    kmsKeyArn: lakeKeyAliasArn(p),
  });
  const keyAdmins = account.deploymentRoleArn ? [account.deploymentRoleArn] : [];

  const streaming = datasets.filter(
    (d): d is Dataset & { ingestion: Firehose } => d.ingestion.type === "firehose",
  );
  // Checked before any resource: a named artefact that is missing fails the stack, naming the field.
  const artefacts = flinkArtefacts(p.datasets, streaming);
  const streams: Record<string, StreamingIngestion> = {};
  for (const d of streaming) {
    const s = d.ingestion.stream;
    streams[d.name] = new StreamingIngestion(
      `${account.name}-${d.name}`,
      {
        accountId: account.id,
        region: account.region,
        roleName: ingestionRoleName(p, d),
        stream: {
          name: ingestionStreamName(p, d),
          mode: s.mode === "provisioned" ? "PROVISIONED" : "ON_DEMAND",
          ...(s.shards !== undefined ? { shardCount: s.shards } : {}),
          ...(s.retentionHours !== undefined ? { retentionHours: s.retentionHours } : {}),
        },
        streamKeyAdminArns: keyAdmins,
        deliveryStreamName: deliveryStreamName(p, d),
        lake: {
          ...lakeTarget(d),
          errorPrefix: ingestionErrorPrefix(p, d),
          databaseName: databaseName(d.domain),
          tableName: tableName(d),
        },
        // dt and hour come from the record's event time (UTC), in the formats the table's projection
        // reads (platform/layout.ts); other keys from the same-named field.
        partitionKeys: d.schema.partitionKeys.map((k) => {
          const field = eventTimeColumn(d);
          const derived = field !== undefined ? eventTimePartitionQueries(field) : undefined;
          return derived !== undefined && (EVENT_TIME_KEYS as readonly string[]).includes(k.name)
            ? { name: k.name, query: derived[k.name as keyof typeof derived] }
            : { name: k.name };
        }),
        ...(d.ingestion.bufferSeconds !== undefined ? { bufferSeconds: d.ingestion.bufferSeconds } : {}),
        ...(d.ingestion.bufferMB !== undefined ? { bufferMB: d.ingestion.bufferMB } : {}),
        tags: datasetTags(d),
      },
      { provider },
    );
  }

  // A Flink application wanted without code yet (`flink: true`) is left out with a notice: Managed Flink
  // checks the code object when the application is created.
  for (const d of streaming.filter((d) => d.ingestion.flink === true))
    void pulumi.log.warn(
      `${d.name}: the Managed Flink application ${flinkApplicationName(p, d)} is left out until its code is built; ` +
        `set datasets[${p.datasets.indexOf(d)}].ingestion.flink to { code: <path of the built .zip or .jar, relative to the definition's folder> } and the stack uploads it`,
    );
  // Flink code lives in one artifacts bucket per account: KMS-encrypted, versioned, logged; the stack
  // uploads each artefact and creates its application after the object, the bucket policy and the key.
  const flink = streaming.filter((d) => artefacts[d.name] !== undefined);
  const applications: Record<string, StreamAnalytics> = {};
  if (flink.length > 0) {
    const artifacts = new LakeStorage(
      `${account.name}-artifacts`,
      {
        bucketNames: { artifacts: artifactsBucketName(p, account) },
        accessLogBucketName: accessLogBucketName(p, account),
        accountId: account.id,
        keyAlias: `alias/${p.name}-artifacts`,
        keyAdminArns: keyAdmins,
        tags: sharedTags(p),
      },
      { provider },
    );
    for (const d of flink) {
      const app = flinkApplicationName(p, d);
      applications[d.name] = new StreamAnalytics(
        `${account.name}-${d.name}-flink`,
        {
          accountId: account.id,
          region: account.region,
          applicationName: app,
          roleName: flinkRoleName(p, d),
          streamArn: streams[d.name].stream.arn,
          streamKeyArn: streams[d.name].streamKeyArn,
          code: {
            bucketName: artifactsBucketName(p, account),
            fileKey: `flink/${app}${path.extname(artefacts[d.name]) === ".jar" ? ".jar" : ".zip"}`,
            kmsKeyArn: artifacts.keyArn,
            source: artefacts[d.name],
            dependsOn: [artifacts],
          },
          tags: datasetTags(d),
        },
        { provider },
      );
    }
  }

  const replicated = datasets.filter((d): d is Dataset & { ingestion: Dms } => d.ingestion.type === "dms");
  // The definition's validation refuses DMS datasets of an account without network (accounts[i].network).
  const replications: Record<string, DmsIngestion> = {};
  // DMS Serverless reaches S3 and Secrets Manager only through VPC endpoints: created here unless the
  // definition says they exist (the validation then requires vpcId and routeTableIds).
  const network = account.network;
  const endpoints =
    replicated.length > 0 && network !== undefined && network.vpcEndpoints === "create"
      ? new DmsVpcEndpoints(
          `${account.name}-dms-endpoints`,
          {
            accountId: account.id,
            region: account.region,
            vpcId: network.vpcId!,
            routeTableIds: network.routeTableIds,
            subnetIds: network.subnetIds,
            clientSecurityGroupIds: network.securityGroupIds,
            // The account's own prefix of the raw bucket, where each of its DMS datasets writes its own
            // prefix: one resource however many datasets replicate here.
            s3Writes: [{ bucketName: bucketName(p, "raw"), prefixes: [producerPrefix(p, account.name)] }],
            tags: sharedTags(p),
          },
          { provider },
        )
      : undefined;
  for (const d of replicated) {
    const dms = d.ingestion.dms;
    const partitionedByDate = d.schema.partitionKeys.some((k) => k.name === "dt");
    replications[d.name] = new DmsIngestion(
      `${account.name}-${d.name}`,
      {
        accountId: account.id,
        region: account.region,
        identifier: dmsReplicationId(p, d),
        roleName: ingestionRoleName(p, d),
        secretRoleName: dmsSecretRoleName(p, d),
        subnetIds: account.network!.subnetIds,
        securityGroupIds: account.network!.securityGroupIds,
        source: {
          engine: dms.engine,
          secretArn: dms.secretArn,
          ...(dms.databaseName !== undefined ? { databaseName: dms.databaseName } : {}),
          schema: dms.sourceSchema,
          table: dmsSourceTable(d)!,
        },
        // Files land where the dataset's table reads (platform tableLayout): `<prefix><schema>/<table>/`,
        // in date folders `YYYY-MM-DD/` when the table is partitioned by dt.
        lake: {
          ...lakeTarget(d),
          ...(partitionedByDate ? { datePartitioning: { timezone: dms.partitionTimezone } } : {}),
        },
        insertsOnly: dms.insertsOnly,
        commitTimestampColumn: DMS_COMMIT_TIMESTAMP_COLUMN,
        ...(endpoints !== undefined ? { dependsOn: endpoints.ready } : {}),
        keyAdminArns: keyAdmins,
        tags: datasetTags(d),
      },
      { provider },
    );
  }

  return {
    datasets: datasets.map((d) => d.name),
    streams: Object.fromEntries(Object.entries(streams).map(([d, s]) => [d, s.stream.name])),
    deliveryStreams: Object.fromEntries(Object.entries(streams).map(([d, s]) => [d, s.deliveryStream.name])),
    flinkApplications: Object.fromEntries(
      Object.entries(applications).map(([d, a]) => [d, a.application.name]),
    ),
    dmsReplications: Object.fromEntries(
      Object.entries(replications).map(([d, r]) => [d, r.replication.replicationConfigIdentifier]),
    ),
    ingestionRoles: Object.fromEntries(
      [...Object.entries(streams), ...Object.entries(replications)].map(([d, c]) => [d, c.role.arn]),
    ),
  };
}
