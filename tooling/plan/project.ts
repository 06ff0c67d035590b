/**
 * A `--program`'s Pulumi project, read the way the Pulumi CLI reads it for `pulumi preview`: the nearest
 * `Pulumi.yaml` at or above the program (its `name`, `main`, `stackConfigDir` and `config:` block), the
 * stack files `Pulumi.<stack>.yaml` beside it, and the `@pulumi/pulumi` copy the program loads.
 *
 * - `Pulumi.yaml` `main` names the program's file or folder, relative to the project; one that does not
 *   exist is Pulumi's error ("project 'main' could not be read: stat …: no such file or directory").
 * - Project config (https://www.pulumi.com/docs/iac/concepts/projects/project-file/#config-options):
 *   `key: value` or `key: { value | default, type, secret }`; keys without a namespace are the
 *   project's (`<name>:<key>`), as `pulumi config set` writes them. Stack files override it.
 * - The program runs from its own folder (Pulumi's working directory for the language host), so its
 *   relative reads (`fs.readFileSync("./www/index.html")`, `new FileAsset("./app.zip")`) find their files.
 */
import * as fs from "fs";
import * as path from "path";
import { CORE_SCHEMA, load } from "js-yaml";
import { ProgramEntryError, resolveEntry } from "./program";
import { listStacks, StackFile, StackFileError } from "./stacks";
import { printable } from "../../platform/read";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const OWN_SDK_VERSION = (require("@pulumi/pulumi/package.json") as { version: string }).version;

/** The `@pulumi/pulumi` versions a program may bring in its own `node_modules`. */
export const SUPPORTED_SDK = { min: [3, 130, 0], belowMajor: 4, text: ">=3.130.0 <4.0.0" } as const;

/** A `--program`'s project. */
export interface ProgramProject {
  /** The folder of its `Pulumi.yaml`, or the program's own folder without one. */
  readonly dir: string;
  /** `Pulumi.yaml` `name`; undefined without a `Pulumi.yaml`. */
  readonly name?: string;
  /** The `Pulumi.yaml` read, if any. */
  readonly file?: string;
  /** The entry file `require` loads. */
  readonly entry: string;
  /** Where the program runs from. */
  readonly cwd: string;
  /** Project-level config, keys namespaced (`<project>:key`, `aws:region`). */
  readonly config: Record<string, string>;
  /** Keys of {@link config} declared `secret: true`. */
  readonly secretKeys: string[];
  /** The folder of the project's stack files (`stackConfigDir`, else the project folder). */
  readonly stackDir?: string;
  /** The project's stack files. */
  readonly stacks: StackFile[];
  /**
   * The program's own `@pulumi/pulumi`, when it is another copy than the plan's: its folder, version and
   * its `log` module (the run routes its logs).
   */
  readonly sdk?: { readonly dir: string; readonly version: string; readonly log: unknown };
}

/** The nearest folder at or above `start` holding a `Pulumi.yaml` (or `.yml`). */
function findProjectFile(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
      const file = path.join(dir, name);
      if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function fail(file: string, message: string): never {
  throw new ProgramEntryError(`${file}: ${message}`);
}

function configString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The project's `config:` block as namespaced strings, and the keys it declares secret. */
function projectConfig(
  file: string,
  name: string,
  raw: unknown,
): { config: Record<string, string>; secretKeys: string[] } {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  if (raw === undefined || raw === null) return { config, secretKeys };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    fail(
      file,
      `"config" must be a map of keys to values or to { default | value, type }, e.g. config: { bucketName: my-site }`,
    );
  }
  for (const [key, entry] of Object.entries(raw as Record<string, unknown>)) {
    const full = key.includes(":") ? key : `${name}:${key}`;
    if (entry !== null && typeof entry === "object" && !Array.isArray(entry)) {
      const e = entry as Record<string, unknown>;
      const value = "value" in e ? e.value : e.default;
      if (e.secret === true) secretKeys.push(full);
      if (value !== undefined) config[full] = configString(value);
      continue;
    }
    if (entry !== undefined && entry !== null) config[full] = configString(entry);
  }
  return { config, secretKeys };
}

function parseVersion(v: string): number[] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** True when `version` is within {@link SUPPORTED_SDK}. */
export function supportedSdk(version: string): boolean {
  const v = parseVersion(version);
  if (!v || v[0] >= SUPPORTED_SDK.belowMajor) return false;
  for (let i = 0; i < 3; i++) {
    if (v[i] !== SUPPORTED_SDK.min[i]) return v[i] > SUPPORTED_SDK.min[i];
  }
  return true;
}

