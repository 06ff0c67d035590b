/**
 * `npm run policy-config`: writes the policy packs' config that matches a platform definition, one
 * file per pack, for `pulumi preview --policy-pack policies/<pack> --policy-pack-config <file>`.
 *
 *   npm run policy-config -- [--platform <file>] [--out-dir <dir>]
 *
 * Exit 0 when written; 2 when the definition cannot be used (the reason on stderr).
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError } from "commander";
import { loadPlatform, PlatformDefinitionError } from "../../platform";
import { packConfigFor, PACKS } from "./pack-config";

const ROOT = path.resolve(__dirname, "..", "..");

/** Runs the CLI with `argv` (without node and script); returns the exit status. */
export function main(
  argv: string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
): number {
  const cli = new Command("policy-config")
    .description("Write each policy pack's config for the platform definition (--policy-pack-config)")
    .option("--platform <file>", "platform definition", path.join(ROOT, "stacks/platform.yaml"))
    .option("--out-dir <dir>", "folder to write <pack>.json into", path.join(ROOT, "policy-config"))
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    cli.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const opts = cli.opts<{ platform: string; outDir: string }>();
  try {
    const config = packConfigFor(loadPlatform(opts.platform));
    fs.mkdirSync(opts.outDir, { recursive: true });
    for (const [folder, pack] of Object.entries(PACKS)) {
      const file = path.join(opts.outDir, `${folder}.json`);
      fs.writeFileSync(file, `${JSON.stringify(config[pack], null, 2)}\n`);
      io.stdout(
        `${path.relative(process.cwd(), file)}  pulumi preview --policy-pack policies/${folder} --policy-pack-config ${path.relative(process.cwd(), file)}\n`,
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof PlatformDefinitionError) {
      io.stderr(`policy-config: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
