/**
 * Reads the stack files (`stacks/Pulumi.<stack>.yaml`) the way the Pulumi CLI does for `pulumi up`:
 * the `config:` map, namespaced keys (`lakehouse:account`), structured values as JSON strings.
 */
import * as fs from "fs";
import * as path from "path";
import { CORE_SCHEMA, load } from "js-yaml";

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
  return fs
    .readdirSync(dir)
    .map((f) => STACK_FILE.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => readStack(path.join(dir, m[0]), m[1]))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Reads one stack file. Secure (encrypted) values cannot be read offline and are refused. */
export function readStack(file: string, name: string): StackFile {
  const doc = (load(fs.readFileSync(file, "utf8"), { schema: CORE_SCHEMA }) ?? {}) as {
    config?: Record<string, unknown>;
  };
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (value && typeof value === "object" && "secure" in value) {
      throw new Error(`${file}: config ${key} is a secret; the offline plan cannot decrypt it`);
    }
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { name, file, config };
}
