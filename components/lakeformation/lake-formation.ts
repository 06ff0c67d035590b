import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaults, LakeFormationArgs } from "./lake-formation-args";
import { policyDocument, PolicyDocument, PolicyStatement, serviceTrustPolicy } from "../shared/iam";

export { defaults, LakeFormationArgs, LakeLocation } from "./lake-formation-args";

/**
 * Lake Formation for the lake account: data lake settings (the given admins plus the deployment role,
 * no IAMAllowedPrincipals default permissions on new databases and tables, cross-account version 4), a
 * dedicated least-privilege role through which the S3 locations are registered, and the LF-tag
 * ontology (created once the settings make the deployer an admin).
 */
export class LakeFormation extends pulumi.ComponentResource {
  /** The data lake settings: resources that need Lake Formation governance should depend on it. */
  public readonly settings: aws.lakeformation.DataLakeSettings;
  /** LF-tag key → its LF-tag resource. */
  public readonly lfTags: Record<string, aws.lakeformation.LfTag>;
  /** The role Lake Formation assumes to read and write the registered locations. */
  public readonly dataAccessRole: aws.iam.Role;
  /** Its ARN. */
  public readonly dataAccessRoleArn: pulumi.Output<string>;
  /** Location name → registration. */
  public readonly registeredLocations: Record<string, aws.lakeformation.Resource>;

  constructor(name: string, args: LakeFormationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:lakeformation:LakeFormation", name, {}, opts);
    const crossAccountVersion = args.crossAccountVersion ?? defaults.crossAccountVersion;
    if (!Number.isInteger(crossAccountVersion) || crossAccountVersion < defaults.minimumCrossAccountVersion) {
      throw new pulumi.ResourceError(
        `LakeFormation: crossAccountVersion ${crossAccountVersion} is too old; use ${defaults.minimumCrossAccountVersion} or more (default ${defaults.crossAccountVersion})`,
        this,
      );
    }
    for (const [key, values] of Object.entries(args.lfTags)) {
      if (values.length === 0)
        throw new pulumi.ResourceError(`LakeFormation: LF-tag "${key}" needs at least one value`, this);
    }
    const tags = { ...(args.tags ?? {}) };

    const admins = pulumi
      .all([args.deploymentRoleArn])
      .apply(([deployer]) => [...new Set([...args.admins, ...(deployer ? [deployer] : [])])]);
    this.settings = new aws.lakeformation.DataLakeSettings(
      `${name}-settings`,
      {
        catalogId: args.catalogId,
        admins,
        // Empty lists: no IAMAllowedPrincipals "Super" on new databases and tables; Lake Formation decides.
        createDatabaseDefaultPermissions: [],
        createTableDefaultPermissions: [],
        parameters: { CROSS_ACCOUNT_VERSION: String(crossAccountVersion) },
      },
      { parent: this },
    );

    this.dataAccessRole = new aws.iam.Role(
      `${name}-data-access`,
      {
        name: args.dataAccessRoleName,
        description: "Lake Formation reaches the registered lake locations through this role",
        assumeRolePolicy: serviceTrustPolicy("lakeformation.amazonaws.com", args.catalogId),
        tags,
      },
      { parent: this },
    );
    this.dataAccessRoleArn = this.dataAccessRole.arn;
    const locations = args.locations ?? [];
    const access = new aws.iam.RolePolicy(
      `${name}-data-access-policy`,
      {
        role: this.dataAccessRole.id,
        policy: pulumi
          .all([pulumi.all(locations.map((l) => l.bucketArn)), args.kmsKeyArn])
          .apply(([buckets, key]) => JSON.stringify(dataAccessPolicy(buckets, key))),
      },
      { parent: this },
    );

    this.registeredLocations = {};
    for (const location of locations) {
      this.registeredLocations[location.name] = new aws.lakeformation.Resource(
        `${name}-location-${location.name}`,
        {
          arn: location.bucketArn,
          roleArn: this.dataAccessRole.arn,
          useServiceLinkedRole: false,
          hybridAccessEnabled: false,
        },
        { parent: this, dependsOn: [access, this.settings] },
      );
    }

    this.lfTags = {};
    for (const [key, values] of Object.entries(args.lfTags)) {
      this.lfTags[key] = new aws.lakeformation.LfTag(
        `${name}-tag-${key}`,
        { catalogId: args.catalogId, key, values: [...values] },
        // The deployer can create LF-tags only once the settings have made it an admin.
        { parent: this, dependsOn: [this.settings] },
      );
    }

    this.registerOutputs({
      dataAccessRoleArn: this.dataAccessRoleArn,
      lfTagKeys: Object.keys(this.lfTags),
      registeredLocations: locations.map((l) => l.name),
    });
  }
}

/** Least privilege for the data-access role: object read/write on the buckets, the key for their objects. */
export function dataAccessPolicy(bucketArns: readonly string[], kmsKeyArn: string): PolicyDocument {
  const statements: PolicyStatement[] = [];
  if (bucketArns.length > 0) {
    statements.push(
      {
        Sid: "ReadWriteLakeObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: bucketArns.map((arn) => `${arn}/*`),
      },
      {
        Sid: "ListLakeBuckets",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
        Resource: [...bucketArns],
      },
    );
  }
  statements.push({
    Sid: "UseLakeKey",
    Effect: "Allow",
    Action: [
      "kms:Decrypt",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:DescribeKey",
    ],
    Resource: kmsKeyArn,
  });
  return policyDocument(statements);
}
