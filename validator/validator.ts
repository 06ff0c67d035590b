/**
 * The governance validator: for every registered dataset on a run date, checks its objects (format,
 * schema, freshness, volume), its registration and grants, and its Glue table's metadata; writes the
 * findings to the governance bucket (one object per run date, overwritten by a re-run) and e-mails each
 * team its findings through SES. The same code runs in Lambda (`handler.ts`) and by hand (`cli.ts`).
 */
import { GetTableCommand } from "@aws-sdk/client-glue";
import {
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { SendEmailCommand } from "@aws-sdk/client-sesv2";
import {
  bucketName,
  databaseName,
  datasetLocation,
  lakeAccount,
  registrationEnded,
  tableLayout,
  tableName,
} from "../platform";
import type { Dataset, Platform } from "../platform";
import { AwsCallError, AwsCaller, AwsClients, describeError } from "./aws";
import { formatFindings, InspectedObject } from "./checks/format";
import { dayVolume, freshnessFindings, volumeFindings } from "./checks/freshness";
import { metadataFindings } from "./checks/metadata";
import { isDataObject, ListedObject, parseS3Location, s3Uri } from "./checks/objects";
import { checkQueryability } from "./checks/queryability";
import { grantExpiryFindings, registrationFindings } from "./checks/registration";
import { GlueTableShape, schemaFindings, tableMissingFinding } from "./checks/schema";
import { asOfInstant, parseDate } from "./dates";
import { findingsKey, VALIDATOR_DEFAULTS } from "./defaults";
import { composeEmails, EmailMessage } from "./email";
import { capNamedObjects, compareFindings, Finding, RoutedFinding, toJsonLines } from "./findings";
import { acquireRunLock, defaultHolder, HeldLock, LockHolder } from "./lock";
import { inspectParquet, RangeReader } from "./parquet";
import { DEFAULT_RETRY_POLICY, isNetworkError, RetryPolicy } from "./retry";

/** What to validate, when, and through which clients. */
export interface ValidateOptions {
  readonly platform: Platform;
  /** The run date, `YYYY-MM-DD`; the as-of instant is now for today, else the end of that date. */
  readonly date: string;
  readonly clients: AwsClients;
  /** Read and report, but write no findings and send no e-mail. @default false */
  readonly dryRun?: boolean;
  /** The current instant (injectable for tests). @default new Date() */
  readonly now?: Date;
  /** Requests in flight at once. @default VALIDATOR_DEFAULTS.concurrency */
  readonly concurrency?: number;
  /** Retry policy of every request. @default DEFAULT_RETRY_POLICY */
  readonly retry?: RetryPolicy;
  /** Progress lines (one per dataset, then the writes). */
  readonly progress?: (line: string) => void;
  /** Who the run lock names as its holder. @default `lambda <function>` in Lambda, else `user@host pid <pid>` */
  readonly holder?: string;
  /** Age in seconds past which another run's lock of the date is taken over. @default VALIDATOR_DEFAULTS.lock.staleAfterSeconds */
  readonly lockStaleAfterSeconds?: number;
}

/** What a run found and did. */
export interface ValidationReport {
  readonly date: string;
  /** The instant freshness and volume were judged at (ISO 8601). */
  readonly asOf: string;
  /** Every finding, sorted by dataset, check, severity, object, message. */
  readonly findings: readonly Finding[];
  /** The e-mails sent (in a dry run: those a real run would send). */
  readonly emails: readonly EmailMessage[];
  /** Where the findings were written (`s3://...`); undefined in a dry run. */
  readonly findingsObject?: string;
  readonly dryRun: boolean;
  /** E-mails that could not be sent, each with the reason. */
  readonly failures: readonly string[];
  /**
   * Set when the run did not run because another run of the date holds its lock (`lock.ts`): the lock
   * and its holder. No check ran, nothing was written or sent.
   */
  readonly skipped?: LockHolder & { readonly lock: string };
  /** The stale lock of another run that this run took over. */
  readonly tookOverLock?: LockHolder & { readonly lock: string };
  readonly stats: {
    readonly datasets: number;
    readonly objects: number;
    readonly requests: number;
    readonly retries: number;
  };
}

/** The validator could not run at all: the endpoint is unreachable, credentials or the governance bucket missing. */
export class ValidatorUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ValidatorUnavailableError";
  }
}

