import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { RecordedResource, RunResult, runProgram } from "../../tooling/mock-runtime/harness";

/** The account every component test deploys into. */
export const ACCOUNT = "111111111111";

/** Runs `build` with an explicit provider for {@link ACCOUNT}, as the account program does. */
export function withProvider(build: (provider: aws.Provider) => unknown): Promise<RunResult> {
  return runProgram(() =>
    build(new aws.Provider("lake", { region: "eu-west-1", allowedAccountIds: [ACCOUNT] })),
  );
}

/** Resources of one type. */
export function ofType(result: RunResult, type: string): RecordedResource[] {
  return result.resources.filter((r) => r.type === type);
}

/** The one resource of that logical name. */
export function named(result: RunResult, name: string): RecordedResource {
  const found = result.resources.filter((r) => r.name === name);
  expect(found, `resources named ${name}`).to.have.length(1);
  return found[0];
}

/** Type → count of the component's children (everything but the stack, the provider and the component). */
export function childCounts(result: RunResult, componentType: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of result.resources) {
    if (
      r.type === componentType ||
      r.type === "pulumi:pulumi:Stack" ||
      r.type.startsWith("pulumi:providers:")
    )
      continue;
    counts[r.type] = (counts[r.type] ?? 0) + 1;
  }
  return counts;
}

/**
 * Every child of the component hangs under it and every custom child uses the test's explicit provider;
 * every child name starts with the component's name.
 */
export function expectWiredUnder(result: RunResult, componentType: string, name: string): void {
  const [component] = ofType(result, componentType);
  const [provider] = result.resources.filter((r) => r.type === "pulumi:providers:aws");
  const ref = `${provider.urn}::${provider.name}-provider-id`;
  const children = result.resources.filter((r) => r.parent === component.urn);
  expect(children.length).to.be.greaterThan(0);
  const others = result.resources.filter(
    (r) =>
      r !== component && r !== provider && r.type !== "pulumi:pulumi:Stack" && r.parent !== component.urn,
  );
  expect(
    others.map((r) => r.name),
    "children outside the component",
  ).to.deep.equal([]);
  for (const child of children) {
    expect(child.name.startsWith(`${name}-`), child.name).to.equal(true);
    if (child.custom) expect(child.provider, `${child.type} ${child.name}`).to.equal(ref);
  }
}

/** Catches the error `run` rejects with. */
export async function rejection(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (err) {
    return err as Error;
  }
  expect.fail("expected the program to fail");
}
