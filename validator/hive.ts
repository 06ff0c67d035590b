/**
 * Glue/Hive type names as trees, to compare a Glue column's declared type with the type a Parquet file
 * actually stores. `char(n)` and `varchar(n)` are strings in Parquet, `integer` is `int` and a bare
 * `decimal` is Hive's `decimal(10,0)`.
 */
import { MAX_HIVE_TYPE_DEPTH, nestingDepth, splitTopLevel } from "../platform/hive-types";

/** A parsed type: a primitive (with its parameters) or a nested array, map or struct. */
export type HiveType =
  | { readonly kind: "primitive"; readonly name: string }
  | { readonly kind: "array"; readonly element: HiveType }
  | { readonly kind: "map"; readonly key: HiveType; readonly value: HiveType }
  | {
      readonly kind: "struct";
      readonly fields: readonly { readonly name: string; readonly type: HiveType }[];
    };

/**
 * Parses a Glue/Hive type name; throws naming the type when it is not one, or nests deeper than the
 * platform's `MAX_HIVE_TYPE_DEPTH` (a deployed table's type is any text Glue took: the recursion stays
 * bounded).
 */
export function parseHiveType(type: string): HiveType {
  if (nestingDepth(type) > MAX_HIVE_TYPE_DEPTH)
    throw new Error(
      `"${type.slice(0, 80)}..." nests more than ${MAX_HIVE_TYPE_DEPTH} levels deep; the platform reads no deeper type`,
    );
  return parse(type);
}

function parse(type: string): HiveType {
  const t = type.trim().toLowerCase();
  const nested = /^(array|map|struct)\s*<(.*)>$/s.exec(t);
  if (!nested) return { kind: "primitive", name: normalisePrimitive(t) };
  const inner = splitTopLevel(nested[2]);
  switch (nested[1]) {
    case "array":
      if (inner.length !== 1) throw new Error(`"${type}" is not a Hive type: array<T> takes one type`);
      return { kind: "array", element: parse(inner[0]) };
    case "map":
      if (inner.length !== 2) throw new Error(`"${type}" is not a Hive type: map<K,V> takes two types`);
      return { kind: "map", key: parse(inner[0]), value: parse(inner[1]) };
    default:
      return {
        kind: "struct",
        fields: inner.map((field) => {
          const colon = field.indexOf(":");
          if (colon <= 0)
            throw new Error(`"${type}" is not a Hive type: struct fields are written name:type`);
          return { name: field.slice(0, colon).trim(), type: parse(field.slice(colon + 1)) };
        }),
      };
  }
}

function normalisePrimitive(t: string): string {
  const compact = t.replace(/\s+/g, "");
  if (compact === "integer") return "int";
  if (compact === "decimal") return "decimal(10,0)";
  if (/^(var)?char\(\d+\)$/.test(compact)) return "string";
  return compact;
}

/** Writes a type back as a Glue/Hive type name. */
export function formatHiveType(type: HiveType): string {
  switch (type.kind) {
    case "primitive":
      return type.name;
    case "array":
      return `array<${formatHiveType(type.element)}>`;
    case "map":
      return `map<${formatHiveType(type.key)},${formatHiveType(type.value)}>`;
    default:
      return `struct<${type.fields.map((f) => `${f.name}:${formatHiveType(f.type)}`).join(",")}>`;
  }
}

/**
 * True when data stored as `actual` reads as `declared`: the same primitives (after normalisation), the
 * same nesting, struct fields matched by name (case-insensitively, in any order, as Athena and Spark
 * resolve Parquet columns).
 */
export function sameHiveType(declared: HiveType, actual: HiveType): boolean {
  if (declared.kind !== actual.kind) return false;
  switch (declared.kind) {
    case "primitive":
      return declared.name === (actual as typeof declared).name;
    case "array":
      return sameHiveType(declared.element, (actual as typeof declared).element);
    case "map": {
      const a = actual as typeof declared;
      return sameHiveType(declared.key, a.key) && sameHiveType(declared.value, a.value);
    }
    default: {
      const fields = new Map((actual as typeof declared).fields.map((f) => [f.name.toLowerCase(), f.type]));
      return (
        fields.size === declared.fields.length &&
        declared.fields.every((f) => {
          const other = fields.get(f.name.toLowerCase());
          return other !== undefined && sameHiveType(f.type, other);
        })
      );
    }
  }
}
