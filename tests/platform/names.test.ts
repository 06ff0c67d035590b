import * as path from "path";
import { expect } from "chai";
import {
  accessLogBucketName,
  analystRoleArn,
  analystRoleName,
  athenaResultsBucketName,
  athenaResultsKeyAlias,
  athenaWorkgroupName,
  bucketName,
  classificationRank,
  dataCellsFilterName,
  databaseName,
  datasetLocation,
  datasetPrefix,
  datasetTags,
  expressionMatches,
  grantStatus,
  ingestionErrorPrefix,
  ingestionRoleArn,
  ingestionRoleArnPattern,
  INGESTION_KEY_PATTERNS,
  isHiveType,
  kmsAliasName,
  lakeAccount,
  loadPlatform,
  producerPrefix,
  readableClassification,
  readableDatasets,
  REQUIRED_TAG_KEYS,
  resourceLinkName,
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
    expect(datasetLocation(p, dataset("orders"))).to.equal(
      "s3://acme-lake-111111111111-raw/333333333333/sales/orders/",
    );
    expect(ingestionErrorPrefix(p, dataset("orders"))).to.equal("333333333333/_errors/sales/orders/");
    expect(producerPrefix(p, "ops-producer")).to.equal("333333333333/");
  });

  it("puts a role's account and tags into the lake's key patterns to give exactly its dataset's prefixes", () => {
    for (const d of p.datasets) {
      const account = p.accounts.find((a) => a.name === d.producer)!.id;
      const tags: Record<string, string> = { ...datasetTags(d) };
      const filled = INGESTION_KEY_PATTERNS.map((k) =>
        k
          .replace("${aws:PrincipalAccount}", account)
          .replace(/\$\{aws:PrincipalTag\/(\w+)\}/g, (_, key: string) => tags[key]),
      );
      expect(filled, d.name).to.deep.equal([datasetPrefix(p, d), ingestionErrorPrefix(p, d)]);
    }
    expect(ingestionRoleArnPattern(p)).to.equal("arn:aws:iam::*:role/acme-lake-*-ingest");
    // Every ingestion role matches it (ArnLike: * is any run of characters), no crawler or analyst role does.
    const like = new RegExp(`^${ingestionRoleArnPattern(p).replace(/\*/g, ".*")}$`);
    for (const d of p.datasets) expect(like.test(ingestionRoleArn(p, d)), d.name).to.equal(true);
    expect(like.test(validatorRoleArn(p))).to.equal(false);
    expect(kmsAliasName(p)).to.equal("alias/acme-lake-lake");
  });

  it("derives consumer role names and ARNs in the consumer's account", () => {
    const team = p.consumers[2];
    expect(analystRoleName(p, team)).to.equal("acme-lake-controlling-analyst");
    expect(analystRoleArn(p, team)).to.equal("arn:aws:iam::555555555555:role/acme-lake-controlling-analyst");
    expect(athenaWorkgroupName(team)).to.equal("controlling-analytics");
  });

  it("derives a consumer account's resource links, results bucket and key, and data cells filters", () => {
    const finance = p.accounts.find((a) => a.name === "finance-consumer")!;
    expect(resourceLinkName("sales")).to.equal("sales_shared");
    expect(resourceLinkName("supply-chain")).to.equal("supply_chain_shared");
    expect(athenaResultsBucketName(p, finance)).to.equal("acme-lake-555555555555-athena-results");
    expect(accessLogBucketName(p, finance)).to.equal("acme-lake-555555555555-access-logs");
    expect(accessLogBucketName(p, lakeAccount(p))).to.equal(bucketName(p, "access-logs"));
    expect(athenaResultsKeyAlias(p)).to.equal("alias/acme-lake-athena-results");
    expect(dataCellsFilterName(p.consumers[0], dataset("orders"))).to.equal("marketing_analytics__orders");
  });

  it("says whether a grant is active, ends within the reminder window, or has expired", () => {
    const grant = { expiresOn: "2027-03-31" };
    expect(grantStatus(grant, "2027-03-16", 14)).to.equal("active");
    expect(grantStatus(grant, "2027-03-17", 14)).to.equal("expiring");
    expect(grantStatus(grant, "2027-03-31", 14)).to.equal("expiring");
    expect(grantStatus(grant, "2027-04-01", 14)).to.equal("expired");
    expect(grantStatus(grant, "2027-03-30", 0)).to.equal("active");
    expect(grantStatus(grant, "2027-03-31", 0)).to.equal("expiring");
  });

  it("finds the most sensitive classification a team's queries may return", () => {
    // marketing-analytics: public and internal by tags; country_codes (public) by name.
    expect(readableClassification(p, p.consumers[0])).to.equal("internal");
    // product-insights names support_tickets (confidential) and gets none of its restricted columns.
    expect(readableClassification(p, p.consumers[1])).to.equal("confidential");
    const restricted = {
      ...p.consumers[1],
      read: { tags: [{ classification: ["restricted"] }], datasets: [] },
    };
    expect(readableClassification(p, restricted)).to.equal("restricted");
  });

  it("tags a team's shared resource with the team as owner", () => {
    expect(sharedTags(p, "internal", { team: "growth", email: "growth@acme.example" })).to.deep.equal({
      dataset: "shared",
      domain: "shared",
      owner: "growth",
      "owner-email": "growth@acme.example",
      classification: "internal",
      source: "shared",
    });
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
