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

/** True when `type` is a valid Glue/Hive type name (lowercase, as Glue stores them). */
export function isHiveType(type: string): boolean {
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
      return inner.length === 1 && isHiveType(inner[0]);
    case "map":
      return inner.length === 2 && PRIMITIVES.has(inner[0]) && isHiveType(inner[1]);
    default:
      return (
        inner.length > 0 &&
        inner.every((field) => {
          const colon = field.indexOf(":");
          return (
            colon > 0 &&
            /^[a-z_][a-z0-9_]*$/.test(field.slice(0, colon).trim()) &&
            isHiveType(field.slice(colon + 1))
          );
        })
      );
  }
}

/** What the error message shows as valid examples. */
export const HIVE_TYPE_EXAMPLES =
  "string, int, bigint, double, boolean, date, timestamp, decimal(18,2), array<string>, map<string,int>, struct<a:int,b:string>";
