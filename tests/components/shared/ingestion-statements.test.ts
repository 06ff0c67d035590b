import { expect } from "chai";
import {
  ingestionBucketStatements,
  ingestionKeyStatements,
  sidPart,
  writerKeyStatement,
  writerS3Statements,
} from "../../../components/shared/ingestion-statements";

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

  it("gives the writer's own role its prefixes and the bucket apart, with DMS's delete and tag for DMS only", () => {
    const target = { bucketName: "acme-raw", prefixes: ["sales/orders/"] };
    const [objects, bucket] = writerS3Statements(target);
    expect(objects).to.deep.equal({
      Sid: "WriteDatasetPrefixes",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:GetObject"],
      Resource: ["arn:aws:s3:::acme-raw/sales/orders/*"],
    });
    expect(bucket).to.deep.include({ Sid: "LocateLakeBucket", Resource: "arn:aws:s3:::acme-raw" });
    expect(writerS3Statements({ ...target, dms: true })[0].Action).to.include.members([
      "s3:DeleteObject",
      "s3:PutObjectTagging",
    ]);
  });
});
