/**
 * `npm run preflight` as a process (`node -r tsx/cjs tooling/deploy/preflight-cli.ts`) against moto:
 * one run per exit status (0 nothing missing, 1 something missing, 2 could not run) and the JSON shape.
 * With `--endpoint` every service goes to moto, which answers Lambda and SES v2 with 404 pages: those
 * checks are `unknown`, which alone passes.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  CreateOrganizationCommand,
  EnableAWSServiceAccessCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { Moto, startMoto } from "../../integration/moto";
import { ACCOUNTS, motoConfig, workspace, Workspace } from "./preflight-fixture";

const ROOT = path.join(__dirname, "..", "..", "..");

/** The environment of a run: moto's dummy credentials or none, and nothing of the developer's AWS setup. */
function env(credentials: boolean): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && k !== "PULUMI_BACKEND_URL"),
  );
  const none = path.join(os.tmpdir(), "preflight-no-aws-config");
  return {
    ...clean,
    AWS_CONFIG_FILE: none,
    AWS_SHARED_CREDENTIALS_FILE: none,
    AWS_EC2_METADATA_DISABLED: "true",
    ...(credentials ? { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" } : {}),
  };
}

function preflight(
  args: string[],
  credentials = true,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-r", "tsx/cjs", "tooling/deploy/preflight-cli.ts", ...args],
      { cwd: ROOT, env: env(credentials), maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) =>
        resolve({
          code: err ? ((err as { code?: number }).code ?? -1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
  });
}

describe("npm run preflight (the CLI)", function () {
  this.timeout(120_000);
  let moto: Moto;
  let ws: Workspace;
  const common = () => [
    "--platform",
    ws.platformFile,
    "--stacks-dir",
    ws.stacksDir,
    "--endpoint",
    moto.endpoint,
  ];

  before(async () => {
    moto = await startMoto();
    ws = workspace();
  });
  after(async () => moto?.stop());
  beforeEach(async () => moto.reset());

  it("exits 0 when nothing is missing, and says that the unknowns alone pass", async () => {
    const cfg = await motoConfig(moto.endpoint, ACCOUNTS.lake);
    await new IAMClient(cfg).send(
      new CreateRoleCommand({ RoleName: "DataPlatformAdmin", AssumeRolePolicyDocument: "{}" }),
    );
    const org = new OrganizationsClient({ ...cfg, region: "us-east-1" });
    await org.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    await org.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "ram.amazonaws.com" }));
    const r = await preflight([...common(), "--stack", "lake-prod"]);
    expect(r.code, r.stderr + r.stdout).to.equal(0);
    expect(r.stdout).to.match(/0 missing, 3 unknown\. Nothing is missing, but 3 checks could not be told/);
    expect(r.stdout).to.contain("ses-production-access").and.contain("lambda-concurrency");
    expect(r.stderr).to.contain("preflight: checking lake-prod (account 111111111111, eu-west-1)");
  });

  it("exits 1 when something is missing; --format json writes CONTRACTS §5's shape", async () => {
    const r = await preflight([...common(), "--stack", "ops-producer", "--format", "json"]);
    expect(r.code, r.stderr).to.equal(1);
    const json = JSON.parse(r.stdout) as { checks: Record<string, string>[] };
    expect(Object.keys(json)).to.deep.equal(["checks"]);
    expect(json.checks.length).to.be.greaterThan(3);
    for (const c of json.checks) {
      expect(Object.keys(c)).to.deep.equal(["stack", "account", "check", "status", "message"]);
      expect(c.stack).to.equal("ops-producer");
      expect(c.account).to.equal(ACCOUNTS.ops);
      expect(["ok", "missing", "unknown"]).to.include(c.status);
    }
    expect(json.checks.find((c) => c.check === "service-role")).to.include({ status: "missing" });
  });

  describe("exits 2 when it cannot run, with the reason and no stack trace", () => {
    const noTrace = (stderr: string) => expect(stderr).not.to.match(/\n\s+at /);

    it("an unknown stack", async () => {
      const r = await preflight([...common(), "--stack", "nope"]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain('preflight: unknown stack "nope"');
      noTrace(r.stderr);
      expect(r.stdout).to.equal("");
    });

    it("a bad flag", async () => {
      const r = await preflight([...common(), "--format", "xml"]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain("--format");
      noTrace(r.stderr);
    });

    it("an invalid platform definition, or none", async () => {
      const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "preflight-bad-")), "platform.yaml");
      fs.writeFileSync(bad, "name: x\n");
      const r = await preflight(["--platform", bad, "--endpoint", moto.endpoint]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain("is not a valid platform definition");
      noTrace(r.stderr);
      const none = await preflight(["--platform", path.join(os.tmpdir(), "no-such-platform.yaml")]);
      expect(none.code).to.equal(2);
      expect(none.stderr).to.contain("no such file");
    });

    it("no AWS credentials", async () => {
      const r = await preflight([...common(), "--stack", "lake-prod"], false);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain("preflight: no AWS credentials");
      noTrace(r.stderr);
    });
  });
});
