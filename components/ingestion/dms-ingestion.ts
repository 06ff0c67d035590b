import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, PolicyDocument, PolicyStatement, serviceTrustPolicy } from "../shared/iam";
import { writerKeyStatement, writerS3Statements } from "../shared/ingestion-statements";
import { accountKeyPolicy } from "../shared/key-policy";
import { defaults, DmsIngestionArgs, DmsSource } from "./dms-ingestion-args";

export {
  defaults,
  DmsDatePartitioning,
  DmsIngestionArgs,
  DmsLakeTarget,
  DmsSource,
} from "./dms-ingestion-args";

/**
 * The table mapping selecting the source's one schema and table: DMS writes each selected table into
 * its own folder `<bucketFolder>/<schema>/<table>/`, and the dataset's table reads exactly one.
 */
export function tableMappings(source: Pick<DmsSource, "schema" | "table">): Record<string, unknown> {
  // A selection rule reads `_` as any one character and `%` as any run; `[_]` is a literal underscore
  // (DMS, "Wildcards in table mapping"), so `order_lines` would also select `orderXlines`.
  const literal = (name: string) => name.replace(/_/g, "[_]");
  return {
    rules: [
      {
        "rule-type": "selection",
        "rule-id": "1",
        "rule-name": "include-dataset",
        "object-locator": { "schema-name": literal(source.schema), "table-name": literal(source.table) },
        "rule-action": "include",
      },
    ],
  };
}

/** The key prefix DMS writes the table's files under: `<prefix><schema>/<table>/`. */
export function dmsTablePrefix(prefix: string, source: Pick<DmsSource, "schema" | "table">): string {
  return `${prefix}${source.schema}/${source.table}/`;
}

/** The time zones DMS names date folders in without `DatePartitionTimezone` (it converts from UTC). */
const UTC_ZONES = ["UTC", "Etc/UTC"];

/**
 * The S3 target's settings that decide what lands where and with which columns: the folder (the
 * dataset's prefix without its trailing `/`: DMS appends `/<schema>/<table>/`), date folders
 * `YYYY-MM-DD/` when asked, the `Op` column in every file unless inserts only, and the commit-time
 * column when named.
 */
export function targetLayoutSettings(
  args: Pick<DmsIngestionArgs, "lake" | "insertsOnly" | "commitTimestampColumn">,
): Record<string, string | boolean> {
  const dates = args.lake.datePartitioning;
  const timezone = dates?.timezone ?? defaults.datePartitionTimezone;
  const insertsOnly = args.insertsOnly ?? defaults.insertsOnly;
  return {
    bucketFolder: args.lake.prefix.slice(0, -1),
    ...(dates !== undefined
      ? {
          datePartitionEnabled: true,
          datePartitionSequence: defaults.datePartitionSequence,
          datePartitionDelimiter: defaults.datePartitionDelimiter,
          ...(UTC_ZONES.includes(timezone) ? {} : { datePartitionTimezone: timezone }),
        }
      : {}),
    ...(insertsOnly ? { cdcInsertsOnly: true } : { includeOpForFullLoad: true }),
    ...(args.commitTimestampColumn !== undefined
      ? { timestampColumnName: args.commitTimestampColumn, useTaskStartTimeForFullLoadTimestamp: true }
      : {}),
  };
}

/**
 * The replication's settings: the target's files are never dropped or truncated (the ingestion role may
 * not delete in the lake), and the replication logs to CloudWatch.
 */
export const REPLICATION_SETTINGS = {
  FullLoadSettings: { TargetTablePrepMode: "DO_NOTHING" },
  Logging: { EnableLogging: true },
} as const;

/**
 * The ingestion role's inline policy: its prefix of the raw bucket (with the delete and tag DMS's S3
 * target needs), the lake key through S3.
 */
export function dmsIngestionRolePolicy(lake: DmsIngestionArgs["lake"]): PolicyDocument {
  return policyDocument([
    ...writerS3Statements({ bucketName: lake.bucketName, prefixes: [lake.prefix], dms: true }),
    writerKeyStatement(lake.kmsKeyArn, [`s3.${lake.region}.amazonaws.com`]),
  ]);
}

