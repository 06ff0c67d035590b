import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConsumerAccess } from "../components/sharing";
import { RedshiftSpectrum, SparkAnalytics } from "../components/analytics";
import { SpectrumVpcEndpoints } from "../components/network";
import { QuickSightAnalytics, QuickSightDataSetSpec } from "../components/analytics";
import { quickSightColumnType } from "../components/analytics/quicksight-analytics";
import {
  accessLogBucketName,
  analystRoleName,
  athenaResultsBucketName,
  athenaResultsKeyAlias,
  athenaWorkgroupName,
  classificationRank,
  classifications,
  databaseName,
  datasetTags,
  grantStatus,
  hiddenColumns,
  kmsAliasName,
  lakeAccount,
  quicksightDataSetId,
  quicksightGroupArn,
  quicksightDataSourceId,
  quicksightRoleName,
  readableClassification,
  readableOn,
  REDSHIFT_DATABASE,
  redshiftReaderRoleName,
  redshiftRoleName,
  redshiftWorkgroupName,
  registrationEnded,
  resourceLinkName,
  sharedTags,
  sparkApplicationName,
  sparkArtifactsPrefix,
  sparkJobRoleName,
  lakeDataBuckets,
  tableName,
} from "../platform";
import type { Consumer, Dataset, Platform } from "../platform";
import type { AccountContext } from "./context";
import { deployerArn } from "./deployer";

/**
 * A consumer account: its Lake Formation settings, a resource link per lake database its teams read, and
 * per team an analyst role and an Athena workgroup writing to the account's encrypted results bucket.
 * Everything about the lake (account, region, database names, key alias) comes from the definition, so
 * the stack plans and deploys on its own. A team whose grant has expired keeps its role and workgroup
 * (and its past results) but gets no permission on the links. A dataset past its `endsOn` is no
 * team's to read: no link for it alone, no SPICE data set of it.
 */
