/**
 * Every tunable of the governance validator in one place: concurrency, retries, Parquet reads, the volume
 * thresholds and where findings and the published definition live. Nothing else in the runtime hard-codes
 * one of these numbers.
 */

/** The validator's defaults. */
export const VALIDATOR_DEFAULTS = {
  /** Ranged reads and catalog calls in flight at once, across all datasets. */
  concurrency: 24,
  /** Retries of throttling, 5xx and network errors: exponential backoff with full jitter. */
  retry: {
    /** Attempts per call, the first included. */
    maxAttempts: 6,
    /** Backoff before the first retry: a random delay in [0, baseDelayMs]; doubles with each retry. */
    baseDelayMs: 100,
    /** Upper bound of one backoff delay. */
    maxDelayMs: 5_000,
  },
  /** HTTP timeouts of every AWS call (a hung connection becomes a retryable timeout). */
  http: { connectionTimeoutMs: 5_000, requestTimeoutMs: 30_000 },
  /**
   * Bytes read from an object's end in one ranged GET: the 8-byte trailer (footer length + `PAR1`) and, for
   * most files, the whole footer with it. A larger footer takes a second ranged read of exactly its size.
   */
  tailReadBytes: 64 * 1024,
  /** Footers larger than this are reported rather than read. */
  maxFooterBytes: 16 * 1024 * 1024,
  /** Per check and dataset, objects named one by one before the rest are summed up in one finding. */
  maxNamedObjects: 20,
  /** Volume is "far outside" its declared range below `min × below` or above `max × above`. */
  volume: { below: 0.1, above: 10 },
  /** The window, in hours before the as-of instant, whose objects make "a day" of volume. */
  volumeWindowHours: 24,
  /**
   * The run lock (`lock.ts`): a lock older than this many seconds is stale and taken over. Twice Lambda's
   * maximum timeout of 900 s: no Lambda run holds a lock that old, and a run by hand gets the same again.
   */
  lock: { staleAfterSeconds: 1_800 },
  /** Bytes of the declared volume units (decimal, as S3 and AWS billing count them). */
  volumeUnitBytes: { "MB/day": 1e6, "GB/day": 1e9, "TB/day": 1e12 } as Record<string, number>,
} as const;

/** The governance bucket key the deployment publishes the platform definition at, as JSON. */
export const REGISTRY_KEY = "registry/platform.json";

/** The Lambda environment variable naming the governance bucket (the handler reads the registry there). */
export const GOVERNANCE_BUCKET_ENV = "GOVERNANCE_BUCKET";

/** The governance bucket key of one run date's findings (JSON lines; a re-run overwrites it). */
export function findingsKey(date: string): string {
  return `findings/date=${date}/findings.jsonl`;
}

/** The governance bucket prefix of the run locks (the validator role may write and delete there only). */
export const LOCK_PREFIX = "locks/";

/** The governance bucket key of one run date's lock, held while a run of that date is under way. */
export function lockKey(date: string): string {
  return `${LOCK_PREFIX}${date}.lock`;
}
