/**
 * The access model: who the definition lets read what in the lake. The one place the rest of the code
 * asks "who may read which dataset, which columns and rows, why, and until when": the principals the
 * definition implies (every role the platform's programs create and the lake may grant to), how each is
 * granted (`lakeGrants`: tag expressions and named tables, the infra's shares are built from it), what
 * those grants amount to once Lake Formation evaluates them (`modelAccess`, one entry per principal and
 * table), the readers that reach lake data through S3 rather than Lake Formation (`s3Readers`), and the
 * dates that decide it (`grantStatus`, `datasetStatus`, the lifecycle LF-tag).
 *
 * How Lake Formation evaluates what is granted, as this model (and the plan's effective-access report,
 * tooling/plan/access) reads it:
 * - an LF-tag expression ANDs its keys and ORs the values of a key ("Within a given LF-Tag expression, the
 *   tag keys are combined using the AND operation, while the values are combined using the OR
 *   operation", https://docs.aws.amazon.com/lake-formation/latest/dg/managing-tag-expressions.html);
 * - a column inherits its table's LF-tags and a table its database's, unless the resource carries its own
 *   value for the key (https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html), and
 *   a grant on an expression reaches "only Data Catalog resources (databases, tables, and columns)" whose
 *   tags match (https://docs.aws.amazon.com/lake-formation/latest/dg/lf-tag-considerations.html): columns
 *   are judged one by one, so a stricter column is left out, and a matching column of a table that does
 *   not match is counted as readable (the cautious reading: AWS does not say it is not);
 * - several grants on one table add up: columns are unioned, and "the all-rows expression will prevail
 *   over all other filter expressions" (rows of several filters are OR'd), per
 *   https://docs.aws.amazon.com/lake-formation/latest/dg/data-filtering-notes.html;
 * - a query through a resource link is judged on the link's target: "Granting permissions on a resource
 *   link doesn't grant permissions on the target (linked) database or table"
 *   (https://docs.aws.amazon.com/lake-formation/latest/dg/granting-link-permissions.html), the principal
 *   needs DESCRIBE on the link and its permissions on the target
 *   (https://docs.aws.amazon.com/lake-formation/latest/dg/resource-links-glue-apis.html), so the target's
 *   columns and data cells filters are what it reads through the link.
 *
 * Pure: it reads the definition and the naming rules only, never `@pulumi` or anything outside
 * `platform/`.
 */
import { tableLayout } from "./layout";
import {
  accountByName,
  analystRoleArn,
  classificationRank,
  classifications,
  databaseName,
  dataCellsFilterName,
  crawlerRoleArn,
  hasIngestionRole,
  ingestionRoleArn,
  lakeAccount,
  lakeFormationDataAccessRoleName,
  quicksightRoleArn,
  resourceLinkName,
  redshiftRoleArn,
  sparkJobRoleArn,
  tableName,
  validatorRoleArn,
} from "./names";
import type { Column, Consumer, Dataset, Platform, TagExpression } from "./schema";

/**
 * True when the LF-tag expression matches the dataset's table, as Lake Formation evaluates it: every key
 * of the expression must be a tag the table carries (its domain and classification) with one of the
 * listed values; keys the expression does not mention match anything.
 */
export function expressionMatches(
  expression: TagExpression,
  dataset: Pick<Dataset, "domain" | "classification">,
): boolean {
  const values: Record<string, string> = { domain: dataset.domain, classification: dataset.classification };
  return Object.entries(expression).every(([key, allowed]) => key in values && allowed.includes(values[key]));
}

/**
 * The most sensitive classification a consumer's queries may return: its readable datasets' own, and the
 * classification of stricter columns where one of its tag expressions grants that classification too (a
 * named dataset comes without its stricter columns).
 */
export function readableClassification(p: Platform, consumer: Consumer): string {
  const readable = new Set(readableDatasets(p, consumer).map((d) => d.name));
  let rank = -1;
  for (const d of p.datasets) {
    if (readable.has(d.name)) rank = Math.max(rank, classificationRank(p, d.classification));
    for (const c of d.schema.columns) {
      if (c.classification === undefined) continue;
      const column = { domain: d.domain, classification: c.classification };
      if (consumer.read.tags.some((e) => expressionMatches(e, column)))
        rank = Math.max(rank, classificationRank(p, c.classification));
    }
  }
  return classifications(p)[Math.max(rank, 0)] ?? "restricted";
}

