import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  logsKeyStatement,
  policyDocument,
  PolicyDocument,
  PolicyStatement,
  serviceTrustPolicy,
} from "../shared/iam";
import { writerKeyStatement } from "../shared/ingestion-statements";
import { DatasetCrawlerArgs, defaults } from "./dataset-crawler-args";

export { CrawlerMode, DatasetCrawlerArgs, defaults } from "./dataset-crawler-args";

/**
 * The log group of a crawler whose security configuration encrypts CloudWatch Logs:
 * `/aws-glue/crawlers-role/<role name>-<security configuration name>`. AWS documents the job form,
 * `/aws-glue/jobs-<role name>-<security configuration name>` ("JobRun structure", `LogGroupName`,
 * https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-runs.html); the crawler form is the one
 * AWS's own samples grant crawler roles (the SDLF team pipeline in
 * aws-solutions-library-samples/data-lakes-on-aws, `/aws-glue/crawlers-role/sdlf-<team>/*`), not found
 * on a documentation page.
 */
export function crawlerLogGroupName(roleName: string, securityConfigurationName: string): string {
  return `${defaults.logGroupPrefix}${roleName}-${securityConfigurationName}`;
}

/**
 * The key-policy statement that lets CloudWatch Logs of `region` use a key for the encrypted log groups
 * of the account's crawlers only (through the log group in its encryption context): "Any ETL job or
 * crawler that writes encrypted Amazon CloudWatch Logs requires the following permissions in the key
 * policy (not the IAM policy)" ("Setting up encryption in AWS Glue",
 * https://docs.aws.amazon.com/glue/latest/dg/set-up-encryption.html; the encryption-context condition of
 * "Encrypt log data in CloudWatch Logs using AWS KMS",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html). Add it to the
 * policy of the crawlers' `kmsKeyArn` (the lake key's, with `LakeStorage`'s `keyPolicyStatements`).
 */
export function crawlerLogsKeyPolicyStatement(input: {
  readonly accountId: string;
  readonly region: string;
}): PolicyStatement {
  return logsKeyStatement({
    sid: "CloudWatchLogsForGlueCrawlers",
    region: input.region,
    logGroupArn: `arn:aws:logs:${input.region}:${input.accountId}:log-group:${defaults.logGroupPrefix}*`,
  });
}

/** Least privilege for a crawler of one table: read its prefix, update its table and partitions, log. */
export function crawlerRolePolicy(spec: {
  catalogId: string;
  region: string;
  databaseName: string;
  tableName: string;
  bucketName: string;
  prefix: string;
  kmsKeyArn: string;
  /** The crawler's role and security configuration, which name its log group. */
  roleName: string;
  securityConfigurationName: string;
}): PolicyDocument {
  const bucketArn = `arn:aws:s3:::${spec.bucketName}`;
  const glue = `arn:aws:glue:${spec.region}:${spec.catalogId}`;
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadDatasetObjects",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `${bucketArn}/${spec.prefix}*`,
    },
    {
      Sid: "ListDatasetPrefix",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucketArn,
      Condition: { StringLike: { "s3:prefix": [spec.prefix, `${spec.prefix}*`] } },
    },
    { Sid: "LocateBucket", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: bucketArn },
    writerKeyStatement(
      spec.kmsKeyArn,
      [`s3.${spec.region}.amazonaws.com`, `glue.${spec.region}.amazonaws.com`],
      ["kms:Decrypt", "kms:GenerateDataKey"],
    ),
    {
      Sid: "UpdateDatasetTable",
      Effect: "Allow",
      Action: [
        "glue:GetDatabase",
        "glue:GetTable",
        "glue:UpdateTable",
        "glue:GetPartition",
        "glue:GetPartitions",
        "glue:BatchGetPartition",
        "glue:CreatePartition",
        "glue:BatchCreatePartition",
        "glue:UpdatePartition",
        "glue:BatchUpdatePartition",
      ],
      Resource: [
        `${glue}:catalog`,
        `${glue}:database/${spec.databaseName}`,
        `${glue}:table/${spec.databaseName}/${spec.tableName}`,
      ],
    },
    { Sid: "LakeFormationDataAccess", Effect: "Allow", Action: "lakeformation:GetDataAccess", Resource: "*" },
    // Its encrypted log group: Glue associates the key with it as the crawler's role, which needs
    // logs:AssociateKmsKey for that ("If that permission is not included, continuous logging will be
    // disabled", https://docs.aws.amazon.com/glue/latest/dg/monitor-continuous-logging-enable.html; AWS's
    // own Glue service policy grants it with the other log actions,
    // https://docs.aws.amazon.com/glue/latest/dg/create-service-policy.html).
    {
      Sid: "WriteCrawlerLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"],
      Resource: `arn:aws:logs:${spec.region}:${spec.catalogId}:log-group:${crawlerLogGroupName(spec.roleName, spec.securityConfigurationName)}:*`,
    },
    // The crawler reads its security configuration (GetSecurityConfiguration takes no resource ARN:
    // "*" is the only resource it accepts), as the crawler role of the data-solutions framework's
    // DataCatalogDatabase is granted (awslabs/data-solutions-framework-on-aws,
    // framework/src/governance/lib/data-catalog-database.ts).
    {
      Sid: "ReadSecurityConfiguration",
      Effect: "Allow",
      Action: "glue:GetSecurityConfiguration",
      Resource: "*",
    },
  ];
  return policyDocument(statements);
}

