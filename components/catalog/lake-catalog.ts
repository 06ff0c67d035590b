import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaults, LakeCatalogArgs, LfTagValues, PARQUET, TableSpec } from "./lake-catalog-args";

export {
  ColumnSpec,
  DatabaseSpec,
  defaults,
  LakeCatalogArgs,
  LfTagValues,
  PARQUET,
  TableSpec,
} from "./lake-catalog-args";

const asLfTags = (tags: LfTagValues) => Object.entries(tags).map(([key, value]) => ({ key, value }));

/**
 * The Glue Data Catalog of the lake: encryption settings, a database per domain, a Parquet table per
 * dataset (its registration and its Athena partition projection in table parameters), and the LF-tags
 * of databases, tables and columns.
 */
export class LakeCatalog extends pulumi.ComponentResource {
  /** Database name → database. */
  public readonly databases: Record<string, aws.glue.CatalogDatabase>;
  /** `database.table` → table. */
  public readonly tables: Record<string, aws.glue.CatalogTable>;

  constructor(name: string, args: LakeCatalogArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:catalog:LakeCatalog", name, {}, opts);
    const tables = args.tables ?? [];
    validate(
      this,
      args.databases.map((d) => d.name),
      tables,
    );
    const assign = args.assignLfTags ?? defaults.assignLfTags;
    const lf = [...(args.lakeFormationDependencies ?? [])];

    new aws.glue.DataCatalogEncryptionSettings(
      `${name}-encryption`,
      {
        catalogId: args.catalogId,
        dataCatalogEncryptionSettings: {
          encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: args.encryptionKeyArn },
          connectionPasswordEncryption: {
            returnConnectionPasswordEncrypted: true,
            awsKmsKeyId: args.encryptionKeyArn,
          },
        },
      },
      { parent: this },
    );

    this.databases = {};
    for (const db of args.databases) {
      const database = new aws.glue.CatalogDatabase(
        `${name}-db-${db.name}`,
        {
          catalogId: args.catalogId,
          name: db.name,
          ...(db.description ? { description: db.description } : {}),
          // No IAMAllowedPrincipals default permission: access to its tables is Lake Formation's.
          createTableDefaultPermissions: [],
          tags: { ...(args.tags ?? {}) },
        },
        { parent: this, dependsOn: lf },
      );
      this.databases[db.name] = database;
      if (assign && db.lfTags && Object.keys(db.lfTags).length > 0) {
        new aws.lakeformation.ResourceLfTags(
          `${name}-db-${db.name}-lf-tags`,
          {
            catalogId: args.catalogId,
            database: { catalogId: args.catalogId, name: database.name },
            lfTags: asLfTags(db.lfTags),
          },
          { parent: this, dependsOn: lf },
        );
      }
    }

    this.tables = {};
    for (const t of tables) {
      const id = `${t.database}.${t.name}`;
      const table = new aws.glue.CatalogTable(
        `${name}-table-${t.database}-${t.name}`,
        {
          catalogId: args.catalogId,
          databaseName: this.databases[t.database].name,
          name: t.name,
          ...(t.description ? { description: t.description } : {}),
          tableType: "EXTERNAL_TABLE",
          parameters: { ...defaults.tableParameters, ...(t.parameters ?? {}), ...(t.projection ?? {}) },
          partitionKeys: (t.partitionKeys ?? []).map((k) => ({
            name: k.name,
            type: k.type,
            ...(k.comment ? { comment: k.comment } : {}),
          })),
          storageDescriptor: {
            location: t.location,
            inputFormat: PARQUET.inputFormat,
            outputFormat: PARQUET.outputFormat,
            serDeInfo: {
              name: "parquet",
              serializationLibrary: PARQUET.serializationLibrary,
              parameters: { "serialization.format": "1" },
            },
            columns: t.columns.map((c) => ({
              name: c.name,
              type: c.type,
              ...(c.comment ? { comment: c.comment } : {}),
            })),
          },
        },
        { parent: this },
      );
      this.tables[id] = table;
      if (!assign) continue;
      const tableRef = { catalogId: args.catalogId, databaseName: table.databaseName, name: table.name };
      if (t.lfTags && Object.keys(t.lfTags).length > 0) {
        new aws.lakeformation.ResourceLfTags(
          `${name}-table-${t.database}-${t.name}-lf-tags`,
          { catalogId: args.catalogId, table: tableRef, lfTags: asLfTags(t.lfTags) },
          { parent: this, dependsOn: lf },
        );
      }
      // Columns sharing the same tags get one assignment.
      const groups = new Map<string, { tags: LfTagValues; columns: string[] }>();
      for (const c of t.columns) {
        if (!c.lfTags || Object.keys(c.lfTags).length === 0) continue;
        const key = JSON.stringify(Object.entries(c.lfTags).sort());
        const group = groups.get(key) ?? { tags: c.lfTags, columns: [] };
        group.columns.push(c.name);
        groups.set(key, group);
      }
      for (const group of groups.values()) {
        const suffix = Object.entries(group.tags)
          .sort()
          .map(([k, v]) => `${k}-${v}`)
          .join("-");
        new aws.lakeformation.ResourceLfTags(
          `${name}-table-${t.database}-${t.name}-columns-${suffix}`,
          {
            catalogId: args.catalogId,
            tableWithColumns: { ...tableRef, columnNames: group.columns },
            lfTags: asLfTags(group.tags),
          },
          { parent: this, dependsOn: lf },
        );
      }
    }

