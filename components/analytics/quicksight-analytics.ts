import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AnalystPolicySpec, analystStatements } from "../shared/analyst-statements";
import { policyDocument, PolicyDocument, serviceTrustPolicy } from "../shared/iam";
import { describeLinks } from "../shared/link-grants";
import {
  defaults,
  QuickSightAnalyticsArgs,
  QuickSightColumnType,
  QuickSightDataSetSpec,
  RefreshScheduleSpec,
} from "./quicksight-analytics-args";

export {
  defaults,
  LakeCatalogRef,
  QuickSightAnalyticsArgs,
  QuickSightColumnType,
  QuickSightDataSetSpec,
  RefreshInterval,
  RefreshScheduleSpec,
  SharedDatabase,
} from "./quicksight-analytics-args";
export type { AnalystPolicySpec } from "../shared/analyst-statements";

/** One data set and its refresh schedule. */
export interface QuickSightDataSetResources {
  readonly dataSet: aws.quicksight.DataSet;
  readonly refreshSchedule: aws.quicksight.RefreshSchedule;
}

/**
 * A team's QuickSight over the lake: an Athena data source querying through the team's workgroup as a
 * dedicated role (the data source's `roleArn`, trusted by QuickSight in this account only, with the
 * analysts' least privilege), SPICE data sets of the shared tables seen through their resource links,
 * each with its refresh schedule, and the team's QuickSight group allowed to use them. The role reads
 * the lake through Lake Formation: DESCRIBE on the links here; SELECT on the tables is the lake's grant
 * to the role, exactly the tables (and rows and columns) the team may read.
 */
export class QuickSightAnalytics extends pulumi.ComponentResource {
  /** The Athena data source. */
  public readonly dataSource: aws.quicksight.DataSource;
  /** The role QuickSight queries Athena as. */
  public readonly role: aws.iam.Role;
  /** The team's group, when created here. */
  public readonly group?: aws.quicksight.Group;
  /** The group's ARN (the principal of every permission). */
  public readonly groupArn: pulumi.Output<string>;
  /** Data set id → its data set and refresh schedule. */
  public readonly dataSets: Record<string, QuickSightDataSetResources>;

