import { expect } from "chai";
import {
  accountKeyPolicy,
  accountRootControlStatement,
  KEY_ADMIN_ACTIONS,
  keyAdministrationStatements,
  keyPolicyBase,
  s3UseForAccountStatement,
} from "../../../components/shared/key-policy";
import { keyPolicy } from "../../../components/storage/lake-storage";
import { resultsKeyPolicy } from "../../../components/sharing/consumer-access";
import { logKeyPolicy } from "../../../components/analytics/spark-analytics";

const ACCOUNT = "111111111111";
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/key-admin`;
const sids = (doc: { Statement: unknown }) => (doc.Statement as { Sid: string }[]).map((s) => s.Sid);

describe("key policy statements (components/shared/key-policy)", () => {
  it("keeps the account root in control of every key, so IAM policies grant its use", () => {
    expect(accountRootControlStatement(ACCOUNT)).to.deep.equal({
      Sid: "AccountRootControl",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: "kms:*",
      Resource: "*",
    });
  });

  it("lets admins manage a key without using it, and adds nothing without admins", () => {
    expect(keyAdministrationStatements([])).to.deep.equal([]);
    const [admin] = keyAdministrationStatements([ADMIN]);
    expect(admin).to.deep.include({ Sid: "KeyAdministration", Principal: { AWS: [ADMIN] } });
    expect(admin.Action).to.deep.equal([...KEY_ADMIN_ACTIONS]);
    expect(admin.Action).to.not.include.members(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]);
    expect(keyPolicyBase(ACCOUNT, [ADMIN]).map((s) => s.Sid)).to.deep.equal([
      "AccountRootControl",
      "KeyAdministration",
    ]);
  });

  it("lets S3 use a key for this account's callers only", () => {
    expect(s3UseForAccountStatement(ACCOUNT).Condition).to.deep.equal({
      StringEquals: { "kms:CallerAccount": ACCOUNT },
      StringLike: { "kms:ViaService": "s3.*.amazonaws.com" },
    });
  });

  it("gives a component's own key the base statements only", () => {
    expect(accountKeyPolicy(ACCOUNT, [ADMIN])).to.deep.equal({
      Version: "2012-10-17",
      Statement: keyPolicyBase(ACCOUNT, [ADMIN]),
    });
  });

  it("composes each component's key policy from the shared statements, in the same order as before", () => {
    expect(
      sids(keyPolicy(ACCOUNT, [ADMIN], ["arn:aws:iam::111111111111:role/lf"], ["222222222222"])),
    ).to.deep.equal([
      "AccountRootControl",
      "KeyAdministration",
      "KeyUse",
      "CatalogReadersDecryptThroughGlue",
      "S3UseForThisAccount",
    ]);
    expect(sids(resultsKeyPolicy(ACCOUNT))).to.deep.equal(["AccountRootControl", "S3UseForThisAccount"]);
    expect(
      sids(
        logKeyPolicy({
          accountId: ACCOUNT,
          region: "eu-west-1",
          logGroupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/emr-serverless/x`,
          managedPersistence: true,
        }),
      ),
    ).to.deep.equal([
      "AccountRootControl",
      "CloudWatchLogsForTheLogGroup",
      "EmrServerlessManagedPersistence",
    ]);
  });
});
