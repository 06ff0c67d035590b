import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { runPlanCli as plan } from "../../run-cli";
import { firstInvalidUtf8 } from "../../../platform/read";
import { PlatformDefinitionError } from "../../../platform/validate";

const ROOT = path.join(__dirname, "..", "..", "..");
const EXAMPLE = fs.readFileSync(path.join(ROOT, "stacks", "platform.yaml"), "utf8");

/** An exit-2 refusal of --platform: the reason on stderr, no stack trace, no internal error. */
async function refusedPlatform(file: string): Promise<string> {
  const started = Date.now();
  const r = await plan("--platform", file, "--stack", "lake-prod", "--no-policies");
  expect(r.code, r.stderr).to.equal(2);
  expect(r.stderr).not.to.contain("internal error");
  expect(r.stderr).not.to.match(/\n\s+at .*:\d+:\d+\)?\n/);
  expect(Date.now() - started).to.be.below(10_000);
  return r.stderr;
}

describe("npm run plan reads hostile definition files safely", function () {
  this.timeout(60_000);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-hostile-"));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("refuses a directory", async () => {
    expect(await refusedPlatform(tmp)).to.contain("is a directory, not a regular file");
  });

  it("refuses a FIFO without blocking on it", async function () {
    const fifo = path.join(tmp, "platform.yaml");
    try {
      execFileSync("mkfifo", [fifo]);
    } catch {
      this.skip();
    }
    expect(await refusedPlatform(fifo)).to.contain("is a FIFO (named pipe), not a regular file");
  });

  it("refuses /dev/zero", async () => {
    expect(await refusedPlatform("/dev/zero")).to.contain("is a character device, not a regular file");
  });

  it("refuses an empty path", async () => {
    expect(await refusedPlatform("")).to.contain("the path is empty");
  });

  it("refuses a symlink loop", async () => {
    const a = path.join(tmp, "a.yaml");
    const b = path.join(tmp, "b.yaml");
    fs.symlinkSync(b, a);
    fs.symlinkSync(a, b);
    expect(await refusedPlatform(a)).to.contain("symbolic link loop");
  });

  it("refuses a missing file", async () => {
    expect(await refusedPlatform(path.join(tmp, "nope.yaml"))).to.contain("does not exist");
  });

  it("refuses a file over the 5 MiB cap before reading it", async () => {
    const big = path.join(tmp, "big.yaml");
    fs.writeFileSync(big, "");
    fs.truncateSync(big, 5 * 1024 * 1024 + 1);
    expect(await refusedPlatform(big)).to.contain("the cap is 5242880 bytes (5 MiB)");
  });

  it("refuses bytes that are not UTF-8, with the offset of the first bad byte", async () => {
    const file = path.join(tmp, "latin1.yaml");
    const prefix = Buffer.from("name: caf");
    fs.writeFileSync(file, Buffer.concat([prefix, Buffer.from([0xe9, 0x0a])]));
    expect(await refusedPlatform(file)).to.contain(`byte offset ${prefix.length} (0xe9) is not valid UTF-8`);
  });

  it("finds the first invalid UTF-8 byte as the WHATWG decoder judges it", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const cases: number[][] = [
      [0x61, 0xc3, 0xa9],
      [0xc0, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0x61, 0xe2, 0x82],
      [0xf0, 0x9f, 0x98, 0x80],
      [0x80],
    ];
    for (const bytes of cases) {
      const valid = (() => {
        try {
          decoder.decode(new Uint8Array(bytes));
          return true;
        } catch {
          return false;
        }
      })();
      expect(firstInvalidUtf8(new Uint8Array(bytes)) === -1, bytes.join(",")).to.equal(valid);
    }
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xe2, 0x82]))).to.equal(1);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xed, 0xa0, 0x80]))).to.equal(1);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xc3, 0xa9, 0xff]))).to.equal(3);
  });

  it("refuses a billion-laughs document fast", async () => {
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const file = path.join(tmp, "laughs.yaml");
    fs.writeFileSync(file, `${levels.join("\n")}\n`);
    expect(await refusedPlatform(file)).to.match(/YAML aliases expand the document to more than \d+ nodes/);
  });

  it("refuses a recursive alias", async () => {
    const file = path.join(tmp, "loop.yaml");
    fs.writeFileSync(file, "name: &n [*n]\n");
    expect(await refusedPlatform(file)).to.contain("recursive alias");
  });

  it("prints at most 50 problems, then how many more, each bounded and printable", async () => {
    const file = path.join(tmp, "many.yaml");
    const keys = Array.from({ length: 80 }, (_, i) => `"bogus${i}\\e[31m${"x".repeat(2000)}": 1`);
    fs.writeFileSync(file, `${EXAMPLE}\n${keys.join("\n")}\n`);
    const err = await refusedPlatform(file);
    expect(err).not.to.contain("\u001b");
    expect(err.length).to.be.below(50 * 700);
    const more = /\.\.\. and (\d+) more/.exec(err);
    if (/\(1 problem\)/.test(err)) {
      // One "unknown fields" problem names them all: it is cut to a bounded length.
      expect(err).to.contain("more characters)");
    } else {
      expect(more, err.slice(0, 500)).not.to.equal(null);
    }
  });

  it("a definition error lists 50 problems, then '... and N more', each path and message bounded", () => {
    const issues = Array.from({ length: 80 }, (_, i) => ({
      path: `datasets[${i}].name`,
      message: `"${"\u001b[2J".repeat(500)}" is not a valid name`,
    }));
    const text = new PlatformDefinitionError("platform.yaml", issues).message;
    const lines = text.split("\n");
    expect(lines[0]).to.equal("platform.yaml is not a valid platform definition (80 problems):");
    expect(lines).to.have.length(1 + 50 + 1);
    expect(lines[51]).to.equal("  ... and 30 more");
    expect(text).not.to.contain("\u001b");
    for (const line of lines.slice(1, 51)) expect(line.length).to.be.below(2_000);
    expect(lines[1]).to.contain("more characters)");
  });
});