/** The datasets a consumer may read: named ones plus those one of its tag expressions matches. */
export function readableDatasets(p: Platform, consumer: Consumer): Dataset[] {
  return p.datasets.filter(
    (d) => consumer.read.datasets.includes(d.name) || consumer.read.tags.some((e) => expressionMatches(e, d)),
  );
}

/**
 * The classification a column carries in the catalog: its own where it is stricter than its dataset's
 * (the lake tags such a column with it), else its dataset's (the column inherits its table's LF-tags).
 */
export function columnClassification(
  p: Platform,
  dataset: Dataset,
  column: Pick<Column, "classification">,
): string {
  return column.classification !== undefined &&
    classificationRank(p, column.classification) > classificationRank(p, dataset.classification)
    ? column.classification
    : dataset.classification;
}

/** The columns of a dataset stricter than the dataset itself: the lake tags each with its classification. */
export function stricterColumns(p: Platform, dataset: Dataset): string[] {
  return dataset.schema.columns
    .filter((c) => columnClassification(p, dataset, c) !== dataset.classification)
    .map((c) => c.name);
}

/**
 * The columns of a dataset a consumer may not read: those stricter than the dataset that none of the
 * team's tag expressions matches (a column's tags are its domain and its own classification, and Lake
 * Formation judges a tag grant column by column). A dataset the team reads only by name comes without
 * its stricter columns, unless a tag expression grants them.
 */
export function hiddenColumns(p: Platform, consumer: Consumer, dataset: Dataset): string[] {
  return stricterColumns(p, dataset).filter((name) => {
    const classification = dataset.schema.columns.find((c) => c.name === name)!.classification!;
    return !consumer.read.tags.some((e) => expressionMatches(e, { domain: dataset.domain, classification }));
  });
}

/**
 * What a principal is to the platform:
 * - `analyst`: a consumer team's analyst role (how the team reads the lake);
 * - `spark`: a team's EMR Serverless job runtime role (only for a team with `analytics.emrServerless`);
 * - `quicksight`: the role QuickSight assumes for a team's data source (only with `analytics.quicksight`);
 * - `redshift`: the role a team's Redshift Serverless namespace reads the lake as through Spectrum (only
 *   with `analytics.redshift`);
 * - `ingestion`: a dataset's writer role in its producer account (only where `hasIngestionRole`);
 * - `crawler`: a dataset's Glue crawler role in the lake account (a crawled dataset, or a partitioned
 *   table whose partitions a crawler registers);
 * - `validator`: the governance validator's role in the lake account.
 */
export type PrincipalKind =
  "analyst" | "spark" | "quicksight" | "redshift" | "ingestion" | "crawler" | "validator";

/** One principal the definition implies. */
export interface Principal {
  /** The IAM role ARN, as Lake Formation grants and IAM policies name it. */
  readonly arn: string;
  /** What the role is for. */
  readonly kind: PrincipalKind;
  /** The consumer team whose role it is (`analyst`, `spark`, `quicksight`, `redshift`); absent otherwise. */
  readonly team?: string;
  /** The dataset whose role it is (`ingestion`, `crawler`); absent otherwise. */
  readonly dataset?: string;
  /** The name of the definition's account the role lives in (`accounts[].name`). */
  readonly account: string;
}

/**
 * Every principal the definition implies, in definition order: per consumer team its analyst, Spark job,
 * QuickSight and Redshift roles (the latter three only where the team's analytics create them), then per dataset
 * its ingestion role, then per dataset its crawler role, then the validator's role.
 */
export function principals(p: Platform): Principal[] {
  const lake = lakeAccount(p).name;
  return [
    ...p.consumers.flatMap((c): Principal[] => [
      { arn: analystRoleArn(p, c), kind: "analyst", team: c.team, account: c.account },
      ...(c.analytics.emrServerless
        ? [{ arn: sparkJobRoleArn(p, c), kind: "spark" as const, team: c.team, account: c.account }]
        : []),
      ...(c.analytics.quicksight
        ? [{ arn: quicksightRoleArn(p, c), kind: "quicksight" as const, team: c.team, account: c.account }]
        : []),
      ...(c.analytics.redshift
        ? [{ arn: redshiftRoleArn(p, c), kind: "redshift" as const, team: c.team, account: c.account }]
        : []),
    ]),
    ...p.datasets
      .filter((d) => hasIngestionRole(d))
      .map((d): Principal => ({
        arn: ingestionRoleArn(p, d),
        kind: "ingestion",
        dataset: d.name,
        account: accountByName(p, d.producer).name,
      })),
    // The dataset crawlers and the partition crawlers that register partitioned tables' partitions.
    ...p.datasets
      .filter((d) => d.ingestion.type === "crawler" || tableLayout(p, d).registration === "partition-crawler")
      .map((d): Principal => ({
        arn: crawlerRoleArn(p, d),
        kind: "crawler",
        dataset: d.name,
        account: lake,
      })),
    { arn: validatorRoleArn(p), kind: "validator", account: lake },
  ];
}

