import type { TeamShare } from "../components/sharing";
import {
  dataCellsFilterName,
  databaseName,
  hiddenColumns,
  quicksightRoleArn,
  redshiftRoleArn,
  registrationEnded,
  sparkJobRoleArn,
  tableName,
} from "../platform";
import type { Platform } from "../platform";

/**
 * What the lake grants the roles a team's analytics run as (`consumers[].analytics`), so each reads
 * exactly what the team may and nothing more:
 * - the Spark job runtime role (EMR Serverless checks Lake Formation as the job's role) and the Redshift
 *   Spectrum role (Lake Formation judges the namespace's IAM role) get the team's own share — its tag
 *   expressions and named tables, without their stricter columns, through a row filter of their own
 *   where the team has one;
 * - the QuickSight role gets only the datasets the team imports into SPICE, each as the team reads it:
 *   without the columns the team may not read, through the team's row filter where it has one.
 *
 * `teamShares` are the teams' own shares (`lakeShareTeams`). Each share expires with its team; a dataset
 * past its `endsOn` (on `date`) is shared with none of them.
 */
export function analyticsShareTeams(
  p: Platform,
  teamShares: readonly TeamShare[],
  date: string,
): TeamShare[] {
  const shares: TeamShare[] = [];
  for (const c of p.consumers) {
    const own = teamShares.find((t) => t.team === c.team);
    // Spark and Redshift Spectrum read what the team reads, each through row filters of its own.
    const asTeam = (team: string, principal: string): TeamShare => ({
      ...own!,
      team,
      principal,
      tables: (own!.tables ?? []).map((t) =>
        t.rowFilter
          ? { ...t, rowFilter: { ...t.rowFilter, name: dataCellsFilterName({ team }, { name: t.name }) } }
          : t,
      ),
    });
    if (c.analytics.emrServerless && own) shares.push(asTeam(`${c.team}-spark`, sparkJobRoleArn(p, c)));
    if (c.analytics.redshift && own) shares.push(asTeam(`${c.team}-redshift`, redshiftRoleArn(p, c)));
    const qs = c.analytics.quicksight;
    if (qs) {
      const team = `${c.team}-quicksight`;
      shares.push({
        team,
        account: c.account,
        principal: quicksightRoleArn(p, c),
        expiresOn: c.expiresOn,
        ...(c.grantedOn !== undefined ? { grantedOn: c.grantedOn } : {}),
        tables: qs.datasets.flatMap((q) => {
          const d = p.datasets.find((x) => x.name === q.dataset)!;
          if (registrationEnded(d, date)) return [];
          const excluded = hiddenColumns(p, c, d);
          const filter = c.rowFilters.find((f) => f.dataset === d.name);
          return {
            database: databaseName(d.domain),
            name: tableName(d),
            ...(excluded.length > 0 ? { excludedColumns: excluded } : {}),
            ...(filter
              ? { rowFilter: { name: dataCellsFilterName({ team }, d), expression: filter.expression } }
              : {}),
          };
        }),
      });
    }
  }
  return shares;
}
