/**
 * The metadata check: the Glue table still carries the dataset's registration as parameters
 * (`platform/metadata.ts`): the six governance tag keys, owner, the five Vs, dates and ingestion.
 */
import { REQUIRED_TAG_KEYS, tableParameters } from "../../../../platform";
import type { Dataset } from "../../../../platform";
import { Finding } from "../findings";

const TAG_KEYS: ReadonlySet<string> = new Set(REQUIRED_TAG_KEYS);

/**
 * One finding per expected parameter that is missing or holds another value: an error for the governance
 * tag keys (ownership and sensitivity become unknown), a warning for the rest of the registration.
 */
export function metadataFindings(dataset: Dataset, parameters: Readonly<Record<string, string>>): Finding[] {
  const findings: Finding[] = [];
  for (const [key, expected] of Object.entries(tableParameters(dataset))) {
    const actual = parameters[key];
    if (actual === expected) continue;
    findings.push({
      dataset: dataset.name,
      check: "metadata",
      severity: TAG_KEYS.has(key) ? "error" : "warning",
      message:
        actual === undefined
          ? `table parameter ${key} is missing (registered: ${JSON.stringify(expected)}): run pulumi up for the lake account to restore it`
          : `table parameter ${key} is ${JSON.stringify(actual)}, registered ${JSON.stringify(expected)}: run pulumi up for the lake account, or change the registration`,
    });
  }
  return findings;
}