/** The principals of `principals(p)` by ARN (the first one where two share an ARN). */
export function principalByArn(p: Platform): Map<string, Principal> {
  const byArn = new Map<string, Principal>();
  for (const principal of principals(p)) if (!byArn.has(principal.arn)) byArn.set(principal.arn, principal);
  return byArn;
}

/** Days from `date` to `to` (both YYYY-MM-DD, UTC). */
function daysFrom(date: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000;
}

/**
 * Where a consumer's grant stands on `date` (YYYY-MM-DD): `pending` before `grantedOn` (no grant is
 * declared yet), `expired` after `expiresOn` (no longer declared), `expiring` within `reminderDays` of
 * it, else `active`. The one rule the lake's grants, the consumer stacks and the validator follow.
 */
export function grantStatus(
  consumer: Pick<Consumer, "expiresOn" | "grantedOn">,
  date: string,
  reminderDays: number,
): "pending" | "active" | "expiring" | "expired" {
  if (consumer.grantedOn !== undefined && consumer.grantedOn > date) return "pending";
  if (consumer.expiresOn < date) return "expired";
  return daysFrom(date, consumer.expiresOn) <= reminderDays ? "expiring" : "active";
}

/**
 * Where a dataset's registration stands on `date` (YYYY-MM-DD): `ended` after `endsOn` (no longer shared
 * or crawled), `ending` within `reminderDays` of it, else `active` (a dataset without `endsOn` is active).
 * The one rule the lake's catalog, grants and crawlers, the consumer stacks and the validator follow.
 */
export function datasetStatus(
  dataset: Pick<Dataset, "endsOn">,
  date: string,
  reminderDays: number,
): "active" | "ending" | "ended" {
  if (dataset.endsOn === undefined) return "active";
  if (dataset.endsOn < date) return "ended";
  return daysFrom(date, dataset.endsOn) <= reminderDays ? "ending" : "active";
}

/** True when the dataset's registration has ended by `date` (`datasetStatus` is `ended`). */
export function registrationEnded(dataset: Pick<Dataset, "endsOn">, date: string): boolean {
  return datasetStatus(dataset, date, 0) === "ended";
}

/**
 * The LF-tag the platform adds to every table, so that a dataset past its `endsOn` leaves every tag
 * grant at once: a table carries `lifecycle=active` while its dataset is registered, `retired` after, and
 * every TABLE tag grant requires `active`. Lake Formation has no deny and a tag grant cannot name a table
 * to leave out, so a tag the grant requires is the one way: "when you specify multiple keys, the keys are
 * joined by a logical AND operator" (https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-creating-tag-expressions.html).
 * The key is reserved: `lake.lfTags` may not declare it.
 */
export const LIFECYCLE_TAG = { key: "lifecycle", active: "active", retired: "retired" } as const;

/** The platform's LF-tag ontology: the definition's `lake.lfTags` and the reserved lifecycle tag. */
export function lfTagOntology(p: Platform): Record<string, string[]> {
  return { ...p.lake.lfTags, [LIFECYCLE_TAG.key]: [LIFECYCLE_TAG.active, LIFECYCLE_TAG.retired] };
}

/** What every TABLE tag grant requires on top of the team's expression: an active registration. */
export function sharedTableCondition(): TagExpression {
  return { [LIFECYCLE_TAG.key]: [LIFECYCLE_TAG.active] };
}

/** A table's lifecycle LF-tag value on `date`. */
export function lifecycleTagValue(dataset: Pick<Dataset, "endsOn">, date: string): string {
  return registrationEnded(dataset, date) ? LIFECYCLE_TAG.retired : LIFECYCLE_TAG.active;
}

/**
 * The datasets a consumer reads on `date`: `readableDatasets` (named ones and those a tag expression
 * matches) whose registration has not ended. Stacks declare links, grants and SPICE data sets from this.
 */
