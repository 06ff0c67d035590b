import { expect } from "chai";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { bucketName } from "../../../platform";
import type { Platform } from "../../../platform";
import { createHandler } from "../../../validator/handler";
import { findingsKey } from "../../../validator/defaults";
import type { Finding } from "../../../validator/findings";
import { validate, ValidationReport } from "../../../validator/validator";
import { Moto, MOTO_CREDENTIALS, startMoto } from "../moto";
import { addDays, clientsFor, REGION, seedLake, testPlatform, today } from "./fixture";

/** `dataset check severity file` of each finding: what the assertions compare. */
function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) =>
    [f.dataset, f.check, f.severity, f.object ? f.object.slice(f.object.lastIndexOf("/") + 1) : "-"].join(
      " ",
    ),
  );
}

const EXPECTED = [
  "drifted_orders schema error part-0.parquet",
  "drifted_orders schema error part-0.parquet",
  "drifted_orders schema warning part-0.parquet",
  "drifted_orders volume warning -",
  "drifted_orders registration info -",
  "drifted_orders grant-expiry warning -",
  "empty_dataset schema error -",
  "empty_dataset freshness error -",
  "good_events grant-expiry info -",
  "mixed_formats format error data.csv",
  "mixed_formats format error truncated.parquet",
  "mixed_formats volume warning -",
  "mixed_formats metadata error -",
  "mixed_formats metadata error -",
  "mixed_formats metadata error -",
  "mixed_formats metadata warning -",
  "retired_logs registration error -",
];

