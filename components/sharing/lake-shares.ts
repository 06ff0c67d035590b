import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { grantStatus } from "../../platform/access";
import { isRealDate } from "../../platform/schema";
import { defaults, LakeSharesArgs, NamedTableShare, TagExpression, TeamShare } from "./lake-shares-args";

export { defaults, LakeSharesArgs, NamedTableShare, TagExpression, TeamShare } from "./lake-shares-args";

/** A grant reported to the governance job: whose, in which account, until when. */
export interface GrantEnd {
  readonly team: string;
  readonly account: string;
  readonly expiresOn: string;
}

/** An expression with sorted keys and values: equal expressions compare equal. */
export function canonicalExpression(expression: TagExpression): [string, string[]][] {
  return Object.keys(expression)
    .sort()
    .map((key) => [key, [...new Set(expression[key])].sort()]);
}

/** A short, stable id of an expression (child names survive reordering the team's list). */
export function expressionId(expression: TagExpression): string {
  return createHash("sha256")
    .update(JSON.stringify(canonicalExpression(expression)))
    .digest("hex")
    .slice(0, 8);
}

/**
 * The lake side of cross-account sharing through Lake Formation: grants made in the lake's catalog
 * straight to each team's IAM role in its own account. Nothing is copied and nothing can be re-shared
 * (no grant option anywhere).
 *
 * Per team: one TABLE LF-tag grant (SELECT, DESCRIBE) per tag expression, one DATABASE LF-tag grant
 * (DESCRIBE) on the databases it reads, and one grant per named table — SELECT and DESCRIBE, SELECT on its
 * columns minus the excluded ones, or SELECT on a data cells filter holding its row filter. The number of
 * grants grows with teams × expressions, not with the datasets they match. A team whose `expiresOn` has
 * passed gets no grant, and a notice says so. `requiredTableTags` are ANDed into every TABLE tag grant.
 */
export class LakeShares extends pulumi.ComponentResource {
  /** Every grant declared, in declaration order. */
  public readonly grants: aws.lakeformation.Permissions[];
  /** `team/database.table` → the data cells filter holding that team's row filter. */
  public readonly dataCellsFilters: Record<string, aws.lakeformation.DataCellsFilter>;
  /** Grants that end within `reminderDays` of `date`: the governance job reminds their owners. */
  public readonly expiringGrants: GrantEnd[];
  /** Grants whose `expiresOn` has passed: not declared. */
  public readonly expiredGrants: GrantEnd[];

