import { expect } from "chai";
import type { SchemaElement } from "hyparquet";
import { formatHiveType, parseHiveType, sameHiveType } from "../../validator/hive";
import { inspectParquet, parquetColumns, parquetTypeName, RangeReader } from "../../validator/parquet";
import { parquetBytes, primitive, root, stringElement, truncated } from "./parquet-files";

/** A RangeReader over bytes in memory that records the ranges asked for. */
function memoryReader(bytes: Uint8Array): RangeReader & { requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    range: async (start, end) => {
      requests.push(`bytes=${start}-${end}`);
      return bytes.slice(start, end + 1);
    },
    suffix: async (n) => {
      requests.push(`bytes=-${n}`);
      return { bytes: bytes.slice(Math.max(0, bytes.length - n)), size: bytes.length };
    },
  };
}

const columns = (schema: SchemaElement[]) =>
  parquetColumns(schema).map((c) => `${c.name} ${parquetTypeName(c)}`);

describe("governance runtime: Parquet", () => {
  const file = parquetBytes([
    { name: "id", data: [1n, 2n, 3n], type: "INT64" },
    { name: "name", data: ["a", "b", "c"], type: "STRING" },
  ]);

  it("reads a small file's columns and row count with one suffix read", async () => {
    const reader = memoryReader(file);
    const result = await inspectParquet(reader, file.length);
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.numRows).to.equal(3);
    expect(result.columns.map((c) => `${c.name} ${parquetTypeName(c)}`)).to.deep.equal([
      "id bigint",
      "name string",
    ]);
    expect(reader.requests).to.deep.equal([`bytes=-${file.length}`]);
  });

  it("reads the header with bytes=0-3 and the footer with an exact range when neither is in the suffix", async () => {
    const reader = memoryReader(file);
    const result = await inspectParquet(reader, file.length, { tailReadBytes: 16 });
    expect(result.ok).to.equal(true);
    const footerLength = new DataView(file.buffer, file.byteOffset + file.length - 8, 4).getUint32(0, true);
    expect(reader.requests).to.deep.equal([
      "bytes=0-3",
      "bytes=-16",
      `bytes=${file.length - 8 - footerLength}-${file.length - 9}`,
    ]);
  });

  it("names what is wrong with a file that is not Parquet", async () => {
    const csv = new TextEncoder().encode("id,name\n1,a\n2,b\n");
    const notParquet = await inspectParquet(memoryReader(csv), csv.length);
    expect(notParquet).to.deep.include({ ok: false });
    expect(!notParquet.ok && notParquet.problem).to.match(
      /^starts with "id,n" instead of PAR1: not a Parquet file/,
    );

    const cut = truncated(file);
    const partial = await inspectParquet(memoryReader(cut), cut.length);
    expect(!partial.ok && partial.problem).to.match(
      /instead of PAR1: truncated, still being written, or not Parquet/,
    );

    const tiny = await inspectParquet(memoryReader(new Uint8Array(5)), 5);
    expect(!tiny.ok && tiny.problem).to.match(/^5 bytes: too small to be Parquet/);
  });

  it("reports a footer length past the object and a footer that cannot be parsed", async () => {
    const lying = file.slice();
    new DataView(lying.buffer).setUint32(lying.length - 8, 1_000_000, true);
    const tooLong = await inspectParquet(memoryReader(lying), lying.length);
    expect(!tooLong.ok && tooLong.problem).to.match(/footer length 1000000 exceeds the object's \d+ bytes/);

    const garbled = new Uint8Array([
      ...new TextEncoder().encode("PAR1"),
      ...new Uint8Array(20).fill(0xff),
      10,
      0,
      0,
      0,
      ...new TextEncoder().encode("PAR1"),
    ]);
    const unreadable = await inspectParquet(memoryReader(garbled), garbled.length);
    expect(!unreadable.ok && unreadable.problem).to.match(/^footer cannot be read: /);

    const big = await inspectParquet(memoryReader(file), file.length, { maxFooterBytes: 10 });
    expect(!big.ok && big.problem).to.match(/larger than the 10 the validator reads/);
  });

  it("maps physical, converted and logical types to Glue/Hive names", () => {
    expect(
      columns([
        root(14),
        primitive("b", "BOOLEAN"),
        primitive("i", "INT32"),
        primitive("l", "INT64"),
        primitive("f", "FLOAT"),
        primitive("d", "DOUBLE"),
        primitive("raw", "BYTE_ARRAY"),
        stringElement("s"),
        primitive("ls", "BYTE_ARRAY", { logical_type: { type: "STRING" } }),
        primitive("ts", "INT64", {
          logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" },
        }),
        primitive("legacy_ts", "INT96"),
        primitive("day", "INT32", { converted_type: "DATE" }),
        primitive("price", "FIXED_LEN_BYTE_ARRAY", {
          logical_type: { type: "DECIMAL", precision: 12, scale: 4 },
        }),
        primitive("small", "INT32", { logical_type: { type: "INTEGER", bitWidth: 16, isSigned: true } }),
        primitive("u32", "INT64", { converted_type: "UINT_32" }),
      ]),
    ).to.deep.equal([
      "b boolean",
      "i int",
      "l bigint",
      "f float",
      "d double",
      "raw binary",
      "s string",
      "ls string",
      "ts timestamp",
      "legacy_ts timestamp",
      "day date",
      "price decimal(12,4)",
      "small smallint",
      "u32 bigint",
    ]);
  });

  it("maps nested groups to struct, array and map, three-level and legacy lists alike", () => {
    expect(
      columns([
        root(5),
        { name: "device", repetition_type: "OPTIONAL", num_children: 2 },
        stringElement("os"),
        primitive("mobile", "BOOLEAN"),
        { name: "tags", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        stringElement("element"),
        { name: "legacy", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
        { name: "array", type: "INT32", repetition_type: "REPEATED" },
        { name: "props", repetition_type: "OPTIONAL", converted_type: "MAP", num_children: 1 },
        { name: "key_value", repetition_type: "REPEATED", num_children: 2 },
        { name: "key", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
        { name: "value", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        { name: "element", repetition_type: "OPTIONAL", num_children: 2 },
        primitive("sku", "BYTE_ARRAY", { converted_type: "UTF8" }),
        primitive("qty", "INT32"),
        { name: "repeated_plain", type: "DOUBLE", repetition_type: "REPEATED" },
      ]),
    ).to.deep.equal([
      "device struct<os:string,mobile:boolean>",
      "tags array<string>",
      "legacy array<int>",
      "props map<string,array<struct<sku:string,qty:int>>>",
      "repeated_plain array<double>",
    ]);
  });

  it("compares Glue types with file types: char/varchar are strings, integer is int, struct fields match by name", () => {
    const same = (a: string, b: string) => sameHiveType(parseHiveType(a), parseHiveType(b));
    expect(same("varchar(32)", "string")).to.equal(true);
    expect(same("char(3)", "string")).to.equal(true);
    expect(same("INTEGER", "int")).to.equal(true);
    expect(same("decimal", "decimal(10,0)")).to.equal(true);
    expect(same("struct<a:int,b:string>", "struct<B:string,a:int>")).to.equal(true);
    expect(same("bigint", "int")).to.equal(false);
    expect(same("decimal(18,2)", "decimal(18,4)")).to.equal(false);
    expect(same("array<string>", "array<int>")).to.equal(false);
    expect(same("map<string,string>", "struct<k:string,v:string>")).to.equal(false);
    expect(same("struct<a:int,b:string>", "struct<a:int>")).to.equal(false);
    expect(formatHiveType(parseHiveType("map< string , array<varchar(5)> >"))).to.equal(
      "map<string,array<string>>",
    );
    expect(() => parseHiveType("map<string>")).to.throw(
      /"map<string>" is not a Hive type: map<K,V> takes two types/,
    );
    // A deployed type is any text Glue took (up to 131072 characters): the parse stays bounded.
    const deep = "array<".repeat(20_000) + "int" + ">".repeat(20_000);
    expect(() => parseHiveType(deep)).to.throw(/nests more than 100 levels deep/);
    expect(formatHiveType(parseHiveType("array<".repeat(100) + "int" + ">".repeat(100)))).to.have.length(
      100 * 7 + 3,
    );
  });
});
