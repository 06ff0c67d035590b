import { ResourceValidationPolicy } from "@pulumi/policy";
import {
  accountOf,
  effectiveTags,
  glueParameterKey,
  known,
  NOT_CONFIGURED,
  RegisteredDataset,
  registeredDatasetSchema,
  show,
  tagMap,
  UNKNOWN,
} from "@acme/lakehouse-policy-lib";
import { DATA_RESOURCE_TYPES } from "./dataset-missing-required-tags";

interface Config {
  datasets?: RegisteredDataset[];
  lakeAccount?: string;
  resourceTypes: string[];
}

const GLUE_TABLE = "aws:glue/catalogTable:CatalogTable";

/**
 * No dataset resource appears without a registration: a resource whose `dataset` tag (a Glue table's
 * parameter) names a dataset carries that dataset's registered tag values, and a Glue table of a
 * dataset is its one registered table in the lake's catalog (anything else would be a copy).
 * Resources of several datasets (`dataset: shared`) are left to `dataset-missing-required-tags`.
 */
export const datasetRequireRegistration: ResourceValidationPolicy = {
  name: "dataset-require-registration",
  description: "Dataset resources belong to a registered dataset and carry its registered values.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      datasets: { type: "array", items: registeredDatasetSchema },
      lakeAccount: { type: "string", pattern: "^\\d{12}$" },
      resourceTypes: { type: "array", items: { type: "string" }, default: DATA_RESOURCE_TYPES },
    },
  },
  validateResource: (args, reportViolation) => {
    const config = args.getConfig<Config>();
    if (!config.resourceTypes.includes(args.type)) return;
    if (!config.datasets) {
      args.notApplicable(NOT_CONFIGURED);
      return;
    }
    const props = known(args.props);
    const glue = args.type === GLUE_TABLE;
    const tags = glue ? tagMap(props.parameters) : effectiveTags(props, args.provider);
    if (tags === UNKNOWN) return;
    const name = tags.dataset;
    if (typeof name !== "string" || name === "shared") return; // missing tags: the required-tags rule
    const registered = config.datasets.find((d) => d.name === name);
    if (!registered) {
      reportViolation(
        `Dataset "${name}" is not registered (${config.datasets.map((d) => d.name).join(", ") || "none registered"}). ` +
          `Register it in stacks/platform.yaml (datasets[]) with its owner, schema and the five Vs before creating its resources.`,
      );
      return;
    }
    const keyOf = (key: string) => (glue ? glueParameterKey(key) : key);
    const wrong = Object.entries(registered.tags)
      .map(([key, value]) => [keyOf(key), value] as const)
      .filter(([key, value]) => typeof tags[key] === "string" && tags[key] !== value);
    if (wrong.length > 0) {
      reportViolation(
        `The ${glue ? "table parameters" : "tags"} of dataset "${name}" differ from its registration: ` +
          `${wrong.map(([key, value]) => `${key} is "${show(tags[key])}", registered "${value}"`).join("; ")}. Use the registered values.`,
      );
    }
    if (glue) {
      const where = `${show(props.databaseName)}.${show(props.name)}`;
      const account = accountOf(args.provider);
      const elsewhere = config.lakeAccount && account && account !== config.lakeAccount;
      const renamed =
        (typeof props.databaseName === "string" && props.databaseName !== registered.database) ||
        (typeof props.name === "string" && props.name !== registered.table);
      if (elsewhere || renamed) {
        reportViolation(
          `Table ${where}${elsewhere ? ` in account ${account}` : ""} describes dataset "${name}", whose one table is ` +
            `${registered.database}.${registered.table} in the lake's catalog (account ${config.lakeAccount ?? "of the lake"}). ` +
            `Read it through a resource link and Lake Formation grants instead of declaring a second table.`,
        );
      }
    }
  },
};
