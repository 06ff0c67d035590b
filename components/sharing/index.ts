// Cross-account sharing: the lake's grants and a consumer account's access (`lakehouse:sharing`).
export { LakeShares, defaults as lakeSharesDefaults } from "./lake-shares";
export type {
  GrantEnd,
  LakeSharesArgs,
  NamedTableShare,
  TagExpression as ShareTagExpression,
  TeamShare,
} from "./lake-shares";
export { ConsumerAccess, defaults as consumerAccessDefaults } from "./consumer-access";
export type {
  AnalystResources,
  AnalystTeam,
  ConsumerAccessArgs,
  LakeCatalogRef,
  SharedDatabase,
} from "./consumer-access";
