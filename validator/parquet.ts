/**
 * Parquet, read the cheap way: the 4-byte `PAR1` header and the trailer (footer length + `PAR1`) through
 * ranged reads, the footer with hyparquet, never the data pages. The file's columns come back as Glue/Hive
 * types, to compare with the Glue table.
 */
import { parquetMetadata, parquetSchema } from "hyparquet";
import type { FileMetaData, SchemaElement, SchemaTree } from "hyparquet";
import { VALIDATOR_DEFAULTS } from "./defaults";
import { formatHiveType, HiveType } from "./hive";

/** The magic bytes at both ends of a Parquet file. */
export const PARQUET_MAGIC = "PAR1";
/** Header magic + footer length + trailer magic: the smallest possible Parquet overhead. */
const MIN_PARQUET_BYTES = 12;

/** Ranged reads of one object. */
export interface RangeReader {
  /** Bytes `start..end`, both inclusive (`Range: bytes=start-end`). */
  range(start: number, end: number): Promise<Uint8Array>;
  /** The last `n` bytes (`Range: bytes=-n`), and the object's total size. */
  suffix(n: number): Promise<{ bytes: Uint8Array; size: number }>;
}

/** A top-level column of a Parquet file, with its type as Glue/Hive writes it. */
export interface ParquetColumn {
  readonly name: string;
  readonly type: HiveType;
}

/** What reading an object's ends and footer found. */
export type ParquetInspection =
  | { readonly ok: true; readonly columns: readonly ParquetColumn[]; readonly numRows: number }
  | { readonly ok: false; readonly problem: string };

/** Options of {@link inspectParquet}. */
export interface InspectOptions {
  /** @default VALIDATOR_DEFAULTS.tailReadBytes */
  readonly tailReadBytes?: number;
  /** @default VALIDATOR_DEFAULTS.maxFooterBytes */
  readonly maxFooterBytes?: number;
}

function ascii(bytes: Uint8Array): string {
  return Array.from(bytes, (b) =>
    b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`,
  ).join("");
}

function isMagic(bytes: Uint8Array): boolean {
  return bytes.length === 4 && ascii(bytes) === PARQUET_MAGIC;
}

/**
 * Checks that an object of `size` bytes (as listed) is Parquet and reads its footer: one suffix read of
 * up to `tailReadBytes` (the trailer and, usually, the whole footer), a `bytes=0-3` read of the header when
 * the suffix did not cover it, and a read of exactly the footer when it is larger than the suffix.
 * Reader errors (S3, network) propagate; a file that is not Parquet is an `ok: false` inspection.
 */
export async function inspectParquet(
  reader: RangeReader,
  size: number,
  options: InspectOptions = {},
): Promise<ParquetInspection> {
  const tailReadBytes = options.tailReadBytes ?? VALIDATOR_DEFAULTS.tailReadBytes;
  const maxFooterBytes = options.maxFooterBytes ?? VALIDATOR_DEFAULTS.maxFooterBytes;
  if (size < MIN_PARQUET_BYTES)
    return {
      ok: false,
      problem: `${size} bytes: too small to be Parquet (header PAR1, footer, trailer PAR1)`,
    };
  const [head, tail] = await Promise.all([
    size > tailReadBytes ? reader.range(0, 3) : undefined,
    reader.suffix(Math.min(tailReadBytes, size)),
  ]);
  const total = tail.size;
  const first = head ?? tail.bytes.subarray(0, 4);
  if (!isMagic(first))
    return {
      ok: false,
      problem: `starts with "${ascii(first)}" instead of PAR1: not a Parquet file; convert it to Parquet or move it out of the dataset's location`,
    };
  const trailer = tail.bytes.subarray(tail.bytes.length - 8);
  if (!isMagic(trailer.subarray(4)))
    return {
      ok: false,
      problem: `ends with "${ascii(trailer.subarray(4))}" instead of PAR1: truncated, still being written, or not Parquet; rewrite the file`,
    };
  const footerLength = new DataView(trailer.buffer, trailer.byteOffset, 4).getUint32(0, true);
  if (footerLength + MIN_PARQUET_BYTES > total)
    return {
      ok: false,
      problem: `footer length ${footerLength} exceeds the object's ${total} bytes: the file is corrupt`,
    };
  if (footerLength > maxFooterBytes)
    return {
      ok: false,
      problem: `footer of ${footerLength} bytes is larger than the ${maxFooterBytes} the validator reads`,
    };
  let footerAndTrailer: Uint8Array;
  if (footerLength + 8 <= tail.bytes.length) {
    footerAndTrailer = tail.bytes.subarray(tail.bytes.length - 8 - footerLength);
  } else {
    const footer = await reader.range(total - 8 - footerLength, total - 9);
    footerAndTrailer = new Uint8Array(footerLength + 8);
    footerAndTrailer.set(footer, 0);
    footerAndTrailer.set(trailer, footerLength);
  }
  let metadata: FileMetaData;
  try {
    // A copy: hyparquet reads from the start of the ArrayBuffer it is given.
    metadata = parquetMetadata(footerAndTrailer.slice().buffer);
  } catch (err) {
    return { ok: false, problem: `footer cannot be read: ${(err as Error).message}` };
  }
  return { ok: true, columns: parquetColumns(metadata.schema), numRows: Number(metadata.num_rows) };
}