/** The secret role's inline policy: that one secret (and its key, when customer-managed). */
export function secretRolePolicy(source: DmsSource, region: string): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadSourceSecret",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      Resource: source.secretArn,
    },
  ];
  if (source.secretKmsKeyArn !== undefined)
    statements.push({
      Sid: "DecryptSourceSecret",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: source.secretKmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
    });
  return policyDocument(statements);
}

/**
 * Batch ingestion of one database table with AWS DMS Serverless, in the producer account: a replication
 * subnet group, the source endpoint (its database, credentials from Secrets Manager, read through a role
 * allowed that one secret), an S3 target writing Parquet SSE-KMS objects under
 * `<lake.prefix><schema>/<table>/` of the lake's raw bucket (date folders, `Op` and commit-time columns
 * as asked) as the dataset's ingestion role, and a full-load-and-CDC replication config selecting that
 * one source table, encrypted with a key of the account.
 */
export class DmsIngestion extends pulumi.ComponentResource {
  /** The serverless replication. */
  public readonly replication: aws.dms.ReplicationConfig;
  /** The source endpoint. */
  public readonly source: aws.dms.Endpoint;
  /** The S3 target in the lake. */
  public readonly target: aws.dms.S3Endpoint;
  /** The ingestion role DMS writes the lake as. */
  public readonly role: aws.iam.Role;
  /** The role DMS reads the source's secret as. */
  public readonly secretRole: aws.iam.Role;
  /** The ARN of the key encrypting the replication and endpoints. */
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** The key prefix the table's files land under: `<lake.prefix><schema>/<table>/`. */
  public readonly tablePrefix: string;

