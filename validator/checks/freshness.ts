/**
 * Freshness and volume, judged at the run's as-of instant (`asOfInstant`: now for today, else the end of
 * the run date). Objects modified after it do not count: a re-run for a past date sees what that day saw.
 */
import type { Dataset } from "../../platform";
import { VALIDATOR_DEFAULTS } from "../defaults";
import { Finding } from "../findings";
import { isDataObject, ListedObject } from "./objects";

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 48 ? `${(h / 24).toFixed(1)} days` : `${h.toFixed(1)} hours`;
}

/**
 * An error when the newest data object is older than `veracity.freshnessHours` at the as-of instant, or
 * when there is no data at all; nothing while the dataset is younger than its freshness window (its
 * first data may not have landed yet).
 */
export function freshnessFindings(dataset: Dataset, objects: readonly ListedObject[], asOf: Date): Finding[] {
  const limitMs = dataset.veracity.freshnessHours * 3_600_000;
  const data = objects.filter((o) => isDataObject(o) && o.lastModified.getTime() <= asOf.getTime());
  const registered = Date.parse(`${dataset.registeredOn}T00:00:00Z`);
  if (data.length === 0) {
    if (asOf.getTime() - registered < limitMs) return [];
    return [
      {
        dataset: dataset.name,
        check: "freshness",
        severity: "error",
        message: `no data under the dataset's location (expected within ${dataset.veracity.freshnessHours} hours of registration): check the ingestion`,
      },
    ];
  }
  const newest = data.reduce((a, b) => (b.lastModified.getTime() > a.lastModified.getTime() ? b : a));
  const age = asOf.getTime() - newest.lastModified.getTime();
  if (age <= limitMs) return [];
  return [
    {
      dataset: dataset.name,
      check: "freshness",
      severity: "error",
      message: `newest data is ${hours(age)} old (last modified ${newest.lastModified.toISOString()}), more than the ${dataset.veracity.freshnessHours} hours registered: check the ingestion, or register the real freshness`,
    },
  ];
}

/** Bytes in decimal units, as S3 and the declared volumes count them: `496 B`, `1.5 GB`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB"];
  let i = 0;
  while (bytes >= 1000 && i < units.length - 1) {
    bytes /= 1000;
    i++;
  }
  return `${+bytes.toPrecision(3)} ${units[i]}`;
}

/** What landed in the volume window before the as-of instant. */
export interface DayVolume {
  /** Bytes of data objects modified in the window. */
  readonly bytes: number;
  /** Rows of the Parquet objects among them (from their footers). */
  readonly rows: number;
}

/** Sums the bytes (and, with `rowsOf`, the rows) of data objects modified in the window before `asOf`. */
export function dayVolume(
  objects: readonly ListedObject[],
  asOf: Date,
  rowsOf: (key: string) => number | undefined = () => undefined,
  windowHours: number = VALIDATOR_DEFAULTS.volumeWindowHours,
): DayVolume {
  const from = asOf.getTime() - windowHours * 3_600_000;
  let bytes = 0;
  let rows = 0;
  for (const o of objects) {
    const t = o.lastModified.getTime();
    if (!isDataObject(o) || t <= from || t > asOf.getTime()) continue;
    bytes += o.size;
    rows += rowsOf(o.key) ?? 0;
  }
  return { bytes, rows };
}

/**
 * A warning when a day's volume is far outside the declared range: below `min × below` or above
 * `max × above` (VALIDATOR_DEFAULTS.volume). MB/GB/TB per day compare bytes (decimal units), rows per day
 * the Parquet footers' row counts.
 */
export function volumeFindings(
  dataset: Dataset,
  volume: DayVolume,
  factors: { readonly below: number; readonly above: number } = VALIDATOR_DEFAULTS.volume,
): Finding[] {
  const { min, max, unit } = dataset.volume;
  const unitBytes = VALIDATOR_DEFAULTS.volumeUnitBytes[unit];
  const measured = unit === "rows/day" ? volume.rows : volume.bytes / unitBytes;
  const shown = unit === "rows/day" ? `${measured} rows` : formatBytes(volume.bytes);
  const declared = `${min}-${max} ${unit}`;
  if (min > 0 && measured < min * factors.below)
    return [
      {
        dataset: dataset.name,
        check: "volume",
        severity: "warning",
        message: `${shown} landed in the last day, far below the declared ${declared} (under ${factors.below}× the minimum): check the ingestion, or register the real volume`,
      },
    ];
  if (measured > max * factors.above)
    return [
      {
        dataset: dataset.name,
        check: "volume",
        severity: "warning",
        message: `${shown} landed in the last day, far above the declared ${declared} (over ${factors.above}× the maximum): check for duplicates, or register the real volume`,
      },
    ];
  return [];
}