export function consumerAccount(ctx: AccountContext, provider: aws.Provider): Record<string, unknown> {
  const p = ctx.platform;
  const lake = lakeAccount(p);
  const consumers = p.consumers.filter((c) => c.account === ctx.account.name);
  const teams = consumers.map((c) => {
    const status = grantStatus(c, ctx.date, p.governance.reminderDays);
    // Not granted (yet, or any more): the role and workgroup stay, the team reads nothing.
    const expired = status === "expired" || status === "pending";
    if (status === "expired")
      void pulumi.log.info(
        `${ctx.account.name}: the grant of ${c.team} expired on ${c.expiresOn}; its role and workgroup stay, ` +
          `its permissions on the resource links are not declared`,
      );
    if (status === "pending")
      void pulumi.log.info(
        `${ctx.account.name}: the grant of ${c.team} starts on ${c.grantedOn}; its role and workgroup exist, ` +
          `its permissions on the resource links are not declared yet`,
      );
    // A dataset past its endsOn is shared with nobody: a domain left with none of them needs no link.
    const domains = expired ? [] : [...new Set(readableOn(p, c, ctx.date).map((d) => d.domain))].sort();
    return { consumer: c, expired, domains, classification: readableClassification(p, c) };
  });
  const domains = [...new Set(teams.flatMap((t) => t.domains))].sort();
  const highest = Math.max(...teams.map((t) => classificationRank(p, t.classification)), 0);

  const access = new ConsumerAccess(
    ctx.account.name,
    {
      accountId: ctx.account.id,
      region: ctx.account.region,
      lake: { accountId: lake.id, region: lake.region, catalogKeyAlias: kmsAliasName(p) },
      deploymentRoleArn: deployerArn(ctx, provider),
      sharedDatabases: domains.map(sharedDatabase),
      teams: teams.map(({ consumer: c, domains: read, classification }) => ({
        team: c.team,
        roleName: analystRoleName(p, c),
        workgroupName: athenaWorkgroupName(c),
        databases: read.map(databaseName),
        tags: sharedTags(p, classification, { team: c.team, email: c.email }),
      })),
      resultsBucketName: athenaResultsBucketName(p, ctx.account),
      accessLogBucketName: accessLogBucketName(p, ctx.account),
      resultsKeyAlias: athenaResultsKeyAlias(p),
      // The results bucket holds every team's results: at most the most sensitive of them.
      tags: sharedTags(p, classifications(p)[highest]),
    },
    { provider },
  );

  // Analytics each team asks for (`consumers[].analytics`), reading the lake as the team does: through
  // the links, with the lake's grants to their own roles (infra/lake.ts, `analyticsShareTeams`).
  const lakeRef = { accountId: lake.id, region: lake.region, catalogKeyAlias: kmsAliasName(p) };
  const linkDependencies = [access.settings, ...Object.values(access.resourceLinks)];
  const spark: Record<string, SparkAnalytics> = {};
  const redshift: Record<string, RedshiftSpectrum> = {};
  // Redshift with enhanced VPC routing reaches S3 and Glue through VPC endpoints: one pair per account,
  // created here unless the definition says they exist (the validation then requires vpcId and
  // routeTableIds, and three subnets in three Availability Zones).
  const network = ctx.account.network;
  const spectrumEndpoints =
    network !== undefined && network.vpcEndpoints === "create" && consumers.some((c) => c.analytics.redshift)
      ? new SpectrumVpcEndpoints(
          `${ctx.account.name}-spectrum-endpoints`,
          {
            accountId: ctx.account.id,
            region: ctx.account.region,
            vpcId: network.vpcId!,
            routeTableIds: network.routeTableIds,
            subnetIds: network.subnetIds,
            clientSecurityGroupIds: network.securityGroupIds,
            lake: { accountId: lake.id, bucketNames: lakeDataBuckets(p) },
            tags: sharedTags(p, classifications(p)[highest]),
          },
          { provider },
        )
      : undefined;
  const quicksight: Record<string, QuickSightAnalytics> = {};
  for (const { consumer: c, expired, domains: read, classification } of teams) {
    const teamTags = sharedTags(p, classification, { team: c.team, email: c.email });
    const emr = c.analytics.emrServerless;
    if (emr) {
      spark[c.team] = new SparkAnalytics(
        `${c.team}-spark`,
        {
          accountId: ctx.account.id,
          region: ctx.account.region,
          applicationName: sparkApplicationName(c),
          maxVcpu: emr.maxVcpu,
          maxMemoryGb: emr.maxMemoryGb,
          ...(ctx.account.network ? { network: ctx.account.network } : {}),
          jobRoleName: sparkJobRoleName(p, c),
          lake: lakeRef,
          sharedDatabases: read.map(sharedDatabase),
          artifacts: { bucketName: athenaResultsBucketName(p, ctx.account), keyArn: access.resultsKey.arn },
          artifactsPrefix: sparkArtifactsPrefix(c),
          submitters: { analyst: access.teams[c.team].role.name },
          lakeFormationDependencies: linkDependencies,
          tags: teamTags,
        },
        { provider },
      );
    }
    const rs = c.analytics.redshift;
    if (rs) {
      // The validation made sure the account has a network of three subnets in three zones.
      redshift[c.team] = new RedshiftSpectrum(
        `${c.team}-redshift`,
        {
          accountId: ctx.account.id,
          region: ctx.account.region,
          name: redshiftWorkgroupName(c),
          databaseName: REDSHIFT_DATABASE,
          baseCapacity: rs.baseCapacity,
          ...(rs.usageLimit ? { usageLimit: rs.usageLimit } : {}),
          network: {
            subnetIds: network!.subnetIds,
            availabilityZones: network!.availabilityZones,
            securityGroupIds: network!.securityGroupIds,
          },
          roleName: redshiftRoleName(p, c),
          lake: lakeRef,
          // One external schema per lake database the team reads now; none while its grant does not hold.
          sharedDatabases: read.map(sharedDatabase),
          readerRoleName: redshiftReaderRoleName(c),
          lakeFormationDependencies: linkDependencies,
          networkDependencies: spectrumEndpoints?.ready ?? [],
          tags: teamTags,
        },
        { provider },
      );
    }
    const qs = c.analytics.quicksight;
    if (qs) {
      // SPICE holds copies: after the grant expires the data sets go too (the data source stays).
      if (expired)
        void pulumi.log.info(
          `${ctx.account.name}: the grant of ${c.team} ` +
            (c.grantedOn !== undefined && c.grantedOn > ctx.date
              ? `starts on ${c.grantedOn}; its QuickSight SPICE data sets are not declared yet`
              : `expired on ${c.expiresOn}; its QuickSight SPICE data sets are not declared`),
        );
      const ended = qs.datasets.filter((q) => registrationEnded(datasetNamed(p, q.dataset), ctx.date));
      for (const q of expired ? [] : ended)
        void pulumi.log.info(
          `${ctx.account.name}: the registration of ${q.dataset} ended on ` +
            `${datasetNamed(p, q.dataset).endsOn}; the SPICE data set ${c.team} imported of it is not declared`,
        );
      const dataSets = expired
        ? []
        : qs.datasets.filter((q) => !ended.includes(q)).map((q) => quickSightDataSet(p, c, q));
      const links = [...new Set(dataSets.map((d) => d.database))].sort();
      quicksight[c.team] = new QuickSightAnalytics(
        `${c.team}-quicksight`,
        {
          accountId: ctx.account.id,
          region: ctx.account.region,
          groupName: c.team,
          dataSourceId: quicksightDataSourceId(c),
          dataSourceName: `${c.team} lake (Athena ${athenaWorkgroupName(c)})`,
          workgroupName: athenaWorkgroupName(c),
          roleName: quicksightRoleName(p, c),
          lake: lakeRef,
          sharedDatabases: read.filter((d) => links.includes(resourceLinkName(d))).map(sharedDatabase),
          resultsBucketName: athenaResultsBucketName(p, ctx.account),
          resultsKeyArn: access.resultsKey.arn,
          dataSets,
          lakeFormationDependencies: linkDependencies,
          tags: teamTags,
        },
        // QuickSight queries through the team's workgroup: it exists first.
        { provider, dependsOn: [access.teams[c.team].workgroup] },
      );
    }
  }

  return {
    teams: consumers.map((c) => c.team),
    resourceLinks: Object.fromEntries(domains.map((d) => [databaseName(d), resourceLinkName(d)])),
    workgroups: Object.fromEntries(consumers.map((c) => [c.team, athenaWorkgroupName(c)])),
    analystRoleArns: Object.fromEntries(
      Object.entries(access.teams).map(([team, { role }]) => [team, role.arn]),
    ),
    resultsBucket: athenaResultsBucketName(p, ctx.account),
    sparkApplications: Object.fromEntries(Object.entries(spark).map(([team, s]) => [team, s.application.id])),
    sparkJobRoleArns: Object.fromEntries(Object.entries(spark).map(([team, s]) => [team, s.jobRole.arn])),
    redshiftWorkgroups: Object.fromEntries(
      Object.entries(redshift).map(([team, r]) => [team, r.workgroup.workgroupName]),
    ),
    redshiftRoleArns: Object.fromEntries(Object.entries(redshift).map(([team, r]) => [team, r.role.arn])),
    redshiftReaderRoles: Object.fromEntries(
      Object.entries(redshift).map(([team, r]) => [team, r.readerRoleName]),
    ),
    quicksightGroups: Object.fromEntries(
      Object.keys(quicksight).map((team) => [
        team,
        quicksightGroupArn(
          p,
          consumers.find((c) => c.team === team)!,
        ),
      ]),
    ),
    quicksightDataSets: Object.fromEntries(
      Object.entries(quicksight).map(([team, q]) => [team, Object.keys(q.dataSets)]),
    ),
  };
}

