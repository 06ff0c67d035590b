import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaults, IngestionGrantsArgs } from "./ingestion-grants-args";

export { defaults, IngestionGrantSpec, IngestionGrantsArgs } from "./ingestion-grants-args";
export * from "./statements";

/**
 * The lake's Lake Formation grants to producers' ingestion roles: per role, DESCRIBE on its dataset's
 * table (Firehose's Parquet conversion reads the schema from the lake's catalog) and
 * DATA_LOCATION_ACCESS on the registered location it writes — never with a grant option, nothing else.
 * The S3 and KMS side of ingestion is in the bucket and key policies (`ingestionBucketStatements`,
 * `ingestionKeyStatements`).
 */
export class IngestionGrants extends pulumi.ComponentResource {
  /** Dataset → its two grants (table, location). */
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
    const after = { parent: this, dependsOn: [...(args.dependsOn ?? [])] };
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
          after,
        ),
        new aws.lakeformation.Permissions(
          `${name}-${w.dataset}-location`,
          {
            catalogId: args.catalogId,
            principal: w.roleArn,
            permissions: [...defaults.locationPermissions],
            dataLocation: { catalogId: args.catalogId, arn: args.dataLocationArn },
          },
          after,
        ),
      ];
    }
    this.registerOutputs({ datasets: Object.keys(this.grants) });
  }
}
