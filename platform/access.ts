/**
 * The access model: who the definition lets touch the lake. Today it is the index of the principals the
 * definition implies (every role the platform's programs create and the lake may grant to), so that
 * code meeting an ARN in a grant asks this module who it is instead of re-deriving role names. What
 * each principal may read (datasets, columns, row filters) joins it later (issue 17); when a grant holds
 * (`grantStatus`) and when a dataset is shared at all (`datasetStatus`, the lifecycle LF-tag) are here
 * already.
 *
 * Pure: it reads the definition and the naming rules only, never `@pulumi` or anything outside
 * `platform/`.
 */
import { tableLayout } from "./layout";
import {
  accountByName,
  analystRoleArn,
  crawlerRoleArn,
  hasIngestionRole,
  ingestionRoleArn,
  lakeAccount,
  quicksightRoleArn,
  redshiftRoleArn,
  sparkJobRoleArn,
  validatorRoleArn,
} from "./names";
import { readableDatasets } from "./names";
import type { Consumer, Dataset, Platform, TagExpression } from "./schema";

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
