// Each policy pack tested the way `pulumi policy publish` ships it: the pack folder's `npm pack` (its
// prepack embeds @acme/lakehouse-policy-lib), installed alone in a fresh folder, started as the CLI
// starts it (`run-policy-pack <engine> <dir>`, which type-checks with the pack's own TypeScript), and
// asked over gRPC what it serves.
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import { createRequire } from "module";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { governancePolicies, PACK_NAME as GOVERNANCE } from "../../policies/governance/policies";
import { PACK_NAME as SECURITY, securityPolicies } from "../../policies/security/policies";

const ROOT = path.join(__dirname, "..", "..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** Copies a folder without its node_modules and build output. */
function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|dist)([\\/]|$)/.test(path.relative(ROOT, src)),
  });
}

function npm(args: string[], cwd: string): string {
  return execFileSync(NPM, [...args, "--no-audit", "--no-fund", "--loglevel", "error"], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Starts the installed pack as the CLI does and resolves the port its analyzer serves on. */
function startPack(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [path.join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"), "127.0.0.1:1", "."],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) =>
      reject(new Error(`the pack exited with ${code} before serving:\n${out}\n${err}`)),
    );
  });
}

/** GetAnalyzerInfo over gRPC, with the client libraries of the pack's own install. */
function analyzerInfo(dir: string, port: number): Promise<{ name: string; policies: string[] }> {
  const load = createRequire(path.join(dir, "package.json"));
  const grpc = load("@grpc/grpc-js");
  const services = load("@pulumi/pulumi/proto/analyzer_grpc_pb.js");
  const emptyproto = load("google-protobuf/google/protobuf/empty_pb.js");
  const client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    client.getAnalyzerInfo(new emptyproto.Empty(), (err: Error | null, info: any) => {
      client.close();
      if (err) reject(err);
      else
        resolve({
          name: info.getName(),
          policies: info
            .getPoliciesList()
            .map((p: { getName(): string }) => p.getName())
            .sort(),
        });
    });
  });
}

describe("policy packs as published (npm pack, installed alone, started as the CLI does)", function () {
  this.timeout(600_000);
  let work: string;

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "pack-publish-"));
    // The packaging machine's tools (TypeScript for the lib's build), not the installed pack's.
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(work, "node_modules"), "dir");
    copyTree(path.join(ROOT, "policies"), path.join(work, "policies"));
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  for (const [folder, name, policies] of [
    ["governance", GOVERNANCE, governancePolicies],
    ["security", SECURITY, securityPolicies],
  ] as const) {
    it(`${folder}: serves ${name} with every policy from its own tarball`, async () => {
      const packDir = path.join(work, "policies", folder);
      const out = path.join(work, `out-${folder}`);
      fs.mkdirSync(out);
      const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", out], packDir));
      const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
      expect(files).to.include.members([
        "package.json",
        "PulumiPolicy.yaml",
        "tsconfig.json",
        "index.ts",
        "node_modules/@acme/lakehouse-policy-lib/package.json",
        "node_modules/@acme/lakehouse-policy-lib/dist/index.js",
        "node_modules/@acme/lakehouse-policy-lib/dist/index.d.ts",
      ]);

      // What the CLI does with a published pack: extract it into a folder of its own and npm install.
      const installed = path.join(work, `installed-${folder}`);
      fs.mkdirSync(installed);
      execFileSync("tar", [
        "xzf",
        path.join(out, packed[0].filename),
        "-C",
        installed,
        "--strip-components=1",
      ]);
      npm(["install", "--prefer-offline"], installed);
      expect(
        fs.existsSync(path.join(installed, "node_modules", "typescript")),
        "the pack's own TypeScript",
      ).to.equal(true);

      const { child, port } = await startPack(installed);
      try {
        const info = await analyzerInfo(installed, port);
        expect(info.name).to.equal(name);
        expect(info.policies).to.deep.equal(policies.map((p) => p.name).sort());
      } finally {
        child.kill();
      }
    });
  }
});
