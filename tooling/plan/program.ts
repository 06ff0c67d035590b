/**
 * Loads a Pulumi TypeScript (or JavaScript) program the way the Pulumi Node.js language host loads a
 * CommonJS program: `require` the file or folder; if the module's export is a function, call it and
 * await its result; either way the (awaited) export becomes the stack's outputs.
 */
import * as fs from "fs";
import * as path from "path";
import type { Program } from "../mock-runtime/harness";

/** Resolves a program folder to its entry file: package.json `main`, else index.ts / index.js. */
export function resolveEntry(programPath: string): string {
  const full = path.resolve(programPath);
  if (!fs.statSync(full).isDirectory()) return full;
  const pkgFile = path.join(full, "package.json");
  if (fs.existsSync(pkgFile)) {
    const main = JSON.parse(fs.readFileSync(pkgFile, "utf8")).main as string | undefined;
    if (main) return resolveEntry(path.join(full, main));
  }
  for (const candidate of ["index.ts", "index.js"]) {
    if (fs.existsSync(path.join(full, candidate))) return path.join(full, candidate);
  }
  throw new Error(`${full} has no index.ts, index.js or package.json "main"`);
}

/**
 * Returns a {@link Program} for the module. A module that exports a function is loaded once and the
 * function called for each stack (a program that is a function of its config). A program written as
 * top-level statements is loaded again for each stack, so it declares its resources again: modules of
 * its own folder are evicted from the require cache first; libraries (node_modules) stay loaded.
 */
export function loadProgram(programPath: string): Program {
  const entry = resolveEntry(programPath);
  const root = path.dirname(entry) + path.sep;
  let fn: (() => unknown) | undefined;
  return () => {
    if (fn) return fn();
    for (const key of Object.keys(require.cache)) {
      if (key.startsWith(root) && !key.includes(`${path.sep}node_modules${path.sep}`))
        delete require.cache[key];
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported: unknown = require(entry);
    if (typeof exported === "function") {
      fn = exported as () => unknown;
      return fn();
    }
    return exported;
  };
}