/** The top-level columns of a Parquet schema (its flattened element list) as Glue/Hive types. */
export function parquetColumns(schema: readonly SchemaElement[]): ParquetColumn[] {
  const root = parquetSchema({ schema: [...schema] });
  return root.children.map((c) => ({ name: c.element.name, type: nodeType(c) }));
}

/** A column's type as a Glue/Hive type name (`bigint`, `array<string>`, `struct<a:int>`). */
export function parquetTypeName(column: ParquetColumn): string {
  return formatHiveType(column.type);
}

function nodeType(node: SchemaTree): HiveType {
  const base = baseType(node);
  // A repeated field outside a LIST annotation is a list of that field (Parquet's legacy form).
  return node.element.repetition_type === "REPEATED" ? { kind: "array", element: base } : base;
}

function baseType(node: SchemaTree): HiveType {
  const e = node.element;
  if (e.num_children === undefined) return { kind: "primitive", name: leafType(e) };
  const annotation = e.logical_type?.type ?? e.converted_type;
  if (annotation === "LIST" && node.children.length === 1) {
    const repeated = node.children[0];
    // Three-level lists (`list.element`) hold the element in the repeated group; the legacy two-level
    // forms repeat the element itself (a primitive, a group of several fields, `array` or `<name>_tuple`).
    const threeLevel =
      repeated.element.num_children !== undefined &&
      repeated.children.length === 1 &&
      repeated.element.name !== "array" &&
      repeated.element.name !== `${e.name}_tuple`;
    return { kind: "array", element: threeLevel ? nodeType(repeated.children[0]) : baseType(repeated) };
  }
  if ((annotation === "MAP" || annotation === "MAP_KEY_VALUE") && node.children.length === 1) {
    const entries = node.children[0];
    if (entries.children.length === 2)
      return { kind: "map", key: nodeType(entries.children[0]), value: nodeType(entries.children[1]) };
  }
  return { kind: "struct", fields: node.children.map((c) => ({ name: c.element.name, type: nodeType(c) })) };
}

const SIGNED_INTS: Record<number, string> = { 8: "tinyint", 16: "smallint", 32: "int", 64: "bigint" };
// Unsigned integers need the next wider signed type; a uint64 fits only a decimal.
const UNSIGNED_INTS: Record<number, string> = { 8: "smallint", 16: "int", 32: "bigint", 64: "decimal(20,0)" };

/** The Glue/Hive type of a primitive Parquet column: logical type, else converted type, else physical. */
function leafType(e: SchemaElement): string {
  const logical = e.logical_type;
  if (logical) {
    switch (logical.type) {
      case "STRING":
      case "ENUM":
      case "JSON":
      case "UUID":
        return "string";
      case "DATE":
        return "date";
      case "TIMESTAMP":
        return "timestamp";
      case "DECIMAL":
        return `decimal(${logical.precision},${logical.scale})`;
      case "INTEGER":
        return (logical.isSigned ? SIGNED_INTS : UNSIGNED_INTS)[logical.bitWidth] ?? physicalType(e);
      case "FLOAT16":
        return "float";
      case "BSON":
        return "binary";
      default:
        break;
    }
  }
  switch (e.converted_type) {
    case "UTF8":
    case "ENUM":
    case "JSON":
      return "string";
    case "BSON":
      return "binary";
    case "DATE":
      return "date";
    case "TIMESTAMP_MILLIS":
    case "TIMESTAMP_MICROS":
      return "timestamp";
    case "DECIMAL":
      return `decimal(${e.precision ?? 10},${e.scale ?? 0})`;
    case "INT_8":
      return "tinyint";
    case "INT_16":
      return "smallint";
    case "INT_32":
      return "int";
    case "INT_64":
      return "bigint";
    case "UINT_8":
      return "smallint";
    case "UINT_16":
      return "int";
    case "UINT_32":
      return "bigint";
    case "UINT_64":
      return "decimal(20,0)";
    default:
      return physicalType(e);
  }
}

function physicalType(e: SchemaElement): string {
  switch (e.type) {
    case "BOOLEAN":
      return "boolean";
    case "INT32":
      return "int";
    case "INT64":
      return "bigint";
    case "INT96":
      return "timestamp";
    case "FLOAT":
      return "float";
    case "DOUBLE":
      return "double";
    default:
      return "binary";
  }
}
