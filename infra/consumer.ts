import type * as aws from "@pulumi/aws";
import type { AccountContext } from "./context";

/**
 * A consumer account. Its Lake Formation settings, resource links, analyst roles and workgroups arrive
 * with the sharing components; today the stack holds the account's provider and reports its teams.
 */
export function consumerAccount(ctx: AccountContext, _provider: aws.Provider): Record<string, unknown> {
  return { teams: ctx.platform.consumers.filter((c) => c.account === ctx.account.name).map((c) => c.team) };
}
