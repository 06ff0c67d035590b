import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LakeCatalog } from "../components/catalog";
import { LakeFormation } from "../components/lake-formation";
import { LakeStorage } from "../components/lake-storage";
import {
  bucketName,
  classificationRank,
  databaseName,
  datasetLocation,
  kmsAliasName,
  lakeFormationDataAccessRoleName,
  sharedTags,
  storageZones,
  tableName,
  tableParameters,
} from "../platform";
import type { Platform } from "../platform";
import type { AccountContext } from "./context";

/**
 * The deployer's IAM role ARN: the definition's `deploymentRoleArn`, else the role behind the current
 * credentials (an assumed-role session resolved to its role, as Lake Formation admins must be roles).
 */
function deployerArn(ctx: AccountContext, provider: aws.Provider): pulumi.Input<string> {
  if (ctx.account.deploymentRoleArn) return ctx.account.deploymentRoleArn;
  const caller = aws.getCallerIdentityOutput({}, { provider });
  return aws.iam.getSessionContextOutput({ arn: caller.arn }, { provider }).issuerArn;
}

/** The Glue databases (one per domain that has datasets) and tables (one per dataset). */
export function catalogLayout(p: Platform): {
  databases: { name: string; description: string; lfTags: Record<string, string> }[];
  tables: {
    database: string;
    name: string;
    description: string;
    location: string;
    columns: { name: string; type: string; comment?: string; lfTags?: Record<string, string> }[];
    partitionKeys: { name: string; type: string; comment?: string }[];
    parameters: Record<string, string>;
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
    tables: p.datasets.map((d) => ({
      database: databaseName(d.domain),
      name: tableName(d),
      description: d.description,
      location: datasetLocation(p, d),
      columns: d.schema.columns.map((c) => ({
        name: c.name,
        type: c.type,
        ...(c.comment ? { comment: c.comment } : {}),
        // A column stricter than its dataset carries its own classification, so tag expressions that
        // exclude that classification exclude the column.
        ...(c.classification &&
        classificationRank(p, c.classification) > classificationRank(p, d.classification)
          ? { lfTags: { classification: c.classification } }
          : {}),
      })),
      partitionKeys: d.schema.partitionKeys.map((k) => ({
        name: k.name,
        type: k.type,
        ...(k.comment ? { comment: k.comment } : {}),
      })),
      parameters: tableParameters(d),
      lfTags: { domain: d.domain, classification: d.classification },
    })),
  };
}

/**
 * The lake account: encrypted S3 zones, Lake Formation (settings, registered locations, LF-tag
 * ontology) and the Glue catalog of every registered dataset with its LF-tags.
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
      tags,
    },
    { provider },
  );

  const lakeFormation = new LakeFormation(
    "lake",
    {
      catalogId: ctx.account.id,
      admins: p.lake.admins,
      deploymentRoleArn: deployer,
      lfTags: p.lake.lfTags,
      locations: zones.map((z) => ({ name: z, bucketArn: storage.bucketArns[z] })),
      dataAccessRoleName,
      kmsKeyArn: storage.keyArn,
      tags,
    },
    { provider },
  );

  const layout = catalogLayout(p);
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

  return {
    kmsKeyArn: storage.keyArn,
    buckets: Object.fromEntries(zones.map((z) => [z, bucketName(p, z)])),
    accessLogBucket: bucketName(p, "access-logs"),
    dataAccessRoleArn: lakeFormation.dataAccessRoleArn,
    databases: layout.databases.map((d) => d.name),
    tables: layout.tables.map((t) => `${t.database}.${t.name}`),
    catalog: catalog.urn,
  };
}
