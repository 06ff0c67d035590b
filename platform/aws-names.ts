/**
 * AWS's rules for every physical name the platform derives, in one table, and the check that applies
 * them to a definition: each name is derived through `names.ts` (never re-spelled here), judged by its
 * service's rule, and reported at the definition field it comes from with the fix. Names that only
 * collide after the normalisation a service applies (case, `-` → `_`) are refused with both paths.
 *
 * Every rule cites the AWS page it comes from (`source`); the table in docs/definition.md ("Names AWS accepts") is
 * held to the same data (`ruleTable()`, tests/docs/name-rules.test.ts).
 */
import {
  accessLogBucketName,
  analystRoleName,
  artifactsBucketName,
  athenaResultsBucketName,
  athenaResultsKeyAlias,
  athenaWorkgroupName,
  bucketName,
  crawlerName,
  crawlerRoleName,
  databaseName,
  dataCellsFilterName,
  datasetTags,
  deliveryStreamName,
  dmsReplicationId,
  dmsSecretRoleName,
  flinkApplicationName,
  flinkRoleName,
  hasIngestionRole,
  ingestionRoleName,
  ingestionStreamName,
  kmsAliasName,
  lakeFormationDataAccessRoleName,
  partitionCrawlerName,
  quicksightDataSetId,
  quicksightDataSourceId,
  quicksightRoleName,
  redshiftReaderRoleName,
  redshiftRoleName,
  redshiftWorkgroupName,
  resourceLinkName,
  sparkApplicationName,
  sparkJobRoleName,
  storageZones,
  tableName,
  validatorFunctionName,
  validatorRoleName,
  validatorScheduleName,
} from "./names";
import { tableLayout } from "./layout";
import type { Platform } from "./schema";

/** The kinds of physical names the platform derives, one rule each. */
export type NameKind =
  | "s3-bucket"
  | "iam-role"
  | "iam-inline-policy"
  | "kms-alias"
  | "kinesis-stream"
  | "firehose-stream"
  | "flink-application"
  | "dms-identifier"
  | "glue-database"
  | "glue-table"
  | "glue-column"
  | "glue-comment"
  | "glue-crawler"
  | "lf-data-cells-filter"
  | "lf-tag-key"
  | "lf-tag-value"
  | "athena-workgroup"
  | "emr-serverless-application"
  | "quicksight-id"
  | "redshift-serverless"
  | "redshift-identifier"
  | "lambda-function"
  | "scheduler-schedule"
  | "log-group"
  | "tag-key"
  | "tag-value";

/** One service's rule for one kind of name. */
export interface NameRule {
  /** What the name names, as AWS calls it. */
  readonly what: string;
  /** Fewest characters AWS accepts. */
  readonly minLength: number;
  /** Most characters AWS accepts. */
  readonly maxLength: number;
  /** The characters AWS accepts (anchored), as it documents them. */
  readonly pattern: RegExp;
  /** The pattern in words, for messages and docs/definition.md. */
  readonly allowed: string;
  /** Further rules: each returns what is wrong, or undefined. */
  readonly extra?: readonly ((name: string) => string | undefined)[];
  /** How the service compares names for uniqueness: collisions are judged after this. */
  readonly normalise?: (name: string) => string;
  /** The AWS documentation page the rule comes from. */
  readonly source: string;
}

const lower = (s: string) => s.toLowerCase();

/** Glue's single-line string pattern (no control characters but tab), which names and comments share. */
const GLUE_SINGLE_LINE = /^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*$/u;

const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

function noDoubleHyphen(name: string): string | undefined {
  return name.includes("--") ? "contains two consecutive hyphens" : undefined;
}

