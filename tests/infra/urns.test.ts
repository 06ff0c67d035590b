import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { planAccounts } from "../plan-accounts";

const ROOT = path.join(__dirname, "..", "..");
const PLATFORM = path.join(ROOT, "stacks", "platform.yaml");
/** The example platform's URNs, one per line, sorted: what `pulumi up` has already created in its accounts. */
const EXPECTED = path.join(__dirname, "example-urns.txt");

describe("URNs of the example platform", function () {
  this.timeout(60_000);

  it("are the ones already deployed: a change that renames a type token or a child shows here first", async () => {
    // A changed URN makes `pulumi up` delete and recreate the resource (buckets, tables and grants
    // included) unless the change ships with `aliases` (docs/compatibility.md). If the change is meant,
    // add the aliases, then regenerate the list: UPDATE_URNS=1 npx mocha tests/infra/urns.test.ts
    const urns: string[] = [];
    for (const { run } of await planAccounts(PLATFORM)) urns.push(...run.resources.map((r) => r.urn));
    urns.sort();
    if (process.env.UPDATE_URNS) fs.writeFileSync(EXPECTED, urns.join("\n") + "\n");
    const expected = fs.readFileSync(EXPECTED, "utf8").trimEnd().split("\n");
    const added = urns.filter((u) => !expected.includes(u));
    const removed = expected.filter((u) => !urns.includes(u));
    expect({ added, removed }).to.deep.equal({ added: [], removed: [] });
  });
});