export function readableOn(p: Platform, consumer: Consumer, date: string): Dataset[] {
  return readableDatasets(p, consumer).filter((d) => !registrationEnded(d, date));
}

/** The definition's datasets whose registration has ended by `date`, in definition order. */
export function endedDatasets(p: Platform, date: string): Dataset[] {
  return p.datasets.filter((d) => registrationEnded(d, date));
}

// ── How the definition grants each principal, and what Lake Formation makes of it ─────────────────────

/** A table the lake grants a principal by name. */
export interface NamedGrant {
  /** The dataset whose table it is. */
  readonly dataset: Dataset;
  /** Columns left out: the grant is on the table's other columns (SELECT on a column subset). */
  readonly excludedColumns: readonly string[];
  /** The principal's row filter on it, held by a data cells filter of that name (SELECT on the filter). */
  readonly rowFilter?: { readonly name: string; readonly expression: string };
}

/**
 * How the lake grants one of a team's principals (`analyst`, `spark`, `redshift`, `quicksight`): the
 * tag expressions (each ANDed with `sharedTableCondition()` on tables) and the tables named. The lake's
 * shares (infra/lake.ts, infra/analytics-shares.ts) are built from this; `modelAccess` evaluates it.
 */
export interface LakeGrant {
  /** The principal granted. */
  readonly principal: Principal;
  /** Its team. */
  readonly consumer: Consumer;
  /** The team's tag expressions (analyst, Spark and Redshift roles); none for QuickSight's role. */
  readonly tagExpressions: readonly TagExpression[];
  /** The tables granted by name, datasets past their `endsOn` on the date left out. */
  readonly named: readonly NamedGrant[];
}

/** The part of a team's data cells filter names that tells its principals apart (`<team>-<suffix>`). */
const FILTER_SUFFIX: Partial<Record<PrincipalKind, string>> = {
  spark: "spark",
  redshift: "redshift",
  quicksight: "quicksight",
};

/**
 * How the lake grants every team principal on `date`, in `principals(p)` order, whatever the grant's
 * status (the lake's shares announce pending and expired grants themselves):
 * - the analyst, Spark job and Redshift Spectrum roles read what the team reads: its tag expressions, and
 *   its named datasets that none of its expressions matches — each without its stricter columns, through
 *   a data cells filter of the principal's own where the team has a row filter (a named dataset an
 *   expression matches is granted in full by the expression already: permissions add up);
 * - the QuickSight role reads only the datasets the team imports into SPICE, each by name as the team
 *   reads it (without its hidden columns, through the team's row filter).
 */
export function lakeGrants(p: Platform, date: string): LakeGrant[] {
  const byTeam = new Map(p.consumers.map((c) => [c.team, c]));
  return principals(p).flatMap((principal): LakeGrant[] => {
    const consumer = principal.team === undefined ? undefined : byTeam.get(principal.team);
    if (!consumer) return [];
    const suffix = FILTER_SUFFIX[principal.kind];
    const filterOwner = { team: suffix ? `${consumer.team}-${suffix}` : consumer.team };
    const named = (d: Dataset, excluded: readonly string[]): NamedGrant => {
      const filter = consumer.rowFilters.find((f) => f.dataset === d.name);
      return {
        dataset: d,
        excludedColumns: excluded,
        ...(filter
          ? { rowFilter: { name: dataCellsFilterName(filterOwner, d), expression: filter.expression } }
          : {}),
      };
    };
    if (principal.kind === "quicksight") {
      const datasets = (consumer.analytics.quicksight?.datasets ?? [])
        .map((q) => p.datasets.find((d) => d.name === q.dataset))
        .filter((d): d is Dataset => d !== undefined && !registrationEnded(d, date));
      return [
        {
          principal,
          consumer,
          tagExpressions: [],
          named: datasets.map((d) => named(d, hiddenColumns(p, consumer, d))),
        },
      ];
    }
    return [
      {
        principal,
        consumer,
        tagExpressions: consumer.read.tags,
        named: p.datasets
          .filter(
            (d) =>
              consumer.read.datasets.includes(d.name) &&
              !consumer.read.tags.some((e) => expressionMatches(e, d)) &&
              !registrationEnded(d, date),
          )
          .map((d) => named(d, stricterColumns(p, d))),
      },
    ];
  });
}

