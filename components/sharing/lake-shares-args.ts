import type * as pulumi from "@pulumi/pulumi";

/** A Lake Formation LF-tag expression: LF-tag key → the values that match; every key must match. */
export type TagExpression = Readonly<Record<string, readonly string[]>>;

/** A table shared by name, with what of it is shared. */
export interface NamedTableShare {
  /** The table's Glue database in the lake's catalog. */
  readonly database: string;
  /** The Glue table. */
  readonly name: string;
  /**
   * Columns left out of the grant (e.g. columns stricter than the table's classification): the team gets
   * SELECT on every other column. @default [] (every column)
   */
  readonly excludedColumns?: readonly string[];
  /**
   * A row filter: the table is then shared only through a Lake Formation data cells filter of that name
   * holding the PartiQL `expression` (e.g. `region = 'EU'`) and leaving out the excluded columns, and the
   * team gets SELECT on that filter. @default none (all rows)
   */
  readonly rowFilter?: { readonly name: string; readonly expression: string };
}

/** What one team (an IAM principal, usually in another account) may read from the lake. */
export interface TeamShare {
  /** The team's name, used in child names (kebab-case). */
  readonly team: string;
  /** The principal granted: the team's IAM role ARN (in its own account). */
  readonly principal: string;
  /** The AWS account the principal lives in (reported in `expiringGrants`). */
  readonly account: string;
  /**
   * The last day (`YYYY-MM-DD`) the grant holds. After it, the team's grants are not declared (so a
   * deployment revokes them) and a notice is logged. @default never expires
   */
  readonly expiresOn?: string;
  /**
   * The first day (`YYYY-MM-DD`) the grant holds. Before it, the team's grants are not declared yet and
   * a notice is logged. @default granted now
   */
  readonly grantedOn?: string;
  /**
   * LF-tag expressions: every table (and column) matching one gets SELECT and DESCRIBE — one grant per
   * expression, however many tables match, now or later. @default []
   */
  readonly tagExpressions?: readonly TagExpression[];
  /** Tables shared by name (SELECT and DESCRIBE, or SELECT on their columns or row filter). @default [] */
  readonly tables?: readonly NamedTableShare[];
}

/** Arguments of {@link LakeShares}. */
export interface LakeSharesArgs {
  /** The lake's Data Catalog (account id): every grant and filter is made in it. */
  readonly catalogId: string;
  /** The LF-tag ontology (key → allowed values): a database grant on a key an expression leaves open matches every value. */
  readonly lfTags: Readonly<Record<string, readonly string[]>>;
  /**
   * The LF-tag key databases carry (tables inherit it and carry more): each team gets DESCRIBE on the
   * databases it reads through one DATABASE tag grant on this key. @default "domain"
   */
  readonly databaseTagKey?: string;
  /**
   * Database name → the value of its `databaseTagKey` LF-tag, for the databases of named tables: those are
   * described through the team's database tag grant; a named table's database missing here gets a DESCRIBE
   * grant by name. @default {}
   */
  readonly databaseTags?: Readonly<Record<string, string>>;
  /** Who reads what. */
  readonly teams: readonly TeamShare[];
  /**
   * LF-tags every TABLE tag grant requires on top of the team's expression (ANDed in; the child names
   * stay the expression's): e.g. `{ lifecycle: ["active"] }`, so that a table retagged `retired` leaves
   * every tag grant at once. A team's expression may not name these keys (its meaning would change).
   * Named-table grants are not affected: leave a retired table out of `tables`. @default {} (nothing)
   */
  readonly requiredTableTags?: TagExpression;
  /** "Today" (`YYYY-MM-DD`) for expiry decisions. @default the current UTC date */
  readonly date?: string;
  /** A grant ending within this many days of `date` is listed in `expiringGrants`. @default 14 */
  readonly reminderDays?: number;
  /**
   * Lake Formation resources every grant waits for: the data lake settings (the deployer must be an
   * admin) and the LF-tags the expressions name. @default []
   */
  readonly lakeFormationDependencies?: readonly pulumi.Resource[];
  /**
   * `database` or `database.table` → the catalog resource a named grant or data cells filter on it waits
   * for (the Glue database or table). @default {}
   */
  readonly catalogResources?: Readonly<Record<string, pulumi.Resource>>;
}

/** Defaults of {@link LakeSharesArgs}, in one place. */
export const defaults = {
  databaseTagKey: "domain",
  reminderDays: 14,
  /** What a table grant gives: read the data and its metadata; never a grant option. */
  tablePermissions: ["SELECT", "DESCRIBE"],
  /** What a database grant gives: see the database and list its tables. */
  databasePermissions: ["DESCRIBE"],
} as const;
