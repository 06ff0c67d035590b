import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { isRealDate, loadPlatform, Platform, PlatformDefinitionError } from "../platform";
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
  // Under `pulumi up` the plan's CLI is not there to check the config: the program does, before any
  // resource is declared. RunError: the engine prints the message without a stack trace.
  const date = config.get("date") ?? today();
  if (!isRealDate(date))
    throw new pulumi.RunError(
      `lakehouse:date "${date.slice(0, 40)}" is not a calendar date: set it as YYYY-MM-DD ` +
        "(pulumi config set lakehouse:date 2026-11-24), or remove it to use today",
    );
  const platform = readPlatform(config.get("platform") ?? DEFAULT_PLATFORM_FILE);
  const account = platform.accounts.find((a) => a.name === accountName);
  if (!account)
    throw new pulumi.RunError(
      `lakehouse:account "${accountName.slice(0, 80)}" is not an account of the platform definition ` +
        `(accounts: ${platform.accounts.map((a) => a.name).join(", ")}): set it to the account this stack deploys`,
    );
  const context = { platform, account, date };
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

/** The definition `lakehouse:platform` names, or a RunError naming the key and the fix. */
function readPlatform(file: string): Platform {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new pulumi.RunError(
      `lakehouse:platform ${file}: no such file; set it to the platform definition's path ` +
        "(pulumi config set lakehouse:platform stacks/platform.yaml), or remove it for the default",
    );
  }
  if (!stat.isFile())
    throw new pulumi.RunError(
      `lakehouse:platform ${file} is not a file: set it to the platform definition's path`,
    );
  try {
    return loadPlatform(file);
  } catch (err) {
    if (err instanceof PlatformDefinitionError) throw new pulumi.RunError(err.message);
    throw err;
  }
}
