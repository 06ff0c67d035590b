import { expect } from "chai";
import {
  IngestionGrants,
  ingestionBucketStatements,
  ingestionKeyStatements,
  sidPart,
  writerKeyStatement,
} from "../../../components/ingestion/ingestion-grants";
import { ACCOUNT, childCounts, expectWiredUnder, named, rejection, withProvider } from "../helpers";

const ROLE = "arn:aws:iam::222222222222:role/acme-orders-ingest";
const writer = { dataset: "orders", roleArn: ROLE, prefixes: ["sales/orders/", "_errors/sales/orders/"] };

describe("ingestion statements", () => {
  it("lets each role write its own prefixes and list the bucket, in two statements", () => {
    expect(ingestionBucketStatements("acme-raw", [writer])).to.deep.equal([
      {
        Sid: "IngestOrdersObjects",
        Effect: "Allow",
        Principal: { AWS: ROLE },
        Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:GetObject"],
        Resource: ["arn:aws:s3:::acme-raw/sales/orders/*", "arn:aws:s3:::acme-raw/_errors/sales/orders/*"],
      },
      {
        Sid: "IngestOrdersBucket",
        Effect: "Allow",
        Principal: { AWS: ROLE },
        Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
        Resource: "arn:aws:s3:::acme-raw",
      },
    ]);
    expect(ingestionBucketStatements("acme-raw", [])).to.deep.equal([]);
  });

  it("lets the roles use the key through S3 and Glue of the lake's region only, and adds nothing without roles", () => {
    const [statement] = ingestionKeyStatements("eu-west-1", [ROLE]);
    expect(statement).to.deep.include({
      Principal: { AWS: [ROLE] },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Condition: {
        StringEquals: { "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "glue.eu-west-1.amazonaws.com"] },
      },
    });
    expect(ingestionKeyStatements("eu-west-1", [])).to.deep.equal([]);
  });

  it("names a key by alias through kms:ResourceAliases, since IAM cannot name an alias", () => {
    expect(
      writerKeyStatement("arn:aws:kms:eu-west-1:111111111111:alias/acme-lake", [
        "s3.eu-west-1.amazonaws.com",
      ]),
    ).to.deep.include({
      Resource: "arn:aws:kms:eu-west-1:111111111111:key/*",
      Condition: {
        StringEquals: { "kms:ViaService": ["s3.eu-west-1.amazonaws.com"] },
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/acme-lake" },
      },
    });
    expect(sidPart("device_telemetry")).to.equal("DeviceTelemetry");
  });
});

describe("IngestionGrants", () => {
  const plan = (writers = [{ dataset: "orders", roleArn: ROLE, database: "sales", table: "orders" }]) =>
    withProvider((provider) => new IngestionGrants("ingest", { catalogId: ACCOUNT, writers }, { provider }));

  it("grants each role DESCRIBE on its table only, no grant option", async () => {
    const r = await plan();
    expect(childCounts(r, "lakehouse:ingestion:IngestionGrants")).to.deep.equal({
      "aws:lakeformation/permissions:Permissions": 1,
    });
    expectWiredUnder(r, "lakehouse:ingestion:IngestionGrants", "ingest");
    expect(named(r, "ingest-orders-table").inputs).to.deep.equal({
      catalogId: ACCOUNT,
      principal: ROLE,
      permissions: ["DESCRIBE"],
      table: { catalogId: ACCOUNT, databaseName: "sales", name: "orders" },
    });
  });

  it("grants no cross-account DATA_LOCATION_ACCESS: the roles write S3 through IAM and the bucket policy", async () => {
    const r = await plan([
      { dataset: "orders", roleArn: ROLE, database: "sales", table: "orders" },
      {
        dataset: "clickstream",
        roleArn: "arn:aws:iam::444444444444:role/acme-clickstream-ingest",
        database: "marketing",
        table: "clickstream",
      },
    ]);
    const grants = r.resources.filter((g) => g.type === "aws:lakeformation/permissions:Permissions");
    expect(grants).to.have.length(2);
    for (const g of grants) {
      expect(g.inputs.dataLocation, g.name).to.equal(undefined);
      expect(g.inputs.permissions, g.name).to.not.include("DATA_LOCATION_ACCESS");
    }
  });

  it("refuses a dataset listed twice", async () => {
    const w = { dataset: "orders", roleArn: ROLE, database: "sales", table: "orders" };
    expect((await rejection(plan([w, w]))).message).to.contain("listed twice");
  });
});