/**
 * What one principal may do with one lake table, as Lake Formation evaluates every grant it holds on it
 * (one entry per principal and table; CONTRACTS §3 `--format access`).
 */
export interface ReadAccess {
  /** The principal granted: a role ARN, or an account id (then `delegated`). */
  readonly principal: string;
  /** The consumer team whose principal it is; `null` for the platform's own roles and strangers. */
  readonly team: string | null;
  /** The definition's account the team lives in (`accounts[].name`); `null` where `team` is. */
  readonly account: string | null;
  /** What the principal is to the platform (`principals`); `null` for one the definition does not imply. */
  readonly kind: PrincipalKind | null;
  /** The dataset whose table it is; `null` for a table no dataset registers. */
  readonly dataset: string | null;
  /** The table's database in the lake's catalog. */
  readonly database: string;
  /** The table. */
  readonly table: string;
  /** The columns visible to the principal (partition keys included), sorted. */
  readonly columns: string[];
  /** The rows it sees: `null` for all, else the combined row filter expression. */
  readonly rowFilter: string | null;
  /** The Lake Formation permissions, sorted. */
  readonly permissions: string[];
  /** The last day the grant holds (the team's `expiresOn`); `null` for grants that do not expire. */
  readonly expiresOn: string | null;
  /** How it is granted: `lf-tag {...}`, `named db.table`, `data cells filter <name>`, `resource link <name>`. */
  readonly via: string[];
  /** Present and true for a grant to a whole account: its data lake admins re-grant it at will. */
  readonly delegated?: true;
}

/** One grant's part of a principal's access to a table (`combineAccess` adds them up). */
export interface AccessContribution {
  /** The columns this grant shows. */
  readonly columns: readonly string[];
  /** True when the grant shows every row (no row filter, or an all-rows filter). */
  readonly allRows: boolean;
  /** The grant's row filter expression, where `allRows` is false. */
  readonly rowFilter?: string;
  /** Its permissions. */
  readonly permissions: readonly string[];
  /** How it is granted (`viaTags`, `viaNamed`, `viaFilter`, `viaLink`). */
  readonly via: string;
}

const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * Several grants on one table, added up as Lake Formation does: columns unioned, permissions unioned,
 * rows OR'd — all rows where any grant shows all of them ("the all-rows expression will prevail over all
 * other filter expressions"), else the filters' expressions joined with OR.
 */
export function combineAccess(
  parts: readonly AccessContribution[],
): Pick<ReadAccess, "columns" | "rowFilter" | "permissions" | "via"> {
  const filters = sortedUnique(
    parts.flatMap((c) => (c.allRows || c.rowFilter === undefined ? [] : [c.rowFilter])),
  );
  const allRows = parts.some((c) => c.allRows);
  return {
    columns: sortedUnique(parts.flatMap((c) => c.columns)),
    rowFilter:
      allRows || filters.length === 0
        ? null
        : filters.length === 1
          ? filters[0]
          : filters.map((f) => `(${f})`).join(" OR "),
    permissions: sortedUnique(parts.flatMap((c) => c.permissions)),
    via: sortedUnique(parts.map((c) => c.via)),
  };
}

/** The key of a principal's entry on a table. */
export function accessKey(principal: string, database: string, table: string): string {
  return `${principal}\u0000${database}\u0000${table}`;
}

/** `lf-tag {key:[values],...}`, keys and values sorted: how an LF-tag expression grant reads in `via`. */
export function viaTags(expression: Readonly<Record<string, readonly string[]>>): string {
  const keys = Object.keys(expression).sort();
  return `lf-tag {${keys.map((k) => `${k}:[${sortedUnique(expression[k]).join(",")}]`).join(",")}}`;
}

/** `named <database>.<table>`: a grant on the table (or on some of its columns) by name. */
export function viaNamed(database: string, table: string): string {
  return `named ${database}.${table}`;
}

/** `data cells filter <name>`: a grant of SELECT on a data cells filter. */
export function viaFilter(name: string): string {
  return `data cells filter ${name}`;
}

/** `resource link <name>`: the link in the principal's own account it queries the table through. */
export function viaLink(name: string): string {
  return `resource link ${name}`;
}

/** A dataset's table columns in catalog order: its schema's columns, then the table's partition keys. */
export function tableColumns(p: Platform, dataset: Dataset): string[] {
  return [...dataset.schema.columns.map((c) => c.name), ...partitionKeyNames(p, dataset)];
}

