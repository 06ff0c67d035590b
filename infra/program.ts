import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { accountByName, loadPlatform } from "../platform";
import { consumerAccount } from "./consumer";
import { lakeAccount } from "./lake";
import { producerAccount } from "./producer";
import { accountProvider } from "./provider";

/** The platform definition read when the stack's config does not name one. */
export const DEFAULT_PLATFORM_FILE = path.join(__dirname, "..", "stacks", "platform.yaml");

/** Today as YYYY-MM-DD (the day expiry decisions are made for, unless `lakehouse:date` says). */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Builds what one account's role needs. Config (namespace `lakehouse`):
 * - `account` (required): the account of the platform definition this stack deploys;
 * - `platform`: the definition's path (default `stacks/platform.yaml`);
 * - `date`: "today", `YYYY-MM-DD`, for expiry decisions (default the real date).
 *
 * The definition is validated before any resource is declared; an invalid one fails the program with
 * every problem listed.
 */
export async function lakehouseProgram(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config("lakehouse");
  const accountName = config.require("account");
  const platform = loadPlatform(config.get("platform") ?? DEFAULT_PLATFORM_FILE);
  const account = accountByName(platform, accountName);
  const context = { platform, account, date: config.get("date") ?? today() };
  const provider = accountProvider(account, pulumi.getStack());
  const common = { account: account.name, accountId: account.id, role: account.role, region: account.region };
  switch (account.role) {
    case "lake":
      return { ...common, ...lakeAccount(context, provider) };
    case "producer":
      return { ...common, ...producerAccount(context, provider) };
    case "consumer":
      return { ...common, ...consumerAccount(context, provider) };
  }
}