/** The rule of each kind of name. */
export const NAME_RULES: Readonly<Record<NameKind, NameRule>> = {
  "s3-bucket": {
    what: "S3 bucket name",
    minLength: 3,
    maxLength: 63,
    pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    allowed: "lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
    extra: [
      (n) => (n.includes("..") ? "contains two adjacent periods" : undefined),
      (n) => (/^\d+\.\d+\.\d+\.\d+$/.test(n) ? "is formatted as an IP address" : undefined),
      (n) => {
        const p = S3_RESERVED_PREFIXES.find((x) => n.startsWith(x));
        return p ? `starts with the reserved prefix ${p}` : undefined;
      },
      (n) => {
        const s = S3_RESERVED_SUFFIXES.find((x) => n.endsWith(x));
        return s ? `ends with the reserved suffix ${s}` : undefined;
      },
    ],
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
  },
  "iam-role": {
    what: "IAM role name",
    minLength: 1,
    maxLength: 64,
    pattern: /^[\w+=,.@-]+$/,
    allowed: "letters, digits and + = , . @ _ -",
    normalise: lower,
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
  },
  "iam-inline-policy": {
    what: "IAM inline policy name",
    minLength: 1,
    maxLength: 128,
    // The API model's pattern (PutRolePolicy policyNameType); the user guide's looser "any Basic Latin
    // character but \\ / * ? and white space" is not what the API checks.
    pattern: /^[\w+=,.@-]+$/,
    allowed: "letters, digits and + = , . @ _ -",
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html",
  },
  "kms-alias": {
    what: "KMS alias name",
    minLength: 7,
    maxLength: 256,
    pattern: /^alias\/[a-zA-Z0-9/_-]+$/,
    allowed: "alias/ followed by letters, digits, / _ -",
    extra: [(n) => (n.startsWith("alias/aws/") ? "uses the reserved prefix alias/aws/" : undefined)],
    source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
  },
  "kinesis-stream": {
    what: "Kinesis data stream name",
    minLength: 1,
    maxLength: 128,
    pattern: /^[a-zA-Z0-9_.-]+$/,
    allowed: "letters, digits, _ . -",
    source: "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html",
  },
  "firehose-stream": {
    what: "Firehose stream name",
    minLength: 1,
    maxLength: 64,
    pattern: /^[a-zA-Z0-9_.-]+$/,
    allowed: "letters, digits, _ . -",
    source: "https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html",
  },
  "flink-application": {
    what: "Managed Service for Apache Flink application name",
    minLength: 1,
    maxLength: 128,
    pattern: /^[a-zA-Z0-9_.-]+$/,
    allowed: "letters, digits, _ . -",
    source: "https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CreateApplication.html",
  },
  "dms-identifier": {
    what: "DMS identifier (replication config, endpoints, subnet group)",
    minLength: 1,
    maxLength: 255,
    pattern: /^[A-Za-z][A-Za-z0-9-]*$/,
    allowed: "ASCII letters, digits and hyphens, starting with a letter",
    extra: [noDoubleHyphen, (n) => (n.endsWith("-") ? "ends with a hyphen" : undefined)],
    normalise: lower,
    source: "https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateReplicationConfig.html",
  },
  "glue-database": {
    what: "Glue database name",
    minLength: 1,
    maxLength: 255,
    pattern: /^[a-z0-9_]+$/,
    allowed: "lowercase letters, digits and underscores (Athena reads no other database names)",
    source: "https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html",
  },
  "glue-table": {
    what: "Glue table name",
    minLength: 1,
    maxLength: 255,
    pattern: /^[a-z0-9_]+$/,
    allowed: "lowercase letters, digits and underscores (Athena reads no other table names)",
    source: "https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html",
  },
  "glue-column": {
    what: "Glue column name",
    minLength: 1,
    maxLength: 255,
    pattern: /^[a-z0-9_]+$/,
    allowed: "lowercase letters, digits and underscores (Athena reads no other column names)",
    source: "https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html",
  },
  "glue-comment": {
    what: "Glue column comment",
    minLength: 0,
    maxLength: 255,
    pattern: GLUE_SINGLE_LINE,
    allowed: "one line of text: no control characters but tab",
    source: "https://docs.aws.amazon.com/glue/latest/webapi/API_Column.html",
  },
  "glue-crawler": {
    what: "Glue crawler name",
    minLength: 1,
    maxLength: 255,
    pattern: GLUE_SINGLE_LINE,
    allowed: "one line of text: no control characters but tab",
    source: "https://docs.aws.amazon.com/glue/latest/webapi/API_CreateCrawler.html",
  },
  "lf-data-cells-filter": {
    what: "Lake Formation data cells filter name",
    minLength: 1,
    maxLength: 255,
    pattern: GLUE_SINGLE_LINE,
    allowed: "one line of text: no control characters but tab",
    source: "https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_DataCellsFilter.html",
  },
  "lf-tag-key": {
    what: "LF-tag key",
    minLength: 1,
    maxLength: 128,
    pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@%]+$/u,
    allowed: "letters, digits, spaces and _ . : / = + - @ %",
    source: "https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_CreateLFTag.html",
  },
  "lf-tag-value": {
    what: "LF-tag value",
    minLength: 1,
    maxLength: 256,
    pattern: /^[\p{L}\p{Z}\p{N}_.:*/=+\-@%]+$/u,
    allowed: "letters, digits, spaces and _ . : * / = + - @ %",
    source: "https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_CreateLFTag.html",
  },
  "athena-workgroup": {
    what: "Athena workgroup name",
    minLength: 1,
    maxLength: 128,
    pattern: /^[a-zA-Z0-9._-]+$/,
    allowed: "letters, digits, . _ -",
    source: "https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateWorkGroup.html",
  },
  "emr-serverless-application": {
    what: "EMR Serverless application name",
    minLength: 1,
    maxLength: 64,
    pattern: /^[A-Za-z0-9._/#-]+$/,
    allowed: "letters, digits, . _ / # -",
    source: "https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_CreateApplication.html",
  },
  "quicksight-id": {
    what: "QuickSight data set or data source id",
    minLength: 1,
    maxLength: 96,
    // AWS's data set model: "The ID of the dataset. Limited to 96 characters." We keep ids to word
    // characters and hyphens, which every QuickSight id accepts.
    pattern: /^[\w-]+$/,
    allowed: "letters, digits, _ -",
    source:
      "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/quicksight/aws.sdk.kotlin.services.quicksight.model/-data-set/data-set-id.html",
  },
  "redshift-serverless": {
    what: "Redshift Serverless namespace or workgroup name",
    minLength: 3,
    maxLength: 64,
    pattern: /^[a-z0-9-]+$/,
    allowed: "lowercase letters, digits and hyphens",
    source: "https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_CreateWorkgroup.html",
  },
  "redshift-identifier": {
    what: "Redshift database role name",
    minLength: 1,
    maxLength: 127,
    // Standard identifiers: ASCII letters, digits, _ and $, starting with a letter or _, at most 127 bytes;
    // the platform's are lowercase (Redshift folds unquoted identifiers to lowercase).
    pattern: /^[a-z_][a-z0-9_$]*$/,
    allowed: "lowercase letters, digits, _ and $, starting with a letter or _",
    source: "https://docs.aws.amazon.com/redshift/latest/dg/r_names.html",
  },
  "lambda-function": {
    what: "Lambda function name",
    minLength: 1,
    maxLength: 64,
    pattern: /^[a-zA-Z0-9_-]+$/,
    allowed: "letters, digits, _ -",
    source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
  },
  "scheduler-schedule": {
    what: "EventBridge Scheduler schedule name",
    minLength: 1,
    maxLength: 64,
    pattern: /^[0-9a-zA-Z_.-]+$/,
    allowed: "letters, digits, _ . -",
    source: "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html",
  },
  "log-group": {
    what: "CloudWatch Logs log group name",
    minLength: 1,
    maxLength: 512,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    allowed: "letters, digits, . - _ / #",
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
  },
  "tag-key": {
    what: "resource tag key",
    minLength: 1,
    maxLength: 128,
    pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u,
    allowed: "letters, digits, spaces and _ . : / = + - @",
    extra: [(n) => (n.toLowerCase().startsWith("aws:") ? "uses the reserved prefix aws:" : undefined)],
    source: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
  },
  "tag-value": {
    what: "resource tag value",
    minLength: 0,
    maxLength: 256,
    pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
    allowed: "letters, digits, spaces and _ . : / = + - @",
    source: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
  },
};

