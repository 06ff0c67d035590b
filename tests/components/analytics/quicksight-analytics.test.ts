import { expect } from "chai";
import {
  defaults,
  QuickSightAnalytics,
  QuickSightAnalyticsArgs,
  quickSightColumnType,
  QuickSightDataSetSpec,
  scheduleFrequency,
} from "../../../components/analytics/quicksight-analytics";
import type { RunResult } from "../../../tooling/mock-runtime/harness";
import { datasetMissingRequiredTags } from "../../../policies/governance/policies/dataset-missing-required-tags";
import { iamPolicyDisallowWildcardActions } from "../../../policies/security/policies/iam-policy-disallow-wildcard-actions";
import { runResourcePolicy, runStackPolicy } from "../../policies/helpers";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:analytics:QuickSightAnalytics";
const DATA_SET = "aws:quicksight/dataSet:DataSet";
const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
const LAKE = "999999999999";
const teamTags = {
  dataset: "shared",
  domain: "shared",
  owner: "growth",
  "owner-email": "growth@acme.example",
  classification: "internal",
  source: "shared",
};
const clickTags = {
  dataset: "clickstream",
  domain: "marketing",
  owner: "web-analytics",
  "owner-email": "web-analytics@acme.example",
  classification: "internal",
  source: "stream",
};

const clicks: QuickSightDataSetSpec = {
  id: "growth-clickstream",
  database: "marketing_shared",
  table: "clickstream",
  columns: [
    { name: "event_id", type: "STRING" },
    { name: "dt", type: "DATETIME" },
  ],
  refresh: { interval: "DAILY", timeOfDay: "06:00", timezone: "Europe/Paris" },
  tags: clickTags,
};
const orders: QuickSightDataSetSpec = {
  id: "growth-orders",
  name: "Orders",
  database: "sales_shared",
  table: "orders",
  columns: [{ name: "amount", type: "DECIMAL" }],
  refresh: { interval: "HOURLY" },
};