    this.registerOutputs({
      databases: Object.keys(this.databases),
      tables: Object.keys(this.tables),
    });
  }
}

function validate(parent: pulumi.Resource, databases: string[], tables: readonly TableSpec[]): void {
  const seen = new Set<string>();
  for (const [i, t] of tables.entries()) {
    if (!databases.includes(t.database)) {
      throw new pulumi.ResourceError(
        `LakeCatalog: tables[${i}] (${t.name}) is in database "${t.database}", which is not among databases (${databases.join(", ")}); add it to databases`,
        parent,
      );
    }
    const id = `${t.database}.${t.name}`;
    if (seen.has(id))
      throw new pulumi.ResourceError(`LakeCatalog: tables[${i}]: table ${id} is declared twice`, parent);
    seen.add(id);
    const columns = new Set(t.columns.map((c) => c.name));
    for (const k of t.partitionKeys ?? []) {
      if (columns.has(k.name)) {
        throw new pulumi.ResourceError(
          `LakeCatalog: tables[${i}] (${id}): partition key ${k.name} is also a column; list it once`,
          parent,
        );
      }
    }
    validateProjection(parent, `LakeCatalog: tables[${i}] (${id})`, t);
  }
  if (new Set(databases).size !== databases.length) {
    throw new pulumi.ResourceError(
      `LakeCatalog: databases lists a name twice (${databases.join(", ")})`,
      parent,
    );
  }
}

/** The projection parameters Athena reads that are not per partition key. */
const PROJECTION_TABLE_KEYS = ["projection.enabled", "storage.location.template"];

/**
 * Athena's partition projection, checked before anything is declared ("Partition projection with Amazon
 * Athena", https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html; "Supported types for
 * partition projection", https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html):
 * every `projection.<column>.*` names a partition key and every partition key is projected with a type;
 * the custom template lies under the table's location and has a `${key}` placeholder per partition key.
 */
function validateProjection(parent: pulumi.Resource, where: string, t: TableSpec): void {
  const projection = t.projection ?? {};
  const keys = (t.partitionKeys ?? []).map((k) => k.name);
  const misplaced = Object.keys(t.parameters ?? {}).filter(
    (k) => k.startsWith("projection.") || PROJECTION_TABLE_KEYS.includes(k),
  );
  if (misplaced.length > 0)
    throw new pulumi.ResourceError(
      `${where}: parameters ${misplaced.join(", ")} are partition projection; pass them as projection, where they are checked`,
      parent,
    );
  if (Object.keys(projection).length === 0) return;
  if (keys.length === 0)
    throw new pulumi.ResourceError(
      `${where}: projection is given but the table has no partition keys; drop the projection or add the partition keys it projects`,
      parent,
    );
  for (const name of Object.keys(projection)) {
    if (PROJECTION_TABLE_KEYS.includes(name)) continue;
    const m = /^projection\.([^.]+)\.(.+)$/.exec(name);
    if (!m)
      throw new pulumi.ResourceError(
        `${where}: projection parameter ${name} is not projection.enabled, storage.location.template or projection.<partition key>.<property>`,
        parent,
      );
    if (!keys.includes(m[1]))
      throw new pulumi.ResourceError(
        `${where}: projection parameter ${name} names column ${m[1]}, which is not a partition key (${keys.join(", ")}); project partition keys only`,
        parent,
      );
  }
  if (projection["projection.enabled"] !== "true") return;
  const unprojected = keys.filter((k) => projection[`projection.${k}.type`] === undefined);
  if (unprojected.length > 0)
    throw new pulumi.ResourceError(
      `${where}: projection is enabled but partition key ${unprojected.join(", ")} has no projection.<key>.type; Athena projects every partition key or none`,
      parent,
    );
  const template = projection["storage.location.template"];
  if (template === undefined) return;
  if (!template.startsWith(t.location))
    throw new pulumi.ResourceError(
      `${where}: storage.location.template ${template} does not start with the table's location ${t.location}; the partitions must lie under the table`,
      parent,
    );
  const missing = keys.filter((k) => !template.includes(`\${${k}}`));
  if (missing.length > 0)
    throw new pulumi.ResourceError(
      `${where}: storage.location.template ${template} has no placeholder for ${missing.map((k) => `\${${k}}`).join(", ")}; name every partition key`,
      parent,
    );
}
