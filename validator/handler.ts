/**
 * The scheduled Lambda: reads the platform definition the deployment published in the governance bucket
 * (`REGISTRY_KEY`, JSON), validates "today" (UTC) or `event.date`, writes the findings and sends the
 * e-mails. A run whose e-mails could not all be sent fails, so the schedule's retry and alarms see it.
 * A run of a date whose run lock another run holds returns `skipped` without failing (`lock.ts`).
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { parsePlatform } from "../platform";
import type { Platform } from "../platform";
import { AwsCaller, AwsClients, AwsOptions, createClients } from "./aws";
import { parseDate, utcDate } from "./dates";
import { GOVERNANCE_BUCKET_ENV, REGISTRY_KEY } from "./defaults";
import { countBySeverity, Severity } from "./findings";
import { validate } from "./validator";

/** The scheduler's event: both fields optional. */
export interface ValidatorEvent {
  /** The run date, `YYYY-MM-DD`. @default today (UTC) */
  readonly date?: string;
  /** Read and report only. @default false */
  readonly dryRun?: boolean;
}

/** What the invocation returns (and logs). */
export interface ValidatorResult {
  readonly date: string;
  readonly findings: number;
  readonly bySeverity: Record<Severity, number>;
  readonly emails: readonly { readonly to: string; readonly subject: string }[];
  readonly findingsObject?: string;
  /** Set when another run of the date held its lock: this one ran no check (and does not fail). */
  readonly skipped?: { readonly lock: string; readonly holder: string; readonly since: string };
}

/** Where the handler finds the governance bucket and how it reaches AWS. */
export interface HandlerOptions {
  /** The governance bucket holding the registry. @default process.env.GOVERNANCE_BUCKET */
  readonly governanceBucket?: string;
  /** Clients' region and endpoint. @default the region Lambda sets in AWS_REGION */
  readonly aws?: AwsOptions;
  /** The current instant (tests). @default new Date() */
  readonly now?: () => Date;
  /** Where the result's JSON line goes. @default console.log (CloudWatch Logs in Lambda) */
  readonly log?: (line: string) => void;
}

/** Reads and validates the published platform definition; throws naming the object when it is not one. */
export async function readRegistry(clients: AwsClients, bucket: string): Promise<Platform> {
  const caller = new AwsCaller(1);
  const text = await caller.call(`GetObject s3://${bucket}/${REGISTRY_KEY}`, async () => {
    const r = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: REGISTRY_KEY }));
    if (!r.Body) throw new Error(`s3://${bucket}/${REGISTRY_KEY} has no body`);
    return r.Body.transformToString("utf8");
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`s3://${bucket}/${REGISTRY_KEY} is not JSON: ${(err as Error).message}`);
  }
  return parsePlatform(data, `s3://${bucket}/${REGISTRY_KEY}`);
}

/** Builds a handler; {@link handler} is the one Lambda runs, configured from its environment. */
export function createHandler(
  options: HandlerOptions = {},
): (event?: ValidatorEvent) => Promise<ValidatorResult> {
  return async (event = {}) => {
    const bucket = options.governanceBucket ?? process.env[GOVERNANCE_BUCKET_ENV];
    if (!bucket) throw new Error(`${GOVERNANCE_BUCKET_ENV}: set it to the governance bucket's name`);
    const region = options.aws?.region ?? process.env.AWS_REGION;
    if (!region) throw new Error("AWS_REGION: not set (Lambda sets it; set it when running elsewhere)");
    const now = options.now?.() ?? new Date();
    const date = event.date ?? utcDate(now);
    parseDate(date, "event.date");
    if (event.dryRun !== undefined && typeof event.dryRun !== "boolean")
      throw new Error(`event.dryRun: ${JSON.stringify(event.dryRun)} must be true or false`);
    const clients = createClients({ ...options.aws, region });
    const platform = await readRegistry(clients, bucket);
    const report = await validate({ platform, date, clients, dryRun: event.dryRun ?? false, now });
    const result: ValidatorResult = {
      date,
      findings: report.findings.length,
      bySeverity: countBySeverity(report.findings),
      emails: report.emails.map(({ to, subject }) => ({ to, subject })),
      ...(report.findingsObject ? { findingsObject: report.findingsObject } : {}),
      ...(report.skipped ? { skipped: report.skipped } : {}),
    };
    (options.log ?? console.log)(JSON.stringify(result));
    if (report.failures.length > 0)
      throw new Error(
        `${report.failures.length} e-mail(s) could not be sent:\n${report.failures.join("\n")}`,
      );
    return result;
  };
}

/** The Lambda entry point (`handler.handler`). */
export const handler = createHandler();