  constructor(name: string, args: LakeSharesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:sharing:LakeShares", name, {}, opts);
    const dbKey = args.databaseTagKey ?? defaults.databaseTagKey;
    const date = args.date ?? new Date().toISOString().slice(0, 10);
    const reminderDays = args.reminderDays ?? defaults.reminderDays;
    const lf = [...(args.lakeFormationDependencies ?? [])];
    const catalog = args.catalogResources ?? {};
    const databaseTags = args.databaseTags ?? {};
    const required = args.requiredTableTags ?? {};
    validate(this, args, dbKey, date);

    this.grants = [];
    this.dataCellsFilters = {};
    this.expiringGrants = [];
    this.expiredGrants = [];
    const grant = (
      child: string,
      props: Omit<aws.lakeformation.PermissionsArgs, "catalogId">,
      after: pulumi.Resource[],
    ) => {
      // No `permissionsWithGrantOptions`: a team must not re-share what it reads.
      const permission = new aws.lakeformation.Permissions(
        child,
        { catalogId: args.catalogId, ...props },
        { parent: this, dependsOn: [...lf, ...after] },
      );
      this.grants.push(permission);
      return permission;
    };
    const waitFor = (key: string) => (catalog[key] ? [catalog[key]] : []);

    for (const team of args.teams) {
      if (team.grantedOn !== undefined && team.grantedOn > date) {
        void pulumi.log.info(
          `${name}: the grant to ${team.team} (${team.principal}) starts on ${team.grantedOn}; ` +
            `its Lake Formation permissions are not declared yet`,
          this,
        );
        continue;
      }
      if (team.expiresOn !== undefined) {
        const status = grantStatus({ expiresOn: team.expiresOn }, date, reminderDays);
        const end = { team: team.team, account: team.account, expiresOn: team.expiresOn };
        if (status === "expired") {
          this.expiredGrants.push(end);
          void pulumi.log.info(
            `${name}: the grant to ${team.team} (${team.principal}) expired on ${team.expiresOn}; ` +
              `its Lake Formation permissions are not declared, so a deployment revokes them`,
            this,
          );
          continue;
        }
        if (status === "expiring") this.expiringGrants.push(end);
      }
      const prefix = `${name}-${team.team}`;
      const expressions = team.tagExpressions ?? [];
      const tables = team.tables ?? [];

      // Tables (and their columns) matching an expression: one grant per distinct expression.
      const seen = new Set<string>();
      for (const expression of expressions) {
        const id = expressionId(expression);
        if (seen.has(id)) continue;
        seen.add(id);
        grant(
          `${prefix}-tables-${id}`,
          {
            principal: team.principal,
            permissions: [...defaults.tablePermissions],
            lfTagPolicy: {
              catalogId: args.catalogId,
              resourceType: "TABLE",
              expressions: canonicalExpression({ ...expression, ...required }).map(([key, values]) => ({
                key,
                values,
              })),
            },
          },
          [],
        );
      }

      // Databases: one DESCRIBE grant on the database key's values the team reads.
      const dbValues = new Set<string>();
      for (const expression of expressions)
        for (const v of expression[dbKey] ?? args.lfTags[dbKey] ?? []) dbValues.add(v);
      const describedByName = new Set<string>();
      for (const t of tables) {
        const value = databaseTags[t.database];
        if (value !== undefined) dbValues.add(value);
        else describedByName.add(t.database);
      }
      if (dbValues.size > 0) {
        grant(
          `${prefix}-databases`,
          {
            principal: team.principal,
            permissions: [...defaults.databasePermissions],
            lfTagPolicy: {
              catalogId: args.catalogId,
              resourceType: "DATABASE",
              expressions: [{ key: dbKey, values: [...dbValues].sort() }],
            },
          },
          [],
        );
      }
      for (const db of [...describedByName].sort()) {
        grant(
          `${prefix}-database-${db}`,
          {
            principal: team.principal,
            permissions: [...defaults.databasePermissions],
            database: { catalogId: args.catalogId, name: db },
          },
          waitFor(db),
        );
      }

      // Named tables: all of it, its columns minus the excluded ones, or through its row filter.
      for (const t of tables) this.namedTable(prefix, team, t, args.catalogId, grant, waitFor);
    }

    this.registerOutputs({
      grants: this.grants.length,
      dataCellsFilters: Object.keys(this.dataCellsFilters),
      expiringGrants: this.expiringGrants,
      expiredGrants: this.expiredGrants,
    });
  }

