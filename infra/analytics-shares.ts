import type { TeamShare } from "../components/sharing";
import { databaseName, lakeGrants, tableName } from "../platform";
import type { LakeGrant, Platform } from "../platform";

/** A principal's grants (the access model's `lakeGrants`) as the `LakeShares` component takes them. */
export function teamShare(g: LakeGrant, label: string): TeamShare {
  return {
    team: label,
    account: g.consumer.account,
    principal: g.principal.arn,
    expiresOn: g.consumer.expiresOn,
    ...(g.consumer.grantedOn !== undefined ? { grantedOn: g.consumer.grantedOn } : {}),
    ...(g.tagExpressions.length > 0 ? { tagExpressions: [...g.tagExpressions] } : {}),
    tables: g.named.map((n) => ({
      database: databaseName(n.dataset.domain),
      name: tableName(n.dataset),
      ...(n.excludedColumns.length > 0 ? { excludedColumns: [...n.excludedColumns] } : {}),
      ...(n.rowFilter ? { rowFilter: { ...n.rowFilter } } : {}),
    })),
  };
}

/** The analytics roles, in the order their shares are declared (and their child resources named). */
const ANALYTICS = ["spark", "redshift", "quicksight"] as const;

/**
 * What the lake grants the roles a team's analytics run as (`consumers[].analytics`), so each reads
 * exactly what the team may and nothing more — the access model's `lakeGrants` for them:
 * - the Spark job runtime role (EMR Serverless checks Lake Formation as the job's role) and the Redshift
 *   Spectrum role (Lake Formation judges the namespace's IAM role) get the team's own share — its tag
 *   expressions and named tables, without their stricter columns, through a row filter of their own
 *   where the team has one;
 * - the QuickSight role gets only the datasets the team imports into SPICE, each as the team reads it:
 *   without the columns the team may not read, through the team's row filter where it has one.
 *
 * Each share (`<team>-spark`, `<team>-redshift`, `<team>-quicksight`) expires with its team; a dataset past
 * its `endsOn` (on `date`) is shared with none of them.
 */
export function analyticsShareTeams(p: Platform, date: string): TeamShare[] {
  const grants = lakeGrants(p, date);
  return p.consumers.flatMap((c) =>
    ANALYTICS.flatMap((kind) =>
      grants
        .filter((g) => g.consumer.team === c.team && g.principal.kind === kind)
        .map((g) => teamShare(g, `${c.team}-${kind}`)),
    ),
  );
}
