import { expect } from "chai";
import { lakeformationDisallowCrossAccountGrantOption } from "../../../policies/governance/policies/lakeformation-disallow-cross-account-grant-option";
import { s3BucketPolicyDisallowCrossAccountAccess } from "../../../policies/governance/policies/s3-bucket-policy-disallow-cross-account-access";
import { datasetMissingRequiredTags } from "../../../policies/governance/policies/dataset-missing-required-tags";
import { dmsS3EndpointEnforceParquet } from "../../../policies/governance/policies/dms-s3-endpoint-enforce-parquet";
import { firehoseEnforceParquetConversion } from "../../../policies/governance/policies/firehose-enforce-parquet-conversion";
import {
  glueTableEnforceParquet,
  PARQUET_FORMATS,
} from "../../../policies/governance/policies/glue-table-enforce-parquet";
import { s3BucketDisallowCrossAccountReplication } from "../../../policies/governance/policies/s3-bucket-disallow-cross-account-replication";
import { runResourcePolicy, runStackPolicy } from "../helpers";

const TAGS = {
  dataset: "orders",
  domain: "sales",
  owner: "order-management",
  "owner-email": "order-management@acme.example",
  classification: "confidential",
  source: "database",
};
const PROVIDER = { region: "eu-west-1", allowedAccountIds: '["111111111111"]' };