  private namedTable(
    prefix: string,
    team: TeamShare,
    t: NamedTableShare,
    catalogId: string,
    grant: (
      child: string,
      props: Omit<aws.lakeformation.PermissionsArgs, "catalogId">,
      after: pulumi.Resource[],
    ) => aws.lakeformation.Permissions,
    waitFor: (key: string) => pulumi.Resource[],
  ): void {
    const excluded = [...(t.excludedColumns ?? [])];
    const after = [...waitFor(t.database), ...waitFor(`${t.database}.${t.name}`)];
    const child = `${prefix}-table-${t.database}-${t.name}`;
    if (t.rowFilter !== undefined) {
      const filterName = t.rowFilter.name;
      const filter = new aws.lakeformation.DataCellsFilter(
        `${prefix}-filter-${t.database}-${t.name}`,
        {
          tableData: {
            tableCatalogId: catalogId,
            databaseName: t.database,
            tableName: t.name,
            name: filterName,
            rowFilter: { filterExpression: t.rowFilter.expression },
            columnWildcard: { excludedColumnNames: excluded },
          },
        },
        { parent: this, dependsOn: after },
      );
      this.dataCellsFilters[`${team.team}/${t.database}.${t.name}`] = filter;
      grant(
        child,
        {
          principal: team.principal,
          permissions: ["SELECT"],
          dataCellsFilter: {
            tableCatalogId: catalogId,
            databaseName: t.database,
            tableName: t.name,
            name: filterName,
          },
        },
        [...after, filter],
      );
    } else if (excluded.length > 0) {
      grant(
        child,
        {
          principal: team.principal,
          permissions: ["SELECT"],
          tableWithColumns: {
            catalogId,
            databaseName: t.database,
            name: t.name,
            wildcard: true,
            excludedColumnNames: excluded,
          },
        },
        after,
      );
    } else {
      grant(
        child,
        {
          principal: team.principal,
          permissions: [...defaults.tablePermissions],
          table: { catalogId, databaseName: t.database, name: t.name },
        },
        after,
      );
    }
  }
}

function validate(parent: pulumi.Resource, args: LakeSharesArgs, dbKey: string, date: string): void {
  const fail = (message: string) => {
    throw new pulumi.ResourceError(`LakeShares: ${message}`, parent);
  };
  // One date rule for the definition and the component: a calendar date (2025-02-30 is not one).
  const isDate = isRealDate;
  if (!isDate(date)) fail(`date "${date}" is not a date written YYYY-MM-DD`);
  if (!(dbKey in args.lfTags))
    fail(`databaseTagKey "${dbKey}" is not a key of lfTags (${Object.keys(args.lfTags).join(", ")})`);
  const required = args.requiredTableTags ?? {};
  for (const [key, values] of Object.entries(required)) {
    const allowed = args.lfTags[key];
    if (!allowed) fail(`requiredTableTags: "${key}" is not a key of lfTags`);
    if (values.length === 0) fail(`requiredTableTags.${key} lists no value`);
    for (const v of values)
      if (!allowed.includes(v)) fail(`requiredTableTags.${key}: "${v}" is not a value of LF-tag ${key}`);
  }
  const teams = new Set<string>();
  args.teams.forEach((team, i) => {
    if (teams.has(team.team)) fail(`teams[${i}]: team "${team.team}" is listed twice`);
    teams.add(team.team);
    if (team.expiresOn !== undefined && !isDate(team.expiresOn))
      fail(`teams[${i}].expiresOn "${team.expiresOn}" is not a date written YYYY-MM-DD`);
    if (team.grantedOn !== undefined && !isDate(team.grantedOn))
      fail(`teams[${i}].grantedOn "${team.grantedOn}" is not a date written YYYY-MM-DD`);
    (team.tagExpressions ?? []).forEach((e, j) => {
      if (Object.keys(e).length === 0) fail(`teams[${i}].tagExpressions[${j}] names no LF-tag key`);
      for (const [key, values] of Object.entries(e)) {
        if (key in required)
          fail(
            `teams[${i}].tagExpressions[${j}]: "${key}" is required by requiredTableTags and set by the component; leave it out`,
          );
        const allowed = args.lfTags[key];
        if (!allowed) fail(`teams[${i}].tagExpressions[${j}]: "${key}" is not an LF-tag key`);
        if (values.length === 0) fail(`teams[${i}].tagExpressions[${j}].${key} lists no value`);
        for (const v of values)
          if (!allowed.includes(v))
            fail(`teams[${i}].tagExpressions[${j}].${key}: "${v}" is not a value of LF-tag ${key}`);
      }
    });
    const tables = new Set<string>();
    (team.tables ?? []).forEach((t, j) => {
      const id = `${t.database}.${t.name}`;
      if (tables.has(id)) fail(`teams[${i}].tables[${j}]: ${id} is listed twice`);
      tables.add(id);
    });
  });
}