/** Per definition and dataset, its table's partition keys: the layout is derived once, not per grant. */
const partitionKeysOf = new WeakMap<Platform, Map<Dataset, string[]>>();

function partitionKeyNames(p: Platform, dataset: Dataset): string[] {
  let byDataset = partitionKeysOf.get(p);
  if (!byDataset) partitionKeysOf.set(p, (byDataset = new Map()));
  let keys = byDataset.get(dataset);
  if (!keys) byDataset.set(dataset, (keys = tableLayout(p, dataset).partitionKeys.map((k) => k.name)));
  return keys;
}

/**
 * The columns of a dataset's table an LF-tag expression reaches on `date`: those whose tags (the
 * column's own classification where it is stricter, else the table's; the table's domain and lifecycle)
 * carry one of the expression's values for every key it names.
 */
function columnsMatching(
  p: Platform,
  dataset: Dataset,
  expression: Readonly<Record<string, readonly string[]>>,
  date: string,
): string[] {
  // A column's tags: the table's domain and lifecycle, its own classification. Judged once per
  // classification (a table has one or two), not once per column.
  const table: Record<string, string> = {
    domain: dataset.domain,
    [LIFECYCLE_TAG.key]: lifecycleTagValue(dataset, date),
  };
  const keys = Object.entries(expression);
  const judged = new Map<string, boolean>();
  const matches = (classification: string) => {
    let found = judged.get(classification);
    if (found === undefined) {
      found = keys.every(([key, values]) => {
        const value = key === "classification" ? classification : table[key];
        return value !== undefined && values.includes(value);
      });
      judged.set(classification, found);
    }
    return found;
  };
  return [
    ...dataset.schema.columns.filter((c) => matches(columnClassification(p, dataset, c))).map((c) => c.name),
    ...(matches(dataset.classification) ? partitionKeyNames(p, dataset) : []),
  ];
}

/** Lake Formation permissions per kind of grant: column subsets and data cells filters carry SELECT alone. */
const TABLE_READ = ["DESCRIBE", "SELECT"] as const;
/** What a crawler role is granted on its table (besides DATA_LOCATION_ACCESS on the raw location). */
const CRAWLER_TABLE = ["ALTER", "DESCRIBE", "INSERT"] as const;

/**
 * What the definition means each principal to read on `date`: one entry per principal and lake table,
 * sorted by principal, database and table — the teams' principals (grants pending or expired give
 * nothing), ingestion roles (DESCRIBE on their table: Firehose and DMS write through IAM and S3),
 * crawler roles (ALTER, DESCRIBE, INSERT on their table while the dataset is registered) and the
 * validator (DESCRIBE and SELECT on every table of the domains, retired ones included). A team's
 * principal reads through the resource link of the table's database in its own account.
 */