/**
 * A Glue crawler keeping one registered table up to date: it targets that catalog table only (so it
 * writes no other table), inherits the table's Parquet SerDe for new partitions, logs schema changes and
 * deletions instead of applying them (by default; always in `partitions` mode), runs on a schedule, and
 * runs as its own role, allowed to read the table's prefix and update that table only, with its own
 * security configuration encrypting its CloudWatch logs under `kmsKeyArn`. In `dataset`
 * mode it keeps a crawled dataset's table; in `partitions` mode it registers the partitions of a table
 * Athena reads through projection, for the readers that ignore projection.
 */
export class DatasetCrawler extends pulumi.ComponentResource {
  /** The crawler. */
  public readonly crawler: aws.glue.Crawler;
  /** Its role. */
  public readonly role: aws.iam.Role;
  /** Its Glue security configuration: CloudWatch Logs (and S3, bookmarks) under `kmsKeyArn`. */
  public readonly securityConfiguration: aws.glue.SecurityConfiguration;
  /** Its Lake Formation grants (none without `grantLakeFormation`). */
  public readonly grants: aws.lakeformation.Permissions[];

  constructor(name: string, args: DatasetCrawlerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:catalog:DatasetCrawler", name, {}, opts);
    if (!args.prefix.endsWith("/") || args.prefix.startsWith("/"))
      throw new pulumi.ResourceError(
        `DatasetCrawler: prefix "${args.prefix}" must end with "/" and not start with one, e.g. sales/orders/`,
        this,
      );
    if (args.schedule !== undefined && !/^cron\(.+\)$/.test(args.schedule))
      throw new pulumi.ResourceError(
        `DatasetCrawler: schedule "${args.schedule}" is not a Glue cron expression such as "cron(0 3 * * ? *)"`,
        this,
      );
    const mode = args.mode ?? defaults.mode;
    if (mode === "partitions" && args.updateBehavior === "UPDATE_IN_DATABASE")
      throw new pulumi.ResourceError(
        "DatasetCrawler: a partitions crawler never changes its table's schema; drop updateBehavior UPDATE_IN_DATABASE (the table's schema is the definition's)",
        this,
      );
    if (mode === "partitions" && args.schedule === undefined)
      throw new pulumi.ResourceError(
        "DatasetCrawler: a partitions crawler needs a schedule, or the partitions written after its last run stay invisible to EMR and Spectrum",
        this,
      );
    const grant = args.grantLakeFormation ?? defaults.grantLakeFormation;
    if (grant && args.dataLocationArn === undefined)
      throw new pulumi.ResourceError(
        "DatasetCrawler: grantLakeFormation needs dataLocationArn (the registered location of the dataset)",
        this,
      );
    const tags = { ...(args.tags ?? {}) };
    const after = [...(args.dependsOn ?? [])];
    const crawlerName = args.crawlerName ?? name;
    const securityConfigurationName = args.securityConfigurationName ?? crawlerName;

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: `The Glue crawler of ${args.databaseName}.${args.tableName}`,
        assumeRolePolicy: serviceTrustPolicy("glue.amazonaws.com", args.catalogId),
        tags,
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: args.roleName,
        policy: pulumi
          .output(args.kmsKeyArn)
          .apply((kmsKeyArn) =>
            JSON.stringify(crawlerRolePolicy({ ...args, kmsKeyArn, securityConfigurationName })),
          ),
      },
      { parent: this, dependsOn: [this.role] },
    );

    this.grants = [];
    if (grant) {
      this.grants.push(
        new aws.lakeformation.Permissions(
          `${name}-table`,
          {
            catalogId: args.catalogId,
            principal: this.role.arn,
            permissions: [...defaults.tablePermissions],
            table: { catalogId: args.catalogId, databaseName: args.databaseName, name: args.tableName },
          },
          { parent: this, dependsOn: after },
        ),
        new aws.lakeformation.Permissions(
          `${name}-location`,
          {
            catalogId: args.catalogId,
            principal: this.role.arn,
            permissions: [...defaults.locationPermissions],
            dataLocation: { catalogId: args.catalogId, arn: args.dataLocationArn! },
          },
          { parent: this, dependsOn: after },
        ),
      );
    }

    // Everything the crawler writes besides the catalog (its CloudWatch logs) under the lake key: a
    // crawler uses the configuration's CloudWatch setting ("Attach a security configuration to an AWS
    // Glue crawler to write encrypted Amazon CloudWatch Logs",
    // https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html); the provider
    // requires the S3 and bookmark settings too, so they are the lake key's as well.
    this.securityConfiguration = new aws.glue.SecurityConfiguration(
      `${name}-security`,
      {
        name: securityConfigurationName,
        encryptionConfiguration: {
          cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: args.kmsKeyArn },
          jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: args.kmsKeyArn },
          s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: args.kmsKeyArn },
        },
      },
      { parent: this },
    );

    this.crawler = new aws.glue.Crawler(
      `${name}-crawler`,
      {
        name: crawlerName,
        securityConfiguration: this.securityConfiguration.name,
        description:
          mode === "partitions"
            ? `Registers the partitions of ${args.databaseName}.${args.tableName} under s3://${args.bucketName}/${args.prefix} for readers that ignore projection`
            : `Adds the partitions of ${args.databaseName}.${args.tableName} from s3://${args.bucketName}/${args.prefix}`,
        role: this.role.arn,
        databaseName: args.databaseName,
        catalogTargets: [{ databaseName: args.databaseName, tables: [args.tableName] }],
        schemaChangePolicy: {
          deleteBehavior: defaults.deleteBehavior,
          updateBehavior: mode === "partitions" ? "LOG" : (args.updateBehavior ?? defaults.updateBehavior),
        },
        recrawlPolicy: { recrawlBehavior: defaults.recrawlBehavior },
        // New partitions take the table's SerDe and columns ("Preventing a crawler from changing an
        // existing schema", https://docs.aws.amazon.com/glue/latest/dg/crawler-schema-changes-prevent.html).
        // Grouping only shapes tables a crawler creates; a partitions crawler creates none.
        configuration: JSON.stringify({
          Version: 1.0,
          CrawlerOutput: { Partitions: { AddOrUpdateBehavior: "InheritFromTable" } },
          ...(mode === "dataset" ? { Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" } } : {}),
        }),
        ...(args.schedule !== undefined ? { schedule: args.schedule } : {}),
        tags,
      },
      { parent: this, dependsOn: [policy, ...this.grants, ...after] },
    );

    this.registerOutputs({
      crawlerName: this.crawler.name,
      roleArn: this.role.arn,
      securityConfigurationName: this.securityConfiguration.name,
      mode,
    });
  }
}
