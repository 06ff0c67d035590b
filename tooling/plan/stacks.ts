/**
 * Reads the stack files (`stacks/Pulumi.<stack>.yaml`) the way the Pulumi CLI does for `pulumi up`:
 * the `config:` map, namespaced keys (`lakehouse:account`), structured values as JSON strings.
 */
import * as fs from "fs";
import * as path from "path";
import { CORE_SCHEMA, load, YAMLException } from "js-yaml";
import { aliasProblem, InputFileError, readInputText } from "../../platform/read";

/**
 * The engine's marker for a value unknown until deployment (`@pulumi/pulumi/runtime/rpc` `unknownValue`,
 * which the mock runtime records as unknown; tests/tooling/plan/program-project.test.ts pins the two equal).
 * Written here so that reading stack files (preflight, deploy) does not load the Pulumi runtime.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

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
  /**
   * Its config, keys as written (`lakehouse:account`), values as the strings Pulumi passes programs; a
   * `secure:` value, which only the stack's secrets provider decrypts, is {@link UNKNOWN}.
   */
  readonly config: Record<string, string>;
  /** Keys whose values are secrets (`secure:`): the program sees them as secrets of unknown value. */
  readonly secretKeys: string[];
  /** ESC environments the file imports (`environment:`), whose values no offline run can open. */
  readonly environments: string[];
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
 * under the size cap, aliases bounded). Secure (encrypted) values cannot be read offline: they become
 * secrets of unknown value, as a value known only at deployment. Throws {@link StackFileError}.
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
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value && typeof value === "object" && "secure" in value) {
      config[key] = UNKNOWN;
      secretKeys.push(key);
      continue;
    }
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { name, file, config, secretKeys, environments: environmentsOf(doc, file) };
}

/**
 * The ESC environments a stack file imports: `environment: [a, b]`, `environment: a`, or
 * `environment: { imports: [a] }` (https://www.pulumi.com/docs/esc/integrations/infrastructure/pulumi-iac/).
 */
function environmentsOf(doc: unknown, file: string): string[] {
  const env = (doc as { environment?: unknown } | null)?.environment;
  if (env === undefined || env === null) return [];
  const list = typeof env === "object" && !Array.isArray(env) ? (env as { imports?: unknown }).imports : env;
  const names = typeof list === "string" ? [list] : list;
  if (!Array.isArray(names) || names.some((n) => typeof n !== "string")) {
    throw new StackFileError(
      `${file}: "environment" must name ESC environments, e.g. environment: [my-project/dev]`,
    );
  }
  return names as string[];
}
