/**
 * Retries of throttling and transient errors: exponential backoff with full jitter around any call, the
 * response body read included (a connection reset while streaming a ranged read is retried too, which
 * the SDK's own retry strategy cannot do). The SDK clients are built with `maxAttempts: 1` so that this
 * is the one retry layer.
 */
import { VALIDATOR_DEFAULTS } from "./defaults";

/** How often and how long to retry. */
export interface RetryPolicy {
  /** Attempts per call, the first included. @default VALIDATOR_DEFAULTS.retry.maxAttempts */
  readonly maxAttempts: number;
  /** Upper bound of the first backoff; doubles with each retry. @default VALIDATOR_DEFAULTS.retry.baseDelayMs */
  readonly baseDelayMs: number;
  /** Upper bound of any backoff. @default VALIDATOR_DEFAULTS.retry.maxDelayMs */
  readonly maxDelayMs: number;
  /** A number in [0, 1) (injectable for tests). @default Math.random */
  readonly random?: () => number;
  /** Waits `ms` milliseconds (injectable for tests). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called before each retry with the error and the delay chosen. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** The default policy. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { ...VALIDATOR_DEFAULTS.retry };

/** Error names and codes AWS uses for throttling (the SDK's own list, with S3's `SlowDown`). */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "LimitExceededException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "TransactionInProgressException",
]);

/** Error names and codes of transient server-side failures. */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalError",
  "InternalFailure",
  "InternalServiceError",
  "InternalServiceException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
]);

/** Node.js socket error codes of a connection that failed, was reset or timed out. */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
]);

/** HTTP statuses worth another attempt. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

interface ErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/** True for a network-level failure (no HTTP response): refused, reset, timed out, unreachable. */
export function isNetworkError(error: unknown): boolean {
  for (let e = error as ErrorLike | undefined, depth = 0; e && depth < 5; e = e.cause as ErrorLike, depth++) {
    if (typeof e !== "object") return false;
    if ((e.code && NETWORK_CODES.has(e.code)) || e.name === "TimeoutError") return true;
    if (/socket hang up|aborted|ECONNRESET/i.test(e.message ?? "") && !e.$metadata?.httpStatusCode)
      return true;
  }
  return false;
}

/** True when another attempt may succeed: throttling, 5xx, 429, timeouts and network failures. */
export function isRetryable(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as ErrorLike;
  if (e.$retryable) return true;
  for (const code of [e.name, e.code, e.Code]) {
    if (code && (THROTTLING_CODES.has(code) || TRANSIENT_CODES.has(code))) return true;
  }
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && RETRYABLE_STATUSES.has(status)) return true;
  return isNetworkError(error);
}

/** The backoff before retry number `retry` (1-based): uniform in [0, min(max, base × 2^(retry-1))]. */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call`, retrying retryable errors ({@link isRetryable}) up to `policy.maxAttempts` attempts with
 * exponential backoff and full jitter; rethrows the last error, or a non-retryable one at once.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1)
    throw new Error(`retry policy maxAttempts: ${policy.maxAttempts} must be an integer of at least 1`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.maxAttempts || !isRetryable(error)) throw error;
      const delay = backoffDelay(attempt, policy);
      policy.onRetry?.(error, attempt, delay);
      await (policy.sleep ?? defaultSleep)(delay);
    }
  }
}
