/**
 * `@acme/lakehouse-policy-lib`: the helpers both policy packs share. A package of its own so that each
 * pack can embed it (`bundleDependencies`) and be published alone; policies import it by this name,
 * never by a path outside their pack's folder.
 */
export * from "./account";
export * from "./buckets";
export * from "./datasets";
export * from "./iam";
export * from "./ingestion";
export * from "./known";
export * from "./layout";
export * from "./limits";
export * from "./managed-policies";
export * from "./redshift-sql";
export * from "./registry";
export * from "./tags";