  constructor(name: string, args: QuickSightAnalyticsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:analytics:QuickSightAnalytics", name, {}, opts);
    const namespace = args.namespace ?? defaults.namespace;
    const createGroup = args.createGroup ?? defaults.createGroup;
    const dataSets = args.dataSets ?? [];
    const tags = { ...(args.tags ?? {}) };
    validate(this, args);

    if (createGroup) {
      this.group = new aws.quicksight.Group(
        `${name}-group`,
        {
          awsAccountId: args.accountId,
          namespace,
          groupName: args.groupName,
          description: `Analysts of ${args.groupName}: use the team's lake data sets`,
        },
        { parent: this },
      );
    }
    this.groupArn = this.group
      ? this.group.arn
      : pulumi.output(quickSightGroupArn(args.region, args.accountId, namespace, args.groupName));

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: `QuickSight queries Athena workgroup ${args.workgroupName} as this role for ${args.groupName}`,
        assumeRolePolicy: serviceTrustPolicy("quicksight.amazonaws.com", args.accountId),
        tags,
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.id,
        policy: pulumi.output(args.resultsKeyArn).apply((keyArn) =>
          JSON.stringify(
            quickSightRolePolicy({
              accountId: args.accountId,
              region: args.region,
              lake: args.lake,
              databases: args.sharedDatabases,
              workgroupName: args.workgroupName,
              resultsBucketName: args.resultsBucketName,
              resultsKeyArn: keyArn,
            }),
          ),
        ),
      },
      { parent: this },
    );
    // DESCRIBE on the links its data sets read; what QuickSight reads behind them is the lake's grant.
    const describes = describeLinks(name, this, {
      accountId: args.accountId,
      principal: this.role.arn,
      databases: args.sharedDatabases,
      dependsOn: args.lakeFormationDependencies,
    });

    this.dataSource = new aws.quicksight.DataSource(
      `${name}-athena`,
      {
        awsAccountId: args.accountId,
        dataSourceId: args.dataSourceId,
        name: args.dataSourceName ?? args.dataSourceId,
        type: "ATHENA",
        parameters: { athena: { workGroup: args.workgroupName, roleArn: this.role.arn } },
        permissions: [
          { principal: this.groupArn, actions: [...(args.dataSourceActions ?? defaults.dataSourceActions)] },
        ],
        tags,
      },
      { parent: this, dependsOn: [policy] },
    );

    this.dataSets = {};
    for (const spec of dataSets) {
      const dataSet = new aws.quicksight.DataSet(
        `${name}-${spec.id}`,
        {
          awsAccountId: args.accountId,
          dataSetId: spec.id,
          name: spec.name ?? spec.id,
          importMode: "SPICE",
          physicalTableMaps: [physicalTable(spec, this.dataSource.arn)],
          ...(spec.refresh.incremental
            ? {
                refreshProperties: {
                  refreshConfiguration: {
                    incrementalRefresh: {
                      lookbackWindow: {
                        columnName: spec.refresh.incremental.column,
                        size: spec.refresh.incremental.size,
                        sizeUnit: spec.refresh.incremental.unit,
                      },
                    },
                  },
                },
              }
            : {}),
          permissions: [
            { principal: this.groupArn, actions: [...(args.dataSetActions ?? defaults.dataSetActions)] },
          ],
          tags: { ...(spec.tags ?? tags) },
        },
        { parent: this, dependsOn: describes },
      );
      const refreshSchedule = new aws.quicksight.RefreshSchedule(
        `${name}-${spec.id}-refresh`,
        {
          awsAccountId: args.accountId,
          dataSetId: dataSet.dataSetId,
          scheduleId: `${spec.id}-refresh`,
          schedule: {
            refreshType: spec.refresh.incremental ? "INCREMENTAL_REFRESH" : defaults.refreshType,
            scheduleFrequency: scheduleFrequency(spec.refresh),
          },
        },
        { parent: this },
      );
      this.dataSets[spec.id] = { dataSet, refreshSchedule };
    }

    this.registerOutputs({
      dataSourceArn: this.dataSource.arn,
      roleArn: this.role.arn,
      groupArn: this.groupArn,
      dataSets: dataSets.map((d) => d.id),
    });
  }
}

/** `arn:aws:quicksight:<region>:<account>:group/<namespace>/<group>`. */
export function quickSightGroupArn(
  region: string,
  accountId: string,
  namespace: string,
  group: string,
): string {
  return `arn:aws:quicksight:${region}:${accountId}:group/${namespace}/${group}`;
}

/**
 * The QuickSight type of a Glue/Hive column type; `undefined` for the types QuickSight cannot import
 * (`binary`, and `array`, `map`, `struct`, which it skips as unsupported: leave them out, or flatten
 * them in a `customSql`).
 */
export function quickSightColumnType(glueType: string): QuickSightColumnType | undefined {
  const t = glueType.trim().toLowerCase();
  if (/^(string|char\(\d+\)|varchar\(\d+\))$/.test(t)) return "STRING";
  if (/^(tinyint|smallint|int|integer|bigint)$/.test(t)) return "INTEGER";
  if (/^(float|double|decimal(\(\d+(,\s*\d+)?\))?)$/.test(t)) return "DECIMAL";
  if (/^(timestamp|date)$/.test(t)) return "DATETIME";
  if (t === "boolean") return "BOOLEAN";
  return undefined;
}

/**
 * QuickSight's `scheduleFrequency` of a refresh: the time of day (and the day) only where the interval
 * takes one.
 */
export function scheduleFrequency(
  refresh: RefreshScheduleSpec,
): aws.types.input.quicksight.RefreshScheduleScheduleScheduleFrequency {
  const daily = ["DAILY", "WEEKLY", "MONTHLY"].includes(refresh.interval);
  return {
    interval: refresh.interval,
    timezone: refresh.timezone ?? defaults.timezone,
    ...(daily ? { timeOfTheDay: refresh.timeOfDay ?? defaults.timeOfDay } : {}),
    ...(refresh.interval === "WEEKLY"
      ? { refreshOnDay: { dayOfWeek: refresh.dayOfWeek ?? defaults.dayOfWeek } }
      : {}),
    ...(refresh.interval === "MONTHLY"
      ? { refreshOnDay: { dayOfMonth: refresh.dayOfMonth ?? defaults.dayOfMonth } }
      : {}),
  };
}

