import { expect } from "chai";
import {
  PolicyConfigError,
  PolicyInfo,
  reconcilePolicyConfig,
} from "../../../tooling/policy-eval/policy-config";

const policies: PolicyInfo[] = [
  {
    name: "needs-tags",
    description: "d",
    enforcementLevel: "mandatory",
    configSchema: {
      properties: {
        keys: { type: "array", items: { type: "string" }, default: ["owner"] },
        strict: { type: "boolean" },
      },
    },
  },
  { name: "no-public", description: "d", enforcementLevel: "advisory" },
];

describe("policy pack config reconciliation (the CLI's rules)", () => {
  it("starts from each policy's level and its schema defaults", () => {
    expect(reconcilePolicyConfig("p", policies, undefined, undefined)).to.deep.equal({
      "needs-tags": { enforcementLevel: "mandatory", properties: { keys: ["owner"] } },
      "no-public": { enforcementLevel: "advisory", properties: {} },
    });
  });

  it("applies `all` before per-policy entries, initial config before the user's", () => {
    const result = reconcilePolicyConfig(
      "p",
      policies,
      { all: "disabled", "no-public": "mandatory" },
      { all: "advisory", "needs-tags": { enforcementLevel: "mandatory", strict: false, keys: [] } },
    );
    expect(result["needs-tags"]).to.deep.equal({
      enforcementLevel: "mandatory",
      properties: { keys: [], strict: false },
    });
    expect(result["no-public"].enforcementLevel).to.equal("advisory");
  });

  it("ignores entries for policies the pack does not have", () => {
    const result = reconcilePolicyConfig("p", policies, undefined, { "not-a-policy": "mandatory" });
    expect(Object.keys(result)).to.deep.equal(["needs-tags", "no-public"]);
  });

  it("rejects an unknown enforcement level, naming the entry", () => {
    expect(() => reconcilePolicyConfig("p", policies, undefined, { "no-public": "strict" as "advisory" }))
      .to.throw(PolicyConfigError)
      .with.property("message")
      .that.contains('no-public: "strict" is not an enforcement level');
  });

  it("rejects properties that fail the policy's schema, naming the property", () => {
    expect(() => reconcilePolicyConfig("p", policies, undefined, { "needs-tags": { keys: "owner" } }))
      .to.throw(PolicyConfigError)
      .with.property("message")
      .that.contains("needs-tags.keys: must be array");
  });
});
