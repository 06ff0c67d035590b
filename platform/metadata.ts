/**
 * A dataset's registration as Glue table parameters: Glue tables take no tags, so the governance tag
 * keys and the rest of the registration (owner, the five Vs, dates, ingestion) ride on the table. The
 * account program writes them; the governance validator checks they are still there.
 */
import { datasetTags } from "./names";
import type { Dataset } from "./schema";

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

/** The table parameters of a dataset (all values strings, as Glue stores them). */
export function tableParameters(dataset: Dataset): Record<string, string> {
  const params: Record<string, string> = {
    ...datasetTags(dataset),
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
