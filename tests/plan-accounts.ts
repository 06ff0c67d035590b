import { lakehouseProgram } from "../infra/program";
import { loadPlatform } from "../platform";
import { RunResult, runProgram } from "../tooling/mock-runtime/harness";

/** The day the example's grants are judged for in tests (all of them active). */
export const TEST_DATE = "2026-11-24";

/**
 * Runs the account program once per account of the definition in `platformFile`, as `npm run plan` does,
 * and returns each account's run in the definition's order.
 */
export async function planAccounts(
  platformFile: string,
  date = TEST_DATE,
): Promise<{ account: string; run: RunResult }[]> {
  const out: { account: string; run: RunResult }[] = [];
  for (const account of loadPlatform(platformFile).accounts) {
    const run = await runProgram(lakehouseProgram, {
      stack: account.name,
      config: {
        "lakehouse:account": account.name,
        "lakehouse:platform": platformFile,
        "lakehouse:date": date,
      },
    });
    out.push({ account: account.name, run });
  }
  return out;
}
