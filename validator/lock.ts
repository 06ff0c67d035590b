/**
 * One run per date at a time, without Lambda reserved concurrency: a run takes a lock object in the
 * governance bucket (`locks/<date>.lock`) with an S3 conditional write and deletes it when it ends.
 *
 * - Taking it: `PutObject` with `If-None-Match: *` writes only if no object has that key; S3 answers
 *   412 Precondition Failed when one exists and 409 ConditionalRequestConflict when a conflicting write
 *   is under way ("How to prevent object overwrites with conditional writes",
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html). Either way another run
 *   holds the date, and this one reports it skipped.
 * - A stale lock (a run that crashed or timed out before releasing it): one whose `LastModified` is older
 *   than `staleAfterSeconds` is taken over with `PutObject` + `If-Match: <its ETag>`, so of two runs that
 *   both find it stale only one wins (the other gets 412 and skips). A Lambda run cannot live past
 *   Lambda's maximum timeout of 900 s, so a lock older than that is no Lambda run's any more; the default
 *   gives a run by hand the same again.
 * - Releasing: the run deletes the lock when it ends, successful or not, so a manual re-run of the same
 *   date (`npm run validate -- --date ...`) or a retry after a failure can run; the findings object of
 *   the date is the record that it ran. A dry run takes no lock (it writes nothing).
 * - Every lock carries the run's token (object metadata): a retried PutObject whose first attempt did
 *   take the lock (the answer was lost) finds its own token and keeps the lock.
 */
import { randomUUID } from "crypto";
import * as os from "os";
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { AwsCallError, AwsCaller, AwsClients } from "./aws";
import { lockKey } from "./defaults";
import { s3Uri } from "./checks/objects";

/** Who holds a lock and since when (from the lock object). */
export interface LockHolder {
  /** The holder's description, e.g. `lambda acme-governance-validator` or `alice@laptop pid 4242`. */
  readonly holder: string;
  /** When the lock was written (its `LastModified`), ISO 8601. */
  readonly since: string;
}

/** A lock this run holds. */
export interface HeldLock {
  readonly acquired: true;
  /** `s3://<governance bucket>/locks/<date>.lock`. */
  readonly lock: string;
  /** The stale lock this run took over, if it did. */
  readonly tookOver?: LockHolder;
  /** Deletes the lock; never throws (a lock left behind goes stale and is taken over). */
  release(): Promise<void>;
}

/** Another run holds the date. */
export interface LockHeld extends LockHolder {
  readonly acquired: false;
  readonly lock: string;
}

/** How to take a run's lock. */
export interface LockOptions {
  readonly bucket: string;
  readonly date: string;
  readonly holder: string;
  /** The current instant, compared with the lock's `LastModified`. */
  readonly now: Date;
  /** Age in seconds past which a lock is stale and taken over. */
  readonly staleAfterSeconds: number;
  /** Where a release that failed is reported. */
  readonly progress?: (line: string) => void;
}

const HOLDER_META = "holder";
const TOKEN_META = "token";

/** The default holder description: the Lambda function, or user@host and pid. */
export function defaultHolder(): string {
  const fn = process.env.AWS_LAMBDA_FUNCTION_NAME;
  if (fn) return `lambda ${fn}`;
  let user = "unknown";
  try {
    user = os.userInfo().username;
  } catch {
    // No user entry (some containers): keep "unknown".
  }
  return `${user}@${os.hostname()} pid ${process.pid}`;
}

/** 412 (the key exists, or its ETag changed) or 409 (a conflicting conditional write is under way). */
function conditionFailed(err: unknown): boolean {
  if (!(err instanceof AwsCallError)) return false;
  const status = (err.cause as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return (
    err.code === "PreconditionFailed" ||
    err.code === "ConditionalRequestConflict" ||
    status === 412 ||
    status === 409
  );
}

function notFound(err: unknown): boolean {
  if (!(err instanceof AwsCallError)) return false;
  const status = (err.cause as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return err.code === "NotFound" || err.code === "NoSuchKey" || status === 404;
}

/**
 * Takes the run lock of `date`, taking over a stale one; see the module comment. Failures other than a
 * failed condition (access denied, no bucket) are thrown as {@link AwsCallError}.
 */
export async function acquireRunLock(
  caller: AwsCaller,
  clients: AwsClients,
  options: LockOptions,
): Promise<HeldLock | LockHeld> {
  const { bucket } = options;
  const key = lockKey(options.date);
  const uri = s3Uri(bucket, key);
  const token = randomUUID();
  const startedAt = options.now.toISOString();
  const put = (condition: { IfNoneMatch: "*" } | { IfMatch: string }) =>
    caller.call(`PutObject ${uri} (${"IfNoneMatch" in condition ? "If-None-Match: *" : "If-Match"})`, () =>
      clients.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: `${JSON.stringify({ date: options.date, holder: options.holder, startedAt })}\n`,
          ContentType: "application/json",
          Metadata: { [HOLDER_META]: options.holder, [TOKEN_META]: token },
          ...condition,
        }),
      ),
    );
  const held = (tookOver?: LockHolder): HeldLock => ({
    acquired: true,
    lock: uri,
    ...(tookOver ? { tookOver } : {}),
    release: async () => {
      try {
        await caller.call(`DeleteObject ${uri}`, () =>
          clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })),
        );
      } catch (err) {
        options.progress?.(
          `could not release the run lock ${uri} (${(err as Error).message}); it is taken over after ${options.staleAfterSeconds} s`,
        );
      }
    },
  });

  // Two rounds: a lock released between our PutObject and our HeadObject is taken on the second.
  for (let round = 0; round < 2; round++) {
    try {
      await put({ IfNoneMatch: "*" });
      return held();
    } catch (err) {
      if (!conditionFailed(err)) throw err;
    }
    let head;
    try {
      head = await caller.call(`HeadObject ${uri}`, () =>
        clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
      );
    } catch (err) {
      if (notFound(err)) continue;
      throw err;
    }
    const holder: LockHolder = {
      holder: head.Metadata?.[HOLDER_META] ?? "unknown",
      since: (head.LastModified ?? options.now).toISOString(),
    };
    // Our own lock, from an attempt whose answer was lost.
    if (head.Metadata?.[TOKEN_META] === token) return held();
    const ageSeconds = (options.now.getTime() - (head.LastModified ?? options.now).getTime()) / 1000;
    if (ageSeconds <= options.staleAfterSeconds || !head.ETag)
      return { acquired: false, lock: uri, ...holder };
    try {
      await put({ IfMatch: head.ETag });
      return held(holder);
    } catch (err) {
      // Another run took it over first, or released it and a third took it.
      if (conditionFailed(err) || notFound(err)) return { acquired: false, lock: uri, ...holder };
      throw err;
    }
  }
  throw new Error(`the run lock ${uri} was taken and released twice while this run tried to take it`);
}