export function modelAccess(p: Platform, date: string): ReadAccess[] {
  const entries = new Map<
    string,
    { base: Omit<ReadAccess, "columns" | "rowFilter" | "permissions" | "via">; parts: AccessContribution[] }
  >();
  const consumers = new Map(p.consumers.map((c) => [c.team, c]));
  const datasets = new Map(p.datasets.map((d) => [d.name, d]));
  const add = (principal: Principal, d: Dataset, part: AccessContribution) => {
    const key = accessKey(principal.arn, databaseName(d.domain), tableName(d));
    const team = principal.team ?? null;
    const consumer = team === null ? undefined : consumers.get(team);
    const entry = entries.get(key) ?? {
      base: {
        principal: principal.arn,
        team,
        account: team === null ? null : principal.account,
        kind: principal.kind,
        dataset: d.name,
        database: databaseName(d.domain),
        table: tableName(d),
        expiresOn: consumer?.expiresOn ?? null,
      },
      parts: [],
    };
    entry.parts.push(part);
    entries.set(key, entry);
  };

  for (const grant of lakeGrants(p, date)) {
    const status = grantStatus(grant.consumer, date, 0);
    if (status === "pending" || status === "expired") continue;
    const touched = new Set<Dataset>();
    const seen = new Set<string>();
    for (const e of grant.tagExpressions) {
      const expression = { ...e, ...sharedTableCondition() };
      const via = viaTags(expression);
      if (seen.has(via)) continue;
      seen.add(via);
      for (const d of p.datasets) {
        const columns = columnsMatching(p, d, expression, date);
        if (columns.length === 0) continue;
        add(grant.principal, d, { columns, allRows: true, permissions: TABLE_READ, via });
        touched.add(d);
      }
    }
    for (const n of grant.named) {
      const d = n.dataset;
      const columns = tableColumns(p, d).filter((c) => !n.excludedColumns.includes(c));
      if (n.rowFilter)
        add(grant.principal, d, {
          columns,
          allRows: false,
          rowFilter: n.rowFilter.expression,
          permissions: ["SELECT"],
          via: viaFilter(n.rowFilter.name),
        });
      else
        add(grant.principal, d, {
          columns,
          allRows: true,
          permissions: n.excludedColumns.length > 0 ? ["SELECT"] : TABLE_READ,
          via: viaNamed(databaseName(d.domain), tableName(d)),
        });
      touched.add(d);
    }
    // Queried from the team's account through the link of the table's database.
    for (const d of touched)
      add(grant.principal, d, {
        columns: [],
        allRows: false,
        permissions: [],
        via: viaLink(resourceLinkName(d.domain)),
      });
  }

  for (const principal of principals(p)) {
    const d = principal.dataset === undefined ? undefined : datasets.get(principal.dataset);
    const whole = d && {
      columns: tableColumns(p, d),
      allRows: true,
      via: viaNamed(databaseName(d.domain), tableName(d)),
    };
    if (principal.kind === "ingestion" && d && whole)
      add(principal, d, { ...whole, permissions: ["DESCRIBE"] });
    if (principal.kind === "crawler" && d && whole && !registrationEnded(d, date))
      add(principal, d, { ...whole, permissions: CRAWLER_TABLE });
    if (principal.kind === "validator") {
      const scope = { domain: p.lake.lfTags.domain ?? [] };
      for (const x of p.datasets) {
        const columns = columnsMatching(p, x, scope, date);
        if (columns.length > 0)
          add(principal, x, { columns, allRows: true, permissions: TABLE_READ, via: viaTags(scope) });
      }
    }
  }

  return [...entries.values()]
    .map(({ base, parts }) => {
      const combined = combineAccess(parts);
      return {
        principal: base.principal,
        team: base.team,
        account: base.account,
        kind: base.kind,
        dataset: base.dataset,
        database: base.database,
        table: base.table,
        columns: combined.columns,
        rowFilter: combined.rowFilter,
        permissions: combined.permissions,
        expiresOn: base.expiresOn,
        via: combined.via,
      };
    })
    .sort(
      (a, b) =>
        a.principal.localeCompare(b.principal) ||
        a.database.localeCompare(b.database) ||
        a.table.localeCompare(b.table),
    );
}

/**
 * A principal the definition lets read lake data straight from S3, outside Lake Formation: what it may
 * read that way, by dataset.
 */
export interface S3Reader {
  /** The role ARN. */
  readonly principal: string;
  /**
   * What it is: `ingestion` (a Firehose or DMS writer reads back its own prefixes), `crawler` (reads its
   * dataset's files to infer their schema and partitions), `validator` (reads the raw zone's files to check
   * them), or `lake-formation` (the role Lake Formation reads registered locations as, to hand out the
   * temporary credentials of granted queries).
   */
  readonly kind: "ingestion" | "crawler" | "validator" | "lake-formation";
  /** The datasets whose data it may read, sorted. */
  readonly datasets: string[];
}

/** The readers that bypass Lake Formation by design, with the datasets each may read from S3. */
export function s3Readers(p: Platform): S3Reader[] {
  const lake = lakeAccount(p);
  const all = p.datasets.map((d) => d.name).sort();
  return [
    ...principals(p).flatMap((principal): S3Reader[] => {
      if ((principal.kind === "ingestion" || principal.kind === "crawler") && principal.dataset !== undefined)
        return [{ principal: principal.arn, kind: principal.kind, datasets: [principal.dataset] }];
      if (principal.kind === "validator")
        return [{ principal: principal.arn, kind: "validator", datasets: all }];
      return [];
    }),
    {
      principal: `arn:aws:iam::${lake.id}:role/${lakeFormationDataAccessRoleName(p)}`,
      kind: "lake-formation",
      datasets: all,
    },
  ];
}

/** True when the column of `dataset` is stricter than the dataset (the lake tags it with its own class). */
export function stricterThanDataset(p: Platform, dataset: Dataset, column: string): boolean {
  const c = dataset.schema.columns.find((x) => x.name === column);
  return c !== undefined && columnClassification(p, dataset, c) !== dataset.classification;
}
