/**
 * The lakehouse-governance policies, importable without starting a policy pack (the pack's index.ts
 * assembles them; the tests and the offline plan import them from here).
 */
import type { Policies } from "@pulumi/policy";
import { athenaNamedQueryEnforceParquet } from "./athena-named-query-enforce-parquet";
import { datasetMissingRequiredTags } from "./dataset-missing-required-tags";
import { datasetRequireRegistration } from "./dataset-require-registration";
import { dmsS3EndpointEnforceParquet } from "./dms-s3-endpoint-enforce-parquet";
import { firehoseEnforceParquetConversion } from "./firehose-enforce-parquet-conversion";
import { glueCrawlerEnforceParquet } from "./glue-crawler-enforce-parquet";
import { glueTableEnforceParquet } from "./glue-table-enforce-parquet";
import { lakeWriterRequireMatchingTable } from "./lake-writer-require-matching-table";
import { lakeStorageDisallowCrossAccountWrites } from "./lake-storage-disallow-cross-account-writes";
import { lakeformationDisallowCrossAccountGrantOption } from "./lakeformation-disallow-cross-account-grant-option";
import { lakeformationGrantRequireKnownPrincipal } from "./lakeformation-grant-require-known-principal";
import { redshiftDisallowLakeCopies } from "./redshift-disallow-lake-copies";
import { s3BucketDisallowCrossAccountReplication } from "./s3-bucket-disallow-cross-account-replication";
import { s3BucketPolicyDisallowCrossAccountAccess } from "./s3-bucket-policy-disallow-cross-account-access";

/** The pack's name, as `pulumi preview --policy-pack` and the plan report it. */
export const PACK_NAME = "lakehouse-governance";

/** Every policy of the pack (all mandatory by default). */
export const governancePolicies: Policies = [
  datasetMissingRequiredTags,
  datasetRequireRegistration,
  glueTableEnforceParquet,
  glueCrawlerEnforceParquet,
  firehoseEnforceParquetConversion,
  dmsS3EndpointEnforceParquet,
  athenaNamedQueryEnforceParquet,
  lakeWriterRequireMatchingTable,
  s3BucketDisallowCrossAccountReplication,
  s3BucketPolicyDisallowCrossAccountAccess,
  lakeStorageDisallowCrossAccountWrites,
  lakeformationDisallowCrossAccountGrantOption,
  lakeformationGrantRequireKnownPrincipal,
  redshiftDisallowLakeCopies,
];
