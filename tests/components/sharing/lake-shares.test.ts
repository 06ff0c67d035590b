import * as aws from "@pulumi/aws";
import { expect } from "chai";
import {
  defaults,
  expressionId,
  LakeShares,
  LakeSharesArgs,
  TagExpression,
  TeamShare,
} from "../../../components/sharing/lake-shares";
import type { RecordedResource, RunResult } from "../../../tooling/mock-runtime/harness";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:sharing:LakeShares";
const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
const FILTER = "aws:lakeformation/dataCellsFilter:DataCellsFilter";
const role = (account: string, team: string) => `arn:aws:iam::${account}:role/acme-${team}-analyst`;

const marketing: TeamShare = {
  team: "marketing",
  account: "analytics",
  principal: role("444444444444", "marketing"),
  expiresOn: "2027-06-30",
  tagExpressions: [{ domain: ["marketing", "operations"], classification: ["public", "internal"] }],
  tables: [{ database: "sales", name: "country_codes" }],
};
const controlling: TeamShare = {
  team: "controlling",
  account: "finance",
  principal: role("555555555555", "controlling"),
  expiresOn: "2027-03-31",
  tagExpressions: [{ domain: ["sales"], classification: ["public", "internal"] }],
  tables: [
    {
      database: "sales",
      name: "orders",
      excludedColumns: ["customer_email"],
      rowFilter: { name: "controlling__orders", expression: "region = 'EU'" },
    },
    { database: "operations", name: "inventory", excludedColumns: ["unit_cost"] },
  ],
};

const base: LakeSharesArgs = {
  catalogId: ACCOUNT,
  lfTags: {
    domain: ["sales", "marketing", "operations"],
    classification: ["public", "internal", "confidential", "restricted"],
  },
  databaseTags: { sales: "sales", marketing: "marketing", operations: "operations" },
  teams: [marketing, controlling],
  date: "2026-11-24",
  reminderDays: 14,
};

const plan = (args: Partial<LakeSharesArgs> = {}) =>
  withProvider((provider) => new LakeShares("shares", { ...base, ...args }, { provider }));

const grantsOf = (r: RunResult, principal: string): RecordedResource[] =>
  ofType(r, PERMISSIONS).filter((g) => g.inputs.principal === principal);

