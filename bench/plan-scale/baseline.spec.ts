/**
 * The baseline the plan is measured against: the same account programs registered the way Pulumi
 * documents unit tests — `mocha -r ts-node/register`, `pulumi.runtime.setMocks`, nothing else.
 * Run by bench/plan-scale/run.ts with BENCH_DIR (generated platform + stack files) and BENCH_PLAN
 * (the plan's JSON, for the number of resources each stack must register).
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

const dir = process.env.BENCH_DIR as string;
const planned = JSON.parse(fs.readFileSync(process.env.BENCH_PLAN as string, "utf8")) as {
  stacks: { stack: string; resources: unknown[] }[];
};

let registered = 0;
const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => {
    registered++;
    return {
      id: `${args.name}-id`,
      state: { ...args.inputs, arn: `arn:aws:mock:::${args.name}`, name: args.name },
    };
  },
  call: (args) => args.inputs,
};

describe("baseline: the account programs under setMocks", function () {
  this.timeout(0);
  for (const stack of planned.stacks) {
    it(`registers the ${stack.stack} stack's resources`, async () => {
      registered = 0;
      await pulumi.runtime.setMocks(mocks, "lakehouse", stack.stack, true);
      pulumi.runtime.setAllConfig({
        "lakehouse:account": stack.stack,
        "lakehouse:platform": path.join(dir, "platform.yaml"),
        "lakehouse:date": "2026-11-24",
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const program = require("../../infra") as () => Promise<Record<string, unknown>>;
      await program();
      // Everything but the root stack resource, which only `pulumi up` itself creates.
      const expected = stack.resources.length - 1;
      while (registered < expected) await new Promise((resolve) => setTimeout(resolve, 5));
    });
  }
  after(() => {
    const usage = process.resourceUsage();
    console.log(`baseline peak RSS ${Math.round(usage.maxRSS / 1024)} MB`);
  });
});
