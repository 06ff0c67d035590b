/**
 * A dataset's registration as Glue table parameters: Glue tables take no tags, so the governance tag
 * keys and the rest of the registration (owner, the five Vs, dates, ingestion) ride on the table. The
 * account program writes them; the governance validator checks they are still there.
 *
 * One key differs from the tags: Glue's own `classification` table parameter is the data format, which
 * crawlers set and Glue ETL jobs read ("classification: Format of data", AWS Glue, "Parameters set on Data
 * Catalog tables by crawler", https://docs.aws.amazon.com/glue/latest/dg/table-properties-crawler.html;
 * Athena, "Create tables for ETL jobs": a table Glue jobs use needs `classification` naming its format,
 * https://docs.aws.amazon.com/athena/latest/ug/schema-classifier.html). So every dataset table carries
 * `classification: parquet`, and the governance classification goes under `data-classification`
 * (CONTRACTS §1).
 */
import { datasetTags } from "./names";
import type { GovernanceTags } from "./names";
import type { Dataset } from "./schema";

/** Glue's data-format table parameter (what crawlers set and Glue jobs read). */
export const FORMAT_PARAMETER = "classification";

/** The table parameter holding the governance (data) classification, since `classification` is the format. */
export const DATA_CLASSIFICATION_PARAMETER = "data-classification";

/** The format every dataset table declares: the lake stores Parquet only. */
export const TABLE_FORMAT = "parquet";

/** The parameter keys every dataset table carries besides the six governance tag keys. */
export const METADATA_PARAMETER_KEYS = [
  "description",
  "volume",
  "velocity",
  "variety",
  "veracity.freshness-hours",
  "value",
  "registered-on",
  "ingestion",
] as const;

/** The table parameter key of a governance tag key: the same, except `classification`. */
export function tagParameterKey(tagKey: string): string {
  return tagKey === "classification" ? DATA_CLASSIFICATION_PARAMETER : tagKey;
}

/** The six governance tags as table parameters (`data-classification` for `classification`). */
export function tagParameters(dataset: Dataset): Record<string, string> {
  return Object.fromEntries(
    Object.entries(datasetTags(dataset) as GovernanceTags).map(([k, v]) => [tagParameterKey(k), v]),
  );
}

/** The table parameters of a dataset (all values strings, as Glue stores them). */
export function tableParameters(dataset: Dataset): Record<string, string> {
  const params: Record<string, string> = {
    [FORMAT_PARAMETER]: TABLE_FORMAT,
    ...tagParameters(dataset),
    description: dataset.description,
    volume: `${dataset.volume.min}-${dataset.volume.max} ${dataset.volume.unit}`,
    velocity: dataset.velocity,
    variety: dataset.variety,
    "veracity.freshness-hours": String(dataset.veracity.freshnessHours),
    value: dataset.value,
    "registered-on": dataset.registeredOn,
    ingestion: dataset.ingestion.type,
  };
  if (dataset.veracity.completeness !== undefined)
    params["veracity.completeness"] = String(dataset.veracity.completeness);
  if (dataset.endsOn) params["ends-on"] = dataset.endsOn;
  return params;
}