const base: QuickSightAnalyticsArgs = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  groupName: "growth",
  dataSourceId: "growth-athena",
  workgroupName: "growth-analytics",
  roleName: "acme-growth-quicksight",
  lake: { accountId: LAKE, region: "eu-west-1", catalogKeyAlias: "alias/acme-lake" },
  sharedDatabases: [
    { database: "marketing", linkName: "marketing_shared" },
    { database: "sales", linkName: "sales_shared" },
  ],
  resultsBucketName: "acme-111111111111-athena-results",
  resultsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/results`,
  dataSets: [clicks, orders],
  tags: teamTags,
};

const plan = (args: Partial<QuickSightAnalyticsArgs> = {}) =>
  withProvider((provider) => new QuickSightAnalytics("growth", { ...base, ...args }, { provider }));

type Statement = { Sid: string; Action: string | string[]; Resource: string | string[] } & Record<
  string,
  unknown
>;

describe("QuickSightAnalytics", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("creates the group, role and policy, link grants, the Athena data source and a data set and schedule each", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:quicksight/group:Group": 1,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicy:RolePolicy": 1,
      [PERMISSIONS]: 2,
      "aws:quicksight/dataSource:DataSource": 1,
      [DATA_SET]: 2,
      "aws:quicksight/refreshSchedule:RefreshSchedule": 2,
    });
  });

  it("hangs every child under the component with the explicit provider", () => {
    expectWiredUnder(r, TYPE, "growth");
  });

  it("queries Athena through the team's workgroup as its own role, usable by the team's group", () => {
    const source = named(r, "growth-athena").inputs;
    const group = named(r, "growth-group");
    expect(group.inputs).to.deep.include({
      awsAccountId: ACCOUNT,
      namespace: "default",
      groupName: "growth",
    });
    expect(source).to.deep.include({
      awsAccountId: ACCOUNT,
      dataSourceId: "growth-athena",
      name: "growth-athena",
      type: "ATHENA",
      parameters: {
        athena: { workGroup: "growth-analytics", roleArn: named(r, "growth-role").state.arn },
      },
      permissions: [{ principal: group.state.arn, actions: [...defaults.dataSourceActions] }],
      tags: teamTags,
    });
  });

  it("imports each data set into SPICE from its resource link in AwsDataCatalog, tagged as its dataset", async () => {
    const set = named(r, "growth-growth-clickstream").inputs;
    expect(set).to.deep.include({
      awsAccountId: ACCOUNT,
      dataSetId: "growth-clickstream",
      name: "growth-clickstream",
      importMode: "SPICE",
      physicalTableMaps: [
        {
          physicalTableMapId: "table",
          relationalTable: {
            dataSourceArn: named(r, "growth-athena").state.arn,
            catalog: "AwsDataCatalog",
            schema: "marketing_shared",
            name: "clickstream",
            inputColumns: clicks.columns,
          },
        },
      ],
      permissions: [{ principal: named(r, "growth-group").state.arn, actions: [...defaults.dataSetActions] }],
      tags: clickTags,
    });
    expect(set.refreshProperties).to.equal(undefined);
    // A data set without tags of its own takes the component's.
    expect(named(r, "growth-growth-orders").inputs).to.deep.include({ name: "Orders", tags: teamTags });
    // Every data set is a dataset resource (each says so with its dataset tag) and carries the tags.
    const sets = ofType(r, DATA_SET);
    expect(sets.map((s) => (s.inputs.tags as Record<string, string>).dataset).sort()).to.deep.equal([
      "clickstream",
      "shared",
    ]);
    expect(
      await runStackPolicy(
        datasetMissingRequiredTags,
        sets.map((s) => ({ type: DATA_SET, name: s.name, props: s.inputs })),
      ),
    ).to.deep.equal([]);
  });

  it("refreshes each data set on its schedule, with the time of day only where the interval takes one", () => {
    expect(named(r, "growth-growth-clickstream-refresh").inputs).to.deep.equal({
      awsAccountId: ACCOUNT,
      dataSetId: "growth-clickstream",
      scheduleId: "growth-clickstream-refresh",
      schedule: {
        refreshType: "FULL_REFRESH",
        scheduleFrequency: { interval: "DAILY", timeOfTheDay: "06:00", timezone: "Europe/Paris" },
      },
    });
    expect(
      (named(r, "growth-growth-orders-refresh").inputs.schedule as Record<string, unknown>).scheduleFrequency,
    ).to.deep.equal({ interval: "HOURLY", timezone: "UTC" });
    expect(scheduleFrequency({ interval: "WEEKLY" })).to.deep.equal({
      interval: "WEEKLY",
      timezone: "UTC",
      timeOfTheDay: "00:00",
      refreshOnDay: { dayOfWeek: "MONDAY" },
    });
    expect(scheduleFrequency({ interval: "MONTHLY", dayOfMonth: "15", timeOfDay: "02:30" })).to.deep.equal({
      interval: "MONTHLY",
      timezone: "UTC",
      timeOfTheDay: "02:30",
      refreshOnDay: { dayOfMonth: "15" },
    });
  });

  it("refreshes incrementally over a lookback window when asked, and requires it below an hour", async () => {
    const incremental = {
      ...clicks,
      refresh: {
        interval: "MINUTE15" as const,
        incremental: { column: "dt", size: 1, unit: "DAY" as const },
      },
    };
    const result = await plan({ dataSets: [incremental] });
    expect(named(result, "growth-growth-clickstream").inputs.refreshProperties).to.deep.equal({
      refreshConfiguration: {
        incrementalRefresh: { lookbackWindow: { columnName: "dt", size: 1, sizeUnit: "DAY" } },
      },
    });
    expect(
      (named(result, "growth-growth-clickstream-refresh").inputs.schedule as Record<string, unknown>)
        .refreshType,
    ).to.equal("INCREMENTAL_REFRESH");
    const bad = async (d: QuickSightDataSetSpec) => (await rejection(plan({ dataSets: [d] }))).message;
    expect(await bad({ ...clicks, refresh: { interval: "MINUTE30" } })).to.contain("incrementally only");
    expect(
      await bad({
        ...clicks,
        refresh: { interval: "MINUTE15", incremental: { column: "event_id", size: 1, unit: "DAY" } },
      }),
    ).to.contain('"event_id" is not a DATETIME column');
  });

  it("reads a custom query instead of the table when given one", async () => {
    const result = await plan({
      dataSets: [{ ...orders, customSql: "SELECT amount FROM sales_shared.orders WHERE amount > 0" }],
    });
    expect(named(result, "growth-growth-orders").inputs.physicalTableMaps).to.deep.equal([
      {
        physicalTableMapId: "query",
        customSql: {
          dataSourceArn: named(result, "growth-athena").state.arn,
          name: "orders",
          sqlQuery: "SELECT amount FROM sales_shared.orders WHERE amount > 0",
          columns: orders.columns,
        },
      },
    ]);
  });

  it("lets only QuickSight in this account assume the role, with the analysts' least privilege and no wildcard", async () => {
    const role = named(r, "growth-role").inputs;
    expect(role.name).to.equal("acme-growth-quicksight");
    expect(JSON.parse(String(role.assumeRolePolicy)).Statement).to.deep.equal([
      {
        Effect: "Allow",
        Principal: { Service: "quicksight.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
      },
    ]);
    const policy = named(r, "growth-role-policy").inputs;
    const statements = JSON.parse(String(policy.policy)).Statement as Statement[];
    expect(statements.map((s) => s.Sid)).to.include.members([
      "LakeFormationCredentials",
      "ReadCatalogThroughLinks",
      "QueryInOwnWorkgroup",
      "ReadWriteOwnResults",
      "BrowseCatalogInAthena",
    ]);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a === "*" || a.endsWith(":*"))).to.deep.equal([]);
    const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith("s3:")));
    for (const res of s3.flatMap((s) => [s.Resource].flat()))
      expect(res.startsWith("arn:aws:s3:::acme-111111111111-athena-results"), res).to.equal(true);
    expect(
      await runResourcePolicy(iamPolicyDisallowWildcardActions, {
        type: "aws:iam/rolePolicy:RolePolicy",
        props: policy,
      }),
    ).to.deep.equal([]);
  });

  it("grants the role DESCRIBE on the links its data sets read, in this account, with no grant option", () => {
    const grants = ofType(r, PERMISSIONS);
    expect(grants.map((g) => (g.inputs.database as { name: string }).name)).to.deep.equal([
      "marketing_shared",
      "sales_shared",
    ]);
    for (const g of grants) {
      expect(g.inputs).to.deep.include({
        catalogId: ACCOUNT,
        principal: named(r, "growth-role").state.arn,
        permissions: ["DESCRIBE"],
      });
      expect(g.inputs.permissionsWithGrantOptions ?? []).to.deep.equal([]);
    }
    for (const s of ofType(r, DATA_SET)) expect(s.dependencies).to.include.members(grants.map((g) => g.urn));
  });

  it("uses an existing group when told not to create one, and the actions it is given", async () => {
    const result = await plan({
      createGroup: false,
      namespace: "finance",
      dataSetActions: ["quicksight:DescribeDataSet"],
    });
    expect(ofType(result, "aws:quicksight/group:Group")).to.deep.equal([]);
    const [permission] = named(result, "growth-growth-orders").inputs.permissions as {
      principal: string;
      actions: string[];
    }[];
    expect(permission).to.deep.equal({
      principal: `arn:aws:quicksight:eu-west-1:${ACCOUNT}:group/finance/growth`,
      actions: ["quicksight:DescribeDataSet"],
    });
  });

  it("creates the data source alone when there is no data set", async () => {
    const result = await plan({ dataSets: [] });
    expect(ofType(result, DATA_SET)).to.deep.equal([]);
    expect(ofType(result, "aws:quicksight/dataSource:DataSource")).to.have.length(1);
  });

  it("maps Glue types to QuickSight's, leaving out what QuickSight cannot import", () => {
    expect(
      [
        "string",
        "char(3)",
        "varchar(32)",
        "int",
        "bigint",
        "decimal(18,2)",
        "double",
        "timestamp",
        "date",
        "boolean",
      ].map(quickSightColumnType),
    ).to.deep.equal([
      "STRING",
      "STRING",
      "STRING",
      "INTEGER",
      "INTEGER",
      "DECIMAL",
      "DECIMAL",
      "DATETIME",
      "DATETIME",
      "BOOLEAN",
    ]);
    for (const t of ["binary", "array<string>", "map<string,string>", "struct<os:string>"])
      expect(quickSightColumnType(t), t).to.equal(undefined);
  });

  it("rejects duplicate ids, a database without its link, no columns, a bad time and the lake's own account", async () => {
    const bad = async (args: Partial<QuickSightAnalyticsArgs>) => (await rejection(plan(args))).message;
    expect(await bad({ dataSets: [clicks, clicks] })).to.contain('id "growth-clickstream" is used twice');
    expect(await bad({ dataSets: [{ ...clicks, database: "ops_shared" }] })).to.contain(
      'database "ops_shared" is not among',
    );
    expect(await bad({ dataSets: [{ ...clicks, columns: [] }] })).to.contain("at least one column");
    expect(
      await bad({ dataSets: [{ ...clicks, refresh: { interval: "DAILY", timeOfDay: "6am" } }] }),
    ).to.contain("must be HH:MM");
    expect(await bad({ lake: { accountId: ACCOUNT, region: "eu-west-1" } })).to.contain("is this account");
  });

  it("registers its outputs", () => {
    const [component] = ofType(r, TYPE);
    expect(Object.keys(component.state)).to.include.members([
      "dataSourceArn",
      "roleArn",
      "groupArn",
      "dataSets",
    ]);
  });
});
