/**
 * The build step that ships the governance validator's Lambda handler pre-bundled (`npm run
 * build:validator`, run by `prepack` after `build:lib`): `validator/handler.ts` and every dependency it
 * loads (the AWS SDK v3 clients, zod, js-yaml, the ESM-only hyparquet) bundled by esbuild into one
 * CommonJS file for Node.js 22, `dist/validator-handler/index.js`. `GovernanceAutomation` deploys that
 * file by default, so neither esbuild nor the SDK is needed, or run, at `pulumi up`, and neither is a
 * dependency of the published package.
 */
import * as fs from "fs";
import * as path from "path";
import { buildSync } from "esbuild";
import { HANDLER_FILE } from "../../validator/deployment";

/** The repository root: every path in the bundle is relative to it, so the bundle is machine-independent. */
export const ROOT = path.resolve(__dirname, "..", "..");
/** The handler's source, relative to {@link ROOT}. */
export const HANDLER_SOURCE = path.join("validator", "handler.ts");
/** Where the artefact is written: the packaged file `GovernanceAutomation` finds next to its compiled code. */
export const ARTEFACT = path.join(ROOT, "dist", "validator-handler", HANDLER_FILE);

/** The handler bundled into one CommonJS file's text; minified unless `minify: false`. */
export function bundleValidator(options: { readonly minify?: boolean } = {}): string {
  const result = buildSync({
    absWorkingDir: ROOT,
    entryPoints: [HANDLER_SOURCE],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

/** Writes the bundle to `outFile` (default {@link ARTEFACT}) and returns its path. */
export function writeValidatorArtefact(
  options: { readonly minify?: boolean; readonly outFile?: string } = {},
): string {
  const outFile = options.outFile ?? ARTEFACT;
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, bundleValidator(options));
  return outFile;
}

/** `node -r tsx/cjs tooling/build/bundle-validator.ts [--no-minify] [--out <file>]` */
if (require.main === module) {
  const argv = process.argv.slice(2);
  const minify = !argv.includes("--no-minify");
  const out = argv.indexOf("--out");
  if (out >= 0 && argv[out + 1] === undefined) {
    console.error("--out: give the file to write the bundle to");
    process.exit(2);
  }
  const file = writeValidatorArtefact({
    minify,
    outFile: out >= 0 ? path.resolve(argv[out + 1]) : undefined,
  });
  console.error(
    `validator handler bundled: ${path.relative(process.cwd(), file)} (${fs.statSync(file).size} bytes)`,
  );
}
