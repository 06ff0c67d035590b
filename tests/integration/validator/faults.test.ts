import { expect } from "chai";
import type { Platform } from "../../../platform";
import { validate } from "../../../validator/validator";
import { FaultProxy, startFaultProxy } from "../fault-proxy";
import { Moto, startMoto } from "../moto";
import { clientsFor, seedLake, testPlatform, today } from "./fixture";

describe("governance validator behind a fault-injecting proxy", function () {
  this.timeout(180_000);
  let moto: Moto;
  let date: string;
  let p: Platform;
  const proxies: FaultProxy[] = [];

  before(async () => {
    moto = await startMoto();
    date = today();
    p = testPlatform(date);
    await seedLake(moto.endpoint, p);
  });
  after(async () => {
    for (const proxy of proxies) await proxy.stop();
    await moto?.stop();
  });

  const proxy = async (options: Omit<Parameters<typeof startFaultProxy>[0], "target">) => {
    const started = await startFaultProxy({ target: moto.endpoint, ...options });
    proxies.push(started);
    return started;
  };

  it("finds exactly what a fault-free run finds when every third request is throttled, fails or is reset", async () => {
    const clean = await validate({ platform: p, date, clients: clientsFor(moto.endpoint), dryRun: true });
    const faulty = await proxy({ every: 3, seed: 11 });
    const report = await validate({ platform: p, date, clients: clientsFor(faulty.endpoint), dryRun: true });

    expect(report.findings).to.deep.equal(clean.findings);
    expect(report.emails).to.deep.equal(clean.emails);
    const injected = Object.values(faulty.stats.faults).reduce((a, b) => a + b, 0);
    expect(injected).to.be.at.least(6);
    for (const kind of ["slowdown", "throttling", "internal", "reset"] as const)
      expect(faulty.stats.faults[kind], `${kind} faults injected`).to.be.greaterThan(0);
    expect(report.stats.retries).to.equal(injected);
    expect(report.stats.requests).to.equal(clean.stats.requests + injected);
  });

  it("writes the findings and sends every e-mail through the faults (PutObject and SendEmail retried)", async () => {
    const faulty = await proxy({ every: 2, seed: 5 });
    const before = (await moto.sesMessages()).length;
    const report = await validate({ platform: p, date, clients: clientsFor(faulty.endpoint), dryRun: false });
    expect(report.failures).to.deep.equal([]);
    expect((await moto.sesMessages()).length - before).to.equal(report.emails.length);
    expect(report.findingsObject).to.be.a("string");
    expect(report.stats.retries).to.be.greaterThan(0);
  });

  it("turns a dataset it may not read into an unreadable finding and checks the others", async () => {
    const clean = await validate({ platform: p, date, clients: clientsFor(moto.endpoint), dryRun: true });
    const denying = await proxy({
      every: 1_000_000,
      deny: (r) => r.service === "s3" && r.url.includes("retired_logs"),
    });
    const report = await validate({ platform: p, date, clients: clientsFor(denying.endpoint), dryRun: true });
    const unreadable = report.findings.filter((f) => f.check === "unreadable");
    expect(unreadable).to.have.length(1);
    expect(unreadable[0]).to.include({ dataset: "retired_logs", severity: "error" });
    expect(unreadable[0].message).to.match(
      /ListObjectsV2 .*retired_logs.* failed: AccessDenied \(HTTP 403\)/,
    );
    expect(report.findings.filter((f) => f.dataset !== "retired_logs")).to.deep.equal(
      clean.findings.filter((f) => f.dataset !== "retired_logs"),
    );
    expect(denying.stats.denied).to.equal(1);
  });
});
