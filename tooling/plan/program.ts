/**
 * Loads a Pulumi TypeScript (or JavaScript) program the way the Pulumi Node.js language host loads a
 * CommonJS program: `require` the file or folder; if the module's export is a function, call it and
 * await its result; either way the (awaited) export becomes the stack's outputs.
 */
import * as fs from "fs";
import * as path from "path";
import type { Program } from "../mock-runtime/harness";

/** A program path that names no loadable entry point: the plan's exit status 2. */
export class ProgramEntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProgramEntryError";
  }
}

/** The extensions tried for an entry named without one, as `require` tries them (TypeScript first). */
const EXTENSIONS = [".ts", ".js", ".cjs"];

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOOP") {
      throw new ProgramEntryError(`program ${file} is a symbolic link loop: point --program at a real file`);
    }
    return null;
  }
}

/**
 * Resolves a program path to its entry file, the way `require` resolves a folder: package.json `main`
 * (a file, the file with an extension added, or a folder resolved the same way), else index.ts /
 * index.js. Throws {@link ProgramEntryError} for a path that is missing or not a file or folder, a
 * folder without an entry point, an unreadable package.json, or a `main` that is missing, points to
 * its own folder or loops.
 */
export function resolveEntry(programPath: string, seen: ReadonlySet<string> = new Set()): string {
  if (programPath === "") throw new ProgramEntryError("--program: the path is empty; name a file or folder");
  const full = path.resolve(programPath);
  const stat = statOrNull(full);
  if (!stat) throw new ProgramEntryError(`program ${full} not found: name a program file or folder`);
  if (stat.isFile()) return full;
  if (!stat.isDirectory()) {
    throw new ProgramEntryError(`program ${full} is not a file or folder: name a program file or folder`);
  }
  const real = fs.realpathSync(full);
  if (seen.has(real)) {
    throw new ProgramEntryError(
      `program ${full}: package.json "main" leads back to ${real} (a loop): point "main" at the entry file`,
    );
  }
  const visited = new Set([...seen, real]);
  const pkgFile = path.join(full, "package.json");
  if (statOrNull(pkgFile)?.isFile()) {
    let main: unknown;
    try {
      main = (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: unknown } | null)?.main;
    } catch (err) {
      throw new ProgramEntryError(
        `${pkgFile} is not valid JSON (${(err as Error).message}): fix or remove it`,
      );
    }
    if (main !== undefined && main !== null && main !== "") {
      if (typeof main !== "string") {
        throw new ProgramEntryError(`${pkgFile}: "main" must be a path string, e.g. "index.ts"`);
      }
      const target = path.resolve(full, main);
      if (target === full || target === real) {
        throw new ProgramEntryError(
          `${pkgFile}: "main" (${JSON.stringify(main).slice(0, 200)}) points to its own folder: name the entry file, e.g. "index.ts"`,
        );
      }
      for (const candidate of [target, ...EXTENSIONS.map((e) => target + e)]) {
        const s = statOrNull(candidate);
        if (s?.isFile()) return candidate;
        if (s?.isDirectory() && candidate === target) return resolveEntry(candidate, visited);
      }
      throw new ProgramEntryError(
        `${pkgFile}: "main" (${JSON.stringify(main).slice(0, 200)}) names no file ` +
          `(tried ${target} and ${EXTENSIONS.join(", ")}): point "main" at the program's entry file`,
      );
    }
  }
  for (const candidate of ["index.ts", "index.js"]) {
    if (statOrNull(path.join(full, candidate))?.isFile()) return path.join(full, candidate);
  }
  throw new ProgramEntryError(
    `program folder ${full} has no entry point: add index.ts (or index.js), or a package.json "main"`,
  );
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
