import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConsumerAccess } from "../components/consumer-access";
import {
  accessLogBucketName,
  analystRoleName,
  athenaResultsBucketName,
  athenaResultsKeyAlias,
  athenaWorkgroupName,
  classificationRank,
  classifications,
  databaseName,
  grantStatus,
  kmsAliasName,
  lakeAccount,
  readableClassification,
  readableDatasets,
  resourceLinkName,
  sharedTags,
} from "../platform";
import type { AccountContext } from "./context";
import { deployerArn } from "./deployer";

/**
 * A consumer account: its Lake Formation settings, a resource link per lake database its teams read, and
 * per team an analyst role and an Athena workgroup writing to the account's encrypted results bucket.
 * Everything about the lake (account, region, database names, key alias) comes from the definition, so
 * the stack plans and deploys on its own. A team whose grant has expired keeps its role and workgroup
 * (and its past results) but gets no permission on the links.
 */
export function consumerAccount(ctx: AccountContext, provider: aws.Provider): Record<string, unknown> {
  const p = ctx.platform;
  const lake = lakeAccount(p);
  const consumers = p.consumers.filter((c) => c.account === ctx.account.name);
  const teams = consumers.map((c) => {
    const expired = grantStatus(c, ctx.date, p.governance.reminderDays) === "expired";
    if (expired)
      void pulumi.log.info(
        `${ctx.account.name}: the grant of ${c.team} expired on ${c.expiresOn}; its role and workgroup stay, ` +
          `its permissions on the resource links are not declared`,
      );
    const domains = expired ? [] : [...new Set(readableDatasets(p, c).map((d) => d.domain))].sort();
    return { consumer: c, domains, classification: readableClassification(p, c) };
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
      sharedDatabases: domains.map((d) => ({ database: databaseName(d), linkName: resourceLinkName(d) })),
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

  return {
    teams: consumers.map((c) => c.team),
    resourceLinks: Object.fromEntries(domains.map((d) => [databaseName(d), resourceLinkName(d)])),
    workgroups: Object.fromEntries(consumers.map((c) => [c.team, athenaWorkgroupName(c)])),
    analystRoleArns: Object.fromEntries(
      Object.entries(access.teams).map(([team, { role }]) => [team, role.arn]),
    ),
    resultsBucket: athenaResultsBucketName(p, ctx.account),
  };
}