describe("lakehouse-governance policies", () => {
  describe("dataset-missing-required-tags", () => {
    /** The policy's messages for one resource `r` alone in its stack. */
    const run = async (
      type: string,
      props: Record<string, unknown>,
      extra: { provider?: Record<string, unknown>; config?: Record<string, unknown> } = {},
    ) =>
      (await runStackPolicy(
        datasetMissingRequiredTags,
        [{ type, name: "r", props, provider: extra.provider }],
        extra.config,
      ))!.map((v) => v.message);

    it("passes a bucket carrying the six tags with valid values", async () => {
      expect(await run("aws:s3/bucket:Bucket", { tags: TAGS })).to.deep.equal([]);
    });

    it("names every missing tag of a resource that says it holds a dataset", async () => {
      const [message] = await run("aws:kinesis/stream:Stream", {
        shardCount: 1,
        tags: { dataset: "orders" },
      });
      expect(message).to.contain("Missing tags: domain, owner, owner-email, classification, source.");
      // It says so itself: no reason given.
      expect(message).not.to.contain("It holds or moves dataset data");
    });

    it("judges nothing of a resource that holds no dataset's data, whatever its type", async () => {
      // No dataset tag, no lake name, no registry: an app's stream and bucket are not the lake's business.
      expect(await run("aws:kinesis/stream:Stream", { shardCount: 1 })).to.deep.equal([]);
      expect(await run("aws:s3/bucket:Bucket", { tags: { team: "web" } })).to.deep.equal([]);
    });

    it("counts the provider's defaultTags under the resource's own", async () => {
      const { dataset, ...rest } = TAGS;
      const provider = { ...PROVIDER, defaultTags: JSON.stringify({ tags: rest }) };
      expect(await run("aws:kinesis/stream:Stream", { tags: { dataset } }, { provider })).to.deep.equal([]);
      expect(
        await run(
          "aws:kinesis/stream:Stream",
          { tags: { dataset } },
          { provider: { defaultTags: { tags: rest } } },
        ),
      ).to.deep.equal([]);
      // A provider's dataset default tag makes its resources dataset resources.
      expect(
        await run("aws:kinesis/stream:Stream", {}, { provider: { defaultTags: { tags: { dataset } } } }),
      ).to.have.length(1);
    });

    // CONTRACTS §1: on a Glue table `classification` is the data format; the governance one is data-classification.
    const { classification, ...TABLE_TAGS } = TAGS;
    const TABLE_PARAMETERS = {
      ...TABLE_TAGS,
      "data-classification": classification,
      classification: "parquet",
    };
    const TABLE = "aws:glue/catalogTable:CatalogTable";

    it("reads a Glue table's governance keys from its parameters, the classification from data-classification", async () => {
      expect(await run(TABLE, { parameters: TABLE_PARAMETERS })).to.deep.equal([]);
      const [message] = await run(TABLE, { parameters: { dataset: "orders" }, tags: TAGS });
      expect(message).to.contain(
        "Missing table parameters: domain, owner, owner-email, data-classification, source",
      );
    });

    it("fails a Glue table whose classification holds the data classification instead of the format", async () => {
      const messages = await run(TABLE, { parameters: TAGS });
      expect(messages).to.have.length(1);
      expect(messages[0]).to.contain('Table parameter classification is "confidential"');
      expect(messages[0]).to.contain("set classification: parquet and data-classification: confidential");
    });

    it("leaves a table whose format key names another format to glue-table-enforce-parquet", async () => {
      const messages = await run(TABLE, {
        parameters: { ...TABLE_PARAMETERS, classification: "csv" },
      });
      expect(messages).to.deep.equal([]);
    });

    it("checks a Glue table's data-classification against the ontology", async () => {
      const messages = await run(TABLE, {
        parameters: { ...TABLE_PARAMETERS, "data-classification": "secret" },
      });
      expect(messages).to.deep.equal([
        'data-classification "secret" is not one of public, internal, confidential, restricted.',
      ]);
    });

    it("rejects an owner e-mail that does not parse, an unknown classification and an unknown source", async () => {
      const messages = await run("aws:athena/workgroup:Workgroup", {
        tags: { ...TAGS, "owner-email": "bob", classification: "secret", source: "ftp" },
      });
      expect(messages).to.have.length(3);
      expect(messages[0]).to.contain('owner-email "bob" is not an e-mail address');
      expect(messages[1]).to.contain(
        'classification "secret" is not one of public, internal, confidential, restricted',
      );
      expect(messages[2]).to.contain('source "ftp"');
    });

    it("ignores resources of other types, and follows the configured keys and types", async () => {
      expect(await run("aws:iam/role:Role", { tags: { dataset: "orders" } })).to.deep.equal([]);
      expect(
        await run(
          "aws:s3/bucket:Bucket",
          { tags: { dataset: "orders", team: "x" } },
          { config: { requiredTags: ["team"] } },
        ),
      ).to.deep.equal([]);
      expect(
        await run(
          "aws:iam/role:Role",
          { tags: { dataset: "orders" } },
          { config: { resourceTypes: ["aws:iam/role:Role"] } },
        ),
      ).to.have.length(1);
    });
  });

  describe("glue-table-enforce-parquet", () => {
    const table = (sd: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      runResourcePolicy(glueTableEnforceParquet, {
        type: "aws:glue/catalogTable:CatalogTable",
        props: { databaseName: "sales", name: "orders", storageDescriptor: sd, ...extra },
      });

    it("passes a table with the Parquet SerDe and formats", async () => {
      const sd = {
        inputFormat: PARQUET_FORMATS.inputFormat,
        outputFormat: PARQUET_FORMATS.outputFormat,
        serDeInfo: { serializationLibrary: PARQUET_FORMATS.serializationLibrary },
      };
      expect(await table(sd)).to.deep.equal([]);
    });

    it("fails a CSV table, naming what is wrong and the Parquet values", async () => {
      const [message] = (await table({
        inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
        outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        serDeInfo: { serializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe" },
      }))!;
      expect(message).to.contain("sales.orders is not Parquet");
      expect(message).to.contain("inputFormat: org.apache.hadoop.mapred.TextInputFormat");
      expect(message).to.contain(PARQUET_FORMATS.serializationLibrary);
    });

    it("fails a table that declares no storage format, but not a view", async () => {
      expect(await table({})).to.have.length(1);
      expect(await table({}, { tableType: "VIRTUAL_VIEW" })).to.deep.equal([]);
    });

    it("does not apply to other resource types", async () => {
      expect(
        await runResourcePolicy(glueTableEnforceParquet, { type: "aws:s3/bucket:Bucket", props: {} }),
      ).to.equal(undefined);
    });
  });

  describe("firehose-enforce-parquet-conversion", () => {
    const stream = (ext: Record<string, unknown>, destination = "extended_s3") =>
      runResourcePolicy(firehoseEnforceParquetConversion, {
        type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
        props: { destination, extendedS3Configuration: ext },
      });
    const conversion = (enabled: boolean, serializer: Record<string, unknown>) => ({
      dataFormatConversionConfiguration: {
        enabled,
        outputFormatConfiguration: { serializer },
        schemaConfiguration: { tableName: "t" },
      },
    });

    it("passes a stream converting to Parquet", async () => {
      expect(await stream(conversion(true, { parquetSerDe: {} }))).to.deep.equal([]);
    });

    it("fails a stream without conversion, with it disabled, or converting to ORC", async () => {
      expect(await stream({ bucketArn: "arn:aws:s3:::b" })).to.have.length(1);
      expect(await stream(conversion(false, { parquetSerDe: {} }))).to.have.length(1);
      const [message] = (await stream(conversion(true, { orcSerDe: {} })))!;
      expect(message).to.contain("parquetSerDe");
    });

    it("leaves streams to other destinations alone", async () => {
      expect(await stream({}, "http_endpoint")).to.deep.equal([]);
    });
  });

  describe("dms-s3-endpoint-enforce-parquet", () => {
    const endpoint = (props: Record<string, unknown>) =>
      runResourcePolicy(dmsS3EndpointEnforceParquet, { type: "aws:dms/s3Endpoint:S3Endpoint", props });

    it("passes a target writing Parquet", async () => {
      expect(await endpoint({ endpointType: "target", dataFormat: "parquet" })).to.deep.equal([]);
    });

    it("fails a target left at the csv default, saying so", async () => {
      const [message] = (await endpoint({ endpointType: "target" }))!;
      expect(message).to.contain("csv (the default)");
    });

    it("leaves S3 sources alone", async () => {
      expect(await endpoint({ endpointType: "source", dataFormat: "csv" })).to.deep.equal([]);
    });
  });

  describe("s3-bucket-disallow-cross-account-replication", () => {
    const replication = (
      destination: Record<string, unknown>,
      provider: Record<string, unknown> | undefined = PROVIDER,
    ) =>
      runResourcePolicy(s3BucketDisallowCrossAccountReplication, {
        type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        props: { rules: [{ id: "r", status: "Enabled", destination }] },
        provider,
      });

    it("passes replication that names the bucket's own account", async () => {
      expect(await replication({ bucket: "arn:aws:s3:::backup", account: "111111111111" })).to.deep.equal([]);
    });

    it("fails replication to another account", async () => {
      const [message] = (await replication({ bucket: "arn:aws:s3:::theirs", account: "999999999999" }))!;
      expect(message).to.contain("targets account 999999999999, not this bucket's account 111111111111");
      // Not a lake bucket: the fix names no lake component.
      expect(message).to.contain(
        "Give the other account access to the data where it is instead of copying it",
      );
      expect(message).not.to.contain("Lake Formation");
    });

    it("names Lake Formation only for a lake bucket's replication", async () => {
      const run = (bucket: string) =>
        runResourcePolicy(s3BucketDisallowCrossAccountReplication, {
          type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
          props: {
            bucket,
            rules: [
              {
                id: "r",
                status: "Enabled",
                destination: { bucket: "arn:aws:s3:::theirs", account: "999999999999" },
              },
            ],
          },
          provider: PROVIDER,
          config: { lakeBuckets: ["acme-lake-111111111111-raw"] },
        });
      expect((await run("acme-lake-111111111111-raw"))![0]).to.contain(
        "Share lake data with other accounts through Lake Formation grants and resource links",
      );
      expect((await run("team-backups"))![0]).not.to.contain("Lake Formation");
    });

    it("fails replication whose account cannot be shown to be the same", async () => {
      expect((await replication({ bucket: "arn:aws:s3:::somewhere" }))![0]).to.contain(
        "names no destination account",
      );
      expect((await replication({ bucket: "b", account: "111111111111" }, {}))![0]).to.contain(
        "pins no account",
      );
    });

    it("judges the account from the provider's assumed role when it pins no account ids", async () => {
      const provider = {
        assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::111111111111:role/deploy" }]),
      };
      expect(await replication({ bucket: "b", account: "111111111111" }, provider)).to.deep.equal([]);
    });

    it("checks a BucketV2's replicationConfigurations too", async () => {
      const bucketV2 = (account: string) =>
        runResourcePolicy(s3BucketDisallowCrossAccountReplication, {
          type: "aws:s3/bucketV2:BucketV2",
          props: {
            replicationConfigurations: [
              { role: "r", rules: [{ destination: { bucket: "b", accountId: account } }] },
            ],
          },
          provider: PROVIDER,
        });
      expect(await bucketV2("222222222222")).to.have.length(1);
      expect(await bucketV2("111111111111")).to.deep.equal([]);
    });

    it("checks a bucket's inline replication configuration too", async () => {
      const messages = await runResourcePolicy(s3BucketDisallowCrossAccountReplication, {
        type: "aws:s3/bucket:Bucket",
        props: {
          replicationConfiguration: {
            role: "r",
            rules: [{ destination: { bucket: "b", accountId: "222222222222" } }],
          },
        },
        provider: PROVIDER,
      });
      expect(messages).to.have.length(1);
      expect(
        await runResourcePolicy(s3BucketDisallowCrossAccountReplication, {
          type: "aws:s3/bucket:Bucket",
          props: {},
          provider: PROVIDER,
        }),
      ).to.deep.equal([]);
    });
  });

  describe("s3-bucket-policy-disallow-cross-account-access", () => {
    const policy = (statements: Record<string, unknown>[], provider: Record<string, unknown> = PROVIDER) =>
      runResourcePolicy(s3BucketPolicyDisallowCrossAccountAccess, {
        type: "aws:s3/bucketPolicy:BucketPolicy",
        props: { bucket: "b", policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) },
        provider,
      });

    it("passes denies, service principals and principals of the bucket's own account", async () => {
      expect(
        await policy([
          {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
          { Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject" },
          {
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::111111111111:role/etl" },
            Action: "s3:GetObject",
          },
        ]),
      ).to.deep.equal([]);
    });

    it("fails an allow to another account and to everyone", async () => {
      const messages = (await policy([
        { Effect: "Allow", Principal: { AWS: ["arn:aws:iam::999999999999:root"] }, Action: "s3:GetObject" },
        { Effect: "Allow", Principal: "*", Action: "s3:GetObject" },
      ]))!;
      expect(messages).to.have.length(2);
      expect(messages[0]).to.contain("arn:aws:iam::999999999999:root, outside account 111111111111");
      expect(messages[1]).to.contain("everyone (*)");
    });

    it("fails an allow to an account principal when the bucket's own account is unknown", async () => {
      expect(
        await policy([{ Effect: "Allow", Principal: { AWS: "111111111111" }, Action: "s3:GetObject" }], {}),
      ).to.have.length(1);
    });

    it("passes CloudFront: an origin access identity's ARN, and its service principal with origin access control", async () => {
      expect(
        await policy([
          {
            Sid: "AllowLegacyOAIReadOnly",
            Effect: "Allow",
            Principal: {
              AWS: "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL",
            },
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::b/*",
          },
          {
            Sid: "AllowCloudFrontServicePrincipalReadOnly",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::b/*",
            Condition: {
              StringEquals: {
                "AWS:SourceArn": "arn:aws:cloudfront::111111111111:distribution/EDFDVBD6EXAMPLE",
              },
            },
          },
        ]),
      ).to.deep.equal([]);
    });

    it("passes other AWS service principals, in Service or written as an AWS principal", async () => {
      expect(
        await policy([
          {
            Effect: "Allow",
            Principal: { Service: ["logging.s3.amazonaws.com", "delivery.logs.amazonaws.com"] },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::b/*",
          },
          {
            Effect: "Allow",
            Principal: { AWS: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::b/*",
          },
        ]),
      ).to.deep.equal([]);
    });

    it("still fails another account next to an origin access identity, and an ARN that only looks like one", async () => {
      const messages = (await policy([
        {
          Effect: "Allow",
          Principal: {
            AWS: [
              "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL",
              "arn:aws:iam::999999999999:root",
              "arn:aws:iam::cloudfront:user/someone-else",
            ],
          },
          Action: "s3:GetObject",
        },
      ]))!;
      expect(messages).to.have.length(2);
      expect(messages[0]).to.contain("arn:aws:iam::999999999999:root, outside account 111111111111");
      expect(messages[1]).to.contain("arn:aws:iam::cloudfront:user/someone-else");
    });

    it("judges a bucket's own policy argument like an aws.s3.BucketPolicy", async () => {
      const bucket = (statement: Record<string, unknown>) =>
        runResourcePolicy(s3BucketPolicyDisallowCrossAccountAccess, {
          type: "aws:s3/bucket:Bucket",
          props: { bucket: "b", policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) },
          provider: PROVIDER,
        });
      const [message] = (await bucket({
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::999999999999:root" },
        Action: "s3:GetObject",
      }))!;
      expect(message).to.contain("arn:aws:iam::999999999999:root, outside account 111111111111");
      expect(
        await bucket({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL" },
          Action: "s3:GetObject",
        }),
      ).to.deep.equal([]);
      const v2 = await runResourcePolicy(s3BucketPolicyDisallowCrossAccountAccess, {
        type: "aws:s3/bucketV2:BucketV2",
        props: {
          bucket: "b",
          policy: { Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }] },
        },
        provider: PROVIDER,
      });
      expect(v2![0]).to.contain("everyone (*)");
      expect(
        await runResourcePolicy(s3BucketPolicyDisallowCrossAccountAccess, {
          type: "aws:s3/bucket:Bucket",
          props: { bucket: "b" },
          provider: PROVIDER,
        }),
      ).to.deep.equal([]);
    });

    it("tells a lake bucket to share through Lake Formation, any other bucket to keep to its account", async () => {
      const statement = {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::999999999999:root" },
        Action: "s3:GetObject",
      };
      const run = (bucket: string) =>
        runResourcePolicy(s3BucketPolicyDisallowCrossAccountAccess, {
          type: "aws:s3/bucketPolicy:BucketPolicy",
          props: { bucket, policy: JSON.stringify({ Statement: [statement] }) },
          provider: PROVIDER,
          config: { lakeBuckets: ["acme-lake-111111111111-curated"] },
        });
      expect((await run("acme-lake-111111111111-curated"))![0]).to.contain(
        "other accounts read lake data through Lake Formation grants and resource links",
      );
      const [other] = (await run("team-exports"))!;
      expect(other).to.contain("allow only principals of the bucket's own account (111111111111)");
      expect(other).not.to.contain("Lake Formation");
      const [everyone] = (await policy([{ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }]))!;
      expect(everyone).to.contain("CloudFront in front with origin access control");
    });
  });

  describe("lakeformation-disallow-cross-account-grant-option", () => {
    const grant = (principal: string, withGrant: string[]) =>
      runResourcePolicy(lakeformationDisallowCrossAccountGrantOption, {
        type: "aws:lakeformation/permissions:Permissions",
        props: { principal, permissions: ["SELECT"], permissionsWithGrantOptions: withGrant },
        provider: PROVIDER,
      });

    it("passes a cross-account grant without grant option, and a grant option inside the account", async () => {
      expect(await grant("arn:aws:iam::444444444444:role/analyst", [])).to.deep.equal([]);
      expect(await grant("arn:aws:iam::111111111111:role/steward", ["SELECT"])).to.deep.equal([]);
    });

    it("fails a grant option to another account or to a principal of unknown account", async () => {
      expect((await grant("444444444444", ["SELECT"]))![0]).to.contain("to account 444444444444");
      expect((await grant("arn:aws:quicksight:eu-west-1:1:group/x", ["DESCRIBE"]))![0]).to.contain(
        "cannot be shown",
      );
    });
  });
});