/** One physical name the platform derives, and the definition field it derives from. */
export interface DerivedName {
  readonly kind: NameKind;
  readonly name: string;
  /** The definition field to change to change the name (`datasets[3].name`). */
  readonly path: readonly PropertyKey[];
  /** What the name is used for (`the ingestion role`). */
  readonly role: string;
  /**
   * Where the name must be unique (`account:ops-producer`, `s3` for the global bucket namespace,
   * `table:sales`); undefined for values that may repeat (tag values, comments).
   */
  readonly scope?: string;
  /** The definition's value the name is derived from: two names from different values must differ. */
  readonly from: string;
}

/**
 * Every physical name a definition leads to, through `names.ts`, with the field it comes from. Names
 * the definition states itself (columns, LF-tags, tag values) are included: AWS judges them the same.
 */
export function derivedNames(p: Platform): DerivedName[] {
  const out: DerivedName[] = [];
  const lake = p.accounts.find((a) => a.role === "lake");
  let scope: string | undefined;
  let from = "";
  const add = (kind: NameKind, name: string, path: readonly PropertyKey[], role: string) =>
    out.push({ kind, name, path, role, scope: kind === "s3-bucket" ? "s3" : scope, from });
  const inAccount = (account: string | undefined, value: string) => {
    scope = `account:${account ?? "?"}`;
    from = value;
  };

  inAccount(lake?.name, p.name);
  if (lake) {
    for (const zone of [...storageZones(p), "access-logs", "governance"] as const)
      add("s3-bucket", bucketName(p, zone), ["name"], `the lake's ${zone} bucket`);
    add("kms-alias", kmsAliasName(p), ["name"], "the lake key's alias");
    add("iam-role", validatorRoleName(p), ["name"], "the governance validator's role");
    add("iam-role", lakeFormationDataAccessRoleName(p), ["name"], "Lake Formation's data access role");
    add("lambda-function", validatorFunctionName(p), ["name"], "the governance validator's function");
    add("log-group", `/aws/lambda/${validatorFunctionName(p)}`, ["name"], "the validator's log group");
    add("scheduler-schedule", validatorScheduleName(p), ["name"], "the validator's daily schedule");
  }
  p.accounts.forEach((a, i) => {
    inAccount(a.name, a.id);
    if (a.role !== "lake")
      add(
        "s3-bucket",
        accessLogBucketName(p, a),
        ["accounts", i, "id"],
        `account ${a.name}'s access-log bucket`,
      );
    if (a.role === "consumer")
      add(
        "s3-bucket",
        athenaResultsBucketName(p, a),
        ["accounts", i, "id"],
        `account ${a.name}'s Athena results`,
      );
    if (a.role === "producer" && p.datasets.some((d) => d.producer === a.name && flinkOf(d)))
      add(
        "s3-bucket",
        artifactsBucketName(p, a),
        ["accounts", i, "id"],
        `account ${a.name}'s artifacts bucket`,
      );
  });
  inAccount("consumers", p.name);
  if (p.accounts.some((a) => a.role === "consumer"))
    add("kms-alias", athenaResultsKeyAlias(p), ["name"], "the consumer accounts' Athena results key alias");

  for (const [key, values] of Object.entries(p.lake.lfTags)) {
    inAccount(lake?.name, key);
    add("lf-tag-key", key, ["lake", "lfTags", key], "an LF-tag key");
    scope = `lf-tag:${key}`;
    values.forEach((v, j) => {
      from = v;
      add("lf-tag-value", v, ["lake", "lfTags", key, j], `a value of LF-tag ${key}`);
    });
  }

  p.datasets.forEach((d, i) => {
    const at = (...rest: PropertyKey[]) => ["datasets", i, ...rest];
    inAccount(lake?.name, d.domain);
    add("glue-database", databaseName(d.domain), at("domain"), `the Glue database of domain ${d.domain}`);
    inAccount("consumers", d.domain);
    add(
      "glue-database",
      resourceLinkName(d.domain),
      at("domain"),
      "the consumers' resource link to the domain",
    );
    scope = `database:${databaseName(d.domain)}`;
    from = d.name;
    add("glue-table", tableName(d), at("name"), "the dataset's Glue table");
    [...d.schema.columns, ...d.schema.partitionKeys].forEach((c, j) => {
      const where =
        j < d.schema.columns.length ? ["columns", j] : ["partitionKeys", j - d.schema.columns.length];
      // Duplicate columns and partition keys are reported by validate.ts already.
      scope = undefined;
      add("glue-column", c.name, at("schema", ...where, "name"), "a Glue column");
      scope = undefined;
      if (c.comment !== undefined)
        add("glue-comment", c.comment, at("schema", ...where, "comment"), "a column comment");
    });
    scope = undefined;
    const tags = datasetTags(d);
    const tagField: Record<string, PropertyKey[]> = {
      dataset: ["name"],
      domain: ["domain"],
      owner: ["owner", "team"],
      "owner-email": ["owner", "email"],
      classification: ["classification"],
      source: ["source"],
    };
    scope = undefined;
    for (const [key, value] of Object.entries(tags))
      add("tag-value", value, at(...tagField[key]), `the value of tag ${key}`);
    inAccount(d.producer, d.name);
    if (hasIngestionRole(d)) add("iam-role", ingestionRoleName(p, d), at("name"), "the ingestion role");
    const ing = d.ingestion;
    if (ing.type === "firehose") {
      add("kinesis-stream", ingestionStreamName(p, d), at("name"), "the Kinesis data stream");
      add("firehose-stream", deliveryStreamName(p, d), at("name"), "the Firehose stream");
      add(
        "log-group",
        `/aws/kinesisfirehose/${deliveryStreamName(p, d)}`,
        at("name"),
        "Firehose's log group",
      );
      if (flinkOf(d)) {
        add("flink-application", flinkApplicationName(p, d), at("name"), "the Flink application");
        add("iam-role", flinkRoleName(p, d), at("name"), "the Flink application's role");
        add(
          "log-group",
          `/aws/kinesis-analytics/${flinkApplicationName(p, d)}`,
          at("name"),
          "Flink's log group",
        );
      }
    }
    if (ing.type === "dms") {
      add(
        "dms-identifier",
        dmsReplicationId(p, d),
        at("name"),
        "the DMS replication and endpoint identifiers",
      );
      add("dms-identifier", `${dmsReplicationId(p, d)}-source`, at("name"), "the DMS source endpoint");
      add("dms-identifier", `${dmsReplicationId(p, d)}-target`, at("name"), "the DMS target endpoint");
      add("iam-role", dmsSecretRoleName(p, d), at("name"), "DMS's secret-reading role");
    }
    // The layout's keys start with the producer's account id: an unknown producer is reported apart.
    const layout = p.accounts.some((a) => a.name === d.producer) ? tableLayout(p, d) : undefined;
    inAccount(lake?.name, d.name);
    if (ing.type === "crawler") {
      add("glue-crawler", crawlerName(p, d), at("name"), "the dataset's crawler");
      add("iam-role", crawlerRoleName(p, d), at("name"), "the crawler's role");
    } else if (layout?.registration === "partition-crawler") {
      add("glue-crawler", partitionCrawlerName(p, d), at("name"), "the partition crawler");
      add("iam-role", crawlerRoleName(p, d), at("name"), "the crawler's role");
    }
  });

  p.consumers.forEach((c, k) => {
    const at = ["consumers", k, "team"];
    inAccount(c.account, c.team);
    add("iam-role", analystRoleName(p, c), at, "the team's analyst role");
    add("athena-workgroup", athenaWorkgroupName(c), at, "the team's Athena workgroup");
    if (c.analytics.emrServerless) {
      add("emr-serverless-application", sparkApplicationName(c), at, "the team's Spark application");
      add("iam-role", sparkJobRoleName(p, c), at, "the team's Spark job role");
      add(
        "log-group",
        `/aws/emr-serverless/${sparkApplicationName(c)}`,
        at,
        "the Spark application's log group",
      );
    }
    if (c.analytics.redshift) {
      add("redshift-serverless", redshiftWorkgroupName(c), at, "the team's Redshift namespace and workgroup");
      add("iam-role", redshiftRoleName(p, c), at, "the team's Redshift Spectrum role");
      add("redshift-identifier", redshiftReaderRoleName(c), at, "the team's read-only Redshift role");
    }
    if (c.analytics.quicksight) {
      add("iam-role", quicksightRoleName(p, c), at, "the team's QuickSight role");
      add("quicksight-id", quicksightDataSourceId(c), at, "the team's QuickSight data source");
      c.analytics.quicksight.datasets.forEach((q, j) => {
        from = `${c.team}/${q.dataset}`;
        add(
          "quicksight-id",
          quicksightDataSetId(c, { name: q.dataset }),
          ["consumers", k, "analytics", "quicksight", "datasets", j, "dataset"],
          "a SPICE data set",
        );
      });
    }
    c.rowFilters.forEach((f, j) => {
      scope = `account:${lake?.name ?? "?"}`;
      from = `${c.team}/${f.dataset}`;
      add(
        "lf-data-cells-filter",
        dataCellsFilterName(c, { name: f.dataset }),
        ["consumers", k, "rowFilters", j, "dataset"],
        "the row filter's data cells filter",
      );
    });
  });
  return out;
}

