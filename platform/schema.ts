/**
 * The platform definition's schema (CONTRACTS §1): the shape of `stacks/platform.yaml` as zod schemas,
 * and the TypeScript types inferred from them. Cross-references (a dataset's producer is a producer
 * account, a consumer reads known tags...) are checked in `validate.ts`.
 */
import { z } from "zod";
import { hiveTypeProblem } from "./hive-types";

const kebab = (what: string, example: string) =>
  z
    .string({ error: `${what} must be a string such as "${example}"` })
    .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, `${what} must be lowercase kebab-case such as "${example}"`);

const email = z.email({
  error: (iss) => `${JSON.stringify(iss.input)} is not an e-mail address; write it as team@example.com`,
});

/** True when `s` is a real calendar date written `YYYY-MM-DD` (2025-02-30 is not). */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return !!m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toISOString().slice(0, 10) === s;
}

/** A calendar date written `YYYY-MM-DD` (a YAML date is accepted and normalised). */
export const isoDate = z.preprocess(
  (v) => (v instanceof Date && !isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z
    .string({ error: "must be a date written YYYY-MM-DD, e.g. 2025-01-15" })
    .refine(isRealDate, "must be a real date written YYYY-MM-DD, e.g. 2025-01-15"),
);

const iamArn = z
  .string({ error: "must be an IAM ARN such as arn:aws:iam::111111111111:role/Name" })
  .regex(
    /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/,
    "must be an IAM role or user ARN such as arn:aws:iam::111111111111:role/Name",
  );

/** The role an account plays in the platform. */
export const accountRole = z.enum(["lake", "producer", "consumer"], {
  error: "must be one of lake, producer, consumer",
});

/** One AWS account of the organisation: one Pulumi stack of the same name. */
export const accountSchema = z
  .object({
    /** Account (and stack) name, kebab-case, unique. */
    name: kebab("account name", "web-producer"),
    /** The 12-digit AWS account id, as a quoted string. */
    id: z
      .string({
        error:
          'must be a 12-digit account id in quotes, e.g. "111111111111" (YAML reads unquoted digits as a number)',
      })
      .regex(/^\d{12}$/, 'must be a 12-digit account id in quotes, e.g. "111111111111"'),
    /** What the account does: the lake itself, a producer of datasets, or a consumer of them. */
    role: accountRole,
    /** The AWS region its resources live in. */
    region: z
      .string({ error: "must be an AWS region such as eu-west-1" })
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as eu-west-1"),
    /** The role deployments assume in this account (optional; must be in this account). */
    deploymentRoleArn: iamArn.optional(),
    /**
     * The account's network for DMS, EMR and Redshift (optional): subnets and security groups, and what
     * DMS Serverless needs to reach S3 and Secrets Manager from them (it has no internet path: DMS
     * Serverless limitations): the VPC, the route tables of the subnets, and whether the S3 gateway and
     * Secrets Manager interface endpoints already exist there or the account's stack creates them.
     */
    network: z
      .object({
        /** The VPC the subnets are in; required where the stack creates VPC endpoints. */
        vpcId: z
          .string()
          .regex(/^vpc-[0-9a-f]+$/, "must be a VPC id such as vpc-0abc1234")
          .optional(),
        subnetIds: z
          .array(z.string().regex(/^subnet-[0-9a-f]+$/, "must be a subnet id such as subnet-0abc1234"))
          .min(1),
        securityGroupIds: z.array(
          z.string().regex(/^sg-[0-9a-f]+$/, "must be a security group id such as sg-0abc1234"),
        ),
        /**
         * The Availability Zone of each subnet, by subnet id (`subnet-0abc1234: eu-west-1a`, or the zone id
         * `euw1-az1`): Redshift Serverless needs three subnets in three zones (us-west-1: two zones, one of
         * them with two subnets). @default {}
         */
        availabilityZones: z
          .record(
            z.string().regex(/^subnet-[0-9a-f]+$/, "must be a subnet id such as subnet-0abc1234"),
            z
              .string()
              .regex(
                /^([a-z]{2}(-gov)?-[a-z]+-\d[a-z]|[a-z]{3,4}\d-az\d+)$/,
                "must be an Availability Zone such as eu-west-1a or a zone id such as euw1-az1",
              ),
          )
          .default({}),
        /** The route tables of the subnets: the S3 gateway endpoint is added to them. */
        routeTableIds: z
          .array(z.string().regex(/^rtb-[0-9a-f]+$/, "must be a route table id such as rtb-0abc1234"))
          .default([]),
        /**
         * `create`: the account's stack creates the VPC endpoints its services need — for DMS the S3
         * gateway endpoint (its policy allows the lake's raw bucket) and the Secrets Manager interface
         * endpoint (private DNS); for Redshift Serverless with enhanced VPC routing the S3 gateway endpoint
         * and the Glue interface endpoint Spectrum reads the catalog through; `existing`: they exist
         * already (preflight checks them). @default create
         */
        vpcEndpoints: z
          .enum(["create", "existing"], { error: "must be create or existing" })
          .default("create"),
      })
      .strict()
      .optional(),
  })
  .strict();

const lifecycle = z
  .object({
    /** Delete current objects after this many days (optional: keep forever). */
    expireAfterDays: z.number().int().positive().optional(),
    /** Move objects to S3 Standard-IA after this many days (min 30, S3's rule). */
    infrequentAccessAfterDays: z
      .number()
      .int()
      .min(30, "S3 moves objects to Standard-IA after 30 days at the earliest")
      .optional(),
    /** Delete noncurrent versions after this many days. */
    noncurrentVersionExpireDays: z.number().int().positive().optional(),
  })
  .strict();

/** The lake account's settings. */
export const lakeSchema = z
  .object({
    /** Data lake administrators (IAM ARNs in the lake account). The deployment role is added to them. */
    admins: z.array(iamArn).min(1, "name at least one data lake administrator ARN"),
    /** The platform team: the owner of shared resources (zone buckets, workgroups). */
    platformTeam: z.object({ team: kebab("team", "data-platform"), email }).strict(),
    /** LF-tag ontology: key → allowed values. `classification` values go from least to most sensitive. */
    lfTags: z
      .record(
        kebab("LF-tag key", "domain"),
        z
          .array(
            z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "LF-tag values are lowercase words such as internal"),
          )
          .min(1)
          // "The maximum number of values that can be defined for a LF-Tag is 1000." (API_LFTag)
          .max(1000, "an LF-tag has at most 1000 values (Lake Formation's LFTag limit): split the key"),
      )
      .refine(
        (t) => "domain" in t && "classification" in t,
        "must define the LF-tag keys domain and classification",
      ),
    /** Storage zones and their lifecycle: raw and curated required, analytics optional. */
    zones: z.object({ raw: lifecycle, curated: lifecycle, analytics: lifecycle.optional() }).strict(),
    /** Days server access logs are kept. @default 365 */
    accessLogRetentionDays: z.number().int().positive().default(365),
  })
  .strict();

