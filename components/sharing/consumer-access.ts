import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AnalystPolicySpec, analystStatements } from "../shared/analyst-statements";
import { CROSS_ACCOUNT_VERSION } from "../shared/cross-account-version";
import { policyDocument, PolicyDocument, principalTrustDocument } from "../shared/iam";
import { accountRootControlStatement, s3UseForAccountStatement } from "../shared/key-policy";
import { accessLogBucket, secureBucket } from "../shared/secure-bucket";
import { AnalystTeam, ConsumerAccessArgs, defaults } from "./consumer-access-args";

export {
  AnalystTeam,
  ConsumerAccessArgs,
  defaults,
  LakeCatalogRef,
  SharedDatabase,
} from "./consumer-access-args";
export type { AnalystPolicySpec } from "../shared/analyst-statements";

/** One team's role and workgroup. */
export interface AnalystResources {
  readonly role: aws.iam.Role;
  readonly workgroup: aws.athena.Workgroup;
}

/**
 * The consumer side of cross-account sharing: the account's own Lake Formation settings (its deployer
 * as admin, no IAMAllowedPrincipals defaults, cross-account version 4), a resource link per shared lake
 * database, and per team a least-privilege analyst role (DESCRIBE on its links) and an enforced Athena
 * workgroup writing KMS-encrypted results to the account's results bucket. The data stays in the lake:
 * Lake Formation vends credentials for it, so nothing here reaches the lake's buckets.
 */
export class ConsumerAccess extends pulumi.ComponentResource {
  /** The account's data lake settings. */
  public readonly settings: aws.lakeformation.DataLakeSettings;
  /** Lake database → its resource link in this account. */
  public readonly resourceLinks: Record<string, aws.glue.CatalogDatabase>;
  /** Team → its role and workgroup. */
  public readonly teams: Record<string, AnalystResources>;
  /** The bucket of query results. */
  public readonly resultsBucket: aws.s3.Bucket;
  /** The key encrypting query results. */
  public readonly resultsKey: aws.kms.Key;

