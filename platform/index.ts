/**
 * The platform definition (CONTRACTS §1): its schema and types, validation, the naming rules and the
 * access model (the principals the definition implies).
 * No `@pulumi` import here: programs, policies' config and the governance validator all read it.
 */
export * from "./schema";
export * from "./names";
export {
  datasetStatus,
  endedDatasets,
  grantStatus,
  LIFECYCLE_TAG,
  lfTagOntology,
  lifecycleTagValue,
  principalByArn,
  principals,
  readableOn,
  registrationEnded,
  sharedTableCondition,
} from "./access";
export type { Principal, PrincipalKind } from "./access";
export {
  crossCheck,
  DefinitionIssue,
  formatPath,
  loadPlatform,
  parsePlatform,
  PlatformDefinitionError,
} from "./validate";
export { isHiveType } from "./hive-types";
export { printable } from "./read";
export * from "./layout";
export * from "./redshift-rules";
export {
  DATA_CLASSIFICATION_PARAMETER,
  FORMAT_PARAMETER,
  METADATA_PARAMETER_KEYS,
  TABLE_FORMAT,
  tableParameters,
  tagParameterKey,
  tagParameters,
} from "./metadata";
