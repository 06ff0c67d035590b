import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
  decryptLakeCatalogStatements,
  logsKeyStatement,
  policyDocument,
  policyJson,
  principalTrustDocument,
  readThroughLinksStatements,
  serviceTrustDocument,
  serviceTrustPolicy,
} from "../../../components/shared/iam";

const ACCOUNT = "111111111111";
const LAKE = "999999999999";

/** The value an Output resolves to. */
function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("typed IAM documents (components/shared/iam)", () => {
  it("builds a document as Version then Statement, keeping the statements' order", () => {
    const a = { Sid: "A", Effect: "Allow" as const, Action: "s3:GetObject", Resource: "*" };
    const b = { Sid: "B", Effect: "Deny" as const, Action: "s3:*", Resource: "*" };
    expect(JSON.stringify(policyDocument([b, a]))).to.equal(
      JSON.stringify({ Version: "2012-10-17", Statement: [b, a] }),
    );
  });

  it("serializes a document once its Outputs have resolved, not the Outputs themselves", async () => {
    const doc = policyDocument([
      { Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: pulumi.output("arn:aws:s3:::b/*") },
    ]);
    expect(JSON.parse(await resolved(policyJson(doc)))).to.deep.equal({
      Version: "2012-10-17",
      Statement: [{ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }],
    });
  });

  it("trusts one service for one account, and for one of its resources only when named", () => {
    const [statement] = serviceTrustDocument("firehose.amazonaws.com", ACCOUNT).Statement as object[];
    expect(statement).to.deep.equal({
      Effect: "Allow",
      Principal: { Service: "firehose.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
    });
    const arn = "arn:aws:emr-serverless:eu-west-1:111111111111:/applications/x";
    const [scoped] = serviceTrustDocument("emr-serverless.amazonaws.com", ACCOUNT, arn).Statement as {
      Condition: object;
    }[];
    expect(scoped.Condition).to.deep.equal({
      StringEquals: { "aws:SourceAccount": ACCOUNT },
      ArnLike: { "aws:SourceArn": arn },
    });
    expect(serviceTrustPolicy("firehose.amazonaws.com", ACCOUNT)).to.equal(
      JSON.stringify(serviceTrustDocument("firehose.amazonaws.com", ACCOUNT)),
    );
  });

  it("trusts a principal to assume a role, with no condition", () => {
    expect(principalTrustDocument(`arn:aws:iam::${ACCOUNT}:root`)).to.deep.equal({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" },
      ],
    });
  });

  it("reads the lake through this account's links and the lake's shared databases, nothing else", () => {
    const [credentials, catalog] = readThroughLinksStatements({
      region: "eu-west-1",
      accountId: ACCOUNT,
      lake: { region: "eu-west-1", accountId: LAKE },
      databases: [{ database: "sales", linkName: "lake_sales" }],
    });
    expect(credentials).to.deep.include({ Sid: "LakeFormationCredentials", Resource: "*" });
    expect(catalog.Resource).to.deep.equal([
      `arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:database/lake_sales`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:table/lake_sales/*`,
      `arn:aws:glue:eu-west-1:${LAKE}:catalog`,
      `arn:aws:glue:eu-west-1:${LAKE}:database/sales`,
      `arn:aws:glue:eu-west-1:${LAKE}:table/sales/*`,
    ]);
  });

  it("decrypts the lake's catalog through Glue by the key's alias, and asks nothing without one", () => {
    expect(decryptLakeCatalogStatements({ region: "eu-west-1", accountId: LAKE })).to.deep.equal([]);
    const [statement] = decryptLakeCatalogStatements({
      region: "eu-west-1",
      accountId: LAKE,
      catalogKeyAlias: "alias/acme-lake",
    });
    expect(statement).to.deep.include({
      Resource: `arn:aws:kms:eu-west-1:${LAKE}:key/*`,
      Condition: {
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/acme-lake" },
        StringEquals: { "kms:ViaService": "glue.eu-west-1.amazonaws.com" },
      },
    });
  });

  it("lets CloudWatch Logs of the region use a key for one log group (ArnEquals) or a pattern (ArnLike)", () => {
    const one = logsKeyStatement({
      sid: "Logs",
      region: "eu-west-1",
      logGroupArn: "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/v",
    });
    expect(one.Principal).to.deep.equal({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(one.Condition).to.deep.equal({
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/v",
      },
    });
    const many = logsKeyStatement({
      sid: "Logs",
      region: "eu-west-1",
      logGroupArn: "arn:aws:logs:eu-west-1:111111111111:log-group:/aws-glue/crawlers-role/*",
    });
    expect(Object.keys(many.Condition ?? {})).to.deep.equal(["ArnLike"]);
    expect(many.Action).to.include.members(["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]);
  });
});
