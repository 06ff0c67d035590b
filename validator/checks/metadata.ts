/**
 * The metadata check: the Glue table still carries the dataset's registration as parameters
 * (`platform/metadata.ts`): `classification: parquet` (Glue's data-format key), the six governance tag
 * keys (the data classification under `data-classification`), owner, the five Vs, dates and ingestion.
 */
import { REQUIRED_TAG_KEYS, tableParameters } from "../../platform";
import type { Dataset } from "../../platform";
import { DATA_CLASSIFICATION_PARAMETER, FORMAT_PARAMETER, tagParameterKey } from "../../platform/metadata";
import { Finding } from "../findings";

/** Parameters whose loss is an error: the governance tag keys, and the format crawlers and Glue jobs read. */
const ERROR_KEYS: ReadonlySet<string> = new Set([
  ...REQUIRED_TAG_KEYS.map(tagParameterKey),
  FORMAT_PARAMETER,
]);

/**
 * One finding per expected parameter that is missing or holds another value: an error for the governance
 * tag keys (ownership and sensitivity become unknown) and for the format (Glue jobs and crawlers read
 * `classification` as the data format), a warning for the rest of the registration.
 */
export function metadataFindings(dataset: Dataset, parameters: Readonly<Record<string, string>>): Finding[] {
  const findings: Finding[] = [];
  for (const [key, expected] of Object.entries(tableParameters(dataset))) {
    const actual = parameters[key];
    if (actual === expected) continue;
    findings.push({
      dataset: dataset.name,
      check: "metadata",
      severity: ERROR_KEYS.has(key) ? "error" : "warning",
      message:
        actual === undefined
          ? `table parameter ${key} is missing (registered: ${JSON.stringify(expected)}): run pulumi up for the lake account to restore it`
          : key === FORMAT_PARAMETER && actual === dataset.classification
            ? `table parameter ${key} is ${JSON.stringify(actual)}, the data classification, but Glue reads ${key} as the data format: ` +
              `run pulumi up for the lake account to set ${key}: ${JSON.stringify(expected)} and ${DATA_CLASSIFICATION_PARAMETER}: ${JSON.stringify(actual)}`
            : `table parameter ${key} is ${JSON.stringify(actual)}, registered ${JSON.stringify(expected)}: run pulumi up for the lake account, or change the registration`,
    });
  }
  return findings;
}