describe("governance validator against moto_server", function () {
  this.timeout(120_000);
  let moto: Moto;
  let date: string;
  let p: Platform;
  let s3: S3Client;

  before(async () => {
    moto = await startMoto();
    date = today();
    p = testPlatform(date);
    await seedLake(moto.endpoint, p);
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

  const run = (options: { dryRun: boolean; on?: string }) =>
    validate({
      platform: p,
      date: options.on ?? date,
      clients: clientsFor(moto.endpoint),
      dryRun: options.dryRun,
    });

  const readFindings = async (): Promise<string> => {
    const r = await s3.send(
      new GetObjectCommand({ Bucket: bucketName(p, "governance"), Key: findingsKey(date) }),
    );
    return r.Body!.transformToString();
  };

  let dry: ValidationReport;

  it("reports each seeded problem once, in order, and nothing about good or fresh data", async () => {
    dry = await run({ dryRun: true });
    expect(summary(dry.findings)).to.deep.equal(EXPECTED);
    const messages = dry.findings.map((f) => f.message).join("\n");
    expect(messages).to.match(/column order_id is int in 1 of 1 Parquet object but bigint in Glue/);
    expect(messages).to.match(/column status \(varchar\(32\) in Glue\) is missing/);
    expect(messages).to.match(
      /column extra_col \(string\) in 1 of 1 Parquet object is not in the Glue table/,
    );
    expect(messages).to.match(/data\.csv: starts with "id,n" instead of PAR1/);
    expect(messages).to.match(/truncated\.parquet: ends with .* instead of PAR1/);
    expect(messages).to.match(/table parameter owner is "someone-else", registered "team-b"/);
    expect(messages).to.match(/table parameter volume is missing/);
    // Glue's format key holding the data classification (a table registered before CONTRACTS §1).
    expect(messages).to.match(
      /table parameter classification is "internal", the data classification, but Glue reads classification as the data format/,
    );
    expect(messages).to.match(/table parameter data-classification is missing \(registered: "internal"\)/);
    expect(messages).to.match(/3 rows landed in the last day, far below the declared 1000-2000 rows\/day/);
    expect(messages).to.match(/Glue table operations\.empty_dataset does not exist/);
    expect(messages).to.match(/registration ended on .* but data is still under its location/);
    expect(messages).to.match(/reporting's read grant .* expires on .* \(in 3 days\)/);
    expect(messages).to.match(/finance's read grant .* expired on/);
    expect(dry.stats.objects).to.equal(8);
  });

  it("writes nothing and sends nothing in a dry run, but says which e-mails a run would send", async () => {
    expect(dry.findingsObject).to.equal(undefined);
    expect(await moto.sesMessages()).to.have.length(0);
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: bucketName(p, "governance"), Prefix: "findings/" }),
    );
    expect(listed.KeyCount ?? 0).to.equal(0);
    expect(dry.emails.map((e) => e.to)).to.deep.equal([
      "finance@acme.example",
      "reporting@acme.example",
      "team-a@acme.example",
      "team-b@acme.example",
      "team-c@acme.example",
      "team-d@acme.example",
    ]);
  });

  it("writes the findings as JSON lines to the governance bucket and e-mails each team once", async () => {
    const report = await run({ dryRun: false });
    expect(report.findings).to.deep.equal(dry.findings);
    expect(report.findingsObject).to.equal(`s3://${bucketName(p, "governance")}/${findingsKey(date)}`);
    const lines = (await readFindings())
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Finding);
    expect(lines).to.deep.equal(report.findings);

    const messages = await moto.sesMessages();
    expect(messages.map((m) => m.destinations.ToAddresses).sort()).to.deep.equal(
      report.emails.map((e) => [e.to]).sort(),
    );
    expect(messages.every((m) => m.source === "governance@acme.example")).to.equal(true);
    const teamB = messages.find((m) => m.destinations.ToAddresses?.[0] === "team-b@acme.example")!;
    expect(teamB.subject).to.equal(
      `[test-lake] Data governance ${date} for team-b: 7 errors, 5 warnings, 1 reminder`,
    );
    expect(teamB.body).to.include("drifted_orders:").and.include("mixed_formats:").and.include("data.csv");
    expect(teamB.body).not.to.include("retired_logs");
    const finance = messages.find((m) => m.destinations.ToAddresses?.[0] === "finance@acme.example")!;
    expect(finance.subject).to.match(/for finance: 1 warning$/);
    expect(finance.body).to.include("finance's read grant");
    expect(
      messages.find((m) => m.destinations.ToAddresses?.[0] === "team-c@acme.example")!.body,
    ).not.to.include("stale_readings");
  });

  it("overwrites the run date's findings when run again: same object, no duplicate lines", async () => {
    const first = await readFindings();
    const before = (await moto.sesMessages()).length;
    await run({ dryRun: false });
    const second = await readFindings();
    expect(second).to.equal(first);
    const lines = second.trimEnd().split("\n");
    expect(new Set(lines).size).to.equal(lines.length);
    expect(lines).to.have.length(EXPECTED.length);
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: bucketName(p, "governance"), Prefix: "findings/" }),
    );
    expect((listed.Contents ?? []).map((o) => o.Key)).to.deep.equal([findingsKey(date)]);
    expect((await moto.sesMessages()).length - before).to.equal(6);
  });

  it("judges freshness at the end of a later run date: data older than its freshness hours is stale", async () => {
    const later = await run({ dryRun: true, on: addDays(date, 3) });
    const freshness = later.findings.filter((f) => f.check === "freshness");
    expect(summary(freshness)).to.deep.equal([
      "empty_dataset freshness error -",
      "stale_readings freshness error -",
    ]);
    expect(freshness[1].message).to.match(
      /newest data is \d+\.\d days old .* more than the 24 hours registered/,
    );
  });

  it("runs as the Lambda handler from the definition published in the governance bucket", async () => {
    const logged: string[] = [];
    const handler = createHandler({
      governanceBucket: bucketName(p, "governance"),
      aws: { region: REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS },
      log: (line) => logged.push(line),
    });
    const result = await handler({ date, dryRun: true });
    expect(result.findings).to.equal(EXPECTED.length);
    expect(result.bySeverity).to.deep.equal({ error: 10, warning: 5, info: 2 });
    expect(result.emails.map((e) => e.to)).to.deep.equal(dry.emails.map((e) => e.to));
    expect(result.findingsObject).to.equal(undefined);
    expect(logged.map((l) => JSON.parse(l))).to.deep.equal([result]);
  });
});
