import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LakeCatalog } from "../components/catalog";
import { GovernanceAutomation } from "../components/governance";
import { LakeFormation } from "../components/lakeformation";
import { LakeStorage } from "../components/storage";
import { LakeShares, TeamShare } from "../components/sharing";
import {
  bucketName,
  databaseName,
  endedDatasets,
  kmsAliasName,
  lakeGrants,
  LIFECYCLE_TAG,
  lfTagOntology,
  lifecycleTagValue,
  sharedTableCondition,
  lakeFormationDataAccessRoleName,
  sharedTags,
  storageZones,
  stricterThanDataset,
  tableLayout,
  tableName,
  tableParameters,
} from "../platform";
import type { Platform } from "../platform";
import { validatorDeployment } from "../validator/deployment";
import type { AccountContext } from "./context";
import { analyticsShareTeams, teamShare } from "./analytics-shares";
import { deployerArn } from "./deployer";
import { ingestionStorageArgs, lakeIngestion } from "./lake-ingestion";

/**
 * The Glue databases (one per domain that has datasets) and tables (one per dataset). Each table's
 * location, partition keys and partition projection are its dataset's layout (`tableLayout`): where its
 * writer puts the data, so that what lands is what the table reads. Each table carries the lifecycle
 * LF-tag of its dataset on `date` (`retired` past `endsOn`), which every TABLE tag grant requires `active`.
 */
export function catalogLayout(
  p: Platform,
  date: string,
): {
  databases: { name: string; description: string; lfTags: Record<string, string> }[];
  tables: {
    database: string;
    name: string;
    description: string;
    location: string;
    columns: { name: string; type: string; comment?: string; lfTags?: Record<string, string> }[];
    partitionKeys: { name: string; type: string; comment?: string }[];
    parameters: Record<string, string>;
    projection: Record<string, string>;
    lfTags: Record<string, string>;
  }[];
} {
  const domains = [...new Set(p.datasets.map((d) => d.domain))].sort();
  return {
    databases: domains.map((domain) => ({
      name: databaseName(domain),
      description: `Datasets of the ${domain} domain`,
      lfTags: { domain },
    })),
    tables: p.datasets.map((d) => {
      const layout = tableLayout(p, d);
      return {
        database: databaseName(d.domain),
        name: tableName(d),
        description: d.description,
        location: layout.location,
        columns: d.schema.columns.map((c) => ({
          name: c.name,
          type: c.type,
          ...(c.comment ? { comment: c.comment } : {}),
          // A column stricter than its dataset carries its own classification, so tag expressions that
          // exclude that classification exclude the column.
          ...(c.classification && stricterThanDataset(p, d, c.name)
            ? { lfTags: { classification: c.classification } }
            : {}),
        })),
        partitionKeys: layout.partitionKeys.map((k) => {
          const comment = d.schema.partitionKeys.find((s) => s.name === k.name)?.comment;
          return { name: k.name, type: k.type, ...(comment ? { comment } : {}) };
        }),
        parameters: tableParameters(d),
        // Athena reads the partitions through projection, where the writer's layout is known.
        projection: { ...layout.projection },
        lfTags: {
          domain: d.domain,
          classification: d.classification,
          [LIFECYCLE_TAG.key]: lifecycleTagValue(d, date),
        },
      };
    }),
  };
}

/**
 * What each consumer team is granted in the lake (the access model's `lakeGrants` for its analyst role):
 * its tag expressions as they are, and its named datasets that none of its expressions already matches —
 * each without its stricter columns, through its row filter where the team has one. A dataset past its
 * `endsOn` on `date` is not named (and its table, tagged `retired`, leaves the tag grants:
 * `sharedTableCondition`).
 */
export function lakeShareTeams(p: Platform, date: string): TeamShare[] {
  return lakeGrants(p, date)
    .filter((g) => g.principal.kind === "analyst")
    .map((g) => teamShare(g, g.consumer.team));
}

/**
 * A notice per dataset past its `endsOn`: what the lake no longer declares for it, and what stays.
 */
function announceEndedDatasets(ctx: AccountContext): void {
  for (const d of endedDatasets(ctx.platform, ctx.date))
    void pulumi.log.info(
      `${ctx.account.name}: the registration of dataset ${d.name} ended on ${d.endsOn}; its table is ` +
        `tagged ${LIFECYCLE_TAG.key}=${LIFECYCLE_TAG.retired} (no grant matches it), no team is granted it ` +
        `by name and it is not crawled. Its data and its writer's grant stay: delete the data and retire ` +
        `the writer, or extend endsOn in the platform definition`,
    );
}

/**
 * The lake account: encrypted S3 zones, Lake Formation (settings, registered locations, LF-tag
 * ontology), the Glue catalog of every registered dataset with its LF-tags, the grants to consumers,
 * their analytics and producers' ingestion, crawlers, and the governance validator.
 */
