import { main } from "../tooling/plan/cli";

/** Runs the plan CLI in-process; returns its exit status and what it wrote to stdout and stderr. */
export async function runPlanCli(
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}
