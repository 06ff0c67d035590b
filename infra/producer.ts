import type * as aws from "@pulumi/aws";
import { DmsIngestion } from "../components/batch-ingestion";
import { LakeStorage } from "../components/lake-storage";
import { StreamAnalytics } from "../components/stream-analytics";
import { StreamingIngestion } from "../components/streaming";
import {
  accessLogBucketName,
  artifactsBucketName,
  bucketName,
  databaseName,
  datasetPrefix,
  datasetTags,
  deliveryStreamName,
  dmsReplicationId,
  dmsSecretRoleName,
  flinkApplicationName,
  flinkRoleName,
  ingestionErrorPrefix,
  ingestionRoleName,
  ingestionStreamName,
  lakeAccount,
  lakeKeyAliasArn,
  sharedTags,
  tableName,
} from "../platform";
import type { Dataset } from "../platform";
import type { AccountContext } from "./context";

type Firehose = Extract<Dataset["ingestion"], { type: "firehose" }>;
type Dms = Extract<Dataset["ingestion"], { type: "dms" }>;

/**
 * A producer account: the ingestion of the datasets it is registered to produce, into their prefixes of
 * the lake's raw bucket, each as the dataset's ingestion role. Streaming datasets (`ingestion.type:
 * firehose`) get a Kinesis data stream and a Firehose delivery stream converting to Parquet against the
 * dataset's table in the lake's catalog, and a Flink application where `ingestion.flink` says so (its
 * code in the account's artifacts bucket); database datasets (`dms`) a serverless DMS replication
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
    prefix: datasetPrefix(d),
    kmsKeyArn: lakeKeyAliasArn(p),
  });
  const keyAdmins = account.deploymentRoleArn ? [account.deploymentRoleArn] : [];

  const streaming = datasets.filter(
    (d): d is Dataset & { ingestion: Firehose } => d.ingestion.type === "firehose",
  );
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
          errorPrefix: ingestionErrorPrefix(d),
          databaseName: databaseName(d.domain),
          tableName: tableName(d),
        },
        partitionKeys: d.schema.partitionKeys.map((k) => ({ name: k.name })),
        ...(d.ingestion.bufferSeconds !== undefined ? { bufferSeconds: d.ingestion.bufferSeconds } : {}),
        ...(d.ingestion.bufferMB !== undefined ? { bufferMB: d.ingestion.bufferMB } : {}),
        tags: datasetTags(d),
      },
      { provider },
    );
  }

  // Flink code lives in one artifacts bucket per account: KMS-encrypted, versioned, logged.
  const flink = streaming.filter((d) => d.ingestion.flink);
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
            fileKey: `flink/${app}.zip`,
            kmsKeyArn: artifacts.keyArn,
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
  for (const d of replicated) {
    const dms = d.ingestion.dms;
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
          schema: dms.sourceSchema,
          ...(dms.sourceTable !== undefined ? { table: dms.sourceTable } : {}),
        },
        lake: lakeTarget(d),
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
