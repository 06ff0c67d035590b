import { expect } from "chai";
import { defaults, LakeFormation, LakeFormationArgs } from "../../../components/lakeformation/lake-formation";
import type { RunResult } from "../../../tooling/mock-runtime/harness";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:lakeformation:LakeFormation";
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/DataPlatformAdmin`;
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/pulumi-deploy`;

const base: LakeFormationArgs = {
  catalogId: ACCOUNT,
  admins: [ADMIN],
  deploymentRoleArn: DEPLOYER,
  lfTags: { domain: ["sales", "marketing"], classification: ["public", "internal", "restricted"] },
  locations: [
    { name: "raw", bucketArn: "arn:aws:s3:::acme-raw" },
    { name: "curated", bucketArn: "arn:aws:s3:::acme-curated" },
  ],
  dataAccessRoleName: "acme-lf-data-access",
  kmsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/lake`,
  tags: { dataset: "shared" },
};

const plan = (args: Partial<LakeFormationArgs> = {}) =>
  withProvider((provider) => new LakeFormation("lake", { ...base, ...args }, { provider }));

describe("LakeFormation", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("creates the settings, the data-access role and its policy, a registration per location and an LF-tag per key", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:lakeformation/dataLakeSettings:DataLakeSettings": 1,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicy:RolePolicy": 1,
      "aws:lakeformation/resource:Resource": 2,
      "aws:lakeformation/lfTag:LfTag": 2,
    });
    expectWiredUnder(r, TYPE, "lake");
  });

  it("makes the admins plus the deployment role the data lake admins, without IAMAllowedPrincipals defaults", () => {
    expect(named(r, "lake-settings").inputs).to.deep.include({
      catalogId: ACCOUNT,
      admins: [ADMIN, DEPLOYER],
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
      parameters: { CROSS_ACCOUNT_VERSION: String(defaults.crossAccountVersion) },
    });
  });

  it("lists an admin who is also the deployer once", async () => {
    const result = await plan({ deploymentRoleArn: ADMIN });
    expect(named(result, "lake-settings").inputs.admins).to.deep.equal([ADMIN]);
  });

  it("keeps an explicit cross-account version and rejects one older than 3", async () => {
    expect(named(await plan({ crossAccountVersion: 3 }), "lake-settings").inputs.parameters).to.deep.equal({
      CROSS_ACCOUNT_VERSION: "3",
    });
    expect((await rejection(plan({ crossAccountVersion: 2 }))).message).to.contain("use 3 or more");
    expect((await rejection(plan({ crossAccountVersion: 0 }))).message).to.contain("crossAccountVersion 0");
  });

  it("lets only Lake Formation of this account assume the data-access role", () => {
    const role = named(r, "lake-data-access");
    expect(role.inputs.name).to.equal("acme-lf-data-access");
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0];
    expect(trust).to.deep.include({
      Principal: { Service: "lakeformation.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
    });
  });

  it("gives the data-access role object access to the locations and the key, and no wildcard action", () => {
    const policy = JSON.parse(String(named(r, "lake-data-access-policy").inputs.policy));
    const byId = Object.fromEntries(policy.Statement.map((s: { Sid: string }) => [s.Sid, s]));
    expect(byId.ReadWriteLakeObjects.Resource).to.deep.equal([
      "arn:aws:s3:::acme-raw/*",
      "arn:aws:s3:::acme-curated/*",
    ]);
    expect(byId.ListLakeBuckets.Resource).to.deep.equal([
      "arn:aws:s3:::acme-raw",
      "arn:aws:s3:::acme-curated",
    ]);
    expect(byId.UseLakeKey.Resource).to.equal(base.kmsKeyArn);
    for (const s of policy.Statement)
      for (const a of [s.Action].flat()) expect(a).to.not.match(/(^\*$|:\*$)/);
  });

  it("registers each location with the data-access role, after its policy and the settings", () => {
    const policy = named(r, "lake-data-access-policy");
    const settings = named(r, "lake-settings");
    const raw = named(r, "lake-location-raw");
    expect(raw.inputs).to.deep.include({
      arn: "arn:aws:s3:::acme-raw",
      roleArn: `arn:aws:iam::${ACCOUNT}:role/acme-lf-data-access`,
      useServiceLinkedRole: false,
      hybridAccessEnabled: false,
    });
    expect(raw.dependencies).to.include.members([policy.urn, settings.urn]);
  });

  it("creates the LF-tag ontology once the settings make the deployer an admin", () => {
    const settings = named(r, "lake-settings");
    const tags = ofType(r, "aws:lakeformation/lfTag:LfTag");
    expect(tags.map((t) => [t.inputs.key, t.inputs.values])).to.have.deep.members([
      ["domain", ["sales", "marketing"]],
      ["classification", ["public", "internal", "restricted"]],
    ]);
    for (const t of tags) expect(t.dependencies).to.include(settings.urn);
  });

  it("rejects an LF-tag without values", async () => {
    expect((await rejection(plan({ lfTags: { domain: [] } }))).message).to.contain(
      'LF-tag "domain" needs at least one value',
    );
  });

  it("registers its outputs", () => {
    expect(ofType(r, TYPE)[0].state).to.deep.equal({
      dataAccessRoleArn: `arn:aws:iam::${ACCOUNT}:role/acme-lf-data-access`,
      lfTagKeys: ["domain", "classification"],
      registeredLocations: ["raw", "curated"],
    });
  });
});