  constructor(name: string, args: DmsIngestionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:ingestion:DmsIngestion", name, {}, opts);
    const fail = (message: string) => new pulumi.ResourceError(`DmsIngestion: ${message}`, this);
    if (args.subnetIds.length === 0)
      throw fail("subnetIds must name the replication's subnets (at least two, in different AZs)");
    const min = args.minCapacityUnits ?? defaults.minCapacityUnits;
    const max = args.maxCapacityUnits ?? defaults.maxCapacityUnits;
    for (const [what, v] of [
      ["minCapacityUnits", min],
      ["maxCapacityUnits", max],
    ] as const)
      if (!(defaults.capacityUnits as readonly number[]).includes(v))
        throw fail(`${what} ${v} is not a DMS capacity (${defaults.capacityUnits.join(", ")})`);
    if (min > max) throw fail(`minCapacityUnits ${min} exceeds maxCapacityUnits ${max}`);
    if (args.kmsKeyArn !== undefined && args.keyAdminArns?.length)
      throw fail("give either kmsKeyArn (use that key) or keyAdminArns (create a key), not both");
    if (!args.lake.prefix.endsWith("/") || args.lake.prefix.startsWith("/"))
      throw fail(
        `lake.prefix "${args.lake.prefix}" must end with "/" and not start with one, e.g. sales/orders/`,
      );
    for (const [what, v] of [
      ["source.schema", args.source.schema],
      ["source.table", args.source.table],
    ] as const)
      if (v.length === 0 || v.includes("%"))
        throw fail(
          `${what} "${v}" must name one ${what.slice(7)}: DMS writes every selected table into its own folder, and the dataset's table reads one`,
        );
    // "The S3 bucket that you're using as a target is in the same AWS Region as the DMS replication"
    // (DMS S3 target prerequisites).
    if (args.lake.region !== args.region)
      throw fail(
        `the lake's bucket is in ${args.lake.region} but the replication runs in ${args.region}: DMS writes only to a bucket of its own region`,
      );
    if (args.commitTimestampColumn !== undefined && args.commitTimestampColumn.length === 0)
      throw fail("commitTimestampColumn must name a column, or be left out");
    const id = args.identifier ?? name;
    this.tablePrefix = dmsTablePrefix(args.lake.prefix, args.source);
    const tags = { ...(args.tags ?? {}) };

    if (args.kmsKeyArn !== undefined) {
      this.kmsKeyArn = pulumi.output(args.kmsKeyArn);
    } else {
      const key = new aws.kms.Key(
        `${name}-key`,
        {
          description: `Encrypts the ${id} DMS replication and its endpoints' settings`,
          enableKeyRotation: true,
          deletionWindowInDays: defaults.keyDeletionWindowDays,
          policy: JSON.stringify(accountKeyPolicy(args.accountId, args.keyAdminArns ?? [])),
          tags,
        },
        { parent: this },
      );
      this.kmsKeyArn = key.arn;
    }

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: `DMS writes ${id} into the lake as this role`,
        assumeRolePolicy: serviceTrustPolicy("dms.amazonaws.com", args.accountId),
        tags,
      },
      { parent: this },
    );
    // Inline, named by the role's name: the governance pack accepts lake writes from another account only
    // in the ingestion role's own inline policy.
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      { role: args.roleName, policy: JSON.stringify(dmsIngestionRolePolicy(args.lake)) },
      { parent: this, dependsOn: [this.role] },
    );
    this.secretRole = new aws.iam.Role(
      `${name}-secret-role`,
      {
        name: args.secretRoleName,
        description: `DMS reads the ${id} source's credentials as this role`,
        assumeRolePolicy: serviceTrustPolicy(`dms.${args.region}.amazonaws.com`, args.accountId),
        tags,
      },
      { parent: this },
    );
    const secretPolicy = new aws.iam.RolePolicy(
      `${name}-secret-role-policy`,
      { role: args.secretRoleName, policy: JSON.stringify(secretRolePolicy(args.source, args.region)) },
      { parent: this, dependsOn: [this.secretRole] },
    );

    const subnetGroup = new aws.dms.ReplicationSubnetGroup(
      `${name}-subnets`,
      {
        replicationSubnetGroupId: id,
        replicationSubnetGroupDescription: `Subnets of the ${id} replication`,
        subnetIds: [...args.subnetIds],
        tags,
      },
      { parent: this },
    );

    this.source = new aws.dms.Endpoint(
      `${name}-source`,
      {
        endpointId: `${id}-source`,
        endpointType: "source",
        engineName: args.source.engine,
        secretsManagerArn: args.source.secretArn,
        secretsManagerAccessRoleArn: this.secretRole.arn,
        ...(args.source.databaseName !== undefined ? { databaseName: args.source.databaseName } : {}),
        sslMode: args.source.sslMode ?? defaults.sslMode,
        kmsKeyArn: this.kmsKeyArn,
        tags,
      },
      { parent: this, dependsOn: [secretPolicy] },
    );

    this.target = new aws.dms.S3Endpoint(
      `${name}-target`,
      {
        endpointId: `${id}-target`,
        endpointType: "target",
        bucketName: args.lake.bucketName,
        ...targetLayoutSettings(args),
        expectedBucketOwner: args.lake.accountId,
        serviceAccessRoleArn: this.role.arn,
        dataFormat: "parquet",
        parquetVersion: defaults.parquetVersion,
        encryptionMode: "SSE_KMS",
        serverSideEncryptionKmsKeyId: args.lake.kmsKeyArn,
        tags,
      },
      { parent: this, dependsOn: [rolePolicy] },
    );

    this.replication = new aws.dms.ReplicationConfig(
      `${name}-replication`,
      {
        replicationConfigIdentifier: id,
        replicationType: defaults.replicationType,
        sourceEndpointArn: this.source.endpointArn,
        targetEndpointArn: this.target.endpointArn,
        tableMappings: JSON.stringify(tableMappings(args.source)),
        replicationSettings: JSON.stringify(REPLICATION_SETTINGS),
        computeConfig: {
          replicationSubnetGroupId: subnetGroup.replicationSubnetGroupId,
          vpcSecurityGroupIds: [...(args.securityGroupIds ?? [])],
          kmsKeyId: this.kmsKeyArn,
          minCapacityUnits: min,
          maxCapacityUnits: max,
          multiAz: args.multiAz ?? defaults.multiAz,
        },
        startReplication: args.startReplication ?? defaults.startReplication,
        tags,
      },
      { parent: this, dependsOn: [...(args.dependsOn ?? [])] },
    );

    this.registerOutputs({
      replicationArn: this.replication.arn,
      roleArn: this.role.arn,
      tablePrefix: this.tablePrefix,
    });
  }
}