const column = z
  .object({
    name: z.string().regex(/^[a-z_][a-z0-9_]*$/, "column names are lowercase snake_case such as order_id"),
    type: z.string().superRefine((t, ctx) => {
      const problem = hiveTypeProblem(t);
      if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
    }),
    comment: z.string().optional(),
    /** A classification stricter than the dataset's (optional). */
    classification: z.string().optional(),
  })
  .strict();

const partitionKey = column.omit({ classification: true });

const ingestion = z.discriminatedUnion(
  "type",
  [
    z
      .object({
        type: z.literal("firehose"),
        stream: z
          .object({
            mode: z.enum(["on-demand", "provisioned"], { error: "must be on-demand or provisioned" }),
            shards: z.number().int().positive().optional(),
            retentionHours: z.number().int().min(24).max(8760).optional(),
          })
          .strict(),
        /**
         * A Managed Flink application on the stream: `false` (none), `true` (wanted; left out with a
         * notice until its code is built), or `{ code: <path> }`, the application's code artefact (a
         * .zip or .jar a build produced, relative to the definition's folder), uploaded by the stack.
         */
        flink: z
          .union(
            [
              z.boolean(),
              z.object({ code: z.string().min(1, "name the built artefact, e.g. build/app.zip") }).strict(),
            ],
            {
              error: "must be true, false or { code: <path of the built .zip or .jar> }",
            },
          )
          .default(false),
        /**
         * The record field holding the event time (an ISO-8601 string such as 2026-12-03T10:15:30Z);
         * the `dt` and `hour` partition values are taken from it. @default the first timestamp column
         */
        eventTimeColumn: z.string().optional(),
        bufferSeconds: z.number().int().min(0).max(900).optional(),
        bufferMB: z.number().int().min(64).max(128).optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal("dms"),
        dms: z
          .object({
            engine: z.enum(["postgres", "mysql", "oracle", "sqlserver", "mariadb"], {
              error: "must be one of postgres, mysql, oracle, sqlserver, mariadb",
            }),
            secretArn: z
              .string()
              .regex(
                /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/,
                "must be a Secrets Manager secret ARN such as arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-creds",
              ),
            /** The source database (required for postgres, oracle and sqlserver; the secret carries none). */
            databaseName: z.string().min(1).optional(),
            sourceSchema: z.string().min(1),
            /** The source table. @default the dataset's name */
            sourceTable: z.string().min(1).optional(),
            /**
             * Replicate inserts only: CDC files then carry no `Op` column, and updates and deletes are
             * lost. Otherwise the table must declare the `op` column (I, U or D) DMS writes.
             * @default false
             */
            insertsOnly: z.boolean().default(false),
            /** The time zone of DMS's date folders (an IANA Area/Location). @default UTC */
            partitionTimezone: z
              .string()
              .regex(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/, "must be an IANA time zone such as Europe/Berlin")
              .default("UTC"),
          })
          .strict(),
      })
      .strict(),
    z.object({ type: z.literal("crawler"), schedule: z.string().optional() }).strict(),
    z.object({ type: z.literal("spark") }).strict(),
    z.object({ type: z.literal("upload") }).strict(),
  ],
  { error: "ingestion.type must be one of firehose, crawler, dms, spark, upload" },
);

