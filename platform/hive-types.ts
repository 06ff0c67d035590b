/**
 * Glue / Hive column type names: the primitives Athena and Glue accept, parameterised `decimal(p,s)`,
 * `varchar(n)`, `char(n)`, and `array<T>`, `map<K,V>`, `struct<name:T,...>` nested to any depth.
 */

const PRIMITIVES = new Set([
  "boolean",
  "tinyint",
  "smallint",
  "int",
  "integer",
  "bigint",
  "float",
  "double",
  "string",
  "binary",
  "date",
  "timestamp",
]);

/** Splits `a,b<c,d>,e` on the commas at depth 0. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "<" || c === "(") depth++;
    else if (c === ">" || c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/**
 * Glue's limit on a column's type name: "Length Constraints: Minimum length of 0. Maximum length of
 * 131072" (Glue API, Column `Type`: https://docs.aws.amazon.com/glue/latest/webapi/API_Column.html).
 */
export const MAX_HIVE_TYPE_LENGTH = 131_072;

/**
 * How deeply `array`/`map`/`struct` may nest: a platform rule (AWS documents none), far beyond any real
 * schema, that keeps every parser of type names (here and the validator's) within a bounded recursion.
 */
export const MAX_HIVE_TYPE_DEPTH = 100;

/** The deepest nesting of `<...>` and `(...)` in a type name, in one pass. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (const c of text) {
    if (c === "<" || c === "(") deepest = Math.max(deepest, ++depth);
    else if (c === ">" || c === ")") depth--;
  }
  return deepest;
}

/**
 * Why `type` is not a type name the platform accepts (too long for Glue, nested too deeply, or not a
 * Glue/Hive type), `undefined` when it is one. The message shows at most the type's first 80 characters.
 */
export function hiveTypeProblem(type: string): string | undefined {
  const shown = JSON.stringify(type.length > 80 ? `${type.slice(0, 80)}...` : type);
  if (type.length > MAX_HIVE_TYPE_LENGTH)
    return `${shown} is ${type.length} characters; Glue takes type names of at most ${MAX_HIVE_TYPE_LENGTH}: split the column`;
  if (nestingDepth(type) > MAX_HIVE_TYPE_DEPTH)
    return `${shown} nests array, map and struct more than ${MAX_HIVE_TYPE_DEPTH} levels deep (the platform's limit): flatten the type`;
  if (!isTypeName(type)) return `${shown} is not a Glue/Hive type; use one of ${HIVE_TYPE_EXAMPLES}`;
  return undefined;
}

/**
 * True when `type` is a valid Glue/Hive type name (lowercase, as Glue stores them) within Glue's length
 * and the platform's nesting depth.
 */
export function isHiveType(type: string): boolean {
  if (type.length > MAX_HIVE_TYPE_LENGTH || nestingDepth(type) > MAX_HIVE_TYPE_DEPTH) return false;
  return isTypeName(type);
}

function isTypeName(type: string): boolean {
  const t = type.trim();
  if (PRIMITIVES.has(t)) return true;
  let m = /^decimal\((\d+)\s*,\s*(\d+)\)$/.exec(t);
  if (m) return +m[1] >= 1 && +m[1] <= 38 && +m[2] <= +m[1];
  if (/^decimal$/.test(t)) return true;
  m = /^(varchar|char)\((\d+)\)$/.exec(t);
  if (m) return +m[2] >= 1 && +m[2] <= (m[1] === "char" ? 255 : 65535);
  m = /^(array|map|struct)<(.*)>$/.exec(t);
  if (!m) return false;
  const inner = splitTopLevel(m[2]);
  switch (m[1]) {
    case "array":
      return inner.length === 1 && isTypeName(inner[0]);
    case "map":
      return inner.length === 2 && PRIMITIVES.has(inner[0]) && isTypeName(inner[1]);
    default:
      return (
        inner.length > 0 &&
        inner.every((field) => {
          const colon = field.indexOf(":");
          return (
            colon > 0 &&
            /^[a-z_][a-z0-9_]*$/.test(field.slice(0, colon).trim()) &&
            isTypeName(field.slice(colon + 1))
          );
        })
      );
  }
}

/** What the error message shows as valid examples. */
export const HIVE_TYPE_EXAMPLES =
  "string, int, bigint, double, boolean, date, timestamp, decimal(18,2), array<string>, map<string,int>, struct<a:int,b:string>";
