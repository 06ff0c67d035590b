import * as path from "path";
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { runProgram } from "../../../tooling/mock-runtime/harness";
import { packConfigFor } from "../../../tooling/plan/pack-config";
import { LoadedPack } from "../../../tooling/policy-eval/packs";
import { loadPlatform } from "../../../platform";
import { athenaWorkgroupEnforceConfiguration } from "../../../policies/security/policies/athena-workgroup-enforce-configuration";
import { athenaWorkgroupEnforceKmsEncryption } from "../../../policies/security/policies/athena-workgroup-enforce-kms-encryption";
import { dmsEnforceKmsEncryption } from "../../../policies/security/policies/dms-enforce-kms-encryption";
import { emrServerlessEnforceLogEncryption } from "../../../policies/security/policies/emr-serverless-enforce-log-encryption";
import { firehoseEnforceKmsEncryption } from "../../../policies/security/policies/firehose-enforce-kms-encryption";
import { kinesisStreamEnforceKmsEncryption } from "../../../policies/security/policies/kinesis-stream-enforce-kms-encryption";
import { lakeformationSettingsRestrictAdmins } from "../../../policies/security/policies/lakeformation-settings-restrict-admins";
import { s3BucketPolicyWithinSizeLimit } from "../../../policies/security/policies/s3-bucket-policy-within-size-limit";
import { runResourcePolicy } from "../helpers";

const ROOT = path.join(__dirname, "..", "..", "..");
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/lake";