  constructor(name: string, args: ConsumerAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:sharing:ConsumerAccess", name, {}, opts);
    const teams = args.teams ?? [];
    const crossAccountVersion = args.crossAccountVersion ?? CROSS_ACCOUNT_VERSION.default;
    const cutoff = args.bytesScannedCutoffPerQuery ?? defaults.bytesScannedCutoffPerQuery;
    const destroy = args.allowDataDestruction ?? defaults.allowDataDestruction;
    const retention = args.resultsRetentionDays ?? defaults.resultsRetentionDays;
    const tags = { ...(args.tags ?? {}) };
    validate(this, args, crossAccountVersion, cutoff, retention);

    const admins = pulumi
      .all([args.deploymentRoleArn])
      .apply(([deployer]) => [...new Set([...(args.admins ?? []), ...(deployer ? [deployer] : [])])]);
    this.settings = new aws.lakeformation.DataLakeSettings(
      `${name}-settings`,
      {
        catalogId: args.accountId,
        admins,
        // No IAMAllowedPrincipals "Super" on new databases (the resource links): Lake Formation decides.
        createDatabaseDefaultPermissions: [],
        createTableDefaultPermissions: [],
        parameters: { CROSS_ACCOUNT_VERSION: String(crossAccountVersion) },
      },
      { parent: this },
    );

    this.resourceLinks = {};
    for (const shared of args.sharedDatabases) {
      this.resourceLinks[shared.database] = new aws.glue.CatalogDatabase(
        `${name}-link-${shared.linkName}`,
        {
          catalogId: args.accountId,
          name: shared.linkName,
          description: `Resource link to ${shared.database} in the lake's catalog ${args.lake.accountId}`,
          targetDatabase: {
            catalogId: args.lake.accountId,
            databaseName: shared.database,
            region: args.lake.region,
          },
          tags,
        },
        // The deployer creates links as a data lake admin of this account.
        { parent: this, dependsOn: [this.settings] },
      );
    }

    this.resultsKey = new aws.kms.Key(
      `${name}-results-key`,
      {
        description: `Encrypts the Athena query results of account ${args.accountId}`,
        enableKeyRotation: true,
        deletionWindowInDays: destroy
          ? defaults.keyDeletionWindowDaysWhenDestructionAllowed
          : defaults.keyDeletionWindowDays,
        // The account root delegates use of the key to IAM: the analyst roles get it in their policies;
        // S3 uses it for the results bucket of this account.
        policy: JSON.stringify(resultsKeyPolicy(args.accountId)),
        tags,
      },
      { parent: this },
    );
    new aws.kms.Alias(
      `${name}-results-key-alias`,
      { name: args.resultsKeyAlias, targetKeyId: this.resultsKey.keyId },
      { parent: this },
    );
    const logs = accessLogBucket(
      {
        name: `${name}-access-logs`,
        bucketName: args.accessLogBucketName,
        accountId: args.accountId,
        retentionDays: args.accessLogRetentionDays ?? defaults.accessLogRetentionDays,
        noncurrentVersionExpireDays: defaults.noncurrentVersionExpireDays,
        abortIncompleteMultipartUploadDays: defaults.abortIncompleteMultipartUploadDays,
        forceDestroy: destroy,
        tags,
      },
      this,
    );
    const results = secureBucket(
      {
        name: `${name}-results`,
        bucketName: args.resultsBucketName,
        encryption: { kmsKeyArn: this.resultsKey.arn },
        lifecycleRules: [
          {
            id: "expire-query-results",
            status: "Enabled",
            filter: {},
            expiration: { days: retention },
            noncurrentVersionExpiration: { noncurrentDays: defaults.noncurrentVersionExpireDays },
            abortIncompleteMultipartUpload: {
              daysAfterInitiation: defaults.abortIncompleteMultipartUploadDays,
            },
          },
        ],
        extraStatements: (arn) => [
          {
            Sid: "DenyUnencryptedResults",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: `${arn}/*`,
            Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } },
          },
        ],
        logging: { targetBucket: logs.bucket.id, targetPrefix: "athena-results/" },
        forceDestroy: destroy,
        tags,
      },
      this,
    );
    this.resultsBucket = results.bucket;

    this.teams = {};
    const trust = args.analystTrustPrincipal ?? `arn:aws:iam::${args.accountId}:root`;
    for (const team of teams) {
      const teamTags = { ...(team.tags ?? tags) };
      const role = new aws.iam.Role(
        `${name}-${team.team}-analyst`,
        {
          name: team.roleName,
          description: `Analysts of ${team.team}: read the lake through Lake Formation, query with Athena workgroup ${team.workgroupName}`,
          assumeRolePolicy: JSON.stringify(principalTrustDocument(trust)),
          tags: teamTags,
        },
        { parent: this },
      );
      new aws.iam.RolePolicy(
        `${name}-${team.team}-analyst-policy`,
        {
          role: role.id,
          policy: this.resultsKey.arn.apply((keyArn) =>
            JSON.stringify(
              analystPolicy({
                accountId: args.accountId,
                region: args.region,
                lake: args.lake,
                databases: team.databases.map((db) => ({
                  database: db,
                  linkName: args.sharedDatabases.find((s) => s.database === db)!.linkName,
                })),
                workgroupName: team.workgroupName,
                resultsBucketName: args.resultsBucketName,
                resultsKeyArn: keyArn,
              }),
            ),
          ),
        },
        { parent: this },
      );
      const workgroup = new aws.athena.Workgroup(
        `${name}-${team.team}-workgroup`,
        {
          name: team.workgroupName,
          description: `Athena workgroup of ${team.team}`,
          forceDestroy: destroy,
          configuration: {
            enforceWorkgroupConfiguration: true,
            publishCloudwatchMetricsEnabled: true,
            bytesScannedCutoffPerQuery: cutoff,
            engineVersion: { selectedEngineVersion: defaults.athenaEngineVersion },
            resultConfiguration: {
              outputLocation: `s3://${args.resultsBucketName}/${team.workgroupName}/`,
              expectedBucketOwner: args.accountId,
              encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: this.resultsKey.arn },
            },
          },
          tags: teamTags,
        },
        { parent: this, dependsOn: [results.policy] },
      );
      for (const db of team.databases) {
        const link = this.resourceLinks[db];
        new aws.lakeformation.Permissions(
          `${name}-${team.team}-describe-${args.sharedDatabases.find((s) => s.database === db)!.linkName}`,
          {
            catalogId: args.accountId,
            principal: role.arn,
            // DESCRIBE on the link only; what the team reads behind it is the lake's grant.
            permissions: ["DESCRIBE"],
            database: { catalogId: args.accountId, name: link.name },
          },
          { parent: this, dependsOn: [this.settings, link] },
        );
      }
      this.teams[team.team] = { role, workgroup };
    }

    this.registerOutputs({
      resourceLinks: Object.fromEntries(args.sharedDatabases.map((s) => [s.database, s.linkName])),
      analystRoleArns: Object.fromEntries(Object.entries(this.teams).map(([t, r]) => [t, r.role.arn])),
      workgroups: Object.fromEntries(teams.map((t) => [t.team, t.workgroupName])),
      resultsBucket: this.resultsBucket.bucket,
      accessLogBucket: logs.bucket.bucket,
      resultsKeyArn: this.resultsKey.arn,
    });
  }
}

