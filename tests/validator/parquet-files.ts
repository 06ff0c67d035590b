/** Real Parquet files for the governance tests, written with hyparquet-writer. */
import { parquetWriteBuffer } from "hyparquet-writer";
import type { ColumnSource, SchemaElement } from "hyparquet-writer";

/** Writes columns (and an explicit schema, for nested and annotated types) as one Parquet file. */
export function parquetBytes(columnData: ColumnSource[], schema?: SchemaElement[]): Uint8Array {
  return new Uint8Array(parquetWriteBuffer({ columnData, ...(schema ? { schema } : {}) }));
}

/** A schema's root element. */
export function root(children: number): SchemaElement {
  return { name: "root", num_children: children };
}

/** A nullable UTF-8 string column's element. */
export function stringElement(name: string): SchemaElement {
  return { name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" };
}

/** A nullable primitive column's element. */
export function primitive(
  name: string,
  type: SchemaElement["type"],
  extra: Partial<SchemaElement> = {},
): SchemaElement {
  return { name, type, repetition_type: "OPTIONAL", ...extra };
}

/** The first bytes of a Parquet file: `PAR1` and no trailer, as a file still being written. */
export function truncated(bytes: Uint8Array, length = 40): Uint8Array {
  return bytes.subarray(0, Math.min(length, bytes.length - 1));
}
