import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { defaults, LakeCatalog, LakeCatalogArgs, PARQUET } from "../../components/catalog";
import type { RunResult } from "../../plan/harness";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "./helpers";

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

  it("registers its outputs", () => {
    expect(ofType(r, TYPE)[0].state).to.deep.equal({
      databases: ["sales", "marketing"],
      tables: ["sales.orders"],
    });
  });
});