/**
 * Runs every check of every dataset for the run date; see the module comment. A run that writes (not a
 * dry run) holds the date's run lock while it runs and releases it at the end, successful or not; a
 * run that finds the lock held by another run returns at once with `skipped`.
 */
export async function validate(options: ValidateOptions): Promise<ValidationReport> {
  const held: { lock?: HeldLock } = {};
  try {
    return await runValidation(options, held);
  } finally {
    await held.lock?.release();
  }
}

async function runValidation(options: ValidateOptions, held: { lock?: HeldLock }): Promise<ValidationReport> {
  const { platform: p, date, clients } = options;
  parseDate(date, "date");
  const dryRun = options.dryRun ?? false;
  const asOf = asOfInstant(date, options.now ?? new Date());
  const caller = new AwsCaller(
    options.concurrency ?? VALIDATOR_DEFAULTS.concurrency,
    options.retry ?? DEFAULT_RETRY_POLICY,
  );
  const progress = options.progress ?? (() => undefined);
  const governanceBucket = bucketName(p, "governance");

  await preflight(caller, clients, governanceBucket, dryRun);
  if (!dryRun) {
    const lock = await acquireRunLock(caller, clients, {
      bucket: governanceBucket,
      date,
      holder: options.holder ?? defaultHolder(),
      now: options.now ?? new Date(),
      staleAfterSeconds: options.lockStaleAfterSeconds ?? VALIDATOR_DEFAULTS.lock.staleAfterSeconds,
      progress,
    });
    if (!lock.acquired) {
      progress(`skipped: ${lock.holder} has held the run lock ${lock.lock} since ${lock.since}`);
      return skippedReport(date, asOf, lock, caller);
    }
    held.lock = lock;
    if (lock.tookOver)
      progress(
        `took over the stale run lock ${lock.lock} of ${lock.tookOver.holder} (since ${lock.tookOver.since})`,
      );
  }

  let objectCount = 0;
  const perDataset = await Promise.all(
    p.datasets.map(async (d) => {
      const { findings, objects } = await checkDataset(p, d, date, asOf, caller, clients).catch(
        (err: unknown) => ({
          // Whatever else stops one dataset's checks stops only that dataset's.
          findings: [unreadable(d.name, `the checks stopped: ${describeError(err)}`)],
          objects: 0,
        }),
      );
      objectCount += objects;
      progress(
        `${d.name}: ${objects} object${objects === 1 ? "" : "s"}, ${findings.length} finding${findings.length === 1 ? "" : "s"}`,
      );
      return findings.map((finding): RoutedFinding => ({ finding, notify: [d.owner.email] }));
    }),
  );
  const routed = [...perDataset.flat(), ...grantExpiryFindings(p, date)];
  const findings = routed.map((r) => r.finding).sort(compareFindings);

  const key = findingsKey(date);
  const findingsObject = dryRun ? undefined : s3Uri(governanceBucket, key);
  if (!dryRun) {
    const body = toJsonLines(findings);
    await caller.call(`PutObject ${s3Uri(governanceBucket, key)}`, () =>
      clients.s3.send(
        new PutObjectCommand({
          Bucket: governanceBucket,
          Key: key,
          Body: body,
          ContentType: "application/x-ndjson",
        }),
      ),
    );
    progress(`wrote ${findings.length} findings to ${findingsObject}`);
  }

  const emails = composeEmails(p, date, routed, findingsObject);
  const failures: string[] = [];
  if (!dryRun) {
    await Promise.all(
      emails.map(async (e) => {
        try {
          await caller.call(`SendEmail to ${e.to}`, () =>
            clients.ses.send(
              new SendEmailCommand({
                FromEmailAddress: p.governance.sender,
                Destination: { ToAddresses: [e.to] },
                Content: { Simple: { Subject: { Data: e.subject }, Body: { Text: { Data: e.body } } } },
              }),
            ),
          );
        } catch (err) {
          failures.push((err as Error).message);
        }
      }),
    );
    progress(`sent ${emails.length - failures.length} of ${emails.length} e-mails`);
  }
  return {
    date,
    asOf: asOf.toISOString(),
    findings,
    emails,
    findingsObject,
    dryRun,
    failures: failures.sort(),
    ...(held.lock?.tookOver ? { tookOverLock: { lock: held.lock.lock, ...held.lock.tookOver } } : {}),
    stats: {
      datasets: p.datasets.length,
      objects: objectCount,
      requests: caller.stats.requests,
      retries: caller.stats.retries,
    },
  };
}

