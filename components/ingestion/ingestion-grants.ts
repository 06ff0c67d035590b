import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaults, IngestionGrantsArgs } from "./ingestion-grants-args";

export { defaults, IngestionGrantSpec, IngestionGrantsArgs } from "./ingestion-grants-args";

/**
 * The lake's Lake Formation grants to producers' ingestion roles: per role, DESCRIBE on its dataset's
 * table (Firehose's Parquet conversion reads the schema from the lake's catalog) — never with a grant
 * option, nothing else. No DATA_LOCATION_ACCESS: it lets a principal create or alter catalog resources
 * pointing at a location, not write S3 ("Granting data location permissions",
 * https://docs.aws.amazon.com/lake-formation/latest/dg/granting-location-permissions.html), and across
 * accounts Lake Formation grants it to accounts or organisations only ("Granting data location
 * permissions (external account)",
 * https://docs.aws.amazon.com/lake-formation/latest/dg/granting-location-permissions-external.html).
 * Firehose and DMS write S3 through IAM, the bucket policy and the key policy
 * (`ingestionBucketStatements`, `ingestionKeyStatements`).
 */
export class IngestionGrants extends pulumi.ComponentResource {
  /** Dataset → its grants (DESCRIBE on its table). */
  public readonly grants: Record<string, aws.lakeformation.Permissions[]>;

  constructor(name: string, args: IngestionGrantsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:ingestion:IngestionGrants", name, {}, opts);
    const writers = args.writers ?? [];
    const seen = new Set<string>();
    for (const w of writers) {
      if (seen.has(w.dataset))
        throw new pulumi.ResourceError(`IngestionGrants: dataset ${w.dataset} is listed twice`, this);
      seen.add(w.dataset);
    }
    const shared = [...(args.dependsOn ?? [])];
    this.grants = {};
    for (const w of writers) {
      this.grants[w.dataset] = [
        new aws.lakeformation.Permissions(
          `${name}-${w.dataset}-table`,
          {
            catalogId: args.catalogId,
            principal: w.roleArn,
            permissions: [...defaults.tablePermissions],
            table: { catalogId: args.catalogId, databaseName: w.database, name: w.table },
          },
          { parent: this, dependsOn: [...shared, ...(w.dependsOn ?? [])] },
        ),
      ];
    }
    this.registerOutputs({ datasets: Object.keys(this.grants) });
  }
}
