import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { defaults, LakeCatalog, LakeCatalogArgs, PARQUET } from "../../../components/catalog/lake-catalog";
import type { RunResult } from "../../../tooling/mock-runtime/harness";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:catalog:LakeCatalog";
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/lake`;

const base: LakeCatalogArgs = {
  catalogId: ACCOUNT,
  databases: [
    { name: "sales", description: "Sales", lfTags: { domain: "sales" } },
    { name: "marketing", lfTags: { domain: "marketing" } },
  ],
  tables: [
    {
      database: "sales",
      name: "orders",
      description: "Orders",
      location: "s3://acme-raw/sales/orders/",
      columns: [
        { name: "order_id", type: "bigint" },
        { name: "email", type: "string", comment: "PII", lfTags: { classification: "restricted" } },
        { name: "phone", type: "string", lfTags: { classification: "restricted" } },
        { name: "margin", type: "decimal(18,2)", lfTags: { classification: "confidential" } },
      ],
      partitionKeys: [{ name: "dt", type: "date" }],
      parameters: { dataset: "orders", owner: "order-management", classification: "internal" },
      lfTags: { domain: "sales", classification: "internal" },
    },
  ],
  encryptionKeyArn: KEY,
  tags: { dataset: "shared" },
};

const plan = (args: Partial<LakeCatalogArgs> = {}, extra?: (p: aws.Provider) => aws.lakeformation.LfTag) =>
  withProvider((provider) => {
    const dep = extra?.(provider);
    return new LakeCatalog(
      "lake",
      { ...base, ...(dep ? { lakeFormationDependencies: [dep] } : {}), ...args },
      { provider },
    );
  });

describe("LakeCatalog", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("creates encryption settings, the databases, the tables and their LF-tag assignments", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings": 1,
      "aws:glue/catalogDatabase:CatalogDatabase": 2,
      "aws:glue/catalogTable:CatalogTable": 1,
      // 2 databases + 1 table + 2 column groups (restricted, confidential)
      "aws:lakeformation/resourceLfTags:ResourceLfTags": 5,
    });
    expectWiredUnder(r, TYPE, "lake");
  });

  it("encrypts the catalog and connection passwords with the key", () => {
    expect(named(r, "lake-encryption").inputs.dataCatalogEncryptionSettings).to.deep.equal({
      encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: KEY },
      connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: KEY },
    });
  });

  it("creates databases with no IAMAllowedPrincipals default permission", () => {
    const db = named(r, "lake-db-sales");
    expect(db.inputs).to.deep.include({
      catalogId: ACCOUNT,
      name: "sales",
      description: "Sales",
      createTableDefaultPermissions: [],
    });
    expect(db.inputs.tags).to.deep.equal({ dataset: "shared" });
  });

  it("declares tables as external Parquet with their columns, partition keys and parameters", () => {
    const t = named(r, "lake-table-sales-orders");
    expect(t.inputs).to.deep.include({
      databaseName: "sales",
      name: "orders",
      tableType: "EXTERNAL_TABLE",
      description: "Orders",
    });
    expect(t.inputs.partitionKeys).to.deep.equal([{ name: "dt", type: "date" }]);
    expect(t.inputs.parameters).to.deep.equal({
      ...defaults.tableParameters,
      dataset: "orders",
      owner: "order-management",
      classification: "internal",
    });
    const sd = t.inputs.storageDescriptor as Record<string, unknown>;
    expect(sd).to.deep.include({
      location: "s3://acme-raw/sales/orders/",
      inputFormat: PARQUET.inputFormat,
      outputFormat: PARQUET.outputFormat,
    });
    expect(sd.serDeInfo).to.deep.include({ serializationLibrary: PARQUET.serializationLibrary });
    expect((sd.columns as { name: string }[]).map((c) => c.name)).to.deep.equal([
      "order_id",
      "email",
      "phone",
      "margin",
    ]);
    expect((sd.columns as Record<string, unknown>[])[1]).to.deep.equal({
      name: "email",
      type: "string",
      comment: "PII",
    });
  });

  it("tags databases and tables, and groups columns that share a stricter classification", () => {
    expect(named(r, "lake-db-sales-lf-tags").inputs).to.deep.include({
      database: { catalogId: ACCOUNT, name: "sales" },
      lfTags: [{ key: "domain", value: "sales" }],
    });
    expect(named(r, "lake-table-sales-orders-lf-tags").inputs.lfTags).to.deep.equal([
      { key: "domain", value: "sales" },
      { key: "classification", value: "internal" },
    ]);
    const restricted = named(r, "lake-table-sales-orders-columns-classification-restricted");
    expect(restricted.inputs).to.deep.include({
      tableWithColumns: {
        catalogId: ACCOUNT,
        databaseName: "sales",
        name: "orders",
        columnNames: ["email", "phone"],
      },
      lfTags: [{ key: "classification", value: "restricted" }],
    });
    expect(
      named(r, "lake-table-sales-orders-columns-classification-confidential").inputs.tableWithColumns,
    ).to.deep.include({
      columnNames: ["margin"],
    });
  });

  it("makes databases and assignments wait for the Lake Formation resources it is given", async () => {
    const result = await plan(
      {},
      (provider) => new aws.lakeformation.LfTag("tag", { key: "domain", values: ["sales"] }, { provider }),
    );
    const tag = named(result, "tag");
    for (const res of [
      ...ofType(result, "aws:lakeformation/resourceLfTags:ResourceLfTags"),
      named(result, "lake-db-sales"),
    ]) {
      expect(res.dependencies, res.name).to.include(tag.urn);
    }
  });

  it("assigns no LF-tags when told not to", async () => {
    const result = await plan({ assignLfTags: false });
    expect(ofType(result, "aws:lakeformation/resourceLfTags:ResourceLfTags")).to.have.length(0);
  });

  it("rejects a table in an unknown database, a duplicate table, and a partition key repeated as a column", async () => {
    const table = base.tables![0];
    expect((await rejection(plan({ tables: [{ ...table, database: "finance" }] }))).message).to.contain(
      'database "finance"',
    );
    expect((await rejection(plan({ tables: [table, table] }))).message).to.contain("declared twice");
    const repeated = { ...table, partitionKeys: [{ name: "order_id", type: "bigint" }] };
    expect((await rejection(plan({ tables: [repeated] }))).message).to.contain(
      "partition key order_id is also a column",
    );
  });

  describe("partition projection", () => {
    const table = base.tables![0];
    const projection = {
      "projection.enabled": "true",
      "projection.dt.type": "date",
      "projection.dt.format": "yyyy-MM-dd",
      "projection.dt.range": "2025-02-01,NOW",
      "projection.dt.interval": "1",
      "projection.dt.interval.unit": "DAYS",
      "storage.location.template": "s3://acme-raw/sales/orders/${dt}/",
    };
    const withProjection = (p: Record<string, string>, t = table) =>
      plan({ tables: [{ ...t, projection: p }] });

    it("merges the projection parameters into the table's parameters", async () => {
      const result = await withProjection(projection);
      expect(named(result, "lake-table-sales-orders").inputs.parameters).to.deep.equal({
        ...defaults.tableParameters,
        dataset: "orders",
        owner: "order-management",
        classification: "internal",
        ...projection,
      });
    });

    it("declares no projection parameter when the table has none", () => {
      const params = named(r, "lake-table-sales-orders").inputs.parameters as Record<string, string>;
      expect(
        Object.keys(params).filter((k) => k.startsWith("projection.") || k.startsWith("storage.")),
      ).to.deep.equal([]);
    });

    it("refuses a projection of a column that is not a partition key", async () => {
      const err = await rejection(withProjection({ ...projection, "projection.order_id.type": "integer" }));
      expect(err).to.be.instanceOf(Error);
      expect(err.message).to.contain("names column order_id, which is not a partition key (dt)");
    });

    it("refuses a location template outside the table's location or without a key's placeholder", async () => {
      const outside = await rejection(
        withProjection({ ...projection, "storage.location.template": "s3://acme-raw/sales/other/${dt}/" }),
      );
      expect(outside.message).to.contain(
        "does not start with the table's location s3://acme-raw/sales/orders/",
      );
      const noKey = await rejection(
        withProjection({ ...projection, "storage.location.template": "s3://acme-raw/sales/orders/day/" }),
      );
      expect(noKey.message).to.contain("has no placeholder for ${dt}");
    });

    it("refuses enabled projection that leaves a partition key unprojected", async () => {
      const twoKeys = {
        ...table,
        partitionKeys: [
          { name: "dt", type: "date" },
          { name: "hour", type: "int" },
        ],
      };
      const err = await rejection(
        withProjection(
          { ...projection, "storage.location.template": "s3://acme-raw/sales/orders/${dt}/${hour}/" },
          twoKeys,
        ),
      );
      expect(err.message).to.contain("partition key hour has no projection.<key>.type");
    });

    it("refuses projection on an unpartitioned table and projection keys passed as plain parameters", async () => {
      const unpartitioned = { ...table, partitionKeys: [] };
      expect((await rejection(withProjection(projection, unpartitioned))).message).to.contain(
        "the table has no partition keys",
      );
      const smuggled = { ...table, parameters: { ...table.parameters, "projection.enabled": "true" } };
      expect((await rejection(plan({ tables: [smuggled] }))).message).to.contain(
        "are partition projection; pass them as projection",
      );
    });
  });

  it("registers its outputs", () => {
    expect(ofType(r, TYPE)[0].state).to.deep.equal({
      databases: ["sales", "marketing"],
      tables: ["sales.orders"],
    });
  });
});
