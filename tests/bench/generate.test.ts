import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { DEFAULT_SIZES, writeScalePlatform } from "../../bench/plan-scale/generate";
import { listStacks } from "../../tooling/plan/stacks";
import { loadPlatform } from "../../platform";

describe("the benchmark's generated platform (bench/plan-scale/generate.ts)", () => {
  // The benchmark plans what the generator writes: a definition the validation refuses measures nothing.
  for (const sizes of [DEFAULT_SIZES, { accounts: 100, datasets: 2000, consumers: 300 }])
    it(`is a valid definition with a stack file per account at ${sizes.accounts} accounts, ${sizes.datasets} datasets, ${sizes.consumers} teams`, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-platform-"));
      try {
        const p = loadPlatform(writeScalePlatform(dir, sizes));
        expect(p.accounts).to.have.length(sizes.accounts);
        expect(p.datasets).to.have.length(sizes.datasets);
        expect(p.consumers).to.have.length(sizes.consumers);
        // Every ingestion the platform has is exercised.
        expect(new Set(p.datasets.map((d) => d.ingestion.type))).to.have.keys(
          "firehose",
          "dms",
          "crawler",
          "spark",
        );
        expect(
          listStacks(dir)
            .map((s) => s.config["lakehouse:account"])
            .sort(),
        ).to.deep.equal(p.accounts.map((a) => a.name).sort());
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
});