/**
 * The `@pulumi/pulumi` the program's entry resolves, when it is not the plan's own copy. A copy outside
 * {@link SUPPORTED_SDK} is refused: the mock runtime relies on the runtime state all copies of those
 * versions share (`global.globalStore`).
 */
function programSdk(entry: string): ProgramProject["sdk"] {
  let pkgFile: string;
  try {
    pkgFile = require.resolve("@pulumi/pulumi/package.json", { paths: [path.dirname(entry)] });
  } catch {
    return undefined;
  }
  const dir = fs.realpathSync(path.dirname(pkgFile));
  const ours = fs.realpathSync(path.dirname(require.resolve("@pulumi/pulumi/package.json")));
  if (dir === ours) return undefined;
  const version = String((JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { version?: unknown }).version);
  if (!supportedSdk(version)) {
    throw new ProgramEntryError(
      `the program loads @pulumi/pulumi ${printable(version, 40)} from ${dir}; the offline plan runs programs ` +
        `on @pulumi/pulumi ${SUPPORTED_SDK.text} (its own copy is ${OWN_SDK_VERSION}): ` +
        `upgrade the program's @pulumi/pulumi (npm install @pulumi/pulumi@^3.130.0)`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const log: unknown = require(path.join(dir, "log"));
  return { dir, version, log };
}

/** Reads the project of the program at `programPath` (a file or folder). Throws {@link ProgramEntryError}. */
export function readProject(programPath: string): ProgramProject {
  const full = path.resolve(programPath);
  const isDir = fs.existsSync(full) && fs.statSync(full).isDirectory();
  const start = isDir ? full : path.dirname(full);
  const file = findProjectFile(start);
  const alone = (entry = resolveEntry(programPath)): ProgramProject => {
    return {
      dir: start,
      entry,
      cwd: isDir ? full : path.dirname(entry),
      config: {},
      secretKeys: [],
      stacks: [],
      sdk: programSdk(entry),
    };
  };
  if (!file) return alone();
  const dir = path.dirname(file);
  let doc: unknown;
  try {
    doc = load(fs.readFileSync(file, "utf8"), { schema: CORE_SCHEMA, filename: file });
  } catch (err) {
    fail(file, `not valid YAML (${(err as Error).message.split("\n")[0]}): fix it as for pulumi preview`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    fail(file, "a project file is a mapping with name and runtime, e.g. name: my-project, runtime: nodejs");
  }
  const project = doc as Record<string, unknown>;
  if (typeof project.name !== "string" || project.name === "") {
    fail(file, "project is missing a 'name' attribute: add name: <project>");
  }
  const name = project.name;
  // The program: given the project's folder, `main` of Pulumi.yaml when it is set (relative to the
  // project), as `pulumi preview` run there; given a file or another folder, that.
  let programTarget = full;
  if (isDir && full === dir && project.main !== undefined && project.main !== null && project.main !== "") {
    if (typeof project.main !== "string") fail(file, `"main" must be a path, e.g. main: src/`);
    programTarget = path.resolve(dir, project.main);
    if (!fs.existsSync(programTarget)) {
      throw new ProgramEntryError(
        `project 'main' could not be read: stat ${programTarget}: no such file or directory (${file}: fix "main")`,
      );
    }
  }
  const entry = resolveEntry(programTarget);
  // A file or folder inside a project that is not the project's program (its folder or `main`) is a
  // program of its own: `pulumi preview` of that project would run another one.
  if (!(isDir && full === dir)) {
    const main =
      typeof project.main === "string" && project.main !== "" ? path.resolve(dir, project.main) : dir;
    let projectEntry: string | undefined;
    try {
      projectEntry = resolveEntry(main);
    } catch {
      projectEntry = undefined;
    }
    if (projectEntry !== entry) return alone(entry);
  }
  const targetIsDir = fs.statSync(programTarget).isDirectory();
  const { config, secretKeys } = projectConfig(file, name, project.config);
  const stackDir =
    typeof project.stackConfigDir === "string" ? path.resolve(dir, project.stackConfigDir) : dir;
  let stacks: StackFile[];
  try {
    stacks = listStacks(stackDir);
  } catch (err) {
    if (err instanceof StackFileError) throw new ProgramEntryError(err.message);
    throw err;
  }
  return {
    dir,
    name,
    file,
    entry,
    cwd: targetIsDir ? programTarget : dir,
    config,
    secretKeys,
    stackDir,
    stacks,
    sdk: programSdk(entry),
  };
}