function physicalTable(
  spec: QuickSightDataSetSpec,
  dataSourceArn: pulumi.Output<string>,
): aws.types.input.quicksight.DataSetPhysicalTableMap {
  const columns = spec.columns.map((c) => ({ name: c.name, type: c.type }));
  return spec.customSql !== undefined
    ? {
        physicalTableMapId: "query",
        customSql: { dataSourceArn, name: spec.table, sqlQuery: spec.customSql, columns },
      }
    : {
        physicalTableMapId: "table",
        relationalTable: {
          dataSourceArn,
          catalog: defaults.catalogName,
          schema: spec.database,
          name: spec.table,
          inputColumns: columns,
        },
      };
}

/**
 * The QuickSight role's least privilege, with no wildcard action: the analysts' (Lake Formation
 * credentials, Glue reads of the links and the lake's shared databases, Athena in the team's workgroup,
 * its results prefix and key, the lake's catalog key through Glue only) plus Athena's catalog browsing
 * on `AwsDataCatalog` that QuickSight makes to list the tables.
 */
export function quickSightRolePolicy(spec: AnalystPolicySpec): PolicyDocument {
  return policyDocument([
    ...analystStatements(spec),
    {
      Sid: "BrowseCatalogInAthena",
      Effect: "Allow",
      Action: [
        "athena:GetDataCatalog",
        "athena:ListDatabases",
        "athena:GetDatabase",
        "athena:ListTableMetadata",
        "athena:GetTableMetadata",
      ],
      Resource: `arn:aws:athena:${spec.region}:${spec.accountId}:datacatalog/${defaults.catalogName}`,
    },
  ]);
}

function validate(parent: pulumi.Resource, args: QuickSightAnalyticsArgs): void {
  const fail = (message: string) => {
    throw new pulumi.ResourceError(`QuickSightAnalytics: ${message}`, parent);
  };
  if (args.lake.accountId === args.accountId)
    fail(`the lake's account ${args.lake.accountId} is this account; resource links reach another account`);
  const links = new Set(args.sharedDatabases.map((d) => d.linkName));
  const ids = new Set<string>();
  (args.dataSets ?? []).forEach((d, i) => {
    if (ids.has(d.id)) fail(`dataSets[${i}]: id "${d.id}" is used twice`);
    ids.add(d.id);
    if (!/^[\w-]{1,128}$/.test(d.id))
      fail(`dataSets[${i}]: id "${d.id}" must be 1-128 letters, digits, - or _`);
    if (d.customSql === undefined && !links.has(d.database))
      fail(
        `dataSets[${i}]: database "${d.database}" is not among the sharedDatabases' links (${[...links].join(", ") || "none"}); add it there`,
      );
    if (d.columns.length === 0) fail(`dataSets[${i}]: name at least one column to import`);
    if (["MINUTE15", "MINUTE30"].includes(d.refresh.interval) && !d.refresh.incremental)
      fail(
        `dataSets[${i}].refresh: QuickSight refreshes ${d.refresh.interval} schedules incrementally only; set refresh.incremental (a date or timestamp column and a lookback window) or refresh HOURLY or less often`,
      );
    const inc = d.refresh.incremental;
    if (inc && !d.columns.some((c) => c.name === inc.column && c.type === "DATETIME"))
      fail(
        `dataSets[${i}].refresh.incremental.column "${inc.column}" is not a DATETIME column of the data set`,
      );
    if (inc && (!Number.isInteger(inc.size) || inc.size < 1))
      fail(`dataSets[${i}].refresh.incremental.size ${inc.size} must be a whole number, 1 or more`);
    if (d.refresh.timeOfDay !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(d.refresh.timeOfDay))
      fail(`dataSets[${i}].refresh.timeOfDay "${d.refresh.timeOfDay}" must be HH:MM such as 06:00`);
  });
}
