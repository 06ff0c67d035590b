/**
 * Reads the stack files (`stacks/Pulumi.<stack>.yaml`) the way the Pulumi CLI does for `pulumi up`:
 * the `config:` map, namespaced keys (`lakehouse:account`), structured values as JSON strings.
 */
import * as fs from "fs";
import * as path from "path";
import { CORE_SCHEMA, load, YAMLException } from "js-yaml";
import { aliasProblem, InputFileError, printable, readInputText } from "../../platform/read";

/** A stack file that cannot be used: the plan's exit status 2. */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

/** One stack file. */
export interface StackFile {
  /** Stack name: the `<stack>` of `Pulumi.<stack>.yaml`. */
  readonly name: string;
  /** The file's path. */
  readonly file: string;
  /** Its config, keys as written (`lakehouse:account`), values as the strings Pulumi passes programs. */
  readonly config: Record<string, string>;
}

const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

/** Lists the stack files in `dir`, sorted by name. */
export function listStacks(dir: string): StackFile[] {
  if (!fs.existsSync(dir)) return [];
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (err) {
    throw new StackFileError(
      `--stacks-dir ${dir}: cannot list it (${(err as NodeJS.ErrnoException).code}): name a folder of Pulumi.<stack>.yaml files`,
    );
  }
  return entries
    .map((f) => STACK_FILE.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => readStack(path.join(dir, m[0]), m[1]))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Reads one stack file, as safely as the platform definition (platform/read.ts: a regular UTF-8 file
 * under the size cap, aliases bounded). Secure (encrypted) values cannot be read offline and are
 * refused. Throws {@link StackFileError}.
 */
export function readStack(file: string, name: string): StackFile {
  let doc: unknown;
  try {
    doc = load(readInputText(file).text, { schema: CORE_SCHEMA, filename: file });
  } catch (err) {
    if (err instanceof InputFileError) throw new StackFileError(`stack file ${err.message}`);
    if (err instanceof YAMLException) {
      const where = err.mark ? ` at line ${err.mark.line + 1}, column ${err.mark.column + 1}` : "";
      throw new StackFileError(`${file}: YAML syntax error${where}: ${err.reason}`);
    }
    throw err;
  }
  const aliases = aliasProblem(doc);
  if (aliases) throw new StackFileError(`${file}: ${aliases}`);
  if (doc !== null && doc !== undefined && (typeof doc !== "object" || Array.isArray(doc))) {
    throw new StackFileError(
      `${file}: a stack file is a mapping with a "config:" map, e.g. config: { lakehouse:account: lake-prod }`,
    );
  }
  const raw = (doc as { config?: unknown } | null)?.config ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new StackFileError(
      `${file}: "config" must be a map of keys to values, e.g. lakehouse:account: lake-prod`,
    );
  }
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value && typeof value === "object" && "secure" in value) {
      throw new StackFileError(
        `${file}: config ${printable(key)} is a secret; the offline plan cannot decrypt it`,
      );
    }
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { name, file, config };
}