/** The report of a run that did not run: another run of the date holds its lock. */
function skippedReport(
  date: string,
  asOf: Date,
  lock: LockHolder & { readonly lock: string },
  caller: AwsCaller,
): ValidationReport {
  return {
    date,
    asOf: asOf.toISOString(),
    findings: [],
    emails: [],
    dryRun: false,
    failures: [],
    skipped: { lock: lock.lock, holder: lock.holder, since: lock.since },
    stats: { datasets: 0, objects: 0, requests: caller.stats.requests, retries: caller.stats.retries },
  };
}

/**
 * One request before anything else: HeadBucket on the governance bucket. No answer at all (network,
 * credentials) means the validator cannot run; a missing or forbidden bucket too, unless in a dry run
 * (which writes nothing there).
 */
async function preflight(
  caller: AwsCaller,
  clients: AwsClients,
  bucket: string,
  dryRun: boolean,
): Promise<void> {
  try {
    await caller.call(`HeadBucket ${bucket}`, () =>
      clients.s3.send(new HeadBucketCommand({ Bucket: bucket })),
    );
  } catch (err) {
    const cause = err instanceof AwsCallError ? err.cause : err;
    const status = (cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((cause as { name?: string })?.name === "CredentialsProviderError")
      throw new ValidatorUnavailableError(
        `no AWS credentials for ${clients.where}: set a profile or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (any values for moto)`,
      );
    if (status === undefined || isNetworkError(cause))
      throw new ValidatorUnavailableError(`cannot reach ${clients.where}: ${(err as Error).message}`);
    if (!dryRun)
      throw new ValidatorUnavailableError(
        status === 404
          ? `the governance bucket ${bucket} does not exist (HTTP 404): deploy the lake stack first, or use --dry-run`
          : `the governance bucket ${bucket} cannot be used: ${(err as Error).message}`,
      );
  }
}

function unreadable(dataset: string, message: string, object?: string): Finding {
  return { dataset, check: "unreadable", severity: "error", message, ...(object ? { object } : {}) };
}

async function listObjects(
  caller: AwsCaller,
  clients: AwsClients,
  bucket: string,
  prefix: string,
): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await caller.call(`ListObjectsV2 ${s3Uri(bucket, prefix)}`, () =>
      clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })),
    );
    for (const o of page.Contents ?? [])
      if (o.Key !== undefined)
        objects.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

async function readBody(
  body: { transformToByteArray(): Promise<Uint8Array> } | undefined,
): Promise<Uint8Array> {
  return body ? body.transformToByteArray() : new Uint8Array(0);
}

function rangeReader(
  caller: AwsCaller,
  clients: AwsClients,
  bucket: string,
  key: string,
  listedSize: number,
): RangeReader {
  const uri = s3Uri(bucket, key);
  return {
    range: (start, end) =>
      caller.call(`GetObject ${uri} bytes=${start}-${end}`, async () => {
        const r = await clients.s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end}` }),
        );
        // A server that ignores Range answers the whole object: keep the bytes asked for.
        return (await readBody(r.Body)).subarray(0, end - start + 1);
      }),
    suffix: (n) =>
      caller.call(`GetObject ${uri} bytes=-${n}`, async () => {
        const r = await clients.s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=-${n}` }),
        );
        const bytes = await readBody(r.Body);
        const total = /\/(\d+)$/.exec(r.ContentRange ?? "");
        const size = total ? +total[1] : bytes.length >= listedSize ? bytes.length : listedSize;
        return { bytes: bytes.subarray(Math.max(0, bytes.length - n)), size };
      }),
  };
}

async function readTable(
  caller: AwsCaller,
  clients: AwsClients,
  catalogId: string,
  database: string,
  table: string,
): Promise<GlueTableShape | "missing"> {
  try {
    const { Table } = await caller.call(`GetTable ${database}.${table}`, () =>
      clients.glue.send(new GetTableCommand({ CatalogId: catalogId, DatabaseName: database, Name: table })),
    );
    return {
      columns: (Table?.StorageDescriptor?.Columns ?? []).map((c) => ({
        name: c.Name ?? "",
        type: c.Type ?? "",
      })),
      partitionKeys: (Table?.PartitionKeys ?? []).map((c) => ({ name: c.Name ?? "", type: c.Type ?? "" })),
      parameters: Table?.Parameters ?? {},
    };
  } catch (err) {
    if (err instanceof AwsCallError && err.code === "EntityNotFoundException") return "missing";
    throw err;
  }
}

