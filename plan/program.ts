/**
 * Loads a Pulumi TypeScript (or JavaScript) program the way the Pulumi Node.js language host loads a
 * CommonJS program: `require` the file or folder; if the module's export is a function, call it and
 * await its result; either way the (awaited) export becomes the stack's outputs.
 */
import * as fs from "fs";
import * as path from "path";
import type { Program } from "./harness";

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
 * Returns a {@link Program} that (re)loads the module on every call, so a program written as
 * top-level statements declares its resources again for each stack. Modules of the program's own
 * folder are evicted from the require cache first; libraries (node_modules) stay loaded.
 */
export function loadProgram(programPath: string): Program {
  const entry = resolveEntry(programPath);
  const root = path.dirname(entry) + path.sep;
  return () => {
    for (const key of Object.keys(require.cache)) {
      if (key.startsWith(root) && !key.includes(`${path.sep}node_modules${path.sep}`))
        delete require.cache[key];
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported: unknown = require(entry);
    return typeof exported === "function" ? exported() : exported;
  };
}
