// Marketing analytics' Spark and QuickSight over the lake, written in the team's own Pulumi project
// with the platform's components. The team, its account, what it may read and the analytics it asked
// for come from the platform definition; every name from its naming rules. The account's baseline —
// resource links, the team's analyst role and Athena workgroup, the query-results bucket and its key —
// is the analytics-consumer stack's (`infra/consumer.ts`): this program uses it, by name.
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
// From the published package: import { QuickSightAnalytics, SparkAnalytics, loadPlatform, ... } from
// "@acme/lakehouse" (its 0.2.0 does not export `quickSightColumnType` yet: that one stays a deep import).
import { SparkAnalytics } from "../../components/analytics/spark-analytics";
import { QuickSightAnalytics, quickSightColumnType } from "../../components/analytics/quicksight-analytics";
import {
  accountByName,
  analystRoleName,
  athenaResultsBucketName,
  athenaResultsKeyAlias,
  athenaWorkgroupName,
  databaseName,
  datasetTags,
  hiddenColumns,
  kmsAliasName,
  lakeAccount,
  loadPlatform,
  quicksightDataSetId,
  quicksightDataSourceId,
  quicksightRoleName,
  readableClassification,
  readableDatasets,
  resourceLinkName,
  sharedTags,
  sparkApplicationName,
  sparkArtifactsPrefix,
  sparkJobRoleName,
  tableName,
} from "../../platform";

const TEAM = "marketing-analytics";
/** The dataset the team imports into SPICE: one of its `analytics.quicksight.datasets`. */
const SPICE_DATASET = "clickstream";

// `lakehouse:platform` (also what `npm run plan -- --platform` sets) names the definition; by default
// the repository's example platform.
const definition = new pulumi.Config("lakehouse").get("platform");
const platform = loadPlatform(
  definition ? path.resolve(definition) : path.join(__dirname, "..", "..", "stacks", "platform.yaml"),
);

const team = platform.consumers.find((c) => c.team === TEAM);
if (!team) throw new Error(`${TEAM} is not a consumer team of the platform definition`);
const emr = team.analytics.emrServerless;
if (!emr)
  throw new Error(
    `${TEAM} has no analytics.emrServerless in the definition: the lake grants its Spark jobs nothing`,
  );
// The lake grants the team's QuickSight role only the datasets the definition lists for it.
const spice = team.analytics.quicksight?.datasets.find((q) => q.dataset === SPICE_DATASET);
if (!spice) throw new Error(`${SPICE_DATASET} is not in ${TEAM}'s analytics.quicksight.datasets`);
const dataset = readableDatasets(platform, team).find((d) => d.name === SPICE_DATASET);
if (!dataset) throw new Error(`${TEAM} may not read ${SPICE_DATASET}`);
const account = accountByName(platform, team.account);
const lake = lakeAccount(platform);

const provider = new aws.Provider(account.name, {
  region: account.region as aws.Region,
  allowedAccountIds: [account.id],
  ...(account.deploymentRoleArn
    ? { assumeRoles: [{ roleArn: account.deploymentRoleArn, sessionName: "consumer-spark-and-spice" }] }
    : {}),
});

const lakeCatalog = { accountId: lake.id, region: lake.region, catalogKeyAlias: kmsAliasName(platform) };
/** The lake databases the team reads, each through the account's resource link to it. */
const sharedDatabases = [...new Set(readableDatasets(platform, team).map((d) => d.domain))]
  .sort()
  .map((domain) => ({ database: databaseName(domain), linkName: resourceLinkName(domain) }));
const resultsBucket = athenaResultsBucketName(platform, account);
// The account's query-results key exists (the consumer stack created it); IAM names keys by ARN only.
const resultsKeyArn = aws.kms.getAliasOutput(
  { name: athenaResultsKeyAlias(platform) },
  { provider },
).targetKeyArn;
// A resource several datasets flow through: `dataset: shared`, the team as owner, at most what it reads.
const teamTags = sharedTags(platform, readableClassification(platform, team), {
  team: team.team,
  email: team.email,
});

const spark = new SparkAnalytics(
  `${TEAM}-spark`,
  {
    accountId: account.id,
    region: account.region,
    applicationName: sparkApplicationName(team),
    maxVcpu: emr.maxVcpu,
    maxMemoryGb: emr.maxMemoryGb,
    ...(account.network ? { network: account.network } : {}),
    jobRoleName: sparkJobRoleName(platform, team),
    lake: lakeCatalog,
    sharedDatabases,
    // Scripts and job logs in the team's prefix of the account's results bucket.
    artifacts: { bucketName: resultsBucket, keyArn: resultsKeyArn },
    artifactsPrefix: sparkArtifactsPrefix(team),
    submitters: { analyst: analystRoleName(platform, team) },
    tags: teamTags,
  },
  { provider },
);

// The columns the team may read (not the stricter ones), partition keys included, that QuickSight can
// import (it skips maps, arrays and structs).
const hidden = new Set(hiddenColumns(platform, team, dataset));
const columns = [
  ...dataset.schema.columns.filter((c) => !hidden.has(c.name)),
  ...dataset.schema.partitionKeys,
].flatMap((c) => {
  const type = quickSightColumnType(c.type);
  return type ? [{ name: c.name, type }] : [];
});
const linkOf = resourceLinkName(dataset.domain);

const quicksight = new QuickSightAnalytics(
  `${TEAM}-quicksight`,
  {
    accountId: account.id,
    region: account.region,
    groupName: team.team,
    dataSourceId: quicksightDataSourceId(team),
    workgroupName: athenaWorkgroupName(team),
    roleName: quicksightRoleName(platform, team),
    lake: lakeCatalog,
    sharedDatabases: sharedDatabases.filter((db) => db.linkName === linkOf),
    resultsBucketName: resultsBucket,
    resultsKeyArn,
    dataSets: [
      {
        id: quicksightDataSetId(team, dataset),
        name: `${dataset.name} (${team.team})`,
        database: linkOf,
        table: tableName(dataset),
        columns,
        refresh: {
          interval: spice.refresh.interval,
          timezone: spice.refresh.timezone,
          ...(spice.refresh.timeOfDay !== undefined ? { timeOfDay: spice.refresh.timeOfDay } : {}),
        },
        // A copy of the dataset's rows: tagged as the dataset.
        tags: datasetTags(dataset),
      },
    ],
    tags: teamTags,
  },
  { provider },
);

export const sparkApplicationId = spark.application.id;
/** `--execution-role-arn` of `aws emr-serverless start-job-run`. */
export const sparkJobRoleArn = spark.jobRole.arn;
export const sparkScriptsUri = spark.scriptsUri;
export const quicksightDataSourceArn = quicksight.dataSource.arn;
export const quicksightDataSetIds = Object.keys(quicksight.dataSets);
