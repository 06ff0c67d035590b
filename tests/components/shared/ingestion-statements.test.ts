import { expect } from "chai";
import {
  producerBucketStatements,
  producerKeyStatements,
  sidPart,
  writerKeyStatement,
  writerS3Statements,
} from "../../../components/shared/ingestion-statements";

const PATTERN = "arn:aws:iam::*:role/acme-*-ingest";
const producers = {
  accountIds: ["333333333333", "222222222222", "333333333333"],
  roleArnPattern: PATTERN,
  keyPatterns: [
    "${aws:PrincipalAccount}/${aws:PrincipalTag/domain}/${aws:PrincipalTag/dataset}/",
    "${aws:PrincipalAccount}/_errors/${aws:PrincipalTag/domain}/${aws:PrincipalTag/dataset}/",
  ],
};
const ROOTS = ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"];

describe("ingestion statements", () => {
  it("lets the producers' ingestion roles write below their own account's prefix and list the bucket, in two statements", () => {
    expect(producerBucketStatements("acme-raw", producers)).to.deep.equal([
      {
        Sid: "ProducersWriteOwnPrefixes",
        Effect: "Allow",
        Principal: { AWS: ROOTS },
        Action: [
          "s3:PutObject",
          "s3:PutObjectAcl",
          "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts",
          "s3:GetObject",
        ],
        Resource: [
          "arn:aws:s3:::acme-raw/${aws:PrincipalAccount}/${aws:PrincipalTag/domain}/${aws:PrincipalTag/dataset}/*",
          "arn:aws:s3:::acme-raw/${aws:PrincipalAccount}/_errors/${aws:PrincipalTag/domain}/${aws:PrincipalTag/dataset}/*",
        ],
        Condition: { ArnLike: { "aws:PrincipalArn": PATTERN } },
      },
      {
        Sid: "ProducersLocateBucket",
        Effect: "Allow",
        Principal: { AWS: ROOTS },
        Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
        Resource: "arn:aws:s3:::acme-raw",
        Condition: { ArnLike: { "aws:PrincipalArn": PATTERN } },
      },
    ]);
    expect(producerBucketStatements("acme-raw", { ...producers, accountIds: [] })).to.deep.equal([]);
  });

  it("adds DMS's delete and tag only where a producer writes through DMS", () => {
    const [dms] = producerBucketStatements("acme-raw", { ...producers, dms: true });
    expect(dms.Action).to.include.members(["s3:DeleteObject", "s3:PutObjectTagging"]);
    const [firehose] = producerBucketStatements("acme-raw", producers);
    expect(firehose.Action).to.not.include("s3:DeleteObject");
  });

  it("refuses a key pattern that does not start with the writer's own account", () => {
    for (const bad of [
      "${aws:PrincipalTag/domain}/${aws:PrincipalTag/dataset}/",
      "sales/",
      "${aws:PrincipalAccount}",
    ])
      expect(() => producerBucketStatements("acme-raw", { ...producers, keyPatterns: [bad] })).to.throw(
        /must start with \$\{aws:PrincipalAccount\}\/ and end with "\/"/,
      );
  });

  it("has a constant size: 2 000 datasets of 100 producers make the same two statements as 100 datasets", () => {
    const accounts = Array.from({ length: 100 }, (_, i) => String(200000000000 + i));
    const size = (n: number) =>
      JSON.stringify(producerBucketStatements("acme-raw", { ...producers, accountIds: accounts.slice(0, n) }))
        .length;
    // Grows with accounts (an account root each), not with datasets, which it does not name.
    expect(size(100)).to.be.below(8 * 1024);
    expect(size(100) - size(99)).to.equal('"arn:aws:iam::200000000099:root",'.length * 2);
  });

  it("lets the producers' ingestion roles use the key through S3 and Glue of the lake's region only, and adds nothing without producers", () => {
    const [statement] = producerKeyStatements("eu-west-1", producers);
    expect(statement).to.deep.include({
      Principal: { AWS: ROOTS },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Condition: {
        StringEquals: { "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "glue.eu-west-1.amazonaws.com"] },
        ArnLike: { "aws:PrincipalArn": PATTERN },
      },
    });
    expect(producerKeyStatements("eu-west-1", { ...producers, accountIds: [] })).to.deep.equal([]);
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
      Action: [
        "s3:PutObject",
        "s3:PutObjectAcl",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
        "s3:GetObject",
      ],
      Resource: ["arn:aws:s3:::acme-raw/sales/orders/*"],
    });
    expect(bucket).to.deep.include({ Sid: "LocateLakeBucket", Resource: "arn:aws:s3:::acme-raw" });
    expect(writerS3Statements({ ...target, dms: true })[0].Action).to.include.members([
      "s3:DeleteObject",
      "s3:PutObjectTagging",
    ]);
  });
});