/**
 * The results key's policy: the account root keeps control (the analyst roles get the key in their own
 * policies), and S3 may use it for the objects of this account's buckets.
 */
export function resultsKeyPolicy(accountId: string): PolicyDocument {
  return policyDocument([accountRootControlStatement(accountId), s3UseForAccountStatement(accountId)]);
}

/**
 * An analyst's least privilege, with no wildcard action ({@link analystStatements}): Lake Formation
 * credentials, Glue reads of this account's links and of the lake's shared databases, Athena queries in
 * its own workgroup, its own prefix of the results bucket and the results key — and no S3 access to the
 * lake, whose data Lake Formation vends.
 */
export function analystPolicy(spec: AnalystPolicySpec): PolicyDocument {
  return policyDocument(analystStatements(spec));
}

function validate(
  parent: pulumi.Resource,
  args: ConsumerAccessArgs,
  crossAccountVersion: number,
  cutoff: number,
  retention: number,
): void {
  const fail = (message: string) => {
    throw new pulumi.ResourceError(`ConsumerAccess: ${message}`, parent);
  };
  if (!Number.isInteger(crossAccountVersion) || crossAccountVersion < CROSS_ACCOUNT_VERSION.minimum)
    fail(
      `crossAccountVersion ${crossAccountVersion} is too old; use ${CROSS_ACCOUNT_VERSION.minimum} or more (default ${CROSS_ACCOUNT_VERSION.default})`,
    );
  if (!Number.isInteger(cutoff) || cutoff < defaults.minimumBytesScannedCutoffPerQuery)
    fail(
      `bytesScannedCutoffPerQuery ${cutoff} is below Athena's minimum of ${defaults.minimumBytesScannedCutoffPerQuery} bytes (10 MiB)`,
    );
  if (!Number.isInteger(retention) || retention < 1)
    fail(`resultsRetentionDays ${retention} must be a whole number of days, 1 or more`);
  if (args.lake.accountId === args.accountId)
    fail(`the lake's account ${args.lake.accountId} is this account; resource links reach another account`);
  const databases = new Set<string>();
  const links = new Set<string>();
  args.sharedDatabases.forEach((s, i) => {
    if (databases.has(s.database)) fail(`sharedDatabases[${i}]: ${s.database} is listed twice`);
    if (links.has(s.linkName)) fail(`sharedDatabases[${i}]: link name ${s.linkName} is used twice`);
    databases.add(s.database);
    links.add(s.linkName);
  });
  const teams = new Set<string>();
  (args.teams ?? []).forEach((t: AnalystTeam, i) => {
    if (teams.has(t.team)) fail(`teams[${i}]: team "${t.team}" is listed twice`);
    teams.add(t.team);
    t.databases.forEach((db, j) => {
      if (!databases.has(db))
        fail(
          `teams[${i}].databases[${j}]: "${db}" is not among sharedDatabases (${[...databases].join(", ") || "none"}); add it there`,
        );
    });
  });
}
