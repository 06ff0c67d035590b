import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { redshiftCapacityProblem, redshiftSubnetProblems } from "../../platform/redshift-rules";
import {
  decryptLakeCatalogStatements,
  policyDocument,
  PolicyDocument,
  readThroughLinksStatements,
} from "../shared/iam";
import { accountRootControlStatement } from "../shared/key-policy";
import { describeLinks } from "../shared/link-grants";
import { defaults, LakeCatalogRef, RedshiftSpectrumArgs, SharedDatabase } from "./redshift-spectrum-args";

export {
  defaults,
  LakeCatalogRef,
  RedshiftNetwork,
  RedshiftSpectrumArgs,
  RedshiftUsageLimit,
  SharedDatabase,
} from "./redshift-spectrum-args";

/**
 * The service principals that assume a Redshift Serverless namespace's IAM role: both, as the Redshift
 * Serverless guide asks ("make sure that it contains redshift-serverless.amazonaws.com and
 * redshift.amazonaws.com as principal service names",
 * https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-security-other-services.html).
 */
const REDSHIFT_SERVICES = ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"] as const;

/** What a Redshift Serverless namespace and workgroup name may be (CreateWorkgroup, CreateNamespace). */
const SERVERLESS_NAME = /^[a-z0-9-]{3,64}$/;
/** A Redshift identifier we write unquoted-safe: lowercase letters, digits, `_` and `$`, at most 127 bytes. */
const REDSHIFT_IDENTIFIER = /^[a-z_][a-z0-9_$]{0,126}$/;

/**
 * A team's Redshift Serverless for its BI tools, reading the lake in place through Redshift Spectrum and
 * Lake Formation — nothing is copied into Redshift:
 * - a namespace encrypted with its own customer-managed key, whose admin password Redshift generates and
 *   keeps in Secrets Manager (under the same key): never in config or state;
 * - a workgroup that is not publicly accessible, with enhanced VPC routing, in the account's subnets
 *   (three, in three Availability Zones) and security groups;
 * - the Spectrum role (the namespace's default IAM role), trusted by Redshift of this account only: Lake
 *   Formation credentials and Glue reads of the links and the lake's shared databases, nothing of the
 *   lake's buckets (Lake Formation vends the data), DESCRIBE on each link here; what it reads behind them
 *   is granted in the lake, to it, as to the team;
 * - as SQL run once through the Redshift Data API with the admin secret (`aws.redshiftdata.Statement`):
 *   one external schema per shared lake database over its resource link, and a read-only database role
 *   (USAGE on the schemas, TEMP on the database, which Spectrum queries need) for BI tools' users. Every
 *   statement is idempotent, because any change replaces the resource, which runs its SQL again.
 */
export class RedshiftSpectrum extends pulumi.ComponentResource {
  /** The KMS key of the namespace's data and of its admin secret. */
  public readonly key: aws.kms.Key;
  /** The role Redshift assumes for Spectrum. */
  public readonly role: aws.iam.Role;
  /** The namespace (database, admin user, IAM roles). */
  public readonly namespace: aws.redshiftserverless.Namespace;
  /** The workgroup (compute, network, endpoint BI tools connect to). */
  public readonly workgroup: aws.redshiftserverless.Workgroup;
  /** The usage limit, where one is asked for. */
  public readonly usageLimit?: aws.redshiftserverless.UsageLimit;
  /** The external schemas, by lake database: `CREATE EXTERNAL SCHEMA IF NOT EXISTS ...`. */
  public readonly schemas: Record<string, aws.redshiftdata.Statement> = {};
  /** The read-only database role BI tools' users are granted. */
  public readonly readerRoleName: string;
  /** The database the external schemas are in. */
  public readonly databaseName: string;

