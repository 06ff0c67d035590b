import { expect } from "chai";
import { AwsCaller, AwsCallError } from "../../validator/aws";
import { backoffDelay, isRetryable, withRetry } from "../../validator/retry";
import type { RetryPolicy } from "../../validator/retry";

function awsError(name: string, status?: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code}`), { code });
}

describe("governance runtime: retries", () => {
  it("retries throttling by name, whatever the status (SlowDown, ThrottlingException, TooManyRequestsException)", () => {
    for (const name of [
      "SlowDown",
      "ThrottlingException",
      "TooManyRequestsException",
      "RequestLimitExceeded",
    ])
      expect(isRetryable(awsError(name, 400)), name).to.equal(true);
  });

  it("retries 429 and 5xx responses and transient server errors", () => {
    for (const status of [429, 500, 502, 503, 504])
      expect(isRetryable(awsError("Unknown", status)), `${status}`).to.equal(true);
    expect(isRetryable(awsError("InternalError"))).to.equal(true);
    expect(isRetryable(awsError("TimeoutError"))).to.equal(true);
  });

  it("retries refused, reset and timed-out connections, also when wrapped as a cause", () => {
    for (const code of ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"])
      expect(isRetryable(networkError(code)), code).to.equal(true);
    expect(isRetryable(new Error("fetch failed", { cause: networkError("ECONNRESET") }))).to.equal(true);
  });

  it("does not retry client errors: access denied, missing keys and tables, validation", () => {
    expect(isRetryable(awsError("AccessDenied", 403))).to.equal(false);
    expect(isRetryable(awsError("NoSuchKey", 404))).to.equal(false);
    expect(isRetryable(awsError("EntityNotFoundException", 400))).to.equal(false);
    expect(isRetryable(awsError("ValidationException", 400))).to.equal(false);
    expect(isRetryable(new TypeError("x is undefined"))).to.equal(false);
    expect(isRetryable(undefined)).to.equal(false);
  });

  it("backs off exponentially with full jitter, capped at maxDelayMs", () => {
    const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999 };
    expect([1, 2, 3, 4, 5, 6].map((r) => backoffDelay(r, policy))).to.deep.equal([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(backoffDelay(3, { ...policy, random: () => 0 })).to.equal(0);
  });

  it("retries until a call succeeds, sleeping the backoff between attempts", async () => {
    const slept: number[] = [];
    const errors = [awsError("SlowDown", 503), networkError("ECONNRESET")];
    let calls = 0;
    const policy: RetryPolicy = {
      maxAttempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 5_000,
      random: () => 0.5,
      sleep: async (ms) => void slept.push(ms),
    };
    const value = await withRetry(async () => {
      calls++;
      const e = errors.shift();
      if (e) throw e;
      return "ok";
    }, policy);
    expect(value).to.equal("ok");
    expect(calls).to.equal(3);
    expect(slept).to.deep.equal([50, 100]);
  });

  it("gives up after maxAttempts with the last error, and at once on a non-retryable one", async () => {
    const policy: RetryPolicy = {
      maxAttempts: 3,
      baseDelayMs: 1,
      maxDelayMs: 1,
      sleep: async () => undefined,
    };
    let calls = 0;
    const exhausted = await withRetry(async () => {
      calls++;
      throw awsError("ThrottlingException", 400);
    }, policy).catch((e: Error) => e);
    expect(calls).to.equal(3);
    expect((exhausted as Error).name).to.equal("ThrottlingException");

    calls = 0;
    await withRetry(async () => {
      calls++;
      throw awsError("AccessDenied", 403);
    }, policy).catch(() => undefined);
    expect(calls).to.equal(1);
  });

  it("rejects a policy without a positive whole number of attempts", async () => {
    const err = await withRetry(async () => 1, { maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1 }).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).to.match(/maxAttempts: 0 must be an integer of at least 1/);
  });

  it("the caller counts every attempt, keeps at most `concurrency` calls in flight and names the operation that failed", async () => {
    const caller = new AwsCaller(2, { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 });
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        caller.call("op", async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(peak).to.equal(2);
    const err = await caller
      .call("GetObject s3://b/k", async () => {
        throw awsError("SlowDown", 503);
      })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AwsCallError);
    expect((err as AwsCallError).message).to.equal(
      "GetObject s3://b/k failed after 2 attempts: SlowDown (HTTP 503): SlowDown happened",
    );
    expect((err as AwsCallError).transient).to.equal(true);
    expect(caller.stats).to.deep.equal({ requests: 10, retries: 1 });
    expect(() => new AwsCaller(0)).to.throw(/concurrency: 0 must be an integer of at least 1/);
  });
});
