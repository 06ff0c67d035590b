import type { Account, Platform } from "../../../platform";
import type { AccountClients } from "./aws";
import type { PreflightStatus } from "./types";

/** What a check knows of the account it checks. */
export interface CheckContext {
  readonly platform: Platform;
  readonly account: Account;
  /** The stack deploying the account. */
  readonly stack: string;
  /** The stack file's `secretsprovider:` (absent: the backend's default). */
  readonly secretsProvider?: string;
  /** Clients as the deployment's principal in this account. */
  readonly clients: AccountClients;
  /** The deployment's principal as an IAM role (or user) ARN, from STS GetCallerIdentity. */
  readonly deployer: string;
}

/** One check's outcome, before the stack and account are added. */
export interface Finding {
  readonly check: string;
  readonly status: PreflightStatus;
  readonly message: string;
}

export const ok = (check: string, message: string): Finding => ({ check, status: "ok", message });
export const missing = (check: string, message: string): Finding => ({ check, status: "missing", message });
export const unknown = (check: string, message: string): Finding => ({ check, status: "unknown", message });

/** The index of an account in `accounts[]`, for messages naming the field to change. */
export function accountPath(ctx: Pick<CheckContext, "platform" | "account">): string {
  return `accounts[${ctx.platform.accounts.indexOf(ctx.account)}]`;
}
