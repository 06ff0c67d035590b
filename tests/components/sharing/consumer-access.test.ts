import { expect } from "chai";
import {
  analystPolicy,
  ConsumerAccess,
  ConsumerAccessArgs,
  defaults,
} from "../../../components/sharing/consumer-access";
import type { RunResult } from "../../../tooling/mock-runtime/harness";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:sharing:ConsumerAccess";
const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
const LAKE = "999999999999";
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/pulumi-deploy`;
const teamTags = (team: string) => ({
  dataset: "shared",
  domain: "shared",
  owner: team,
  "owner-email": `${team}@acme.example`,
  classification: "internal",
  source: "shared",
});

const base: ConsumerAccessArgs = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  lake: { accountId: LAKE, region: "eu-west-1", catalogKeyAlias: "alias/acme-lake" },
  deploymentRoleArn: DEPLOYER,
  sharedDatabases: [
    { database: "marketing", linkName: "marketing_shared" },
    { database: "sales", linkName: "sales_shared" },
  ],
  teams: [
    {
      team: "growth",
      roleName: "acme-growth-analyst",
      workgroupName: "growth-analytics",
      databases: ["marketing", "sales"],
      tags: teamTags("growth"),
    },
    {
      team: "product",
      roleName: "acme-product-analyst",
      workgroupName: "product-analytics",
      databases: ["marketing"],
    },
  ],
  resultsBucketName: "acme-111111111111-athena-results",
  accessLogBucketName: "acme-111111111111-access-logs",
  resultsKeyAlias: "alias/acme-athena-results",
  tags: { ...teamTags("data-platform"), classification: "restricted" },
};

const plan = (args: Partial<ConsumerAccessArgs> = {}) =>
  withProvider((provider) => new ConsumerAccess("analytics", { ...base, ...args }, { provider }));

type Statement = {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
} & Record<string, unknown>;
const policyOf = (r: RunResult, name: string): Statement[] =>
  JSON.parse(String(named(r, name).inputs.policy)).Statement as Statement[];

describe("ConsumerAccess", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("creates the settings, a link per shared database, a role, policy, workgroup and link grants per team, and the results buckets", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:lakeformation/dataLakeSettings:DataLakeSettings": 1,
      "aws:glue/catalogDatabase:CatalogDatabase": 2,
      "aws:iam/role:Role": 2,
      "aws:iam/rolePolicy:RolePolicy": 2,
      "aws:athena/workgroup:Workgroup": 2,
      [PERMISSIONS]: 3,
      "aws:kms/key:Key": 1,
      "aws:kms/alias:Alias": 1,
      "aws:s3/bucket:Bucket": 2,
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 2,
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 2,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 2,
      "aws:s3/bucketVersioning:BucketVersioning": 2,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 2,
      "aws:s3/bucketPolicy:BucketPolicy": 2,
      "aws:s3/bucketLogging:BucketLogging": 1,
    });
  });

  it("hangs every child under the component with the explicit provider", () => {
    expectWiredUnder(r, TYPE, "analytics");
  });

  it("makes the deployer the account's data lake admin, without IAMAllowedPrincipals defaults, version 4", () => {
    expect(named(r, "analytics-settings").inputs).to.deep.include({
      catalogId: ACCOUNT,
      admins: [DEPLOYER],
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
      parameters: { CROSS_ACCOUNT_VERSION: "4" },
    });
  });

  it("keeps an explicit cross-account version and rejects one older than 3", async () => {
    expect(
      named(await plan({ crossAccountVersion: 3 }), "analytics-settings").inputs.parameters,
    ).to.deep.equal({ CROSS_ACCOUNT_VERSION: "3" });
    expect((await rejection(plan({ crossAccountVersion: 2 }))).message).to.contain("use 3 or more");
  });

  it("links each shared lake database into the account's catalog, after the settings", () => {
    const link = named(r, "analytics-link-sales_shared");
    expect(link.inputs).to.deep.include({
      catalogId: ACCOUNT,
      name: "sales_shared",
      targetDatabase: { catalogId: LAKE, databaseName: "sales", region: "eu-west-1" },
    });
    expect(link.dependencies).to.include(named(r, "analytics-settings").urn);
  });

  it("grants each team DESCRIBE on its links only, in the account's catalog, with no grant option", () => {
    const grants = ofType(r, PERMISSIONS);
    expect(grants.map((g) => g.name)).to.have.members([
      "analytics-growth-describe-marketing_shared",
      "analytics-growth-describe-sales_shared",
      "analytics-product-describe-marketing_shared",
    ]);
    const g = named(r, "analytics-product-describe-marketing_shared");
    expect(g.inputs).to.deep.include({
      catalogId: ACCOUNT,
      principal: `arn:aws:iam::${ACCOUNT}:role/acme-product-analyst`,
      permissions: ["DESCRIBE"],
      database: { catalogId: ACCOUNT, name: "marketing_shared" },
    });
    for (const x of grants) expect(x.inputs.permissionsWithGrantOptions ?? []).to.deep.equal([]);
    expect(g.dependencies).to.include.members([
      named(r, "analytics-settings").urn,
      named(r, "analytics-link-marketing_shared").urn,
      named(r, "analytics-product-analyst").urn,
    ]);
  });

  it("lets the account's root assume the analyst role, or the principal it is given", async () => {
    const trust = (result: RunResult) =>
      JSON.parse(String(named(result, "analytics-growth-analyst").inputs.assumeRolePolicy)).Statement[0];
    expect(trust(r)).to.deep.equal({
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: "sts:AssumeRole",
    });
    const sso = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Analyst`;
    expect(trust(await plan({ analystTrustPrincipal: sso })).Principal).to.deep.equal({ AWS: sso });
  });

  it("gives the analyst no wildcard action and no access to the lake's buckets", () => {
    const statements = policyOf(r, "analytics-growth-analyst-policy");
    for (const s of statements) {
      expect(s.Effect).to.equal("Allow");
      for (const a of [s.Action].flat()) expect(a, s.Sid).to.not.match(/(^\*$|:\*$)/);
      for (const res of [s.Resource].flat()) expect(res, s.Sid).to.not.contain(LAKE + "-");
    }
    const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith("s3:")));
    for (const s of s3)
      for (const res of [s.Resource].flat())
        expect(res.startsWith("arn:aws:s3:::acme-111111111111-athena-results"), res).to.equal(true);
  });

  it("lets the analyst read its links, the lake's shared databases, its results prefix and keys", () => {
    const byId = Object.fromEntries(policyOf(r, "analytics-product-analyst-policy").map((s) => [s.Sid, s]));
    expect(byId.LakeFormationCredentials.Action).to.equal("lakeformation:GetDataAccess");
    expect(byId.ReadCatalogThroughLinks.Resource).to.deep.equal([
      `arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:database/marketing_shared`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:table/marketing_shared/*`,
      `arn:aws:glue:eu-west-1:${LAKE}:catalog`,
      `arn:aws:glue:eu-west-1:${LAKE}:database/marketing`,
      `arn:aws:glue:eu-west-1:${LAKE}:table/marketing/*`,
    ]);
    expect(byId.QueryInOwnWorkgroup.Resource).to.equal(
      `arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/product-analytics`,
    );
    expect(byId.ReadWriteOwnResults.Resource).to.equal(
      "arn:aws:s3:::acme-111111111111-athena-results/product-analytics/*",
    );
    expect(byId.ListOwnResults.Condition).to.deep.equal({
      StringLike: { "s3:prefix": ["product-analytics/", "product-analytics/*"] },
    });
    expect(byId.UseResultsKey.Resource).to.match(/^arn:aws:kms:/);
    expect(byId.DecryptLakeCatalogMetadata).to.deep.include({
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: `arn:aws:kms:eu-west-1:${LAKE}:key/*`,
    });
  });

  it("asks for no lake catalog key when the lake names none", () => {
    const statements = analystPolicy({
      accountId: ACCOUNT,
      region: "eu-west-1",
      lake: { accountId: LAKE, region: "eu-west-1" },
      databases: [],
      workgroupName: "wg",
      resultsBucketName: "b",
      resultsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k",
    }).Statement as Statement[];
    expect(statements.map((s) => s.Sid)).to.not.include("DecryptLakeCatalogMetadata");
  });

  it("enforces each team's workgroup: engine 3, scan cutoff, KMS-encrypted results under its prefix, metrics", () => {
    const wg = named(r, "analytics-growth-workgroup");
    expect(wg.inputs.name).to.equal("growth-analytics");
    const config = wg.inputs.configuration as Record<string, unknown>;
    expect(config).to.deep.include({
      enforceWorkgroupConfiguration: true,
      publishCloudwatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
      engineVersion: { selectedEngineVersion: "Athena engine version 3" },
    });
    expect(config.resultConfiguration).to.deep.include({
      outputLocation: "s3://acme-111111111111-athena-results/growth-analytics/",
      expectedBucketOwner: ACCOUNT,
    });
    expect((config.resultConfiguration as Record<string, unknown>).encryptionConfiguration).to.deep.include({
      encryptionOption: "SSE_KMS",
    });
    expect(wg.inputs.forceDestroy).to.equal(false);
  });

  it("tags a team's role and workgroup with its own tags, and the rest with the component's", () => {
    expect(named(r, "analytics-growth-workgroup").inputs.tags).to.deep.equal(teamTags("growth"));
    expect(named(r, "analytics-growth-analyst").inputs.tags).to.deep.equal(teamTags("growth"));
    expect(named(r, "analytics-product-workgroup").inputs.tags).to.deep.equal(base.tags);
    expect(named(r, "analytics-results").inputs.tags).to.deep.equal(base.tags);
  });

  it("keeps results in a rotating-key, versioned, logged, TLS-only bucket that expires them", () => {
    expect(named(r, "analytics-results-key").inputs).to.deep.include({ enableKeyRotation: true });
    expect(named(r, "analytics-results-key").inputs.deletionWindowInDays).to.equal(30);
    expect(named(r, "analytics-results-key-alias").inputs.name).to.equal("alias/acme-athena-results");
    const rules = named(r, "analytics-results-lifecycle").inputs.rules as { expiration: { days: number } }[];
    expect(rules[0].expiration.days).to.equal(defaults.resultsRetentionDays);
    expect(named(r, "analytics-results-logging").inputs.targetPrefix).to.equal("athena-results/");
    const sids = policyOf(r, "analytics-results-policy").map((s) => s.Sid);
    expect(sids).to.include.members(["DenyInsecureTransport", "DenyUnencryptedResults"]);
    expect(named(r, "analytics-results").inputs.forceDestroy).to.equal(false);
  });

  it("keeps explicit sizes and the destruction opt-in", async () => {
    const result = await plan({
      bytesScannedCutoffPerQuery: 10 * 1024 ** 2,
      resultsRetentionDays: 1,
      allowDataDestruction: true,
    });
    const config = named(result, "analytics-growth-workgroup").inputs.configuration as Record<
      string,
      unknown
    >;
    expect(config.bytesScannedCutoffPerQuery).to.equal(10 * 1024 ** 2);
    const rules = named(result, "analytics-results-lifecycle").inputs.rules as {
      expiration: { days: number };
    }[];
    expect(rules[0].expiration.days).to.equal(1);
    expect(named(result, "analytics-results").inputs.forceDestroy).to.equal(true);
    expect(named(result, "analytics-results-key").inputs.deletionWindowInDays).to.equal(7);
  });

  it("rejects a 0 scan cutoff or retention instead of replacing it with the default", async () => {
    expect((await rejection(plan({ bytesScannedCutoffPerQuery: 0 }))).message).to.contain(
      "below Athena's minimum",
    );
    expect((await rejection(plan({ resultsRetentionDays: 0 }))).message).to.contain("resultsRetentionDays 0");
  });

  it("rejects a team reading a database that is not shared, duplicate links and the lake's own account", async () => {
    const bad = async (args: Partial<ConsumerAccessArgs>) => (await rejection(plan(args))).message;
    expect(
      await bad({
        teams: [{ team: "x", roleName: "x", workgroupName: "x", databases: ["operations"] }],
      }),
    ).to.contain('teams[0].databases[0]: "operations" is not among sharedDatabases');
    expect(
      await bad({
        sharedDatabases: [
          { database: "a", linkName: "l" },
          { database: "b", linkName: "l" },
        ],
        teams: [],
      }),
    ).to.contain("link name l is used twice");
    expect(await bad({ lake: { accountId: ACCOUNT, region: "eu-west-1" } })).to.contain("is this account");
  });

  it("registers its outputs", () => {
    expect(ofType(r, TYPE)[0].state).to.deep.include({
      resourceLinks: { marketing: "marketing_shared", sales: "sales_shared" },
      workgroups: { growth: "growth-analytics", product: "product-analytics" },
      resultsBucket: "acme-111111111111-athena-results",
      accessLogBucket: "acme-111111111111-access-logs",
    });
  });
});
