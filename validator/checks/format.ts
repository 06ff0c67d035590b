/** The format check: every data object under a dataset's location is Parquet. */
import { capNamedObjects, Finding } from "../findings";
import type { ParquetInspection } from "../parquet";
import { s3Uri } from "./objects";

/** One data object and what reading its ends and footer found. */
export interface InspectedObject {
  readonly key: string;
  readonly inspection: ParquetInspection;
}

/**
 * An error per object that is not readable Parquet (wrong magic bytes, truncated, corrupt footer), naming
 * the object; past `maxNamed`, one more error counts the rest.
 */
export function formatFindings(
  dataset: string,
  bucket: string,
  inspected: readonly InspectedObject[],
  maxNamed: number,
): Finding[] {
  const bad = inspected
    .filter((o): o is InspectedObject & { inspection: { ok: false; problem: string } } => !o.inspection.ok)
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((o): Finding => ({
      dataset,
      check: "format",
      severity: "error",
      message: `${o.key.slice(o.key.lastIndexOf("/") + 1)}: ${o.inspection.problem}`,
      object: s3Uri(bucket, o.key),
    }));
  return capNamedObjects(bad, maxNamed, (n) => ({
    dataset,
    check: "format",
    severity: "error",
    message: `${n} more object${n === 1 ? " is" : "s are"} not readable Parquet (${bad.length} of ${inspected.length} in all)`,
  }));
}
