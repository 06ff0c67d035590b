import * as path from "path";
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { runProgram } from "../../../tooling/mock-runtime/harness";
import { LoadedPack } from "../../../tooling/policy-eval/packs";

const ROOT = path.join(__dirname, "..", "..", "..");

describe("glue-crawler-enforce-parquet", function () {
  this.timeout(60_000);

  async function violations(classifier: Record<string, unknown> | undefined) {
    const { resources } = await runProgram(() => {
      const provider = new aws.Provider("lake", { region: "eu-west-1", allowedAccountIds: ["111111111111"] });
      if (classifier) new aws.glue.Classifier("custom", { name: "custom", ...classifier }, { provider });
      new aws.glue.Crawler(
        "catalog",
        {
          databaseName: "sales",
          role: "arn:aws:iam::111111111111:role/crawler",
          classifiers: classifier ? ["custom"] : [],
          s3Targets: [{ path: "s3://lake-raw/sales/catalog/" }],
        },
        { provider },
      );
    });
    const pack = await LoadedPack.load(path.join(ROOT, "policies", "governance"));
    try {
      return (await pack.evaluate(resources)).filter((v) => v.policy === "glue-crawler-enforce-parquet");
    } finally {
      await pack.close();
    }
  }

  it("passes a crawler with the built-in classifiers (Parquet is recognised by them)", async () => {
    expect(await violations(undefined)).to.deep.equal([]);
  });

  it("fails a crawler using a CSV or JSON classifier of the stack, on the crawler", async () => {
    for (const kind of [{ csvClassifier: { delimiter: "," } }, { jsonClassifier: { jsonPath: "$[*]" } }]) {
      const [v] = await violations(kind);
      expect(v.urn).to.match(/::catalog$/);
      expect(v.message).to.contain("uses classifier custom");
    }
  });
});
