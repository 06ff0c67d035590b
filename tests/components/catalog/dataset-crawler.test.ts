import { expect } from "chai";
import {
  crawlerLogGroupName,
  crawlerLogsKeyPolicyStatement,
  DatasetCrawler,
  DatasetCrawlerArgs,
  defaults,
} from "../../../components/catalog/dataset-crawler";
import type { RunResult } from "../../../tooling/mock-runtime/harness";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:catalog:DatasetCrawler";
const base: DatasetCrawlerArgs = {
  catalogId: ACCOUNT,
  region: "eu-west-1",
  roleName: "acme-products-crawl",
  databaseName: "marketing",
  tableName: "products",
  bucketName: "acme-raw",
  prefix: "marketing/products/",
  kmsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/lake`,
  dataLocationArn: "arn:aws:s3:::acme-raw",
  schedule: "cron(0 3 * * ? *)",
  tags: { dataset: "products" },
};
const plan = (args: Partial<DatasetCrawlerArgs> = {}) =>
  withProvider((provider) => new DatasetCrawler("products", { ...base, ...args }, { provider }));
type Statement = { Sid: string; Action: string | string[]; Resource: unknown };

describe("DatasetCrawler", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("creates the crawler, its role and inline policy, its security configuration and two Lake Formation grants", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicy:RolePolicy": 1,
      "aws:lakeformation/permissions:Permissions": 2,
      "aws:glue/securityConfiguration:SecurityConfiguration": 1,
      "aws:glue/crawler:Crawler": 1,
    });
    expectWiredUnder(r, TYPE, "products");
  });

  it("runs with its own security configuration, encrypting its logs (and S3, bookmarks) under the lake key", () => {
    const security = named(r, "products-security").inputs;
    expect(security).to.deep.equal({
      name: "products",
      encryptionConfiguration: {
        cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: base.kmsKeyArn },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: base.kmsKeyArn },
        s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: base.kmsKeyArn },
      },
    });
    expect(named(r, "products-crawler").inputs.securityConfiguration).to.equal("products");
  });

  it("names its security configuration after the crawler by default, or as given, and logs to its encrypted group", async () => {
    const p = await plan({ crawlerName: "acme-products", securityConfigurationName: "acme-products-logs" });
    expect(named(p, "products-security").inputs.name).to.equal("acme-products-logs");
    expect(named(p, "products-crawler").inputs.securityConfiguration).to.equal("acme-products-logs");
    const logs = (
      JSON.parse(String(named(p, "products-role-policy").inputs.policy)).Statement as Statement[]
    ).find((s) => s.Sid === "WriteCrawlerLogs")!;
    expect(logs.Resource).to.equal(
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws-glue/crawlers-role/acme-products-crawl-acme-products-logs:*`,
    );
    expect(logs.Action).to.include("logs:AssociateKmsKey");
    expect(crawlerLogGroupName("r", "s")).to.equal("/aws-glue/crawlers-role/r-s");
    const p2 = await plan({ crawlerName: "acme-products" });
    expect(named(p2, "products-security").inputs.name).to.equal("acme-products");
  });

  it("gives CloudWatch Logs of its region the key for the account's crawler log groups only", () => {
    const statement = crawlerLogsKeyPolicyStatement({ accountId: ACCOUNT, region: "eu-west-1" });
    expect(statement.Principal).to.deep.equal({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(statement.Condition).to.deep.equal({
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws-glue/crawlers-role/*`,
      },
    });
    expect(statement.Action).to.not.include("kms:*");
  });

  it("crawls its own catalog table only, logging schema changes and deletions, on its schedule", () => {
    const crawler = named(r, "products-crawler").inputs;
    expect(crawler).to.deep.include({
      name: "products",
      databaseName: "marketing",
      catalogTargets: [{ databaseName: "marketing", tables: ["products"] }],
      schemaChangePolicy: { deleteBehavior: "LOG", updateBehavior: defaults.updateBehavior },
      recrawlPolicy: { recrawlBehavior: "CRAWL_EVERYTHING" },
      schedule: "cron(0 3 * * ? *)",
      role: `arn:aws:iam::${ACCOUNT}:role/acme-products-crawl`,
      tags: { dataset: "products" },
    });
    expect(crawler.s3Targets).to.equal(undefined);
    expect(crawler.classifiers).to.equal(undefined);
    expect(JSON.parse(String(crawler.configuration)).CrawlerOutput.Partitions).to.deep.equal({
      AddOrUpdateBehavior: "InheritFromTable",
    });
  });

  it("runs on demand without a schedule and updates the table when asked", async () => {
    const p = await plan({ schedule: undefined, updateBehavior: "UPDATE_IN_DATABASE" });
    const crawler = named(p, "products-crawler").inputs;
    expect(crawler.schedule).to.equal(undefined);
    expect(crawler.schemaChangePolicy).to.deep.equal({
      deleteBehavior: "LOG",
      updateBehavior: "UPDATE_IN_DATABASE",
    });
  });

  it("allows its role to read the dataset's prefix and update its table only — no wildcard action", () => {
    const policy = JSON.parse(String(named(r, "products-role-policy").inputs.policy))
      .Statement as Statement[];
    const by = (sid: string) => policy.find((s) => s.Sid === sid)!;
    expect(by("ReadDatasetObjects").Resource).to.equal("arn:aws:s3:::acme-raw/marketing/products/*");
    expect(by("UpdateDatasetTable").Resource).to.deep.equal([
      `arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:database/marketing`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:table/marketing/products`,
    ]);
    const actions = policy.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).to.not.include("s3:PutObject");
    expect(actions.filter((a) => a.includes("*"))).to.deep.equal([]);
    const trust = JSON.parse(String(named(r, "products-role").inputs.assumeRolePolicy)).Statement[0];
    expect(trust.Principal).to.deep.equal({ Service: "glue.amazonaws.com" });
  });

  it("grants its role ALTER, DESCRIBE, INSERT on its table and DATA_LOCATION_ACCESS, without grant option", () => {
    const table = named(r, "products-table").inputs;
    expect(table.permissions).to.deep.equal(["ALTER", "DESCRIBE", "INSERT"]);
    expect(table.table).to.deep.equal({ catalogId: ACCOUNT, databaseName: "marketing", name: "products" });
    const location = named(r, "products-location").inputs;
    expect(location.permissions).to.deep.equal(["DATA_LOCATION_ACCESS"]);
    expect(location.dataLocation).to.deep.equal({ catalogId: ACCOUNT, arn: "arn:aws:s3:::acme-raw" });
    for (const g of ofType(r, "aws:lakeformation/permissions:Permissions"))
      expect(g.inputs.permissionsWithGrantOptions ?? []).to.deep.equal([]);
  });

  it("declares no grant when grantLakeFormation is false", async () => {
    const p = await plan({ grantLakeFormation: false, dataLocationArn: undefined });
    expect(ofType(p, "aws:lakeformation/permissions:Permissions")).to.have.length(0);
  });

  describe("partitions mode", () => {
    const partitions = (args: Partial<DatasetCrawlerArgs> = {}) =>
      plan({
        mode: "partitions",
        crawlerName: "acme-orders-partitions",
        databaseName: "sales",
        tableName: "orders",
        prefix: "sales/orders/sales/orders/",
        schedule: "cron(30 1 * * ? *)",
        ...args,
      });
    let p: RunResult;
    before(async () => {
      p = await partitions();
    });

    it("registers the partitions of its catalog table only, never changing the schema nor deleting", () => {
      const crawler = named(p, "products-crawler").inputs;
      expect(crawler).to.deep.include({
        name: "acme-orders-partitions",
        catalogTargets: [{ databaseName: "sales", tables: ["orders"] }],
        schemaChangePolicy: { deleteBehavior: "LOG", updateBehavior: "LOG" },
        recrawlPolicy: { recrawlBehavior: "CRAWL_EVERYTHING" },
        schedule: "cron(30 1 * * ? *)",
      });
      expect(crawler.s3Targets).to.equal(undefined);
      expect(JSON.parse(String(crawler.configuration))).to.deep.equal({
        Version: 1.0,
        CrawlerOutput: { Partitions: { AddOrUpdateBehavior: "InheritFromTable" } },
      });
      expect(String(crawler.description)).to.contain("for readers that ignore projection");
    });

    it("lets its role read only the table's prefix and update only its table", () => {
      const policy = JSON.parse(String(named(p, "products-role-policy").inputs.policy))
        .Statement as Statement[];
      const by = (sid: string) => policy.find((s) => s.Sid === sid)!;
      expect(by("ReadDatasetObjects").Resource).to.equal("arn:aws:s3:::acme-raw/sales/orders/sales/orders/*");
      expect((by("ListDatasetPrefix") as unknown as { Condition: unknown }).Condition).to.deep.equal({
        StringLike: { "s3:prefix": ["sales/orders/sales/orders/", "sales/orders/sales/orders/*"] },
      });
      expect(by("UpdateDatasetTable").Resource).to.deep.equal([
        `arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`,
        `arn:aws:glue:eu-west-1:${ACCOUNT}:database/sales`,
        `arn:aws:glue:eu-west-1:${ACCOUNT}:table/sales/orders`,
      ]);
    });

    it("grants its role, in its own account, ALTER, DESCRIBE, INSERT on the table and DATA_LOCATION_ACCESS", () => {
      expect(named(p, "products-table").inputs).to.deep.include({
        catalogId: ACCOUNT,
        permissions: ["ALTER", "DESCRIBE", "INSERT"],
        table: { catalogId: ACCOUNT, databaseName: "sales", name: "orders" },
      });
      expect(named(p, "products-location").inputs).to.deep.include({
        catalogId: ACCOUNT,
        permissions: ["DATA_LOCATION_ACCESS"],
        dataLocation: { catalogId: ACCOUNT, arn: "arn:aws:s3:::acme-raw" },
      });
      expect(named(p, "products-table").inputs.principal).to.equal(
        `arn:aws:iam::${ACCOUNT}:role/acme-products-crawl`,
      );
    });

    it("refuses a schema-updating or unscheduled partitions crawler", async () => {
      expect((await rejection(partitions({ updateBehavior: "UPDATE_IN_DATABASE" }))).message).to.contain(
        "never changes its table's schema",
      );
      expect((await rejection(partitions({ schedule: undefined }))).message).to.contain("needs a schedule");
    });
  });

  it("keeps grouping compatible schemas in dataset mode", () => {
    expect(JSON.parse(String(named(r, "products-crawler").inputs.configuration)).Grouping).to.deep.equal({
      TableGroupingPolicy: "CombineCompatibleSchemas",
    });
  });

  it("refuses a schedule that is not a cron expression and grants without a location", async () => {
    expect((await rejection(plan({ schedule: "daily" }))).message).to.contain("not a Glue cron expression");
    expect((await rejection(plan({ dataLocationArn: undefined }))).message).to.contain(
      "needs dataLocationArn",
    );
  });
});
