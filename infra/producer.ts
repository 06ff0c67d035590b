import type * as aws from "@pulumi/aws";
import type { AccountContext } from "./context";

/**
 * A producer account. Its ingestion (streams, Firehose, DMS) arrives with the ingestion components;
 * today the stack holds the account's provider and reports the datasets it is registered to produce.
 */
export function producerAccount(ctx: AccountContext, _provider: aws.Provider): Record<string, unknown> {
  return {
    datasets: ctx.platform.datasets.filter((d) => d.producer === ctx.account.name).map((d) => d.name),
  };
}
