import { expect } from "chai";
import { redshiftAdminPasswordManaged } from "../../../policies/security/policies/redshift-admin-password-managed";
import { redshiftDisallowPublicAccess } from "../../../policies/security/policies/redshift-disallow-public-access";
import { redshiftEnforceEnhancedVpcRouting } from "../../../policies/security/policies/redshift-enforce-enhanced-vpc-routing";
import { redshiftEnforceKmsEncryption } from "../../../policies/security/policies/redshift-enforce-kms-encryption";
import { runResourcePolicy } from "../helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy");

const NAMESPACE = "aws:redshiftserverless/namespace:Namespace";
const WORKGROUP = "aws:redshiftserverless/workgroup:Workgroup";
const CLUSTER = "aws:redshift/cluster:Cluster";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0b6c4b5e-1111-2222-3333-444444444444";

/** Inputs as the analyzer hands them over in a preview: behind its unknown-checking proxy. */
function previewProps(props: Record<string, unknown>): Record<string, unknown> {
  return proxy.unknownCheckingProxy(props);
}

describe("lakehouse-security Redshift policies", () => {
  describe("redshift-enforce-kms-encryption", () => {
    const run = (type: string, props: Record<string, unknown>) =>
      runResourcePolicy(redshiftEnforceKmsEncryption, { type, props });

    it("passes a namespace under a customer-managed key", async () => {
      expect(await run(NAMESPACE, { namespaceName: "lake", kmsKeyId: KEY })).to.deep.equal([]);
      expect(await run(NAMESPACE, { kmsKeyId: "alias/lake-warehouse" })).to.deep.equal([]);
    });

    it("rejects a namespace without kmsKeyId, with AWS_OWNED_KMS_KEY or with an AWS-managed alias", async () => {
      const none = (await run(NAMESPACE, { namespaceName: "lake" }))!;
      expect(none).to.have.length(1);
      expect(none[0]).to.contain("no kmsKeyId is set, so an AWS-owned key is used");
      expect(none[0]).to.contain("set kmsKeyId to the ARN of a customer-managed KMS key");
      expect((await run(NAMESPACE, { kmsKeyId: "AWS_OWNED_KMS_KEY" }))![0]).to.contain(
        "kmsKeyId is AWS_OWNED_KMS_KEY, a key AWS owns",
      );
      expect((await run(NAMESPACE, { kmsKeyId: "alias/aws/redshift" }))![0]).to.contain(
        "the AWS-managed key alias/aws/redshift",
      );
      expect(
        (await run(NAMESPACE, {
          kmsKeyId: "arn:aws-us-gov:kms:us-gov-west-1:111111111111:alias/aws/redshift",
        }))![0],
      ).to.contain("AWS-managed key arn:aws-us-gov:kms:us-gov-west-1:111111111111:alias/aws/redshift");
    });

    it("passes a cluster with encrypted: true (string or boolean) and a customer-managed key", async () => {
      expect(await run(CLUSTER, { encrypted: "true", kmsKeyId: KEY })).to.deep.equal([]);
      expect(await run(CLUSTER, { encrypted: true, kmsKeyId: KEY })).to.deep.equal([]);
    });

    it("rejects a cluster that is unencrypted, leaves encrypted unset, or has no or an AWS-managed key", async () => {
      const off = (await run(CLUSTER, { encrypted: "false" }))!;
      expect(off).to.have.length(1);
      expect(off[0]).to.contain("encrypted is false; no kmsKeyId is set");
      expect(off[0]).to.contain("set encrypted: true and kmsKeyId to the ARN of a customer-managed KMS key");
      expect((await run(CLUSTER, { kmsKeyId: KEY }))![0]).to.contain("encrypted is not set;");
      expect((await run(CLUSTER, { encrypted: "true" }))![0]).to.contain("no kmsKeyId is set");
      expect((await run(CLUSTER, { encrypted: true, kmsKeyId: "alias/aws/redshift" }))![0]).to.contain(
        "kmsKeyId is the AWS-managed key alias/aws/redshift",
      );
    });

    it("ignores other resource types", async () => {
      expect(await run("aws:s3/bucket:Bucket", {})).to.deep.equal([]);
    });

    it("never reports a key or flag unknown in a preview, but still judges what is known", async () => {
      expect(await run(NAMESPACE, previewProps({ kmsKeyId: proxy.unknownStringValue }))).to.deep.equal([]);
      expect(
        await run(
          CLUSTER,
          previewProps({ encrypted: proxy.unknownStringValue, kmsKeyId: proxy.unknownStringValue }),
        ),
      ).to.deep.equal([]);
      const known = (await run(
        CLUSTER,
        previewProps({ encrypted: "false", kmsKeyId: proxy.unknownStringValue }),
      ))!;
      expect(known).to.have.length(1);
      expect(known[0]).to.contain("encrypted is false;").and.not.contain("kmsKeyId is");
    });
  });

  describe("redshift-admin-password-managed", () => {
    const run = (type: string, props: Record<string, unknown>) =>
      runResourcePolicy(redshiftAdminPasswordManaged, { type, props });

    it("passes a managed admin password, and a namespace with no admin user at all", async () => {
      expect(await run(NAMESPACE, { adminUsername: "admin", manageAdminPassword: true })).to.deep.equal([]);
      expect(await run(NAMESPACE, { namespaceName: "lake" })).to.deep.equal([]);
      expect(await run(CLUSTER, { masterUsername: "admin", manageMasterPassword: true })).to.deep.equal([]);
    });

    it("rejects a namespace password, written to the state or write-only", async () => {
      const plain = (await run(NAMESPACE, { adminUsername: "admin", adminUserPassword: "Secret123" }))!;
      expect(plain).to.have.length(1);
      expect(plain[0]).to.contain("sets its admin password in adminUserPassword");
      expect(plain[0]).to.contain("and the state");
      expect(plain[0]).to.contain("remove adminUserPassword and set manageAdminPassword: true");
      const wo = (await run(NAMESPACE, { adminUserPasswordWo: "Secret123", adminUserPasswordWoVersion: 1 }))!;
      expect(wo[0]).to.contain("adminUserPasswordWo").and.not.contain("the state");
    });

    it("rejects a namespace admin user whose password Secrets Manager does not manage", async () => {
      const unset = (await run(NAMESPACE, { adminUsername: "admin" }))!;
      expect(unset).to.deep.equal([
        "The namespace has an admin user (adminUsername) whose password Secrets Manager does not manage " +
          "(manageAdminPassword is not set); set manageAdminPassword: true.",
      ]);
      expect((await run(NAMESPACE, { adminUsername: "admin", manageAdminPassword: false }))![0]).to.contain(
        "(manageAdminPassword is false)",
      );
    });

    it("rejects a cluster masterPassword or masterPasswordWo, and an unmanaged master user", async () => {
      expect((await run(CLUSTER, { masterUsername: "admin", masterPassword: "Secret123" }))![0]).to.contain(
        "remove masterPassword and set manageMasterPassword: true",
      );
      const wo = (await run(CLUSTER, { masterUsername: "admin", masterPasswordWo: "Secret123" }))!;
      expect(wo).to.have.length(1);
      expect(wo[0]).to.contain("masterPasswordWo");
      expect((await run(CLUSTER, { masterUsername: "admin" }))![0]).to.contain(
        "(manageMasterPassword is not set); set manageMasterPassword: true.",
      );
    });

    it("never reports a password or flag unknown in a preview", async () => {
      expect(
        await run(
          NAMESPACE,
          previewProps({ adminUsername: "admin", adminUserPassword: proxy.unknownStringValue }),
        ),
      ).to.deep.equal([]);
      expect(
        await run(
          CLUSTER,
          previewProps({ masterUsername: "admin", manageMasterPassword: proxy.unknownBooleanValue }),
        ),
      ).to.deep.equal([]);
    });
  });

  describe("redshift-disallow-public-access", () => {
    const run = (type: string, props: Record<string, unknown>) =>
      runResourcePolicy(redshiftDisallowPublicAccess, { type, props });

    it("passes private workgroups and clusters, explicitly or by default (false for both)", async () => {
      expect(await run(WORKGROUP, { publiclyAccessible: false })).to.deep.equal([]);
      expect(await run(WORKGROUP, {})).to.deep.equal([]);
      expect(await run(CLUSTER, { publiclyAccessible: false })).to.deep.equal([]);
      expect(await run(CLUSTER, {})).to.deep.equal([]);
    });

    it("rejects a publicly accessible workgroup or cluster", async () => {
      const workgroup = (await run(WORKGROUP, { publiclyAccessible: true }))!;
      expect(workgroup).to.have.length(1);
      expect(workgroup[0]).to.contain("The workgroup is reachable from a public network");
      expect(workgroup[0]).to.contain("set publiclyAccessible: false");
      expect((await run(CLUSTER, { publiclyAccessible: true }))![0]).to.contain(
        "The cluster is reachable from a public network (publiclyAccessible: true)",
      );
    });

    it("never reports a flag unknown in a preview", async () => {
      expect(
        await run(WORKGROUP, previewProps({ publiclyAccessible: proxy.unknownBooleanValue })),
      ).to.deep.equal([]);
    });
  });

  describe("redshift-enforce-enhanced-vpc-routing", () => {
    const run = (type: string, props: Record<string, unknown>) =>
      runResourcePolicy(redshiftEnforceEnhancedVpcRouting, { type, props });

    it("passes workgroups and clusters with enhancedVpcRouting: true", async () => {
      expect(await run(WORKGROUP, { enhancedVpcRouting: true })).to.deep.equal([]);
      expect(await run(CLUSTER, { enhancedVpcRouting: true })).to.deep.equal([]);
    });

    it("rejects enhanced VPC routing off or left unset (its default is off)", async () => {
      const unset = (await run(WORKGROUP, {}))!;
      expect(unset).to.have.length(1);
      expect(unset[0]).to.contain("The workgroup sends COPY, UNLOAD and Spectrum traffic outside its VPC");
      expect(unset[0]).to.contain("(enhancedVpcRouting is not set); set enhancedVpcRouting: true");
      expect((await run(CLUSTER, { enhancedVpcRouting: false }))![0]).to.contain(
        "The cluster sends COPY, UNLOAD and Spectrum traffic outside its VPC (enhancedVpcRouting is false)",
      );
    });

    it("ignores the namespace (routing is a workgroup setting) and an unknown flag", async () => {
      expect(await run(NAMESPACE, {})).to.deep.equal([]);
      expect(
        await run(CLUSTER, previewProps({ enhancedVpcRouting: proxy.unknownBooleanValue })),
      ).to.deep.equal([]);
    });
  });
});