/**
 * A team's SPICE data set of a dataset: read through the dataset's resource link, its columns (partition
 * keys included) the team may read and QuickSight can import, tagged as the dataset.
 */
function quickSightDataSet(
  p: Platform,
  c: Consumer,
  q: NonNullable<Consumer["analytics"]["quicksight"]>["datasets"][number],
): QuickSightDataSetSpec {
  const d = datasetNamed(p, q.dataset);
  const hidden = new Set(hiddenColumns(p, c, d));
  const columns = [
    ...d.schema.columns.filter((col) => !hidden.has(col.name)),
    ...d.schema.partitionKeys,
  ].flatMap((col) => {
    const type = quickSightColumnType(col.type);
    return type ? [{ name: col.name, type }] : [];
  });
  // QuickSight refreshes every 15 or 30 minutes incrementally only: the last day of the dataset's first
  // date or timestamp column (its partition key when it has one).
  const subHourly = q.refresh.interval === "MINUTE15" || q.refresh.interval === "MINUTE30";
  const lookback = [...d.schema.partitionKeys, ...d.schema.columns].find(
    (col) => quickSightColumnType(col.type) === "DATETIME" && !hidden.has(col.name),
  );
  if (subHourly && !lookback)
    throw new Error(
      `consumers ${c.team}: QuickSight refreshes ${q.dataset} every ${q.refresh.interval} incrementally only, which needs a date or timestamp column it has not; refresh it HOURLY or less often`,
    );
  return {
    id: quicksightDataSetId(c, d),
    name: `${d.name} (${c.team})`,
    database: resourceLinkName(d.domain),
    table: tableName(d),
    columns,
    refresh: {
      interval: q.refresh.interval,
      timezone: q.refresh.timezone,
      ...(q.refresh.timeOfDay !== undefined ? { timeOfDay: q.refresh.timeOfDay } : {}),
      ...(subHourly && lookback
        ? { incremental: { column: lookback.name, size: 1, unit: "DAY" as const } }
        : {}),
    },
    tags: datasetTags(d),
  };
}

/** A dataset the definition registers (validation made sure every reference names one). */
function datasetNamed(p: Platform, name: string): Dataset {
  return p.datasets.find((x) => x.name === name) as Dataset;
}

/** A domain's lake database and its resource link in a consumer account, as every consumer component takes them. */
function sharedDatabase(domain: string): { database: string; linkName: string } {
  return { database: databaseName(domain), linkName: resourceLinkName(domain) };
}
