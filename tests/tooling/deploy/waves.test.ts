import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { CORE_SCHEMA, load } from "js-yaml";
import { loadPlatform, parsePlatform, readableDatasets } from "../../../platform";
import type { Platform } from "../../../platform";
import { planWaves, selectSteps, stepsInOrder, Wave } from "../../../tooling/deploy/waves";

const ROOT = path.join(__dirname, "..", "..", "..");
const EXAMPLE = path.join(ROOT, "stacks", "platform.yaml");
const example = loadPlatform(EXAMPLE);
type Doc = Record<string, unknown> & {
  accounts: Record<string, unknown>[];
  datasets: Record<string, unknown>[];
  consumers: Record<string, unknown>[];
};
const exampleDoc = () => load(fs.readFileSync(EXAMPLE, "utf8"), { schema: CORE_SCHEMA }) as Doc;

/** Stack names per wave: `{ 1: [...], 2: [...] }`. */
function byWave(waves: readonly Wave[]): Record<number, string[]> {
  return Object.fromEntries(
    waves.map((w) => [
      w.wave,
      w.steps.map((s) => `${s.stack}${s.operation === "destroy" ? " (destroy)" : ""}`),
    ]),
  );
}

/** Index of a stack's first occurrence at or after `after` in the run order. */
function indexOf(waves: readonly Wave[], stack: string, after = -1): number {
  return stepsInOrder(waves).findIndex((s, i) => i > after && s.stack === stack);
}

/**
 * A large definition: the example's lake, `producers` producer accounts with one uploaded dataset each
 * (alternating marketing and operations, public), and `consumers` consumer accounts with one team each;
 * every third team reads only a tag expression no dataset matches (sales, restricted).
 */
function generated(producers: number, consumers: number): Platform {
  const doc = exampleDoc();
  const lake = doc.accounts.find((a) => a.role === "lake")!;
  const template = doc.datasets.find((d) => d.name === "country_codes")!;
  const id = (n: number) => String(200000000000 + n);
  doc.accounts = [
    lake,
    ...Array.from({ length: producers }, (_, i) => ({
      name: `producer-${i + 1}`,
      id: id(i + 1),
      role: "producer",
      region: lake.region,
    })),
    ...Array.from({ length: consumers }, (_, i) => ({
      name: `consumer-${i + 1}`,
      id: id(1000 + i + 1),
      role: "consumer",
      region: lake.region,
    })),
  ];
  doc.datasets = Array.from({ length: producers }, (_, i) => ({
    ...template,
    name: `dataset_${i + 1}`,
    domain: i % 2 === 0 ? "marketing" : "operations",
    producer: `producer-${i + 1}`,
  }));
  doc.consumers = Array.from({ length: consumers }, (_, i) => ({
    account: `consumer-${i + 1}`,
    team: `team-${i + 1}`,
    email: `team-${i + 1}@acme.example`,
    read:
      i % 3 === 2
        ? { tags: [{ domain: ["sales"], classification: ["restricted"] }] }
        : { datasets: [`dataset_${(i % producers) + 1}`] },
    readOnly: true,
    expiresOn: "2099-12-31",
  }));
  return parsePlatform(doc, "generated platform");
}