describe("lakehouse-security encryption and administration policies", () => {
  it("kinesis-stream-enforce-kms-encryption: passes a CMK, fails no encryption and the AWS-managed key", async () => {
    const run = (props: Record<string, unknown>) =>
      runResourcePolicy(kinesisStreamEnforceKmsEncryption, { type: "aws:kinesis/stream:Stream", props });
    expect(await run({ encryptionType: "KMS", kmsKeyId: KEY })).to.deep.equal([]);
    expect((await run({}))![0]).to.contain("The stream is not encrypted");
    expect((await run({ encryptionType: "KMS", kmsKeyId: "alias/aws/kinesis" }))![0]).to.contain(
      "encrypted with alias/aws/kinesis",
    );
  });

  it("firehose-enforce-kms-encryption: S3 writes under a CMK; Direct PUT buffers too, Kinesis-sourced ones not", async () => {
    const run = (props: Record<string, unknown>) =>
      runResourcePolicy(firehoseEnforceKmsEncryption, {
        type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
        props: { destination: "extended_s3", ...props },
      });
    const s3 = { extendedS3Configuration: { bucketArn: "arn:aws:s3:::b", roleArn: "r", kmsKeyArn: KEY } };
    const source = { kinesisSourceConfiguration: { kinesisStreamArn: "arn", roleArn: "r" } };
    expect(await run({ ...s3, ...source })).to.deep.equal([]);
    expect(
      await run({
        ...s3,
        serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: KEY },
      }),
    ).to.deep.equal([]);
    const messages = (await run({ extendedS3Configuration: { bucketArn: "arn:aws:s3:::b", roleArn: "r" } }))!;
    expect(messages).to.have.length(2);
    expect(messages[0]).to.contain("extendedS3Configuration.kmsKeyArn");
    expect(messages[1]).to.contain("Direct PUT");
  });

  it("athena-workgroup-enforce-kms-encryption: SSE_KMS with a key passes, SSE_S3 or nothing fails", async () => {
    const run = (encryptionConfiguration?: Record<string, unknown>) =>
      runResourcePolicy(athenaWorkgroupEnforceKmsEncryption, {
        type: "aws:athena/workgroup:Workgroup",
        props: { configuration: { resultConfiguration: { encryptionConfiguration } } },
      });
    expect(await run({ encryptionOption: "SSE_KMS", kmsKeyArn: KEY })).to.deep.equal([]);
    expect((await run({ encryptionOption: "SSE_S3" }))![0]).to.contain("encrypted with SSE_S3 and no key");
    expect((await run(undefined))![0]).to.contain("not encrypted");
  });

  it("athena-workgroup-enforce-configuration: enforced (the default) with a cutoff passes", async () => {
    const run = (configuration: Record<string, unknown>) =>
      runResourcePolicy(athenaWorkgroupEnforceConfiguration, {
        type: "aws:athena/workgroup:Workgroup",
        props: { configuration },
      });
    expect(await run({ bytesScannedCutoffPerQuery: 10737418240 })).to.deep.equal([]);
    expect(await run({ enforceWorkgroupConfiguration: true, bytesScannedCutoffPerQuery: 0 })).to.deep.equal(
      [],
    );
    const messages = (await run({ enforceWorkgroupConfiguration: false }))!;
    expect(messages).to.have.length(2);
    expect(messages[0]).to.contain("enforceWorkgroupConfiguration: true");
    expect(messages[1]).to.contain("bytesScannedCutoffPerQuery");
  });

  it("emr-serverless-enforce-log-encryption: every log destination under a CMK, or managed persistence off", async () => {
    const run = (monitoringConfiguration?: Record<string, unknown>) =>
      runResourcePolicy(emrServerlessEnforceLogEncryption, {
        type: "aws:emrserverless/application:Application",
        props: { releaseLabel: "emr-7.9.0", type: "spark", monitoringConfiguration },
      });
    expect(
      await run({
        managedPersistenceMonitoringConfiguration: { enabled: false },
        s3MonitoringConfiguration: { logUri: "s3://logs/", encryptionKeyArn: KEY },
        cloudwatchLoggingConfiguration: { enabled: true, encryptionKeyArn: KEY },
      }),
    ).to.deep.equal([]);
    expect(await run({ managedPersistenceMonitoringConfiguration: { encryptionKeyArn: KEY } })).to.deep.equal(
      [],
    );
    expect((await run(undefined))![0]).to.contain(
      "managedPersistenceMonitoringConfiguration (on by default)",
    );
    const [message] = (await run({
      managedPersistenceMonitoringConfiguration: { enabled: false },
      s3MonitoringConfiguration: { logUri: "s3://logs/" },
      cloudwatchLoggingConfiguration: { enabled: true },
    }))!;
    expect(message).to.contain("s3MonitoringConfiguration.encryptionKeyArn");
    expect(message).to.contain("cloudwatchLoggingConfiguration.encryptionKeyArn");
  });

  it("dms-enforce-kms-encryption: SSE_KMS targets and keyed instances, configs and endpoints", async () => {
    const run = (type: string, props: Record<string, unknown>) =>
      runResourcePolicy(dmsEnforceKmsEncryption, { type, props });
    const s3 = "aws:dms/s3Endpoint:S3Endpoint";
    expect(
      await run(s3, { endpointType: "target", encryptionMode: "SSE_KMS", serverSideEncryptionKmsKeyId: KEY }),
    ).to.deep.equal([]);
    expect(await run(s3, { endpointType: "source" })).to.deep.equal([]);
    expect((await run(s3, { endpointType: "target" }))![0]).to.contain("SSE_S3 (the default)");
    expect(await run("aws:dms/replicationInstance:ReplicationInstance", { kmsKeyArn: KEY })).to.deep.equal(
      [],
    );
    expect(await run("aws:dms/endpoint:Endpoint", {})).to.have.length(1);
    expect(
      await run("aws:dms/replicationConfig:ReplicationConfig", { computeConfig: { kmsKeyId: KEY } }),
    ).to.deep.equal([]);
    expect(await run("aws:dms/replicationConfig:ReplicationConfig", { computeConfig: {} })).to.have.length(1);
  });

  it("lakeformation-settings-restrict-admins: only the admins the definition names for the account", async () => {
    const config = packConfigFor(loadPlatform(path.join(ROOT, "stacks", "platform.yaml")))[
      "lakehouse-security"
    ]["lakeformation-settings-restrict-admins"] as Record<string, unknown>;
    const run = (admins: string[], account: string) =>
      runResourcePolicy(lakeformationSettingsRestrictAdmins, {
        type: "aws:lakeformation/dataLakeSettings:DataLakeSettings",
        props: { admins },
        provider: { allowedAccountIds: [account] },
        config,
      });
    expect(
      await run(
        ["arn:aws:iam::111111111111:role/DataPlatformAdmin", "arn:aws:iam::111111111111:role/pulumi-deploy"],
        "111111111111",
      ),
    ).to.deep.equal([]);
    const [message] = (await run(["arn:aws:iam::111111111111:role/DataPlatformAdmin"], "444444444444"))!;
    expect(message).to.contain(
      "is not a data lake administrator the platform definition names for account 444444444444",
    );
    expect(
      await runResourcePolicy(lakeformationSettingsRestrictAdmins, {
        type: "aws:lakeformation/dataLakeSettings:DataLakeSettings",
        props: { admins: ["x"] },
      }),
    ).to.equal(undefined); // not applicable without the definition
  });

  it("s3-bucket-policy-within-size-limit: passes a policy under 20 KB, fails one S3 would refuse", async () => {
    const statement = (i: number) => ({
      Sid: `Ingest${i}`,
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::333333333333:role/acme-lake-dataset-${i}-ingest` },
      Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:GetObject"],
      Resource: [`arn:aws:s3:::acme-lake-111111111111-raw/sales/dataset_${i}/*`],
    });
    const run = (n: number) =>
      runResourcePolicy(s3BucketPolicyWithinSizeLimit, {
        type: "aws:s3/bucketPolicy:BucketPolicy",
        props: {
          bucket: "b",
          policy: JSON.stringify(
            { Version: "2012-10-17", Statement: [...Array(n).keys()].map(statement) },
            null,
            2,
          ),
        },
      });
    expect(await run(20)).to.deep.equal([]);
    const [message] = (await run(200))!;
    expect(message).to.match(/The policy is \d+ bytes; S3 refuses bucket policies over 20480 bytes/);
  });

  it("glue-catalog-enforce-kms-encryption: a catalog with SSE-KMS and encrypted passwords passes; resource links need none", async function () {
    this.timeout(60_000);
    const evaluate = async (encrypted: boolean, linkOnly: boolean) => {
      const { resources } = await runProgram(() => {
        const provider = new aws.Provider("acct", {
          region: "eu-west-1",
          allowedAccountIds: ["111111111111"],
        });
        if (encrypted) {
          new aws.glue.DataCatalogEncryptionSettings(
            "catalog",
            {
              dataCatalogEncryptionSettings: {
                encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: KEY },
                connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: KEY },
              },
            },
            { provider },
          );
        }
        new aws.glue.CatalogDatabase(
          "sales",
          linkOnly
            ? { name: "sales_link", targetDatabase: { catalogId: "222222222222", databaseName: "sales" } }
            : { name: "sales" },
          { provider },
        );
      });
      const pack = await LoadedPack.load(path.join(ROOT, "policies", "security"));
      try {
        return (await pack.evaluate(resources)).filter(
          (v) => v.policy === "glue-catalog-enforce-kms-encryption",
        );
      } finally {
        await pack.close();
      }
    };
    expect(await evaluate(true, false)).to.deep.equal([]);
    expect(await evaluate(false, true)).to.deep.equal([]);
    const [violation] = await evaluate(false, false);
    expect(violation.message).to.contain("without aws.glue.DataCatalogEncryptionSettings");
  });
});
