import type { Account, Platform } from "../platform";

/** What an account's builder knows: the validated definition, its own account and "today". */
export interface AccountContext {
  readonly platform: Platform;
  readonly account: Account;
  /** `YYYY-MM-DD`. */
  readonly date: string;
}
