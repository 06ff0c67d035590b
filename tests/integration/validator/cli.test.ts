import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DeleteObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { bucketName } from "../../../platform";
import { lockKey } from "../../../validator/defaults";
import { Moto, MOTO_CREDENTIALS, startMoto } from "../moto";
import { platformInput, REGION, seedLake, testPlatform, today } from "./fixture";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** Runs `node -r tsx/cjs validator/cli.ts ...args` as `npm run validate` does. */
function validateCli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return validateCliWith(
    {
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    },
    ...args,
  );
}

/** The same, with these credential variables (none: no credentials at all). */
function validateCliWith(
  credentials: Record<string, string>,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "tsx/cjs", "validator/cli.ts", ...args], {
      cwd: ROOT,
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_"))),
        ...credentials,
        AWS_PROFILE: "",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run validate (the CLI) against moto_server", function () {
  this.timeout(180_000);
  let moto: Moto;
  let dir: string;
  let platformFile: string;
  const date = today();

  before(async () => {
    moto = await startMoto();
    await seedLake(moto.endpoint, testPlatform(date));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "validate-cli-"));
    platformFile = path.join(dir, "platform.yaml");
    // JSON is YAML: the file is the fixture's definition as written.
    fs.writeFileSync(platformFile, JSON.stringify(platformInput(date), null, 2));
  });
  after(async () => {
    await moto?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("prints CONTRACTS §4 JSON and exits 0 when it ran with findings; a dry run sends nothing", async () => {
    const r = await validateCli(
      "--platform",
      platformFile,
      "--endpoint",
      moto.endpoint,
      "--date",
      date,
      "--format",
      "json",
      "--dry-run",
    );
    expect(r.code, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).to.deep.equal(["date", "findings", "emails"]);
    expect(report.date).to.equal(date);
    expect(report.findings).to.have.length(17);
    for (const f of report.findings) {
      expect(Object.keys(f)).to.include.members(["dataset", "check", "severity", "message"]);
      expect([
        "format",
        "schema",
        "freshness",
        "volume",
        "registration",
        "grant-expiry",
        "metadata",
        "unreadable",
      ]).to.include(f.check);
      expect(["error", "warning", "info"]).to.include(f.severity);
    }
    expect(report.emails).to.have.length(6);
    expect(Object.keys(report.emails[0])).to.deep.equal(["to", "subject"]);
    expect(await moto.sesMessages()).to.have.length(0);
    expect(r.stderr).to.match(/validate: mixed_formats: 3 objects, 7 findings/);
  });

  it("sends the e-mails and prints a table without --dry-run", async () => {
    const r = await validateCli("--platform", platformFile, "--endpoint", moto.endpoint, "--date", date);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/Governance validation for \d{4}-\d{2}-\d{2}/);
    expect(r.stdout).to.match(
      /17 findings \(10 errors, 5 warnings, 2 info\) in 6 datasets, 8 objects; 6 e-mails;/,
    );
    expect(r.stdout).to.include("data.csv");
    expect(await moto.sesMessages()).to.have.length(6);
  });

  it("exits 0 saying it skipped while another run of the date holds the run lock; --dry-run still runs", async () => {
    const s3 = new S3Client({
      region: REGION,
      endpoint: moto.endpoint,
      forcePathStyle: true,
      credentials: MOTO_CREDENTIALS,
    });
    const Bucket = bucketName(testPlatform(date), "governance");
    const Key = lockKey(date);
    await s3.send(
      new PutObjectCommand({ Bucket, Key, Body: "{}", Metadata: { holder: "lambda scheduled" } }),
    );
    try {
      const before = (await moto.sesMessages()).length;
      const r = await validateCli("--platform", platformFile, "--endpoint", moto.endpoint, "--date", date);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(
        /Skipped: another run of \d{4}-\d{2}-\d{2} is under way \(lambda scheduled has held s3:\/\/.*\/locks\/\d{4}-\d{2}-\d{2}\.lock since /,
      );
      expect((await moto.sesMessages()).length).to.equal(before);
      const json = await validateCli(
        ...["--platform", platformFile, "--endpoint", moto.endpoint, "--date", date, "--format", "json"],
      );
      expect(JSON.parse(json.stdout).skipped).to.deep.include({ holder: "lambda scheduled" });
      const dry = await validateCli(
        ...["--platform", platformFile, "--endpoint", moto.endpoint, "--date", date, "--dry-run"],
      );
      expect(dry.code, dry.stderr).to.equal(0);
      expect(dry.stdout).not.to.include("Skipped");
    } finally {
      await s3.send(new DeleteObjectCommand({ Bucket, Key }));
      s3.destroy();
    }
  });

  it("exits 2 with the reason when the endpoint cannot be reached", async () => {
    const r = await validateCli(
      "--platform",
      platformFile,
      "--endpoint",
      "http://127.0.0.1:1",
      "--format",
      "json",
    );
    expect(r.code).to.equal(2);
    expect(r.stdout).to.equal("");
    expect(r.stderr).to.match(
      /validate: cannot reach http:\/\/127\.0\.0\.1:1: HeadBucket .* failed after 6 attempts: .*ECONNREFUSED/,
    );
  });

  it("exits 2 saying credentials are missing, not that the endpoint is unreachable", async () => {
    const r = await validateCliWith({}, "--platform", platformFile, "--endpoint", "http://127.0.0.1:1");
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain("validate: no AWS credentials for http://127.0.0.1:1");
  });

  it("exits 2 naming the flag or the field for bad input", async () => {
    const badDate = await validateCli("--platform", platformFile, "--date", "2026-02-30");
    expect(badDate.code).to.equal(2);
    expect(badDate.stderr).to.match(/--date: "2026-02-30" is not a real calendar date/);

    const badFormat = await validateCli("--platform", platformFile, "--format", "xml");
    expect(badFormat.code).to.equal(2);
    expect(badFormat.stderr).to.match(/argument 'xml' is invalid/);

    const badEndpoint = await validateCli("--platform", platformFile, "--endpoint", "not a url");
    expect(badEndpoint.code).to.equal(2);
    expect(badEndpoint.stderr).to.match(/--endpoint: "not a url" is not an http\(s\) URL/);

    const broken = path.join(dir, "broken.yaml");
    const input = platformInput(date) as { datasets: { owner: { email: string } }[] };
    input.datasets[0].owner.email = "team-a";
    fs.writeFileSync(broken, JSON.stringify(input));
    const invalid = await validateCli("--platform", broken);
    expect(invalid.code).to.equal(2);
    expect(invalid.stderr).to.match(/datasets\[0\]\.owner\.email: "team-a" is not an e-mail address/);

    const missing = await validateCli("--platform", path.join(dir, "nope.yaml"));
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/--platform .*nope\.yaml: no such file/);
  });
});