describe("deploy waves (the order of pulumi up)", () => {
  it("orders the example: producers, consumers, the lake, then the consumers whose teams read the lake", () => {
    const plan = planWaves(example);
    expect(byWave(plan.waves)).to.deep.equal({
      1: ["web-producer", "ops-producer"],
      2: ["analytics-consumer", "finance-consumer"],
      3: ["lake-prod"],
      4: ["analytics-consumer", "finance-consumer"],
    });
    expect(plan.conflicts).to.deep.equal([]);
    expect(plan.removedTeams).to.deep.equal({});
    expect(plan.removedAccounts).to.deep.equal([]);
  });

  it("deploys every team's consumer stack before the lake grants to its roles", () => {
    const { waves } = planWaves(example);
    const lake = indexOf(waves, "lake-prod");
    for (const c of example.consumers) expect(indexOf(waves, c.account), c.team).to.be.lessThan(lake);
    for (const a of example.accounts.filter((x) => x.role === "producer"))
      expect(indexOf(waves, a.name), a.name).to.be.lessThan(lake);
  });

  it("runs the lake before the consumer stacks whose links and Redshift schemas need its databases", () => {
    const { waves } = planWaves(example);
    const lake = indexOf(waves, "lake-prod");
    const reading = new Set(
      example.consumers.filter((c) => readableDatasets(example, c).length > 0).map((c) => c.account),
    );
    expect([...reading]).to.have.members(["analytics-consumer", "finance-consumer"]);
    for (const account of reading) expect(indexOf(waves, account, lake), account).to.be.greaterThan(lake);
  });

  it("revokes a removed team's grants in the lake before its consumer stack deletes its role", () => {
    const teams = example.consumers.filter((c) => c.account === "analytics-consumer").map((c) => c.team);
    const plan = planWaves(example, {
      consumerTeams: { "analytics-consumer": [...teams, "old-team"], "finance-consumer": ["controlling"] },
    });
    expect(plan.removedTeams).to.deep.equal({ "analytics-consumer": ["old-team"] });
    expect(byWave(plan.waves)).to.deep.equal({
      1: ["web-producer", "ops-producer"],
      2: ["finance-consumer"],
      3: ["lake-prod"],
      4: ["analytics-consumer", "finance-consumer"],
    });
    expect(indexOf(plan.waves, "analytics-consumer")).to.be.greaterThan(indexOf(plan.waves, "lake-prod"));
    expect(plan.waves[3].steps[0].reason).to.contain("old-team");
  });

  it("destroys a removed consumer account's stack only after the lake has revoked its grants", () => {
    const plan = planWaves(example, {
      consumerTeams: {
        "analytics-consumer": ["marketing-analytics", "product-insights"],
        "hr-consumer": ["people"],
      },
      stackOf: { "hr-consumer": "hr" },
    });
    expect(plan.removedAccounts).to.deep.equal(["hr-consumer"]);
    expect(byWave(plan.waves)[4]).to.deep.equal(["analytics-consumer", "finance-consumer", "hr (destroy)"]);
    expect(indexOf(plan.waves, "hr")).to.be.greaterThan(indexOf(plan.waves, "lake-prod"));
    expect(plan.waves[3].steps[2]).to.include({ account: "hr-consumer", operation: "destroy" });
  });

  it("refuses a consumer stack that adds one team and removes another in the same run", () => {
    const plan = planWaves(example, { consumerTeams: { "finance-consumer": ["controlling-old"] } });
    expect(plan.conflicts).to.have.length(1);
    expect(plan.conflicts[0]).to.match(/finance-consumer removes controlling-old and adds controlling/);
  });

  it("leaves a consumer stack out of the fourth wave when none of its teams reads a dataset", () => {
    const p = generated(2, 3);
    expect(readableDatasets(p, p.consumers[2])).to.deep.equal([]);
    expect(byWave(planWaves(p).waves)[4]).to.deep.equal(["consumer-1", "consumer-2"]);
  });

  it("orders a generated platform of 20 producers and 30 consumers in four waves", () => {
    const p = generated(20, 30);
    const { waves } = planWaves(p);
    expect(waves.map((w) => [w.wave, w.steps.length])).to.deep.equal([
      [1, 20],
      [2, 30],
      [3, 1],
      [4, 20],
    ]);
    expect(waves[0].steps.map((s) => s.stack)).to.deep.equal(
      Array.from({ length: 20 }, (_, i) => `producer-${i + 1}`),
    );
    expect(waves[1].steps.map((s) => s.stack)).to.deep.equal(
      Array.from({ length: 30 }, (_, i) => `consumer-${i + 1}`),
    );
    expect(waves[2].steps.map((s) => s.stack)).to.deep.equal(["lake-prod"]);
    // Every third team reads nothing: its stack needs no second run.
    expect(waves[3].steps.map((s) => s.stack)).to.deep.equal(
      Array.from({ length: 30 }, (_, i) => i)
        .filter((i) => i % 3 !== 2)
        .map((i) => `consumer-${i + 1}`),
    );
    const lake = indexOf(waves, "lake-prod");
    for (const c of p.consumers) expect(indexOf(waves, c.account)).to.be.lessThan(lake);
  });

  it("keeps the waves' order for --stack and skips the others", () => {
    const { waves } = planWaves(example);
    const chosen = selectSteps(waves, { stacks: ["finance-consumer", "lake-prod"] });
    expect(byWave(chosen.waves)).to.deep.equal({
      2: ["finance-consumer"],
      3: ["lake-prod"],
      4: ["finance-consumer"],
    });
    expect(chosen.skipped.map((s) => `${s.wave}:${s.stack}:${s.why}`)).to.deep.equal([
      "1:web-producer:--stack",
      "1:ops-producer:--stack",
      "2:analytics-consumer:--stack",
      "4:analytics-consumer:--stack",
    ]);
  });

  it("resumes --from a stack's first occurrence, skipping everything before it", () => {
    const { waves } = planWaves(example);
    expect(byWave(selectSteps(waves, { from: "finance-consumer" }).waves)).to.deep.equal({
      2: ["finance-consumer"],
      3: ["lake-prod"],
      4: ["analytics-consumer", "finance-consumer"],
    });
    const fromLake = selectSteps(waves, { from: "lake-prod" });
    expect(byWave(fromLake.waves)).to.deep.equal({
      3: ["lake-prod"],
      4: ["analytics-consumer", "finance-consumer"],
    });
    expect(fromLake.skipped.map((s) => s.stack)).to.deep.equal([
      "web-producer",
      "ops-producer",
      "analytics-consumer",
      "finance-consumer",
    ]);
  });
});