function flinkOf(d: Platform["datasets"][number]): boolean {
  return d.ingestion.type === "firehose" && d.ingestion.flink !== undefined && d.ingestion.flink !== false;
}

/** What is wrong with `name` by its kind's rule, or undefined when AWS accepts it. */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  const rule = NAME_RULES[kind];
  const length = [...name].length;
  if (length < rule.minLength) return `is shorter than ${rule.minLength} characters`;
  if (length > rule.maxLength) return `is ${length} characters, over the ${rule.maxLength} AWS allows`;
  if (!rule.pattern.test(name)) return `has characters AWS does not allow (allowed: ${rule.allowed})`;
  for (const check of rule.extra ?? []) {
    const problem = check(name);
    if (problem) return problem;
  }
  return undefined;
}

/** One problem with a derived name, at the definition field it comes from. */
export interface NameIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * Every derived name AWS would refuse, and every pair of names that AWS would treat as one (same kind,
 * same scope, equal after the service's normalisation) though they come from different values.
 */
export function nameIssues(p: Platform): NameIssue[] {
  const issues: NameIssue[] = [];
  const names = derivedNames(p);
  // One issue per definition field: a too-long team name breaks several names at once.
  const byPath = new Map<
    string,
    { path: readonly PropertyKey[]; problems: string[]; rules: Set<NameKind> }
  >();
  for (const n of names) {
    const problem = nameProblem(n.kind, n.name);
    if (!problem) continue;
    const key = JSON.stringify(n.path);
    const entry = byPath.get(key) ?? { path: n.path, problems: [], rules: new Set<NameKind>() };
    byPath.set(key, entry);
    const text = `${n.role}, ${NAME_RULES[n.kind].what} ${JSON.stringify(truncate(n.name))}, ${problem}`;
    if (!entry.problems.includes(text)) entry.problems.push(text);
    entry.rules.add(n.kind);
  }
  for (const { path, problems, rules } of byPath.values()) {
    const shown = problems.slice(0, 3).join("; ");
    const more = problems.length > 3 ? `; and ${problems.length - 3} more` : "";
    const limits = [...rules]
      .map(
        (k) =>
          `${NAME_RULES[k].what}: ${NAME_RULES[k].minLength}-${NAME_RULES[k].maxLength} characters of ${NAME_RULES[k].allowed} (${NAME_RULES[k].source})`,
      )
      .join("; ");
    issues.push({
      path,
      message: `${shown}${more}. Change this value so every name it leads to fits: ${limits}`,
    });
  }
  const first = new Map<string, DerivedName>();
  for (const n of names) {
    if (n.scope === undefined) continue;
    const key = `${n.kind}|${n.scope}|${(NAME_RULES[n.kind].normalise ?? ((x: string) => x))(n.name)}`;
    const earlier = first.get(key);
    if (!earlier) first.set(key, n);
    else if (earlier.from !== n.from)
      issues.push({
        path: n.path,
        message:
          `${n.role}, ${NAME_RULES[n.kind].what} ${JSON.stringify(n.name)}, is also ${earlier.role} ` +
          `(from ${formatPathOf(earlier.path)}): AWS would see one resource; rename one of the two`,
      });
  }
  return issues;
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function formatPathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    "",
  );
}

/** The rule table (kind, what, length, characters, further rules, source), for docs/definition.md. */
export function ruleTable(): {
  kind: NameKind;
  what: string;
  length: string;
  allowed: string;
  source: string;
}[] {
  return (Object.keys(NAME_RULES) as NameKind[]).map((kind) => {
    const r = NAME_RULES[kind];
    return {
      kind,
      what: r.what,
      length: `${r.minLength}-${r.maxLength}`,
      allowed: r.allowed,
      source: r.source,
    };
  });
}
