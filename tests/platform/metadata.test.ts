import { expect } from "chai";
import * as path from "path";
import { datasetTags, loadPlatform, METADATA_PARAMETER_KEYS, tableParameters } from "../../platform";

const p = loadPlatform(path.join(__dirname, "..", "..", "stacks", "platform.yaml"));

describe("platform/metadata tableParameters", () => {
  it("puts Glue's format key classification at parquet on every dataset table", () => {
    for (const d of p.datasets) expect(tableParameters(d).classification).to.equal("parquet");
  });

  it("carries the governance classification under data-classification, the other tag keys as they are", () => {
    for (const d of p.datasets) {
      const params = tableParameters(d);
      const { classification, ...rest } = datasetTags(d);
      expect(params["data-classification"]).to.equal(classification);
      expect(params).to.deep.include(rest);
    }
  });

  it("carries every registration key besides the tags", () => {
    const orders = p.datasets.find((d) => d.name === "orders")!;
    expect(Object.keys(tableParameters(orders))).to.include.members([...METADATA_PARAMETER_KEYS]);
  });
});
