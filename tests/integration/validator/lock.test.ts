import { expect } from "chai";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { bucketName } from "../../../platform";
import type { Platform } from "../../../platform";
import { findingsKey, lockKey } from "../../../validator/defaults";
import { AwsCaller } from "../../../validator/aws";
import { acquireRunLock } from "../../../validator/lock";
import { validate, ValidateOptions } from "../../../validator/validator";
import { Moto, MOTO_CREDENTIALS, startMoto } from "../moto";
import { clientsFor, REGION, seedLake, testPlatform, today } from "./fixture";

describe("governance validator run lock against moto_server (S3 conditional writes)", function () {
  this.timeout(120_000);
  let moto: Moto;
  let date: string;
  let p: Platform;
  let s3: S3Client;
  let governance: string;
  /** Findings of a dry run: what each run that runs finds. */
  let expected: number;

  before(async () => {
    moto = await startMoto();
    date = today();
    p = testPlatform(date);
    await seedLake(moto.endpoint, p);
    governance = bucketName(p, "governance");
    expected = (await run({ dryRun: true })).findings.length;
    s3 = new S3Client({
      region: REGION,
      endpoint: moto.endpoint,
      forcePathStyle: true,
      credentials: MOTO_CREDENTIALS,
    });
  });
  after(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  const run = (options: Partial<ValidateOptions> = {}) =>
    validate({ platform: p, date, clients: clientsFor(moto.endpoint), dryRun: false, ...options });

  const keys = async (prefix: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: governance, Prefix: prefix }))).Contents ?? []).map(
      (o) => o.Key,
    );

  /** A lock as another run writes it. */
  const seedLock = (holder: string) =>
    s3.send(
      new PutObjectCommand({
        Bucket: governance,
        Key: lockKey(date),
        Body: JSON.stringify({ date, holder }),
        Metadata: { holder },
      }),
    );

  it("runs one of two concurrent runs of a date; the other reports the lock and does nothing", async () => {
    const before = (await moto.sesMessages()).length;
    const reports = await Promise.all([run({ holder: "run-a" }), run({ holder: "run-b" })]);
    const ran = reports.filter((r) => !r.skipped);
    const skipped = reports.filter((r) => r.skipped);
    expect(ran).to.have.length(1);
    expect(skipped).to.have.length(1);
    expect(ran[0].findings).to.have.length(expected);
    expect(skipped[0].findings).to.deep.equal([]);
    expect(skipped[0].emails).to.deep.equal([]);
    expect(skipped[0].findingsObject).to.equal(undefined);
    expect(skipped[0].skipped).to.deep.include({
      lock: `s3://${governance}/${lockKey(date)}`,
      holder: ran[0] === reports[0] ? "run-a" : "run-b",
    });
    // E-mails went out once, from the run that ran; its lock is released.
    expect((await moto.sesMessages()).length - before).to.equal(6);
    expect(await keys("locks/")).to.deep.equal([]);
  });

  it("runs the date again once the first run has finished (a manual re-run), overwriting the findings", async () => {
    const report = await run();
    expect(report.skipped).to.equal(undefined);
    expect(await keys("findings/")).to.deep.equal([findingsKey(date)]);
    expect(await keys("locks/")).to.deep.equal([]);
  });

  it("skips while another run's fresh lock is held, leaving it in place; a dry run takes no lock", async () => {
    await seedLock("lambda other-validator");
    const { ETag } = await s3.send(new HeadObjectCommand({ Bucket: governance, Key: lockKey(date) }));
    const before = (await moto.sesMessages()).length;
    const report = await run();
    expect(report.skipped?.holder).to.equal("lambda other-validator");
    expect(Date.parse(report.skipped!.since)).to.be.closeTo(Date.now(), 60_000);
    expect((await moto.sesMessages()).length).to.equal(before);
    const after = await s3.send(new HeadObjectCommand({ Bucket: governance, Key: lockKey(date) }));
    expect(after.ETag).to.equal(ETag);

    const dry = await run({ dryRun: true });
    expect(dry.skipped).to.equal(undefined);
    expect(dry.findings).to.have.length(expected);
  });

  it("takes over a lock older than the stale age (If-Match on its ETag), runs, and releases it", async () => {
    // The lock seeded by the previous test is still there; with a stale age of 0 s it is stale now.
    const report = await run({
      holder: "run-c",
      lockStaleAfterSeconds: 0,
      now: new Date(Date.now() + 2_000),
    });
    expect(report.skipped).to.equal(undefined);
    expect(report.tookOverLock?.holder).to.equal("lambda other-validator");
    expect(report.findings).to.have.length(expected);
    expect(await keys("locks/")).to.deep.equal([]);
  });

  it("writes the holder into the lock object and metadata, and deletes it on release", async () => {
    const caller = new AwsCaller(1);
    const clients = clientsFor(moto.endpoint);
    const now = new Date();
    const lock = await acquireRunLock(caller, clients, {
      bucket: governance,
      date,
      holder: "run-f",
      now,
      staleAfterSeconds: 1_800,
    });
    expect(lock.acquired).to.equal(true);
    const r = await s3.send(new GetObjectCommand({ Bucket: governance, Key: lockKey(date) }));
    expect(r.Metadata).to.deep.include({ holder: "run-f" });
    expect(JSON.parse(await r.Body!.transformToString())).to.deep.equal({
      date,
      holder: "run-f",
      startedAt: now.toISOString(),
    });
    const second = await acquireRunLock(caller, clients, {
      bucket: governance,
      date,
      holder: "run-g",
      now,
      staleAfterSeconds: 1_800,
    });
    expect(second).to.deep.include({ acquired: false, holder: "run-f" });
    if (lock.acquired) await lock.release();
    expect(await keys("locks/")).to.deep.equal([]);
  });
});
