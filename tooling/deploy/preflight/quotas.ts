/**
 * Service quotas the stacks consume: Lambda concurrency for the governance validator (lake account) and
 * Kinesis shards and on-demand streams for the producers' streaming datasets.
 */
import { DescribeLimitsCommand, DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { GetAccountSettingsCommand } from "@aws-sdk/client-lambda";
import { ingestionStreamName } from "../../../platform";
import { errorName, unknownBecause } from "./aws";
import { CheckContext, Finding, missing, ok, unknown } from "./context";

/** The concurrency the validator needs to run (one run a day, and a few by hand). */
export const VALIDATOR_CONCURRENCY = 10;

/**
 * Lambda's account concurrency in the lake's region (GetAccountSettings:
 * `AccountLimit.ConcurrentExecutions` and `AccountLimit.UnreservedConcurrentExecutions`,
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html): at least
 * {@link VALIDATOR_CONCURRENCY} of each for the validator.
 */
export async function lambdaConcurrency(ctx: CheckContext): Promise<Finding[]> {
  if (ctx.account.role !== "lake") return [];
  const check = "lambda-concurrency";
  try {
    const out = await ctx.clients.lambda.send(new GetAccountSettingsCommand({}));
    const total = out.AccountLimit?.ConcurrentExecutions;
    const unreserved = out.AccountLimit?.UnreservedConcurrentExecutions;
    if (total === undefined || unreserved === undefined)
      return [unknown(check, "lambda GetAccountSettings returned no AccountLimit")];
    if (total >= VALIDATOR_CONCURRENCY && unreserved >= VALIDATOR_CONCURRENCY)
      return [ok(check, `Lambda concurrency ${total} (${unreserved} unreserved) in ${ctx.account.region}`)];
    return [
      missing(
        check,
        `Lambda concurrency in ${ctx.account.region} is ${total} (${unreserved} unreserved), below the ${VALIDATOR_CONCURRENCY} the ` +
          `governance validator needs: request an increase (console: Service Quotas > AWS Lambda > Concurrent executions > ` +
          `Request increase), or release reserved concurrency of other functions (aws lambda delete-function-concurrency --function-name <name>)`,
      ),
    ];
  } catch (err) {
    return [unknown(check, unknownBecause("lambda GetAccountSettings", err))];
  }
}

/**
 * Kinesis shards and on-demand streams of a producer's streaming datasets, against DescribeLimits
 * (`ShardLimit`, `OpenShardCount`, `OnDemandStreamCount`, `OnDemandStreamCountLimit`:
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeLimits.html). Streams that exist
 * already (DescribeStreamSummary: an earlier deployment) count in the usage, not in the need
 * (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStreamSummary.html).
 */
export async function kinesisQuota(ctx: CheckContext): Promise<Finding[]> {
  const streaming = ctx.platform.datasets.flatMap((d) =>
    d.producer === ctx.account.name && d.ingestion.type === "firehose"
      ? [{ d, stream: d.ingestion.stream }]
      : [],
  );
  if (streaming.length === 0) return [];
  const check = "kinesis-quota";
  try {
    const fresh: typeof streaming = [];
    for (const s of streaming) {
      try {
        await ctx.clients.kinesis.send(
          new DescribeStreamSummaryCommand({ StreamName: ingestionStreamName(ctx.platform, s.d) }),
        );
      } catch (err) {
        if (errorName(err) !== "ResourceNotFoundException") throw err;
        fresh.push(s);
      }
    }
    const shards = fresh.reduce(
      (n, s) => n + (s.stream.mode === "provisioned" ? (s.stream.shards ?? 1) : 0),
      0,
    );
    const onDemand = fresh.filter((s) => s.stream.mode === "on-demand").length;
    const limits = await ctx.clients.kinesis.send(new DescribeLimitsCommand({}));
    const freeShards = (limits.ShardLimit ?? 0) - (limits.OpenShardCount ?? 0);
    const freeOnDemand = (limits.OnDemandStreamCountLimit ?? 0) - (limits.OnDemandStreamCount ?? 0);
    const short: string[] = [];
    if (shards > freeShards)
      short.push(
        `${shards} provisioned shards needed, ${freeShards} free (ShardLimit ${limits.ShardLimit}, ${limits.OpenShardCount} open)`,
      );
    if (onDemand > freeOnDemand)
      short.push(
        `${onDemand} on-demand streams needed, ${freeOnDemand} free (OnDemandStreamCountLimit ${limits.OnDemandStreamCountLimit}, ${limits.OnDemandStreamCount} in use)`,
      );
    if (short.length === 0)
      return [
        ok(
          check,
          `${shards} new provisioned shards (${freeShards} free) and ${onDemand} new on-demand streams (${freeOnDemand} free) in ${ctx.account.region}`,
        ),
      ];
    return [
      missing(
        check,
        `Kinesis in ${ctx.account.region}: ${short.join("; ")}: request an increase (console: Service Quotas > Amazon Kinesis Data Streams), ` +
          `or lower datasets[].ingestion.stream.shards`,
      ),
    ];
  } catch (err) {
    return [unknown(check, unknownBecause("kinesis DescribeLimits", err))];
  }
}