/** One registered dataset. */
export const datasetSchema = z
  .object({
    /** Dataset (and Glue table) name: lowercase snake_case, unique. */
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, "dataset names are lowercase snake_case such as click_events"),
    /** Its domain: a value of the `domain` LF-tag. */
    domain: z.string(),
    /** The producer account that writes it. */
    producer: z.string(),
    /** The owning team and its e-mail. */
    owner: z.object({ team: kebab("team", "web-analytics"), email }).strict(),
    description: z.string().min(1, "describe the dataset in a sentence"),
    source: z.enum(["s3", "database", "iot", "stream", "saas", "manual"], {
      error: "must be one of s3, database, iot, stream, saas, manual",
    }),
    /** Declared volume range. */
    volume: z
      .object({
        min: z.number().nonnegative(),
        max: z.number().positive(),
        unit: z.enum(["MB/day", "GB/day", "TB/day", "rows/day"], {
          error: "must be one of MB/day, GB/day, TB/day, rows/day",
        }),
      })
      .strict()
      .refine((v) => v.min <= v.max, { error: "min must not exceed max", path: ["min"] }),
    velocity: z.enum(["batch", "streaming"], { error: "must be batch or streaming" }),
    variety: z.enum(["structured", "semi-structured", "unstructured"], {
      error: "must be one of structured, semi-structured, unstructured",
    }),
    /** Quality expectations: at least a freshness in hours. */
    veracity: z
      .object({
        freshnessHours: z.number().positive({ error: "must be a number of hours greater than 0, e.g. 24" }),
        completeness: z.number().min(0).max(1).optional(),
      })
      .strict(),
    /** The business value, in a sentence. */
    value: z.string().min(1),
    /** A value of the `classification` LF-tag. */
    classification: z.string(),
    /** Storage format: the lake stores Parquet only. */
    format: z.string().refine((f) => f === "parquet", {
      error: (iss) =>
        `${JSON.stringify(iss.input)} is not accepted: the lake stores Parquet only; write format: parquet and convert at ingestion (Firehose record format conversion, DMS dataFormat parquet, Spark write.parquet)`,
    }),
    schema: z
      .object({
        columns: z.array(column).min(1, "declare at least one column"),
        partitionKeys: z.array(partitionKey).default([]),
      })
      .strict(),
    registeredOn: isoDate,
    endsOn: isoDate.optional(),
    ingestion,
  })
  .strict();

/** A Lake Formation tag expression: `{ key: [values] }`, all keys must match. */
export const tagExpression = z.record(z.string(), z.array(z.string()).min(1));

const refresh = z
  .object({
    interval: z.enum(["MINUTE15", "MINUTE30", "HOURLY", "DAILY", "WEEKLY", "MONTHLY"], {
      error: "must be one of MINUTE15, MINUTE30, HOURLY, DAILY, WEEKLY, MONTHLY",
    }),
    timeOfDay: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM such as 06:00")
      .optional(),
    timezone: z
      .string()
      .regex(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/, "must be an IANA time zone such as Europe/Paris")
      .default("UTC"),
  })
  .strict();

