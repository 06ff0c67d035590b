import * as path from "path";
import { expect } from "chai";
import { LoadedPack } from "../../../tooling/policy-eval/packs";
import { iamPolicyDisallowWildcardActions } from "../../../policies/security/policies/iam-policy-disallow-wildcard-actions";
import { kmsKeyEnableRotation } from "../../../policies/security/policies/kms-key-enable-rotation";
import { lakeformationSettingsRestrictDefaults } from "../../../policies/security/policies/lakeformation-settings-restrict-defaults";
import { PACK_NAME } from "../../../policies/security/policies";
import { forbiddenFixtureViolations, runResourcePolicy } from "../helpers";

const ROOT = path.join(__dirname, "..", "..", "..");

describe("lakehouse-security pack", function () {
  this.timeout(120_000);

  it("assembles exactly these policies: high severity mandatory, the rest advisory", async () => {
    const pack = await LoadedPack.load(path.join(ROOT, "policies", "security"));
    try {
      expect(pack.info.name).to.equal(PACK_NAME);
      expect(pack.info.policies.map((p) => [p.name, p.enforcementLevel, p.severity])).to.deep.equal([
        ["kms-key-enable-rotation", "mandatory", "high"],
        ["s3-bucket-block-public-access", "mandatory", "critical"],
        ["s3-bucket-enforce-kms-encryption", "mandatory", "high"],
        ["s3-bucket-enforce-tls", "mandatory", "high"],
        ["s3-bucket-policy-within-size-limit", "mandatory", "high"],
        ["s3-bucket-enable-versioning-and-logging", "advisory", "medium"],
        ["kinesis-stream-enforce-kms-encryption", "mandatory", "high"],
        ["firehose-enforce-kms-encryption", "mandatory", "high"],
        ["athena-workgroup-enforce-kms-encryption", "mandatory", "high"],
        ["athena-workgroup-enforce-configuration", "mandatory", "high"],
        ["athena-database-enforce-encryption", "mandatory", "high"],
        ["glue-catalog-enforce-kms-encryption", "mandatory", "high"],
        ["glue-require-security-configuration", "mandatory", "high"],
        ["emr-serverless-enforce-log-encryption", "mandatory", "high"],
        ["dms-enforce-kms-encryption", "mandatory", "high"],
        ["redshift-enforce-kms-encryption", "mandatory", "high"],
        ["redshift-admin-password-managed", "mandatory", "high"],
        ["redshift-disallow-public-access", "mandatory", "critical"],
        ["redshift-enforce-enhanced-vpc-routing", "mandatory", "high"],
        ["lakeformation-settings-restrict-defaults", "mandatory", "high"],
        ["lakeformation-settings-restrict-admins", "mandatory", "critical"],
        ["iam-policy-disallow-wildcard-actions", "mandatory", "high"],
        ["kms-key-policy-within-size-limit", "mandatory", "high"],
        ["iam-role-inline-policies-within-size-limit", "mandatory", "high"],
        ["iam-role-trust-policy-within-size-limit", "mandatory", "high"],
        ["resource-tags-within-count-limit", "mandatory", "high"],
        ["lakeformation-resource-lf-tags-within-count-limit", "mandatory", "high"],
      ]);
    } finally {
      await pack.close();
    }
  });

  it("reports every weakness of a hand-written insecure program, matched to the right resource", async () => {
    expect(await forbiddenFixtureViolations("open-bucket.ts", PACK_NAME)).to.deep.equal([
      "advisory s3-bucket-enable-versioning-and-logging scratch",
      "advisory s3-bucket-enable-versioning-and-logging scratch",
      "mandatory iam-policy-disallow-wildcard-actions analyst-everything",
      "mandatory kms-key-enable-rotation scratch-key",
      "mandatory lakeformation-settings-restrict-admins settings",
      "mandatory lakeformation-settings-restrict-defaults settings",
      "mandatory lakeformation-settings-restrict-defaults settings",
      "mandatory lakeformation-settings-restrict-defaults settings",
      "mandatory s3-bucket-block-public-access scratch",
      "mandatory s3-bucket-enforce-kms-encryption scratch",
      "mandatory s3-bucket-enforce-tls scratch",
    ]);
  });

  it("reports a hand-written Redshift cluster and namespace left at AWS's defaults", async () => {
    expect(await forbiddenFixtureViolations("redshift-warehouse-copies.ts", PACK_NAME)).to.deep.equal([
      "mandatory redshift-admin-password-managed bi",
      "mandatory redshift-admin-password-managed reporting",
      "mandatory redshift-disallow-public-access bi",
      "mandatory redshift-disallow-public-access reporting",
      "mandatory redshift-enforce-enhanced-vpc-routing bi",
      "mandatory redshift-enforce-enhanced-vpc-routing reporting",
      "mandatory redshift-enforce-kms-encryption bi",
      "mandatory redshift-enforce-kms-encryption reporting",
    ]);
  });

  it("reports every default left unencrypted or unbounded in hand-written streaming and analytics", async () => {
    expect(await forbiddenFixtureViolations("unencrypted-analytics.ts", PACK_NAME)).to.deep.equal([
      "mandatory athena-workgroup-enforce-configuration adhoc",
      "mandatory athena-workgroup-enforce-configuration adhoc",
      "mandatory athena-workgroup-enforce-kms-encryption adhoc",
      "mandatory dms-enforce-kms-encryption export-target",
      "mandatory dms-enforce-kms-encryption replication",
      "mandatory emr-serverless-enforce-log-encryption spark",
      "mandatory firehose-enforce-kms-encryption events-direct",
      "mandatory firehose-enforce-kms-encryption events-direct",
      "mandatory glue-catalog-enforce-kms-encryption scratch",
      "mandatory kinesis-stream-enforce-kms-encryption events",
    ]);
  });

  describe("resource policies", () => {
    it("kms-key-enable-rotation: passes a rotating key, fails one without rotation, skips asymmetric keys", async () => {
      const run = (props: Record<string, unknown>) =>
        runResourcePolicy(kmsKeyEnableRotation, { type: "aws:kms/key:Key", props });
      expect(await run({ enableKeyRotation: true })).to.deep.equal([]);
      expect(await run({})).to.deep.equal(["Set enableKeyRotation: true."]);
      expect(await run({ customerMasterKeySpec: "RSA_2048" })).to.deep.equal([]);
    });

    it("lakeformation-settings-restrict-defaults: passes our settings, fails IAMAllowedPrincipals and old versions", async () => {
      const type = "aws:lakeformation/dataLakeSettings:DataLakeSettings";
      const good = {
        createDatabaseDefaultPermissions: [],
        createTableDefaultPermissions: [],
        parameters: { CROSS_ACCOUNT_VERSION: "4" },
      };
      expect(
        await runResourcePolicy(lakeformationSettingsRestrictDefaults, { type, props: good }),
      ).to.deep.equal([]);
      const bad = {
        ...good,
        createTableDefaultPermissions: [{ principal: "IAM_ALLOWED_PRINCIPALS", permissions: ["ALL"] }],
        parameters: { CROSS_ACCOUNT_VERSION: "2" },
      };
      const messages = (await runResourcePolicy(lakeformationSettingsRestrictDefaults, {
        type,
        props: bad,
      }))!;
      expect(messages).to.have.length(2);
      expect(messages[0]).to.contain("createTableDefaultPermissions grants IAM_ALLOWED_PRINCIPALS");
      expect(messages[1]).to.contain("CROSS_ACCOUNT_VERSION is 2");
    });

    it("iam-policy-disallow-wildcard-actions: passes listed actions, fails * and service:* allows, ignores denies", async () => {
      const run = (statement: Record<string, unknown>) =>
        runResourcePolicy(iamPolicyDisallowWildcardActions, {
          type: "aws:iam/rolePolicy:RolePolicy",
          props: { policy: JSON.stringify({ Statement: [statement] }) },
        });
      expect(
        await run({ Effect: "Allow", Action: ["s3:GetObject", "glue:GetTable"], Resource: "*" }),
      ).to.deep.equal([]);
      expect((await run({ Effect: "Allow", Action: "*", Resource: "*" }))![0]).to.contain("allows *");
      expect((await run({ Effect: "Allow", Action: ["GLUE:*"], Resource: "*" }))![0]).to.contain("GLUE:*");
      expect(await run({ Effect: "Deny", Action: "s3:*", Resource: "*" })).to.deep.equal([]);
      expect(await run({ Effect: "Allow", Action: "ec2:*", Resource: "*" })).to.deep.equal([]);
    });
  });
});