  constructor(name: string, args: RedshiftSpectrumArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:analytics:RedshiftSpectrum", name, {}, opts);
    const databaseName = args.databaseName ?? defaults.databaseName;
    const adminUsername = args.adminUsername ?? defaults.adminUsername;
    const baseCapacity = args.baseCapacity ?? defaults.baseCapacity;
    const readerRoleName = args.readerRoleName ?? `${args.name.replace(/-/g, "_")}_bi`;
    const logExports = [...(args.logExports ?? defaults.logExports)];
    const destroy = args.allowDataDestruction ?? defaults.allowDataDestruction;
    const databases = args.sharedDatabases ?? [];
    const tags = { ...(args.tags ?? {}) };
    validate(this, args, { databaseName, adminUsername, baseCapacity, readerRoleName });
    this.readerRoleName = readerRoleName;
    this.databaseName = databaseName;

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts Redshift Serverless namespace ${args.name} and its admin secret`,
        enableKeyRotation: true,
        deletionWindowInDays: destroy
          ? defaults.keyDeletionWindowDaysWhenDestructionAllowed
          : defaults.keyDeletionWindowDays,
        // The account root delegates to IAM: Redshift and Secrets Manager use the key through grants made
        // with the deployer's credentials.
        policy: JSON.stringify(policyDocument([accountRootControlStatement(args.accountId)])),
        tags,
      },
      { parent: this },
    );

    const roleArn = `arn:aws:iam::${args.accountId}:role/${args.roleName}`;
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: `Redshift Spectrum role of ${args.name}: reads the lake through Lake Formation`,
        assumeRolePolicy: JSON.stringify(spectrumTrustPolicy(args.accountId)),
        tags,
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.id,
        policy: JSON.stringify(
          spectrumRolePolicy({ accountId: args.accountId, region: args.region, lake: args.lake, databases }),
        ),
      },
      { parent: this },
    );
    // DESCRIBE on the links; what Spectrum reads behind them is the lake's grant.
    const describes = describeLinks(name, this, {
      accountId: args.accountId,
      principal: this.role.arn,
      databases,
      dependsOn: args.lakeFormationDependencies,
    });

    this.namespace = new aws.redshiftserverless.Namespace(
      `${name}-namespace`,
      {
        namespaceName: args.name,
        dbName: databaseName,
        adminUsername,
        manageAdminPassword: true,
        adminPasswordSecretKmsKeyId: this.key.arn,
        kmsKeyId: this.key.arn,
        iamRoles: [this.role.arn],
        defaultIamRoleArn: this.role.arn,
        logExports,
        tags,
      },
      { parent: this },
    );
    this.workgroup = new aws.redshiftserverless.Workgroup(
      `${name}-workgroup`,
      {
        workgroupName: args.name,
        namespaceName: this.namespace.namespaceName,
        baseCapacity,
        publiclyAccessible: false,
        enhancedVpcRouting: true,
        subnetIds: [...args.network.subnetIds],
        securityGroupIds: [...args.network.securityGroupIds],
        tags,
      },
      { parent: this, dependsOn: [...(args.networkDependencies ?? [])] },
    );
    if (args.usageLimit) {
      this.usageLimit = new aws.redshiftserverless.UsageLimit(
        `${name}-usage-limit`,
        {
          resourceArn: this.workgroup.arn,
          usageType: "serverless-compute",
          amount: args.usageLimit.rpuHours,
          period: args.usageLimit.period ?? defaults.usagePeriod,
          breachAction: args.usageLimit.breachAction ?? defaults.breachAction,
        },
        { parent: this },
      );
    }

    // SQL, as the namespace's admin through its Secrets Manager secret, each statement after the last.
    const sql = (key: string, text: string, dependsOn: pulumi.Resource[]) =>
      new aws.redshiftdata.Statement(
        `${name}-${key}`,
        {
          workgroupName: this.workgroup.workgroupName,
          database: databaseName,
          secretArn: this.namespace.adminPasswordSecretArn,
          sql: text,
        },
        { parent: this, dependsOn },
      );
    const procedure = sql("create-role-procedure", createRoleProcedureSql(), [this.workgroup]);
    const reader = sql(
      "reader-role",
      `CALL ${defaults.createRoleProcedure}(${quoteLiteral(readerRoleName)})`,
      [procedure],
    );
    const temp = sql(
      "reader-temp",
      `GRANT TEMP ON DATABASE ${quoteIdent(databaseName)} TO ROLE ${quoteIdent(readerRoleName)}`,
      [reader],
    );
    databases.forEach((db, i) => {
      // After the role's DESCRIBE on the link, which itself waits for the links and the account's settings.
      const schema = sql("schema-" + db.database, externalSchemaSql(db, roleArn), [
        this.workgroup,
        describes[i],
      ]);
      this.schemas[db.database] = schema;
      sql(
        "usage-" + db.database,
        `GRANT USAGE ON SCHEMA ${quoteIdent(db.database)} TO ROLE ${quoteIdent(readerRoleName)}`,
        [schema, temp],
      );
    });

    this.registerOutputs({
      namespaceName: this.namespace.namespaceName,
      workgroupName: this.workgroup.workgroupName,
      endpoint: this.workgroup.endpoints,
      roleArn: this.role.arn,
      keyArn: this.key.arn,
      adminSecretArn: this.namespace.adminPasswordSecretArn,
      databaseName,
      readerRoleName,
      schemas: databases.map((d) => d.database),
    });
  }
}

/** A Redshift identifier, double-quoted (`"` doubled). */
export function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** A Redshift string literal, single-quoted (`'` doubled). */
function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The external schema over a lake database's resource link. The link is in this account's catalog, the
 * default one, so no `CATALOG_ID` (which Redshift accepts only with a federated identity, `IAM_ROLE
 * 'SESSION'`, https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_EXTERNAL_SCHEMA.html); the role
 * is the Spectrum role, whose Lake Formation grants decide every table, column and row it returns.
 * `IF NOT EXISTS` makes it a no-op when run again.
 */
export function externalSchemaSql(db: SharedDatabase, roleArn: string): string {
  return (
    `CREATE EXTERNAL SCHEMA IF NOT EXISTS ${quoteIdent(db.database)} ` +
    `FROM DATA CATALOG DATABASE ${quoteLiteral(db.linkName)} IAM_ROLE ${quoteLiteral(roleArn)}`
  );
}

/**
 * A stored procedure that creates a database role unless it exists: Redshift's `CREATE ROLE` has no
 * `IF NOT EXISTS` (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_ROLE.html) and a Data API
 * statement runs again whenever its resource is replaced. `CREATE OR REPLACE` makes this one idempotent.
 */
export function createRoleProcedureSql(): string {
  return [
    `CREATE OR REPLACE PROCEDURE ${defaults.createRoleProcedure}(wanted VARCHAR(127)) AS $$`,
    `DECLARE`,
    `  existing INTEGER;`,
    `BEGIN`,
    `  SELECT INTO existing COUNT(*) FROM svv_roles WHERE role_name = wanted;`,
    `  IF existing = 0 THEN`,
    `    EXECUTE 'CREATE ROLE ' || quote_ident(wanted);`,
    `  END IF;`,
    `END;`,
    `$$ LANGUAGE plpgsql`,
  ].join("\n");
}

/** The Spectrum role's trust: Redshift and Redshift Serverless, on behalf of this account only. */
export function spectrumTrustPolicy(accountId: string): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: [...REDSHIFT_SERVICES] },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}