type ObjectResult = InspectedObject | { readonly key: string; readonly error: AwsCallError } | undefined;

async function checkDataset(
  p: Platform,
  d: Dataset,
  date: string,
  asOf: Date,
  caller: AwsCaller,
  clients: AwsClients,
): Promise<{ findings: Finding[]; objects: number }> {
  const location = datasetLocation(p, d);
  const { bucket, prefix } = parseS3Location(location);
  const max = VALIDATOR_DEFAULTS.maxNamedObjects;
  const catalogId = lakeAccount(p).id;
  const database = databaseName(d.domain);
  const table = tableName(d);
  const findings: Finding[] = [];

  let objects: ListedObject[];
  try {
    objects = await listObjects(caller, clients, bucket, prefix);
  } catch (err) {
    return { findings: [unreadable(d.name, `no check ran: ${describeError(err)}`)], objects: 0 };
  }
  const tablePromise = readTable(caller, clients, catalogId, database, table).then(
    (t) => ({ table: t }),
    (err: unknown) => ({ error: err }),
  );
  const data = objects.filter(isDataObject);
  const results: ObjectResult[] = await Promise.all(
    data.map(async (o): Promise<ObjectResult> => {
      try {
        return {
          key: o.key,
          inspection: await inspectParquet(rangeReader(caller, clients, bucket, o.key, o.size), o.size),
        };
      } catch (err) {
        if (!(err instanceof AwsCallError)) throw err;
        // Deleted between listing and reading: nothing left to check.
        if (err.code === "NoSuchKey") return undefined;
        return { key: o.key, error: err };
      }
    }),
  );
  const inspected = results.filter((r): r is InspectedObject => r !== undefined && "inspection" in r);
  const failed = results.filter(
    (r): r is { key: string; error: AwsCallError } => r !== undefined && "error" in r,
  );
  findings.push(
    ...capNamedObjects(
      failed
        .sort((a, b) => a.key.localeCompare(b.key))
        .map((f) => unreadable(d.name, `cannot read the object: ${f.error.message}`, s3Uri(bucket, f.key))),
      max,
      (n) =>
        unreadable(d.name, `${n} more objects cannot be read (${failed.length} of ${data.length} in all)`),
    ),
  );
  findings.push(...formatFindings(d.name, bucket, inspected, max));

  const tableResult = await tablePromise;
  if ("error" in tableResult) {
    findings.push(unreadable(d.name, `schema and metadata not checked: ${describeError(tableResult.error)}`));
  } else if (tableResult.table === "missing") {
    findings.push(tableMissingFinding(d.name, database, table, catalogId));
  } else {
    const files = inspected.flatMap((o) =>
      o.inspection.ok ? [{ key: o.key, columns: o.inspection.columns }] : [],
    );
    findings.push(...schemaFindings(d.name, bucket, tableResult.table, files));
    findings.push(...metadataFindings(d, tableResult.table.parameters));
    // Past endsOn nobody reads it (no grant matches a retired table) and no crawler registers its
    // partitions: the registration finding is the one to act on.
    if (!registrationEnded(d, date))
      findings.push(
        ...(await checkQueryability({
          platform: p,
          dataset: d,
          layout: tableLayout(p, d),
          parameters: tableResult.table.parameters,
          objects: data,
          now: asOf,
          caller,
          clients,
          catalogId,
          database,
          table,
        })),
      );
  }

  findings.push(...registrationFindings(d, date, p.governance.reminderDays, data.length > 0));
  if (!registrationEnded(d, date)) {
    findings.push(...freshnessFindings(d, objects, asOf));
    const registered = Date.parse(`${d.registeredOn}T00:00:00Z`);
    const fullWindow = asOf.getTime() - registered >= VALIDATOR_DEFAULTS.volumeWindowHours * 3_600_000;
    if (data.length > 0 && fullWindow) {
      const rows = new Map(
        inspected.flatMap((o) => (o.inspection.ok ? [[o.key, o.inspection.numRows] as const] : [])),
      );
      findings.push(
        ...volumeFindings(
          d,
          dayVolume(objects, asOf, (k) => rows.get(k)),
        ),
      );
    }
  }
  return { findings, objects: data.length };
}
