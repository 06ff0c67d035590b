import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { runProgram } from "../../../tooling/mock-runtime/harness";
import { featureFlags, setMocksFeatureFlags } from "../../../tooling/mock-runtime/pulumi-internals";

const ROOT = path.resolve(__dirname, "../../..");
const ADAPTER = path.join("tooling", "mock-runtime", "pulumi-internals.ts");

/** Every .ts file under `dir` (relative to the repository), node_modules excluded. */
function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "dist") continue;
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (child.endsWith(".ts")) out.push(child);
    }
  };
  walk(dir);
  return out;
}

describe("Pulumi internals adapter", () => {
  it("is the only source file that reaches @pulumi/pulumi or @pulumi/policy internals or google-protobuf", () => {
    // A deep import is a path below the package (`@pulumi/pulumi/runtime/...`); the packages' index
    // entry points, the Automation API (`@pulumi/pulumi/automation`, a documented entry point:
    // https://www.pulumi.com/docs/iac/concepts/automation-api/) and `@pulumi/policy/schema`'s
    // declared types are public.
    const deep =
      /["'](?:@pulumi\/pulumi\/(?!package\.json|automation["'])|@pulumi\/policy\/(?!package\.json|schema["'])|google-protobuf)/;
    const offenders: string[] = [];
    for (const dir of ["components", "infra", "platform", "policies", "stacks", "tooling", "validator"]) {
      for (const file of sources(dir)) {
        if (file === ADAPTER) continue;
        fs.readFileSync(path.join(ROOT, file), "utf8")
          .split("\n")
          .forEach((line, i) => {
            if (deep.test(line) && !line.trim().startsWith("*") && !line.trim().startsWith("//")) {
              offenders.push(`${file}:${i + 1}: ${line.trim()}`);
            }
          });
      }
    }
    expect(offenders, "import these through tooling/mock-runtime/pulumi-internals.ts").to.deep.equal([]);
  });

  it("runs programs with exactly the feature flags pulumi.runtime.setMocks announces", async () => {
    // After an upgrade of @pulumi/pulumi that changes what setMocks announces, a program planned by our
    // harness must see the same features as one tested with setMocks (resource references, secrets...).
    const expected = await setMocksFeatureFlags();
    expect(Object.keys(expected), "setMocks sets supports* flags in the runtime store").to.include.members([
      "supportsSecrets",
      "supportsResourceReferences",
    ]);
    let seen: Record<string, boolean> = {};
    await runProgram(
      () => {
        seen = featureFlags();
        return {};
      },
      { stack: "flags" },
    );
    expect(seen).to.deep.equal(expected);
  });

  it("announces resource references, as setMocks does, so components receive resources and not URNs", async () => {
    const flags = await setMocksFeatureFlags();
    expect(flags.supportsResourceReferences).to.equal(true);
    expect(flags.supportsOutputValues).to.equal(false);
  });
});
