import * as path from "path";
import { expect } from "chai";
import {
  analystRoleArn,
  analystRoleName,
  athenaWorkgroupName,
  bucketName,
  classificationRank,
  databaseName,
  datasetLocation,
  datasetTags,
  expressionMatches,
  ingestionRoleArn,
  isHiveType,
  kmsAliasName,
  lakeAccount,
  loadPlatform,
  readableDatasets,
  REQUIRED_TAG_KEYS,
  sharedTags,
  storageZones,
  tableName,
  validatorRoleArn,
} from "../../platform";

const p = loadPlatform(path.join(__dirname, "..", "..", "stacks", "platform.yaml"));
const dataset = (name: string) => p.datasets.find((d) => d.name === name)!;

describe("naming rules", () => {
  it("derives bucket names from the platform, the lake account id and the zone", () => {
    expect(lakeAccount(p).name).to.equal("lake-prod");
    expect(bucketName(p, "raw")).to.equal("acme-lake-111111111111-raw");
    expect(bucketName(p, "access-logs")).to.equal("acme-lake-111111111111-access-logs");
    expect(storageZones(p)).to.deep.equal(["raw", "curated", "analytics"]);
  });

  it("derives the ingestion role in the producer's account and the validator role in the lake's", () => {
    const orders = dataset("orders");
    const producer = p.accounts.find((a) => a.name === orders.producer)!;
    expect(ingestionRoleArn(p, orders)).to.equal(`arn:aws:iam::${producer.id}:role/acme-lake-orders-ingest`);
    expect(validatorRoleArn(p)).to.equal("arn:aws:iam::111111111111:role/acme-lake-governance-validator");
  });

  it("derives Glue names and dataset locations", () => {
    expect(databaseName("supply-chain")).to.equal("supply_chain");
    expect(tableName(dataset("orders"))).to.equal("orders");
    expect(datasetLocation(p, dataset("orders"))).to.equal("s3://acme-lake-111111111111-raw/sales/orders/");
    expect(kmsAliasName(p)).to.equal("alias/acme-lake-lake");
  });

  it("derives consumer role names and ARNs in the consumer's account", () => {
    const team = p.consumers[2];
    expect(analystRoleName(p, team)).to.equal("acme-lake-controlling-analyst");
    expect(analystRoleArn(p, team)).to.equal("arn:aws:iam::555555555555:role/acme-lake-controlling-analyst");
    expect(athenaWorkgroupName(team)).to.equal("controlling-analytics");
  });

  it("gives a dataset's resources all six governance tags with its values", () => {
    const tags = datasetTags(dataset("orders"));
    expect(Object.keys(tags)).to.have.members([...REQUIRED_TAG_KEYS]);
    expect(tags).to.deep.equal({
      dataset: "orders",
      domain: "sales",
      owner: "order-management",
      "owner-email": "order-management@acme.example",
      classification: "confidential",
      source: "database",
    });
  });

  it("tags shared resources as shared, owned by the platform team, at the highest classification", () => {
    expect(sharedTags(p)).to.deep.include({
      dataset: "shared",
      owner: "data-platform",
      classification: "restricted",
    });
    expect(sharedTags(p, "internal").classification).to.equal("internal");
    expect(classificationRank(p, "public")).to.equal(0);
    expect(classificationRank(p, "unknown")).to.equal(-1);
  });

  it("matches tag expressions as Lake Formation does: every key must match, untagged keys never do", () => {
    const orders = dataset("orders");
    expect(expressionMatches({ domain: ["sales"] }, orders)).to.equal(true);
    expect(expressionMatches({ domain: ["sales"], classification: ["public"] }, orders)).to.equal(false);
    expect(expressionMatches({ team: ["x"] }, orders)).to.equal(false);
  });

  it("lists what a consumer may read: named datasets plus tag matches", () => {
    expect(readableDatasets(p, p.consumers[2]).map((d) => d.name)).to.deep.equal([
      "orders",
      "country_codes",
      "inventory_snapshots",
    ]);
  });

  it("accepts Glue/Hive type names and rejects others", () => {
    for (const ok of [
      "string",
      "decimal(18,2)",
      "varchar(32)",
      "array<struct<a:int,b:map<string,array<double>>>>",
    ]) {
      expect(isHiveType(ok), ok).to.equal(true);
    }
    for (const bad of [
      "datetime",
      "decimal(40,2)",
      "map<array<int>,string>",
      "struct<>",
      "array<int",
      "String",
    ]) {
      expect(isHiveType(bad), bad).to.equal(false);
    }
  });
});