export function lakeAccount(ctx: AccountContext, provider: aws.Provider): Record<string, unknown> {
  const p = ctx.platform;
  const zones = storageZones(p);
  const tags = sharedTags(p);
  const deployer = deployerArn(ctx, provider);
  const dataAccessRoleName = lakeFormationDataAccessRoleName(p);

  const storage = new LakeStorage(
    "lake",
    {
      bucketNames: Object.fromEntries(zones.map((z) => [z, bucketName(p, z)])),
      accessLogBucketName: bucketName(p, "access-logs"),
      lifecycle: Object.fromEntries(zones.map((z) => [z, p.lake.zones[z] ?? {}])),
      accountId: ctx.account.id,
      keyAlias: kmsAliasName(p),
      keyAdminArns: [
        ...p.lake.admins,
        ...(ctx.account.deploymentRoleArn ? [ctx.account.deploymentRoleArn] : []),
      ],
      // The data-access role gets its key rights from its own IAM policy: the key policy delegates to
      // IAM (account root), and naming the role here would fail while it does not exist yet.
      accessLogRetentionDays: p.lake.accessLogRetentionDays,
      // The key also encrypts the catalog's metadata, which consumer accounts read through Glue.
      catalogReaderAccountIds: p.accounts.filter((a) => a.role === "consumer").map((a) => a.id),
      tags,
      // Ingestion: producers' ingestion roles write their raw prefixes and use the key through S3/Glue.
      ...ingestionStorageArgs(p),
    },
    { provider },
  );

  const lakeFormation = new LakeFormation(
    "lake",
    {
      catalogId: ctx.account.id,
      admins: p.lake.admins,
      deploymentRoleArn: deployer,
      lfTags: lfTagOntology(p),
      locations: zones.map((z) => ({ name: z, bucketArn: storage.bucketArns[z] })),
      dataAccessRoleName,
      kmsKeyArn: storage.keyArn,
      tags,
    },
    { provider },
  );

  const layout = catalogLayout(p, ctx.date);
  announceEndedDatasets(ctx);
  const catalog = new LakeCatalog(
    "lake",
    {
      catalogId: ctx.account.id,
      databases: layout.databases,
      tables: layout.tables,
      encryptionKeyArn: storage.keyArn,
      lakeFormationDependencies: [lakeFormation.settings, ...Object.values(lakeFormation.lfTags)],
      tags,
    },
    { provider },
  );

  // Consumers read in place: Lake Formation grants to each team's role in its own account, once the
  // LF-tags, databases and tables they name exist.
  const shares = new LakeShares(
    "lake",
    {
      catalogId: ctx.account.id,
      lfTags: lfTagOntology(p),
      requiredTableTags: sharedTableCondition(),
      databaseTags: Object.fromEntries(layout.databases.map((d) => [d.name, d.lfTags.domain])),
      teams: lakeShareTeams(p, ctx.date),
      date: ctx.date,
      reminderDays: p.governance.reminderDays,
      lakeFormationDependencies: [lakeFormation.settings, ...Object.values(lakeFormation.lfTags)],
      catalogResources: { ...catalog.databases, ...catalog.tables },
    },
    { provider },
  );

  // ── Consumer analytics (QuickSight, EMR Serverless): grants to the roles they read as ─────────────
  // Their own component, so the teams' grant count and expiry outputs stay the teams'.
  const analyticsShares = new LakeShares(
    "lake-analytics",
    {
      catalogId: ctx.account.id,
      lfTags: lfTagOntology(p),
      requiredTableTags: sharedTableCondition(),
      databaseTags: Object.fromEntries(layout.databases.map((d) => [d.name, d.lfTags.domain])),
      teams: analyticsShareTeams(p, ctx.date),
      date: ctx.date,
      reminderDays: p.governance.reminderDays,
      lakeFormationDependencies: [lakeFormation.settings, ...Object.values(lakeFormation.lfTags)],
      catalogResources: { ...catalog.databases, ...catalog.tables },
    },
    { provider },
  );
  // ── end of consumer analytics ──────────────────────────────────────────────────────────────────────

  // ── Ingestion: Lake Formation grants to producers' ingestion roles, crawlers ──────────────────────
  const ingestion = lakeIngestion(p, provider, {
    date: ctx.date,
    rawBucketArn: storage.bucketArns.raw,
    keyArn: storage.keyArn,
    dependsOn: [
      lakeFormation.settings,
      ...(lakeFormation.registeredLocations.raw ? [lakeFormation.registeredLocations.raw] : []),
    ],
    tables: catalog.tables,
  });
  // ── end of ingestion ───────────────────────────────────────────────────────────────────────────────

  // Governance: the daily validator, its registry (the definition), schedule, sender and alarms.
  const governanceBucket = bucketName(p, "governance");
  const governance = new GovernanceAutomation(
    "lake-governance",
    {
      platform: p,
      validator: validatorDeployment(p, { governanceBucket, kmsKeyArn: storage.keyArn }),
      kmsKeyArn: storage.keyArn,
      bucketName: governanceBucket,
      accessLogBucketName: storage.accessLogBucket.bucket,
      lakeFormationDependencies: [lakeFormation.settings, ...Object.values(lakeFormation.lfTags)],
      tags,
    },
    { provider },
  );

  return {
    kmsKeyArn: storage.keyArn,
    buckets: Object.fromEntries(zones.map((z) => [z, bucketName(p, z)])),
    accessLogBucket: bucketName(p, "access-logs"),
    dataAccessRoleArn: lakeFormation.dataAccessRoleArn,
    databases: layout.databases.map((d) => d.name),
    tables: layout.tables.map((t) => `${t.database}.${t.name}`),
    catalog: catalog.urn,
    grants: shares.grants.length,
    dataCellsFilters: Object.keys(shares.dataCellsFilters),
    expiringGrants: shares.expiringGrants,
    expiredGrants: shares.expiredGrants,
    analyticsGrants: analyticsShares.grants.length,
    analyticsDataCellsFilters: Object.keys(analyticsShares.dataCellsFilters),
    ...ingestion,
    governanceBucket: governance.bucketName,
    governanceFunction: governance.functionName,
    governanceSchedule: governance.scheduleArn,
  };
}
