import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { defaults, DmsIngestion, DmsIngestionArgs } from "../../../components/ingestion/dms-ingestion";
import type { RunResult } from "../../../tooling/mock-runtime/harness";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:ingestion:DmsIngestion";
const LAKE = "999999999999";
const SECRET = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:erp-AbCdEf`;

const base: DmsIngestionArgs = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  roleName: "acme-orders-ingest",
  secretRoleName: "acme-orders-secret",
  subnetIds: ["subnet-01", "subnet-02"],
  securityGroupIds: ["sg-01"],
  source: { engine: "postgres", secretArn: SECRET, schema: "sales", table: "orders" },
  lake: {
    accountId: LAKE,
    region: "eu-west-1",
    bucketName: "acme-raw",
    prefix: "sales/orders/",
    kmsKeyArn: `arn:aws:kms:eu-west-1:${LAKE}:alias/acme-lake`,
  },
  tags: { dataset: "orders" },
};

const plan = (args: Partial<DmsIngestionArgs> = {}) =>
  withProvider((provider) => new DmsIngestion("orders", { ...base, ...args }, { provider }));
type Statement = { Sid: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const statements = (r: RunResult, name: string): Statement[] =>
  JSON.parse(String(named(r, name).inputs.policy)).Statement as Statement[];

describe("DmsIngestion", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("creates a key, two roles with inline policies, the subnet group, both endpoints and the replication", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:kms/key:Key": 1,
      "aws:iam/role:Role": 2,
      "aws:iam/rolePolicy:RolePolicy": 2,
      "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup": 1,
      "aws:dms/endpoint:Endpoint": 1,
      "aws:dms/s3Endpoint:S3Endpoint": 1,
      "aws:dms/replicationConfig:ReplicationConfig": 1,
    });
  });

  it("hangs every child under the component with the explicit provider", () => {
    expectWiredUnder(r, TYPE, "orders");
  });

  it("writes Parquet SSE-KMS into the dataset's prefix of the lake's bucket, as the ingestion role", () => {
    expect(named(r, "orders-target").inputs).to.deep.include({
      endpointType: "target",
      bucketName: "acme-raw",
      // DMS appends /<schema>/<table>/ to the folder: the files land under sales/orders/sales/orders/.
      bucketFolder: "sales/orders",
      expectedBucketOwner: LAKE,
      dataFormat: "parquet",
      parquetVersion: "parquet-2-0",
      encryptionMode: "SSE_KMS",
      serverSideEncryptionKmsKeyId: `arn:aws:kms:eu-west-1:${LAKE}:alias/acme-lake`,
      serviceAccessRoleArn: `arn:aws:iam::${ACCOUNT}:role/acme-orders-ingest`,
    });
  });

  it("reads the source's credentials from its secret through a role allowed that secret only", () => {
    const source = named(r, "orders-source").inputs;
    expect(source).to.deep.include({
      endpointType: "source",
      engineName: "postgres",
      secretsManagerArn: SECRET,
      secretsManagerAccessRoleArn: `arn:aws:iam::${ACCOUNT}:role/acme-orders-secret`,
      sslMode: defaults.sslMode,
      kmsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/orders-key-id`,
    });
    expect(statements(r, "orders-secret-role-policy")).to.deep.equal([
      {
        Sid: "ReadSourceSecret",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: SECRET,
      },
    ]);
    const trust = JSON.parse(String(named(r, "orders-secret-role").inputs.assumeRolePolicy)).Statement[0];
    expect(trust.Principal).to.deep.equal({ Service: "dms.eu-west-1.amazonaws.com" });
  });

  it("replicates full load and CDC of the source table, serverless, encrypted, in the account's subnets", () => {
    const replication = named(r, "orders-replication").inputs;
    expect(replication).to.deep.include({
      replicationConfigIdentifier: "orders",
      replicationType: "full-load-and-cdc",
      startReplication: false,
    });
    expect(replication.computeConfig).to.deep.equal({
      replicationSubnetGroupId: "orders",
      vpcSecurityGroupIds: ["sg-01"],
      kmsKeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/orders-key-id`,
      minCapacityUnits: defaults.minCapacityUnits,
      maxCapacityUnits: defaults.maxCapacityUnits,
      multiAz: false,
    });
    expect(JSON.parse(String(replication.tableMappings)).rules[0]).to.deep.include({
      "rule-type": "selection",
      "object-locator": { "schema-name": "sales", "table-name": "orders" },
      "rule-action": "include",
    });
    expect(JSON.parse(String(replication.replicationSettings)).FullLoadSettings).to.deep.equal({
      TargetTablePrepMode: "DO_NOTHING",
    });
    expect(named(r, "orders-subnets").inputs.subnetIds).to.deep.equal(["subnet-01", "subnet-02"]);
  });

  it("keeps startReplication and multiAz given", async () => {
    const p = await plan({ startReplication: true, multiAz: true });
    const replication = named(p, "orders-replication").inputs;
    expect(replication.startReplication).to.equal(true);
    expect((replication.computeConfig as { multiAz: boolean }).multiAz).to.equal(true);
  });

  it("refuses a wildcard schema or table: every selected table would land in a folder no table reads", async () => {
    for (const source of [
      { ...base.source, table: "%" },
      { ...base.source, table: "ord%" },
      { ...base.source, schema: "%" },
      { ...base.source, table: "" },
    ])
      expect((await rejection(plan({ source }))).message).to.contain("must name one");
  });

  it("reports the table's prefix: the dataset's prefix, then the source schema and table", async () => {
    let built: DmsIngestion | undefined;
    const source = { ...base.source, schema: "erp", table: "order_headers" };
    const p = await withProvider((provider) => {
      built = new DmsIngestion("orders", { ...base, source }, { provider });
      return built;
    });
    expect(built!.tablePrefix).to.equal("sales/orders/erp/order_headers/");
    expect(
      JSON.parse(String(named(p, "orders-replication").inputs.tableMappings)).rules[0]["object-locator"],
    ).to.deep.equal({ "schema-name": "erp", "table-name": "order[_]headers" }); // `_` alone: any one character
    expect(named(p, "orders-target").inputs.bucketFolder).to.equal("sales/orders");
  });

  it("passes the source's database name to its endpoint, and none when not given", async () => {
    const p = await plan({ source: { ...base.source, databaseName: "erp" } });
    expect(named(p, "orders-source").inputs.databaseName).to.equal("erp");
    expect(named(r, "orders-source").inputs).to.not.have.property("databaseName");
  });

  it("writes no date folders by default", () => {
    const target = named(r, "orders-target").inputs;
    for (const k of [
      "datePartitionEnabled",
      "datePartitionSequence",
      "datePartitionDelimiter",
      "datePartitionTimezone",
    ])
      expect(target, k).to.not.have.property(k);
  });

  it("writes DMS date folders as YYYY-MM-DD in UTC without a time-zone setting", async () => {
    const p = await plan({ lake: { ...base.lake, datePartitioning: {} } });
    const target = named(p, "orders-target").inputs;
    expect(target).to.deep.include({
      datePartitionEnabled: true,
      datePartitionSequence: "YYYYMMDD",
      datePartitionDelimiter: "DASH",
    });
    expect(target).to.not.have.property("datePartitionTimezone");
    const utc = await plan({ lake: { ...base.lake, datePartitioning: { timezone: "UTC" } } });
    expect(named(utc, "orders-target").inputs).to.not.have.property("datePartitionTimezone");
  });

  it("names the date folders in the given Area/Location time zone", async () => {
    const p = await plan({ lake: { ...base.lake, datePartitioning: { timezone: "Europe/Berlin" } } });
    expect(named(p, "orders-target").inputs).to.deep.include({
      datePartitionEnabled: true,
      datePartitionTimezone: "Europe/Berlin",
    });
  });

  it("writes the Op column in every file, the full load's too, unless inserts only", async () => {
    expect(named(r, "orders-target").inputs).to.deep.include({ includeOpForFullLoad: true });
    expect(named(r, "orders-target").inputs).to.not.have.property("cdcInsertsOnly");
    const p = await plan({ insertsOnly: true });
    const target = named(p, "orders-target").inputs;
    expect(target).to.deep.include({ cdcInsertsOnly: true });
    expect(target).to.not.have.property("includeOpForFullLoad");
  });

  it("adds the commit-time column when named, stamping full-load rows with the replication's start", async () => {
    expect(named(r, "orders-target").inputs).to.not.have.property("timestampColumnName");
    const p = await plan({ commitTimestampColumn: "dms_commit_ts" });
    expect(named(p, "orders-target").inputs).to.deep.include({
      timestampColumnName: "dms_commit_ts",
      useTaskStartTimeForFullLoadTimestamp: true,
    });
    expect((await rejection(plan({ commitTimestampColumn: "" }))).message).to.contain(
      "commitTimestampColumn must name a column",
    );
  });

  it("creates the replication after the resources it is given to wait for", async () => {
    const p = await withProvider((provider) => {
      const gate = new aws.ec2.VpcEndpoint(
        "gate",
        { vpcId: "vpc-01", serviceName: "com.amazonaws.eu-west-1.s3" },
        { provider },
      );
      return new DmsIngestion("orders", { ...base, dependsOn: [gate] }, { provider });
    });
    const gate = named(p, "gate");
    expect(named(p, "orders-replication").dependencies).to.include(gate.urn);
  });

  it("refuses a lake bucket in another region than the replication", async () => {
    expect((await rejection(plan({ lake: { ...base.lake, region: "us-east-1" } }))).message).to.contain(
      "DMS writes only to a bucket of its own region",
    );
  });

  it("allows the ingestion role only its prefix and the lake key through S3 — no wildcard action", () => {
    const policy = statements(r, "orders-role-policy");
    expect(policy.map((s) => s.Sid)).to.deep.equal([
      "WriteDatasetPrefixes",
      "LocateLakeBucket",
      "UseLakeKey",
    ]);
    expect(policy[0].Resource).to.deep.equal(["arn:aws:s3:::acme-raw/sales/orders/*"]);
    // DMS S3 target prerequisites: it deletes and tags the objects it writes.
    expect(policy[0].Action).to.include.members(["s3:PutObject", "s3:DeleteObject", "s3:PutObjectTagging"]);
    expect(policy[1].Action).to.include.members(["s3:ListBucket", "s3:GetBucketLocation"]);
    expect(policy[2].Condition).to.deep.include({
      StringEquals: { "kms:ViaService": ["s3.eu-west-1.amazonaws.com"] },
    });
    const actions = [...policy, ...statements(r, "orders-secret-role-policy")].flatMap((s) =>
      Array.isArray(s.Action) ? s.Action : [s.Action],
    );
    expect(actions.filter((a) => a.includes("*"))).to.deep.equal([]);
    const trust = JSON.parse(String(named(r, "orders-role").inputs.assumeRolePolicy)).Statement[0];
    expect(trust).to.deep.include({
      Principal: { Service: "dms.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
    });
  });

  it("lets the secret role decrypt a customer-managed secret key through Secrets Manager only", async () => {
    const keyArn = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/secret-key`;
    const p = await plan({ source: { ...base.source, secretKmsKeyArn: keyArn } });
    expect(statements(p, "orders-secret-role-policy")[1]).to.deep.include({
      Action: "kms:Decrypt",
      Resource: keyArn,
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
    });
  });

  it("uses an existing key instead of creating one, and refuses both", async () => {
    const keyArn = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/existing`;
    const p = await plan({ kmsKeyArn: keyArn });
    expect(ofType(p, "aws:kms/key:Key")).to.have.length(0);
    expect((named(p, "orders-replication").inputs.computeConfig as { kmsKeyId: string }).kmsKeyId).to.equal(
      keyArn,
    );
    const err = await rejection(plan({ kmsKeyArn: keyArn, keyAdminArns: ["arn:aws:iam::1:role/a"] }));
    expect(err.message).to.contain("give either kmsKeyArn");
  });

  it("refuses no subnets, a capacity DMS does not offer and a minimum above the maximum", async () => {
    expect((await rejection(plan({ subnetIds: [] }))).message).to.contain("subnetIds must name");
    expect((await rejection(plan({ maxCapacityUnits: 3 }))).message).to.contain("not a DMS capacity");
    expect((await rejection(plan({ minCapacityUnits: 32, maxCapacityUnits: 16 }))).message).to.contain(
      "exceeds maxCapacityUnits",
    );
  });

  it("tags the endpoints, the replication and the subnet group with the dataset", () => {
    for (const n of ["orders-source", "orders-target", "orders-replication", "orders-subnets"])
      expect(named(r, n).inputs.tags, n).to.deep.equal({ dataset: "orders" });
  });
});