/** One consumer team in a consumer account. */
export const consumerSchema = z
  .object({
    account: z.string(),
    team: kebab("team", "marketing-analytics"),
    email,
    /** What the team may read: LF-tag expressions and/or named datasets. */
    read: z
      .object({ tags: z.array(tagExpression).default([]), datasets: z.array(z.string()).default([]) })
      .strict()
      .refine(
        (r) => r.tags.length + r.datasets.length > 0,
        "name at least one tag expression or dataset to read",
      ),
    readOnly: z.literal(true, {
      error:
        "must be true: consumers read through Lake Formation; writing goes through a producer account's ingestion",
    }),
    grantedOn: isoDate.optional(),
    expiresOn: isoDate,
    rowFilters: z
      .array(z.object({ dataset: z.string(), expression: z.string().min(1) }).strict())
      .default([]),
    analytics: z
      .object({
        emrServerless: z
          .object({
            maxVcpu: z.number().int().positive().default(32),
            maxMemoryGb: z.number().int().positive().default(128),
          })
          .strict()
          .optional(),
        quicksight: z
          .object({ datasets: z.array(z.object({ dataset: z.string(), refresh }).strict()).min(1) })
          .strict()
          .optional(),
        /**
         * Redshift Serverless for the team's BI tools, reading the lake through Redshift Spectrum and Lake
         * Formation (nothing copied): a namespace, a workgroup in the account's `network` (three subnets
         * in three Availability Zones), a Spectrum role the lake grants the team's share to, and an
         * external schema per lake database the team reads.
         */
        redshift: z
          .object({
            /**
             * The workgroup's base capacity in Redshift Processing Units: 4, 8 to 512 in steps of 8, or (in
             * the regions that offer it) 512 to 1024 in steps of 32. @default 8
             */
            baseCapacity: z.number({ error: "must be a number of RPUs such as 8" }).int().default(8),
            /** A cap on the compute the workgroup may use, in RPU-hours per period (optional). */
            usageLimit: z
              .object({
                /** RPU-hours per period, a whole number of 1 or more. */
                rpuHours: z
                  .number({ error: "must be a whole number of RPU-hours such as 200" })
                  .int()
                  .positive(),
                /** @default monthly (a weekly period starts on Sunday) */
                period: z
                  .enum(["daily", "weekly", "monthly"], { error: "must be daily, weekly or monthly" })
                  .default("monthly"),
                /**
                 * What Redshift does at the limit: `log`, `emit-metric` (an alarm can follow), or
                 * `deactivate` (queries stop until the period ends). @default deactivate
                 */
                breachAction: z
                  .enum(["log", "emit-metric", "deactivate"], {
                    error: "must be log, emit-metric or deactivate",
                  })
                  .default("deactivate"),
              })
              .strict()
              .optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/** Governance automation settings. */
export const governanceSchema = z
  .object({
    sender: email,
    schedule: z
      .string()
      .regex(
        /^(cron|rate|at)\(.*\)$/,
        'must be an EventBridge Scheduler expression such as "cron(0 6 * * ? *)", "rate(1 day)" or "at(2027-01-15T06:00:00)"',
      ),
    reminderDays: z.number().int().positive(),
  })
  .strict();

/** The whole platform definition. */
export const platformSchema = z
  .object({
    name: z
      .string({ error: 'must be a platform name such as "acme-lake"' })
      .regex(
        /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/,
        "must be 3-20 characters of lowercase letters, digits and hyphens, e.g. acme-lake",
      ),
    accounts: z.array(accountSchema).min(1, "list the AWS accounts, one with role lake"),
    lake: lakeSchema,
    datasets: z.array(datasetSchema).default([]),
    consumers: z.array(consumerSchema).default([]),
    governance: governanceSchema,
  })
  .strict();

/** The validated platform definition. */
export type Platform = z.output<typeof platformSchema>;
/** One account. */
export type Account = Platform["accounts"][number];
/** `lake` | `producer` | `consumer`. */
export type AccountRole = z.output<typeof accountRole>;
/** The lake's settings. */
export type LakeSettings = Platform["lake"];
/** One dataset. */
export type Dataset = Platform["datasets"][number];
/** One column of a dataset. */
export type Column = Dataset["schema"]["columns"][number];
/** A dataset's ingestion settings. */
export type Ingestion = Dataset["ingestion"];
/** One consumer team. */
export type Consumer = Platform["consumers"][number];
/** An LF-tag expression. */
export type TagExpression = z.output<typeof tagExpression>;
/** Governance settings. */
export type Governance = Platform["governance"];
