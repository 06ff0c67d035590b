import * as path from "path";
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { runProgram } from "../../../tooling/mock-runtime/harness";
import { discoverPacks, LoadedPack } from "../../../tooling/policy-eval/packs";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "packs");

async function threeBuckets() {
  return runProgram(() => {
    new aws.s3.Bucket("tagged", { tags: { owner: "team" } });
    new aws.s3.Bucket("untagged");
    new aws.s3.Bucket("other", { tags: { team: "x" } });
  });
}

describe("policy pack evaluation through @pulumi/policy's analyzer", function () {
  this.timeout(120_000);

  it("finds only folders holding a PulumiPolicy.yaml", () => {
    expect(discoverPacks(FIXTURES)).to.deep.equal([path.join(FIXTURES, "demo")]);
    expect(discoverPacks(path.join(FIXTURES, "missing"))).to.deep.equal([]);
  });

  it("reports the pack's name, its package version and its policies with their levels", async () => {
    const pack = await LoadedPack.load(path.join(FIXTURES, "demo"));
    try {
      expect(pack.info.name).to.equal("demo");
      expect(pack.info.version).to.equal("1.2.3");
      expect(pack.info.policies.map((p) => [p.name, p.enforcementLevel])).to.deep.equal([
        ["demo-bucket-require-tag", "mandatory"],
        ["demo-stack-max-buckets", "advisory"],
      ]);
    } finally {
      await pack.close();
    }
  });

  it("runs resource policies per resource and stack policies once, with schema defaults as config", async () => {
    const { resources } = await threeBuckets();
    const pack = await LoadedPack.load(path.join(FIXTURES, "demo"));
    try {
      const violations = await pack.evaluate(resources);
      const resourceHits = violations.filter((v) => v.policy === "demo-bucket-require-tag");
      expect(resourceHits.map((v) => v.urn?.split("::").pop()).sort()).to.deep.equal(["other", "untagged"]);
      expect(resourceHits[0]).to.include({ pack: "demo", level: "mandatory" });
      expect(resourceHits[0].message).to.contain('Add the tag "owner"');
      const stackHits = violations.filter((v) => v.policy === "demo-stack-max-buckets");
      expect(stackHits).to.have.length(1);
      expect(stackHits[0]).to.include({ level: "advisory", urn: null });
      expect(stackHits[0].message).to.contain("3 buckets; keep at most 2");
    } finally {
      await pack.close();
    }
  });

  it("applies the user's config: levels, settings and disabled policies", async () => {
    const { resources } = await threeBuckets();
    const pack = await LoadedPack.load(path.join(FIXTURES, "demo"), (name) =>
      name === "demo"
        ? {
            "demo-bucket-require-tag": { enforcementLevel: "advisory", key: "team" },
            "demo-stack-max-buckets": "disabled",
          }
        : undefined,
    );
    try {
      const violations = await pack.evaluate(resources);
      expect(violations.map((v) => [v.policy, v.level, v.urn?.split("::").pop()]).sort()).to.deep.equal([
        ["demo-bucket-require-tag", "advisory", "tagged"],
        ["demo-bucket-require-tag", "advisory", "untagged"],
      ]);
    } finally {
      await pack.close();
    }
  });
});
