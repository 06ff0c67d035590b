/**
 * The schema check: the columns each Parquet file stores against the Glue table's columns. Files are
 * grouped by schema, so 10 000 files of one schema are compared once; each difference is one finding that
 * counts the files it concerns and names the first. Partition keys are not stored in the files and are
 * never reported missing (nor added, when a writer keeps them).
 */
import { Finding } from "../findings";
import { MAX_HIVE_TYPE_DEPTH } from "../../platform/hive-types";
import { formatHiveType, HiveType, parseHiveType, sameHiveType } from "../hive";
import type { ParquetColumn } from "../parquet";
import { s3Uri } from "./objects";

/** A Glue column: name and Glue/Hive type name. */
export interface GlueColumn {
  readonly name: string;
  readonly type: string;
}

/** What the validator reads of a Glue table. */
export interface GlueTableShape {
  readonly columns: readonly GlueColumn[];
  readonly partitionKeys: readonly GlueColumn[];
  readonly parameters: Readonly<Record<string, string>>;
}

/** One Parquet file's columns. */
export interface FileSchema {
  readonly key: string;
  readonly columns: readonly ParquetColumn[];
}

interface Difference {
  readonly kind: "missing" | "added" | "retyped" | "unreadable";
  readonly column: string;
  readonly glueType?: string;
  readonly fileType?: string;
}

function differences(table: GlueTableShape, columns: readonly ParquetColumn[]): Difference[] {
  const declared = new Map<string, { type: string; parsed: HiveType | undefined }>(
    table.columns.map((c) => [c.name.toLowerCase(), { type: c.type, parsed: parsed(c.type) }]),
  );
  const partitions = new Set(table.partitionKeys.map((k) => k.name.toLowerCase()));
  const stored = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const out: Difference[] = [];
  for (const [name, glue] of declared) {
    const file = stored.get(name);
    if (glue.parsed === undefined)
      out.push({ kind: "unreadable", column: name, glueType: glue.type.slice(0, 80) });
    else if (!file) out.push({ kind: "missing", column: name, glueType: glue.type });
    else if (!sameHiveType(glue.parsed, file.type))
      out.push({ kind: "retyped", column: name, glueType: glue.type, fileType: formatHiveType(file.type) });
  }
  for (const [name, file] of stored) {
    if (!declared.has(name) && !partitions.has(name))
      out.push({ kind: "added", column: file.name, fileType: formatHiveType(file.type) });
  }
  return out;
}

/** A deployed column's type as a tree; `undefined` when it is none the validator reads (Glue takes any text). */
function parsed(type: string): HiveType | undefined {
  try {
    return parseHiveType(type);
  } catch {
    return undefined;
  }
}

const SEVERITY = { missing: "error", retyped: "error", added: "warning", unreadable: "error" } as const;

/**
 * Findings for the columns the files store differently from the Glue table: `missing` (declared, not in
 * the file: readers get nulls) and `retyped` (readers fail) are errors, `added` (in the file, not declared:
 * unregistered and unclassified data) a warning.
 */
export function schemaFindings(
  dataset: string,
  bucket: string,
  table: GlueTableShape,
  files: readonly FileSchema[],
): Finding[] {
  const byIssue = new Map<string, { diff: Difference; keys: string[] }>();
  const bySchema = new Map<string, FileSchema[]>();
  for (const f of files) {
    const fingerprint = f.columns.map((c) => `${c.name}:${formatHiveType(c.type)}`).join(",");
    bySchema.set(fingerprint, [...(bySchema.get(fingerprint) ?? []), f]);
  }
  for (const group of bySchema.values()) {
    for (const diff of differences(table, group[0].columns)) {
      const id = `${diff.kind}|${diff.column}|${diff.fileType ?? ""}`;
      const entry = byIssue.get(id) ?? { diff, keys: [] };
      entry.keys.push(...group.map((g) => g.key));
      byIssue.set(id, entry);
    }
  }
  return [...byIssue.values()].map(({ diff, keys }) => {
    keys.sort();
    const where = `${keys.length} of ${files.length} Parquet object${files.length === 1 ? "" : "s"}`;
    const message =
      diff.kind === "missing"
        ? `column ${diff.column} (${diff.glueType} in Glue) is missing from ${where}: readers get nulls; write the column or drop it from the registered schema`
        : diff.kind === "unreadable"
          ? `column ${diff.column}'s Glue type "${diff.glueType}" is not a Glue/Hive type the validator reads (or nests more than ${MAX_HIVE_TYPE_DEPTH} levels deep): the lake stack declares it from the definition; run pulumi up for the lake account`
          : diff.kind === "retyped"
            ? `column ${diff.column} is ${diff.fileType} in ${where} but ${diff.glueType} in Glue: queries fail on these files; write ${diff.glueType} or change the registered type`
            : `column ${diff.column} (${diff.fileType}) in ${where} is not in the Glue table: unregistered, unclassified data; register the column or stop writing it`;
    return {
      dataset,
      check: "schema",
      severity: SEVERITY[diff.kind],
      message,
      object: s3Uri(bucket, keys[0]),
    };
  });
}

/** The finding for a dataset whose Glue table does not exist. */
export function tableMissingFinding(
  dataset: string,
  database: string,
  table: string,
  catalogId: string,
): Finding {
  return {
    dataset,
    check: "schema",
    severity: "error",
    message: `Glue table ${database}.${table} does not exist in catalog ${catalogId}: the lake stack creates it; run pulumi up for the lake account (its schema and metadata cannot be checked until then)`,
  };
}