describe("LakeShares", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("declares per team a grant per tag expression, one database grant, and one per named table", () => {
    // marketing: 1 expression + databases + country_codes; controlling: 1 + databases + orders + inventory.
    expect(childCounts(r, TYPE)).to.deep.equal({ [PERMISSIONS]: 7, [FILTER]: 1 });
    expect(grantsOf(r, marketing.principal).map((g) => g.name)).to.have.members([
      `shares-marketing-tables-${expressionId(marketing.tagExpressions![0])}`,
      "shares-marketing-databases",
      "shares-marketing-table-sales-country_codes",
    ]);
  });

  it("hangs every child under the component with the explicit provider", () => {
    expectWiredUnder(r, TYPE, "shares");
  });

  it("never gives a grant option: nothing can be re-shared", () => {
    for (const g of ofType(r, PERMISSIONS)) {
      expect(g.inputs.permissionsWithGrantOptions ?? [], g.name).to.deep.equal([]);
      expect(g.inputs.catalogId, g.name).to.equal(ACCOUNT);
    }
  });

  it("grants SELECT and DESCRIBE on the tables an expression matches, through an LF-tag policy in the lake's catalog", () => {
    const g = named(r, `shares-marketing-tables-${expressionId(marketing.tagExpressions![0])}`);
    expect(g.inputs).to.deep.include({
      principal: marketing.principal,
      permissions: ["SELECT", "DESCRIBE"],
    });
    expect(g.inputs.lfTagPolicy).to.deep.equal({
      catalogId: ACCOUNT,
      resourceType: "TABLE",
      expressions: [
        { key: "classification", values: ["internal", "public"] },
        { key: "domain", values: ["marketing", "operations"] },
      ],
    });
  });

  it("grants DESCRIBE on every database the team reads, by tags and by name, in one DATABASE tag grant", () => {
    expect(named(r, "shares-marketing-databases").inputs).to.deep.include({
      permissions: ["DESCRIBE"],
      lfTagPolicy: {
        catalogId: ACCOUNT,
        resourceType: "DATABASE",
        expressions: [{ key: "domain", values: ["marketing", "operations", "sales"] }],
      },
    });
    expect(named(r, "shares-controlling-databases").inputs.lfTagPolicy).to.deep.include({
      expressions: [{ key: "domain", values: ["operations", "sales"] }],
    });
  });

  it("opens every database key value to an expression that leaves the key open", async () => {
    const result = await plan({
      teams: [{ ...marketing, tagExpressions: [{ classification: ["public"] }], tables: [] }],
    });
    expect(named(result, "shares-marketing-databases").inputs.lfTagPolicy).to.deep.include({
      expressions: [{ key: "domain", values: ["marketing", "operations", "sales"] }],
    });
  });

  it("describes by name a named table's database whose tags it was not told", async () => {
    const result = await plan({ databaseTags: {} });
    expect(named(result, "shares-marketing-database-sales").inputs).to.deep.include({
      permissions: ["DESCRIBE"],
      database: { catalogId: ACCOUNT, name: "sales" },
    });
    expect(named(result, "shares-marketing-databases").inputs.lfTagPolicy).to.deep.include({
      expressions: [{ key: "domain", values: ["marketing", "operations"] }],
    });
  });

  it("grants a whole named table SELECT and DESCRIBE", () => {
    expect(named(r, "shares-marketing-table-sales-country_codes").inputs).to.deep.include({
      permissions: ["SELECT", "DESCRIBE"],
      table: { catalogId: ACCOUNT, databaseName: "sales", name: "country_codes" },
    });
  });

  it("grants a named table without its excluded columns", () => {
    expect(named(r, "shares-controlling-table-operations-inventory").inputs).to.deep.include({
      permissions: ["SELECT"],
      tableWithColumns: {
        catalogId: ACCOUNT,
        databaseName: "operations",
        name: "inventory",
        wildcard: true,
        excludedColumnNames: ["unit_cost"],
      },
    });
  });

  it("grants a row-filtered table only through its data cells filter, which also leaves out the excluded columns", () => {
    const filter = named(r, "shares-controlling-filter-sales-orders");
    expect(filter.inputs.tableData).to.deep.equal({
      tableCatalogId: ACCOUNT,
      databaseName: "sales",
      tableName: "orders",
      name: "controlling__orders",
      rowFilter: { filterExpression: "region = 'EU'" },
      columnWildcard: { excludedColumnNames: ["customer_email"] },
    });
    const g = named(r, "shares-controlling-table-sales-orders");
    expect(g.inputs).to.deep.include({
      permissions: ["SELECT"],
      dataCellsFilter: {
        tableCatalogId: ACCOUNT,
        databaseName: "sales",
        tableName: "orders",
        name: "controlling__orders",
      },
    });
    expect(g.inputs.table).to.equal(undefined);
    expect(g.dependencies).to.include(filter.urn);
  });

  it("declares one grant per distinct expression, however the team lists them", async () => {
    const result = await plan({
      teams: [
        {
          ...marketing,
          tagExpressions: [
            { domain: ["marketing"], classification: ["public"] },
            { classification: ["public"], domain: ["marketing"] },
            { domain: ["sales"] },
          ],
          tables: [],
        },
      ],
    });
    expect(ofType(result, PERMISSIONS).map((g) => g.name)).to.have.members([
      `shares-marketing-tables-${expressionId({ domain: ["marketing"], classification: ["public"] })}`,
      `shares-marketing-tables-${expressionId({ domain: ["sales"] })}`,
      "shares-marketing-databases",
    ]);
  });

  it("grows with teams and expressions, not with the datasets they match", async () => {
    const expressions: TagExpression[] = [
      { domain: ["sales"] },
      { domain: ["marketing"], classification: ["public"] },
    ];
    const teams: TeamShare[] = Array.from({ length: 20 }, (_, i) => ({
      team: `team-${i}`,
      account: "analytics",
      principal: role("444444444444", `team-${i}`),
      tagExpressions: expressions,
    }));
    const result = await plan({ teams });
    // 20 teams × (2 expressions + 1 database grant), whatever the lake holds.
    expect(ofType(result, PERMISSIONS)).to.have.length(60);
  });

  it("declares no grant for a team whose grant has expired, and logs a notice", async () => {
    const result = await plan({ date: "2027-04-01" });
    expect(grantsOf(result, controlling.principal)).to.have.length(0);
    expect(ofType(result, FILTER)).to.have.length(0);
    expect(grantsOf(result, marketing.principal)).to.have.length(3);
    expect(result.logs).to.deep.equal([
      {
        severity: "info",
        message:
          "shares: the grant to controlling (arn:aws:iam::555555555555:role/acme-controlling-analyst) expired on 2027-03-31; its Lake Formation permissions are not declared, so a deployment revokes them",
      },
    ]);
    expect(ofType(result, TYPE)[0].state.expiredGrants).to.deep.equal([
      { team: "controlling", account: "finance", expiresOn: "2027-03-31" },
    ]);
  });

  it("keeps a grant on its last day and lists grants ending within the reminder window", async () => {
    const lastDay = await plan({ date: "2027-03-31" });
    expect(grantsOf(lastDay, controlling.principal)).to.have.length(4);
    expect(lastDay.logs).to.deep.equal([]);
    const state = ofType(lastDay, TYPE)[0].state;
    expect(state.expiringGrants).to.deep.equal([
      { team: "controlling", account: "finance", expiresOn: "2027-03-31" },
    ]);
    const early = await plan({ date: "2027-03-16" });
    expect(ofType(early, TYPE)[0].state.expiringGrants).to.deep.equal([]);
    const window = await plan({ date: "2027-03-17" });
    expect(ofType(window, TYPE)[0].state.expiringGrants).to.have.length(1);
  });

  it("keeps a reminder window of 0 days: only grants ending today are listed", async () => {
    const result = await plan({ date: "2027-03-30", reminderDays: 0 });
    expect(ofType(result, TYPE)[0].state.expiringGrants).to.deep.equal([]);
    const today = await plan({ date: "2027-03-31", reminderDays: 0 });
    expect(ofType(today, TYPE)[0].state.expiringGrants).to.have.length(1);
    expect(defaults.reminderDays).to.equal(14);
  });

  it("never expires a team without expiresOn", async () => {
    const result = await plan({ teams: [{ ...marketing, expiresOn: undefined }], date: "2099-01-01" });
    expect(grantsOf(result, marketing.principal)).to.have.length(3);
  });

  it("makes every grant wait for the Lake Formation dependencies, and named grants for their table", async () => {
    const result = await withProvider((provider) => {
      const tag = new aws.lakeformation.LfTag("tag", { key: "domain", values: ["sales"] }, { provider });
      const table = new aws.glue.CatalogTable(
        "orders",
        { databaseName: "sales", name: "orders" },
        { provider },
      );
      const db = new aws.glue.CatalogDatabase("sales", { name: "sales" }, { provider });
      return new LakeShares(
        "shares",
        {
          ...base,
          lakeFormationDependencies: [tag],
          catalogResources: { sales: db, "sales.orders": table },
        },
        { provider },
      );
    });
    const urn = (name: string) => named(result, name).urn;
    for (const g of ofType(result, PERMISSIONS)) expect(g.dependencies, g.name).to.include(urn("tag"));
    expect(named(result, "shares-controlling-filter-sales-orders").dependencies).to.include.members([
      urn("orders"),
      urn("sales"),
    ]);
    expect(named(result, "shares-controlling-table-sales-orders").dependencies).to.include(urn("orders"));
    expect(named(result, "shares-marketing-table-sales-country_codes").dependencies).to.include(urn("sales"));
  });

  it("uses the databases' tag key it is given", async () => {
    const result = await plan({
      lfTags: { ...base.lfTags, area: ["emea"] },
      databaseTagKey: "area",
      databaseTags: { sales: "emea" },
      teams: [{ ...marketing, tagExpressions: [] }],
    });
    expect(named(result, "shares-marketing-databases").inputs.lfTagPolicy).to.deep.include({
      expressions: [{ key: "area", values: ["emea"] }],
    });
  });

  it("ANDs requiredTableTags into every TABLE tag grant, keeping the grants' names, not into the others", async () => {
    const lfTags = { ...base.lfTags, lifecycle: ["active", "retired"] };
    const required = await plan({ lfTags, requiredTableTags: { lifecycle: ["active"] } });
    const id = expressionId(marketing.tagExpressions![0]);
    expect(named(required, `shares-marketing-tables-${id}`).inputs.lfTagPolicy).to.deep.include({
      expressions: [
        { key: "classification", values: ["internal", "public"] },
        { key: "domain", values: ["marketing", "operations"] },
        { key: "lifecycle", values: ["active"] },
      ],
    });
    expect(named(required, "shares-marketing-databases").inputs.lfTagPolicy).to.deep.include({
      expressions: [{ key: "domain", values: ["marketing", "operations", "sales"] }],
    });
    expect(ofType(required, PERMISSIONS).map((g) => g.name)).to.have.members(
      ofType(r, PERMISSIONS).map((g) => g.name),
    );
    const bad = async (args: Partial<LakeSharesArgs>) => (await rejection(plan(args))).message;
    expect(await bad({ requiredTableTags: { lifecycle: ["active"] } })).to.contain(
      'requiredTableTags: "lifecycle" is not a key of lfTags',
    );
    expect(await bad({ lfTags, requiredTableTags: { lifecycle: ["gone"] } })).to.contain(
      'requiredTableTags.lifecycle: "gone" is not a value of LF-tag lifecycle',
    );
    expect(
      await bad({
        lfTags,
        requiredTableTags: { lifecycle: ["active"] },
        teams: [{ ...marketing, tagExpressions: [{ lifecycle: ["retired"] }] }],
      }),
    ).to.contain('teams[0].tagExpressions[0]: "lifecycle" is required by requiredTableTags');
  });

  it("rejects expressions Lake Formation would refuse, duplicates and malformed dates", async () => {
    const bad = async (args: Partial<LakeSharesArgs>) => (await rejection(plan(args))).message;
    expect(await bad({ teams: [{ ...marketing, tagExpressions: [{ team: ["x"] }] }] })).to.contain(
      'teams[0].tagExpressions[0]: "team" is not an LF-tag key',
    );
    expect(await bad({ teams: [{ ...marketing, tagExpressions: [{ domain: ["hr"] }] }] })).to.contain(
      '"hr" is not a value of LF-tag domain',
    );
    expect(await bad({ teams: [{ ...marketing, tagExpressions: [{}] }] })).to.contain("names no LF-tag key");
    expect(await bad({ teams: [marketing, marketing] })).to.contain('team "marketing" is listed twice');
    expect(
      await bad({ teams: [{ ...marketing, tables: [marketing.tables![0], marketing.tables![0]] }] }),
    ).to.contain("sales.country_codes is listed twice");
    expect(await bad({ date: "24/11/2026" })).to.contain('date "24/11/2026"');
    // The same calendar rule as the definition's: February has no 30th.
    expect(await bad({ date: "2025-02-30" })).to.contain('date "2025-02-30"');
    expect(await bad({ teams: [{ ...marketing, expiresOn: "2027-02-29" }] })).to.contain(
      'teams[0].expiresOn "2027-02-29"',
    );
    expect(await bad({ databaseTagKey: "zone" })).to.contain('databaseTagKey "zone" is not a key');
  });

  it("registers its outputs", () => {
    expect(ofType(r, TYPE)[0].state).to.deep.equal({
      grants: 7,
      dataCellsFilters: ["controlling/sales.orders"],
      expiringGrants: [],
      expiredGrants: [],
    });
  });
});
