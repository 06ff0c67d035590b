import { expect } from "chai";
import {
  createRoleProcedureSql,
  defaults,
  externalSchemaSql,
  quoteIdent,
  RedshiftSpectrum,
  RedshiftSpectrumArgs,
} from "../../../components/analytics/redshift-spectrum";
import type { RunResult } from "../../../tooling/mock-runtime/harness";
import { iamPolicyDisallowWildcardActions } from "../../../policies/security/policies/iam-policy-disallow-wildcard-actions";
import { redshiftAdminPasswordManaged } from "../../../policies/security/policies/redshift-admin-password-managed";
import { redshiftDisallowPublicAccess } from "../../../policies/security/policies/redshift-disallow-public-access";
import { redshiftEnforceEnhancedVpcRouting } from "../../../policies/security/policies/redshift-enforce-enhanced-vpc-routing";
import { redshiftEnforceKmsEncryption } from "../../../policies/security/policies/redshift-enforce-kms-encryption";
import { runResourcePolicy } from "../../policies/helpers";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:analytics:RedshiftSpectrum";
const NAMESPACE = "aws:redshiftserverless/namespace:Namespace";
const WORKGROUP = "aws:redshiftserverless/workgroup:Workgroup";
const STATEMENT = "aws:redshiftdata/statement:Statement";
const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
const LAKE = "999999999999";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/acme-controlling-redshift`;
const tags = {
  dataset: "shared",
  domain: "shared",
  owner: "controlling",
  "owner-email": "controlling@acme.example",
  classification: "internal",
  source: "shared",
};

const base: RedshiftSpectrumArgs = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  name: "controlling-spectrum",
  network: {
    subnetIds: ["subnet-0a", "subnet-0b", "subnet-0c"],
    availabilityZones: { "subnet-0a": "eu-west-1a", "subnet-0b": "eu-west-1b", "subnet-0c": "eu-west-1c" },
    securityGroupIds: ["sg-0d"],
  },
  roleName: "acme-controlling-redshift",
  lake: { accountId: LAKE, region: "eu-west-1", catalogKeyAlias: "alias/acme-lake" },
  sharedDatabases: [
    { database: "sales", linkName: "sales_shared" },
    { database: "operations", linkName: "operations_shared" },
  ],
  tags,
};

const plan = (args: Partial<RedshiftSpectrumArgs> = {}) =>
  withProvider((provider) => new RedshiftSpectrum("controlling", { ...base, ...args }, { provider }));

const sqlOf = (r: RunResult, name: string) => String(named(r, name).inputs.sql);

describe("RedshiftSpectrum", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("creates the key, Spectrum role and policy, link grants, namespace, workgroup and the SQL statements", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:kms/key:Key": 1,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicy:RolePolicy": 1,
      [PERMISSIONS]: 2,
      [NAMESPACE]: 1,
      [WORKGROUP]: 1,
      // The role procedure, the reader role, TEMP, and a schema and a USAGE grant per database.
      [STATEMENT]: 3 + 2 * 2,
    });
  });

  it("hangs every child under the component with the explicit provider", () => {
    expectWiredUnder(r, TYPE, "controlling");
  });

  it("encrypts the namespace and its Secrets Manager-managed admin secret with its own rotating key", async () => {
    const key = named(r, "controlling-key");
    expect(key.inputs.enableKeyRotation).to.equal(true);
    expect(key.inputs.deletionWindowInDays).to.equal(defaults.keyDeletionWindowDays);
    const ns = named(r, "controlling-namespace").inputs;
    expect(ns).to.deep.include({
      namespaceName: "controlling-spectrum",
      dbName: "lake",
      // The provider keeps the admin user's name secret too.
      adminUsername: "[secret]",
      manageAdminPassword: true,
      adminPasswordSecretKmsKeyId: key.state.arn,
      kmsKeyId: key.state.arn,
      logExports: ["userlog", "connectionlog", "useractivitylog"],
    });
    // No password anywhere in the inputs: Redshift generates it into Secrets Manager.
    expect(ns).to.not.have.any.keys("adminUserPassword", "adminUserPasswordWo");
    for (const policy of [redshiftEnforceKmsEncryption, redshiftAdminPasswordManaged])
      expect(await runResourcePolicy(policy, { type: NAMESPACE, props: ns }), policy.name).to.deep.equal([]);
  });

  it("runs the workgroup privately, with enhanced VPC routing, in the three subnets, at 8 RPUs by default", async () => {
    const wg = named(r, "controlling-workgroup").inputs;
    expect(wg).to.deep.include({
      workgroupName: "controlling-spectrum",
      namespaceName: "controlling-spectrum",
      baseCapacity: 8,
      publiclyAccessible: false,
      enhancedVpcRouting: true,
      subnetIds: ["subnet-0a", "subnet-0b", "subnet-0c"],
      securityGroupIds: ["sg-0d"],
    });
    for (const policy of [redshiftDisallowPublicAccess, redshiftEnforceEnhancedVpcRouting])
      expect(await runResourcePolicy(policy, { type: WORKGROUP, props: wg }), policy.name).to.deep.equal([]);
    expect(ofType(r, "aws:redshiftserverless/usageLimit:UsageLimit")).to.have.length(0);
  });

  it("makes the Spectrum role the namespace's default, trusted by Redshift of this account only", () => {
    const role = named(r, "controlling-role");
    expect(role.inputs.name).to.equal("acme-controlling-redshift");
    expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement).to.deep.equal([
      {
        Effect: "Allow",
        Principal: { Service: ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"] },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
      },
    ]);
    const ns = named(r, "controlling-namespace").inputs;
    expect(ns.iamRoles).to.deep.equal([role.state.arn]);
    expect(ns.defaultIamRoleArn).to.equal(role.state.arn);
  });

  it("lets the role read through Lake Formation and the links only: no S3, no wildcard action", async () => {
    const policy = named(r, "controlling-role-policy");
    const doc = JSON.parse(String(policy.inputs.policy)) as {
      Statement: { Sid: string; Action: unknown; Resource: unknown }[];
    };
    expect(doc.Statement.map((s) => s.Sid)).to.deep.equal([
      "LakeFormationCredentials",
      "ReadCatalogThroughLinks",
      "DecryptLakeCatalogMetadata",
    ]);
    const actions = doc.Statement.flatMap((s) => [s.Action].flat() as string[]);
    expect(actions.filter((a) => a.startsWith("s3:"))).to.deep.equal([]);
    const resources = doc.Statement.flatMap((s) => [s.Resource].flat() as string[]);
    expect(resources).to.include(`arn:aws:glue:eu-west-1:${ACCOUNT}:database/sales_shared`);
    expect(resources).to.include(`arn:aws:glue:eu-west-1:${LAKE}:table/operations/*`);
    expect(
      await runResourcePolicy(iamPolicyDisallowWildcardActions, {
        type: "aws:iam/rolePolicy:RolePolicy",
        props: policy.inputs,
      }),
    ).to.deep.equal([]);
    // DESCRIBE on each link here; the lake grants what is behind them.
    const grants = ofType(r, PERMISSIONS).map((g) => g.inputs);
    expect(grants.map((g) => g.database)).to.deep.equal([
      { catalogId: ACCOUNT, name: "sales_shared" },
      { catalogId: ACCOUNT, name: "operations_shared" },
    ]);
    for (const g of grants) expect(g.permissions).to.deep.equal(["DESCRIBE"]);
  });

  it("creates each external schema over its resource link, idempotently, as the admin through its secret", () => {
    expect(sqlOf(r, "controlling-schema-sales")).to.equal(
      `CREATE EXTERNAL SCHEMA IF NOT EXISTS "sales" FROM DATA CATALOG DATABASE 'sales_shared' IAM_ROLE '${ROLE_ARN}'`,
    );
    const ns = named(r, "controlling-namespace");
    const wg = named(r, "controlling-workgroup");
    for (const s of ofType(r, STATEMENT)) {
      expect(s.inputs.database).to.equal("lake");
      expect(s.inputs.workgroupName).to.equal("controlling-spectrum");
      expect(s.propertyDependencies.workgroupName).to.deep.equal([wg.urn]);
      // The namespace's managed secret: its ARN is an output of the namespace.
      expect(s.propertyDependencies.secretArn).to.deep.equal([ns.urn]);
      expect(s.inputs).to.not.have.any.keys("dbUser");
    }
    // The schema waits for the role's DESCRIBE on its link.
    const schema = named(r, "controlling-schema-sales");
    const describe = named(r, "controlling-describe-sales_shared");
    expect(schema.dependencies).to.include(describe.urn);
    expect(externalSchemaSql({ database: "x", linkName: "it's" }, ROLE_ARN)).to.contain("DATABASE 'it''s'");
  });

  it("creates the read-only BI role once and grants it USAGE on every schema and TEMP on the database", () => {
    expect(createRoleProcedureSql()).to.match(
      /^CREATE OR REPLACE PROCEDURE public\.lakehouse_create_role_once\(/,
    );
    expect(createRoleProcedureSql()).to.contain("FROM svv_roles WHERE role_name = wanted");
    expect(sqlOf(r, "controlling-reader-role")).to.equal(
      "CALL public.lakehouse_create_role_once('controlling_spectrum_bi')",
    );
    expect(sqlOf(r, "controlling-reader-temp")).to.equal(
      'GRANT TEMP ON DATABASE "lake" TO ROLE "controlling_spectrum_bi"',
    );
    expect(sqlOf(r, "controlling-usage-operations")).to.equal(
      'GRANT USAGE ON SCHEMA "operations" TO ROLE "controlling_spectrum_bi"',
    );
    // Nothing but USAGE and TEMP: no SELECT, no CREATE, no superuser.
    const grants = ofType(r, STATEMENT)
      .map((s) => String(s.inputs.sql))
      .filter((s) => s.startsWith("GRANT"));
    for (const g of grants) expect(g).to.match(/^GRANT (USAGE ON SCHEMA|TEMP ON DATABASE) /);
    expect(quoteIdent('a"b')).to.equal('"a""b"');
  });

  it("takes capacity, a usage limit, names and the destruction opt-in from its args", async () => {
    const result = await plan({
      baseCapacity: 32,
      usageLimit: { rpuHours: 300 },
      databaseName: "bi",
      readerRoleName: "tableau",
      allowDataDestruction: true,
      sharedDatabases: [{ database: "sales", linkName: "sales_shared" }],
    });
    expect(named(result, "controlling-workgroup").inputs.baseCapacity).to.equal(32);
    const limit = named(result, "controlling-usage-limit").inputs;
    expect(limit).to.deep.include({
      usageType: "serverless-compute",
      amount: 300,
      period: "monthly",
      breachAction: "deactivate",
      resourceArn: named(result, "controlling-workgroup").state.arn,
    });
    expect(named(result, "controlling-namespace").inputs.dbName).to.equal("bi");
    expect(sqlOf(result, "controlling-usage-sales")).to.equal(
      'GRANT USAGE ON SCHEMA "sales" TO ROLE "tableau"',
    );
    expect(named(result, "controlling-key").inputs.deletionWindowInDays).to.equal(7);
    expect(ofType(result, STATEMENT)).to.have.length(3 + 2);
  });

  it("declares no schema and no link grant for a team that reads no database (yet), keeping the role", async () => {
    const result = await plan({ sharedDatabases: [] });
    expect(ofType(result, PERMISSIONS)).to.have.length(0);
    expect(
      ofType(result, STATEMENT)
        .map((s) => s.name)
        .sort(),
    ).to.deep.equal([
      "controlling-create-role-procedure",
      "controlling-reader-role",
      "controlling-reader-temp",
    ]);
  });

  it("refuses bad args before creating anything, naming the field and the fix", async () => {
    const bad = async (args: Partial<RedshiftSpectrumArgs>) => (await rejection(plan(args))).message;
    expect(await bad({ name: "Controlling" })).to.contain("3-64 lowercase letters, digits and hyphens");
    expect(await bad({ baseCapacity: 12 })).to.contain("8 to 512 in steps of 8");
    expect(await bad({ baseCapacity: 1024, region: "eu-north-1" })).to.contain("exceeds 512");
    expect(
      await bad({
        network: {
          subnetIds: ["subnet-0a", "subnet-0b", "subnet-0c"],
          availabilityZones: {
            "subnet-0a": "eu-west-1a",
            "subnet-0b": "eu-west-1a",
            "subnet-0c": "eu-west-1b",
          },
          securityGroupIds: ["sg-0d"],
        },
      }),
    ).to.contain("three subnets in three Availability Zones");
    expect(
      await bad({
        network: {
          subnetIds: ["subnet-0a", "subnet-0b", "subnet-0c"],
          availabilityZones: {},
          securityGroupIds: ["sg-0d"],
        },
      }),
    ).to.contain("name the zone of subnet-0a, subnet-0b, subnet-0c");
    expect(await bad({ network: { ...base.network, securityGroupIds: [] } })).to.contain(
      "securityGroupIds is empty",
    );
    expect(await bad({ usageLimit: { rpuHours: 0 } })).to.contain("usageLimit.rpuHours 0");
    expect(await bad({ readerRoleName: "bi-users" })).to.contain("readerRoleName");
    expect(await bad({ lake: { accountId: ACCOUNT, region: "eu-west-1" } })).to.contain("is this account");
    expect(
      await bad({
        sharedDatabases: [
          { database: "sales", linkName: "a" },
          { database: "sales", linkName: "b" },
        ],
      }),
    ).to.contain("listed twice");
  });

  it("accepts us-west-1's two-zone layout with two subnets in one zone", async () => {
    const result = await plan({
      region: "us-west-1",
      lake: { accountId: LAKE, region: "us-west-1" },
      network: {
        subnetIds: ["subnet-0a", "subnet-0b", "subnet-0c"],
        availabilityZones: {
          "subnet-0a": "us-west-1a",
          "subnet-0b": "us-west-1a",
          "subnet-0c": "us-west-1c",
        },
        securityGroupIds: ["sg-0d"],
      },
    });
    expect(ofType(result, WORKGROUP)).to.have.length(1);
  });
});
