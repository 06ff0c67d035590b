/**
 * The platform definition (CONTRACTS §1): its schema and types, validation, the naming rules and the
 * access model (who may read what, `access.ts`).
 * No `@pulumi` import here: programs, policies' config and the governance validator all read it.
 */
export * from "./schema";
export * from "./names";
export {
  accessKey,
  columnClassification,
  combineAccess,
  datasetStatus,
  endedDatasets,
  expressionMatches,
  grantStatus,
  hiddenColumns,
  lakeGrants,
  modelAccess,
  readableClassification,
  readableDatasets,
  s3Readers,
  stricterColumns,
  stricterThanDataset,
  tableColumns,
  viaLink,
  viaNamed,
  viaFilter,
  viaTags,
  LIFECYCLE_TAG,
  lfTagOntology,
  lifecycleTagValue,
  principalByArn,
  principals,
  readableOn,
  registrationEnded,
  sharedTableCondition,
} from "./access";
export type {
  AccessContribution,
  LakeGrant,
  NamedGrant,
  Principal,
  PrincipalKind,
  ReadAccess,
  S3Reader,
} from "./access";
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