/** What {@link spectrumRolePolicy} is built from. */
export interface SpectrumRolePolicySpec {
  readonly accountId: string;
  readonly region: string;
  readonly lake: LakeCatalogRef;
  /** The lake databases read, with their resource links here. */
  readonly databases: readonly SharedDatabase[];
}

/**
 * The Spectrum role's least privilege: Lake Formation credentials and Glue reads of this account's
 * links and the lake's shared databases (Spectrum with a Lake Formation catalog: "Lake Formation vends
 * temporary credentials to Redshift Spectrum", https://docs.aws.amazon.com/redshift/latest/dg/spectrum-lake-formation.html),
 * and the lake's catalog key through Glue only: no S3 access to the lake.
 */
export function spectrumRolePolicy(spec: SpectrumRolePolicySpec): PolicyDocument {
  return policyDocument([...readThroughLinksStatements(spec), ...decryptLakeCatalogStatements(spec.lake)]);
}

function validate(
  parent: pulumi.Resource,
  args: RedshiftSpectrumArgs,
  v: { databaseName: string; adminUsername: string; baseCapacity: number; readerRoleName: string },
): void {
  const fail = (message: string) => {
    throw new pulumi.ResourceError(`RedshiftSpectrum: ${message}`, parent);
  };
  if (!SERVERLESS_NAME.test(args.name))
    fail(
      `name "${args.name}" must be 3-64 lowercase letters, digits and hyphens (a namespace and workgroup name)`,
    );
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(v.databaseName))
    fail(
      `databaseName "${v.databaseName}" must be 1-64 lowercase letters, digits and _, starting with a letter`,
    );
  if (!/^[a-z][a-z0-9_]{0,127}$/.test(v.adminUsername))
    fail(
      `adminUsername "${v.adminUsername}" must be 1-128 lowercase letters, digits and _, starting with a letter`,
    );
  if (!REDSHIFT_IDENTIFIER.test(v.readerRoleName))
    fail(
      `readerRoleName "${v.readerRoleName}" must be a Redshift identifier: lowercase letters, digits, _ and $, at most 127`,
    );
  const capacity = redshiftCapacityProblem(v.baseCapacity, args.region);
  if (capacity) fail(`baseCapacity: ${capacity}`);
  for (const problem of redshiftSubnetProblems(args.network, args.region))
    fail(`network.${problem.path.join(".")}: ${problem.message}`);
  if (args.network.securityGroupIds.length === 0)
    fail("network.securityGroupIds is empty; name at least one security group for the workgroup");
  const limit = args.usageLimit;
  if (limit && (!Number.isInteger(limit.rpuHours) || limit.rpuHours < 1))
    fail(`usageLimit.rpuHours ${limit.rpuHours} must be a whole number of RPU-hours, 1 or more`);
  if (args.lake.accountId === args.accountId)
    fail(`the lake's account ${args.lake.accountId} is this account; resource links reach another account`);
  const seen = new Set<string>();
  (args.sharedDatabases ?? []).forEach((d, i) => {
    if (!REDSHIFT_IDENTIFIER.test(d.database))
      fail(
        `sharedDatabases[${i}].database "${d.database}" cannot name an external schema: use lowercase letters, digits and _`,
      );
    if (seen.has(d.database)) fail(`sharedDatabases[${i}]: database ${d.database} is listed twice`);
    seen.add(d.database);
  });
}
