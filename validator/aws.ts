/**
 * The AWS side of the validator: SDK v3 clients (S3, Glue, SES v2) and one caller that every request goes
 * through, bounding how many are in flight, retrying throttling and transient failures
 * (`retry.ts`) and counting requests.
 */
import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { VALIDATOR_DEFAULTS } from "./defaults";
import { DEFAULT_RETRY_POLICY, isRetryable, RetryPolicy, withRetry } from "./retry";

/** Where and as whom the clients call AWS. */
export interface AwsOptions {
  /** The region of the lake account. */
  readonly region: string;
  /** Another endpoint for every service (moto, LocalStack, a VPC endpoint); S3 then uses path-style URLs. */
  readonly endpoint?: string;
  /** Static credentials; by default the SDK's provider chain (environment, profile, Lambda role). */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

/** The three clients the validator uses. */
export interface AwsClients {
  readonly s3: S3Client;
  readonly glue: GlueClient;
  readonly ses: SESv2Client;
  /** The endpoint they call, for messages: the custom one, or `AWS (<region>)`. */
  readonly where: string;
}

/**
 * Builds the clients, each with `maxAttempts: 1` (the caller retries, body reads included) and the
 * timeouts of VALIDATOR_DEFAULTS.http.
 */
export function createClients(options: AwsOptions): AwsClients {
  if (!options.region) throw new Error("region: required (the lake account's region, e.g. eu-west-1)");
  if (options.endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(options.endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:"))
      throw new Error(`endpoint: "${options.endpoint}" is not an http(s) URL such as http://127.0.0.1:5000`);
  }
  const common = {
    region: options.region,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: VALIDATOR_DEFAULTS.http.connectionTimeoutMs,
      requestTimeout: VALIDATOR_DEFAULTS.http.requestTimeoutMs,
    },
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
  };
  return {
    s3: new S3Client({ ...common, forcePathStyle: options.endpoint !== undefined }),
    glue: new GlueClient(common),
    ses: new SESv2Client(common),
    where: options.endpoint ?? `AWS (${options.region})`,
  };
}

/** A call that failed for good: its operation, the last error and how many attempts were made. */
export class AwsCallError extends Error {
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
    readonly attempts: number,
  ) {
    super(`${operation} failed${attempts > 1 ? ` after ${attempts} attempts` : ""}: ${describeError(cause)}`);
    this.name = "AwsCallError";
  }

  /** The AWS error name of the cause (`EntityNotFoundException`, `NoSuchKey`, `AccessDenied`...). */
  get code(): string | undefined {
    return (this.cause as { name?: string } | undefined)?.name;
  }

  /** True when the failure was throttling, a 5xx or the network, retried until the attempts ran out. */
  get transient(): boolean {
    return isRetryable(this.cause);
  }
}

/** `Name (HTTP 503): message` of an SDK or network error. */
export function describeError(error: unknown): string {
  if (error instanceof AwsCallError) return error.message;
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: string }).code;
  const cause = (error as { cause?: unknown }).cause;
  const detail = error.message || (cause instanceof Error ? cause.message : "") || code || "";
  return `${error.name}${status ? ` (HTTP ${status})` : code && code !== error.name ? ` (${code})` : ""}${detail && detail !== error.name ? `: ${detail}` : ""}`;
}

/** Requests made and retries among them. */
export interface CallStats {
  requests: number;
  retries: number;
}

/** Bounds concurrency, retries, and counts every AWS request of a run. */
export class AwsCaller {
  /** Requests sent (every attempt counts) and retries among them. */
  readonly stats: CallStats = { requests: 0, retries: 0 };
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number = VALIDATOR_DEFAULTS.concurrency,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`concurrency: ${concurrency} must be an integer of at least 1`);
  }

  /**
   * Runs `call` (one AWS request and the reading of its response) in a free slot, retrying with the
   * policy; a failure for good becomes an {@link AwsCallError} naming `operation`.
   */
  async call<T>(operation: string, call: () => Promise<T>): Promise<T> {
    await this.acquire();
    let attempts = 0;
    try {
      return await withRetry(
        () => {
          attempts++;
          this.stats.requests++;
          return call();
        },
        { ...this.policy, onRetry: () => void this.stats.retries++ },
      );
    } catch (error) {
      throw new AwsCallError(operation, error, attempts);
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
