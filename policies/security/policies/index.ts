/**
 * The lakehouse-security policies, importable without starting a policy pack (the pack's index.ts
 * assembles them; the tests and the offline plan import them from here).
 */
import type { Policies } from "@pulumi/policy";
import { athenaDatabaseEnforceEncryption } from "./athena-database-enforce-encryption";
import { athenaWorkgroupEnforceConfiguration } from "./athena-workgroup-enforce-configuration";
import { athenaWorkgroupEnforceKmsEncryption } from "./athena-workgroup-enforce-kms-encryption";
import { dmsEnforceKmsEncryption } from "./dms-enforce-kms-encryption";
import { emrServerlessEnforceLogEncryption } from "./emr-serverless-enforce-log-encryption";
import { firehoseEnforceKmsEncryption } from "./firehose-enforce-kms-encryption";
import { glueCatalogEnforceKmsEncryption } from "./glue-catalog-enforce-kms-encryption";
import { glueRequireSecurityConfiguration } from "./glue-require-security-configuration";
import { iamPolicyDisallowWildcardActions } from "./iam-policy-disallow-wildcard-actions";
import { iamRoleInlinePoliciesWithinSizeLimit } from "./iam-role-inline-policies-within-size-limit";
import { iamRoleTrustPolicyWithinSizeLimit } from "./iam-role-trust-policy-within-size-limit";
import { kinesisStreamEnforceKmsEncryption } from "./kinesis-stream-enforce-kms-encryption";
import { kmsKeyEnableRotation } from "./kms-key-enable-rotation";
import { kmsKeyPolicyWithinSizeLimit } from "./kms-key-policy-within-size-limit";
import { lakeformationResourceLfTagsWithinCountLimit } from "./lakeformation-resource-lf-tags-within-count-limit";
import { lakeformationSettingsRestrictAdmins } from "./lakeformation-settings-restrict-admins";
import { lakeformationSettingsRestrictDefaults } from "./lakeformation-settings-restrict-defaults";
import { redshiftAdminPasswordManaged } from "./redshift-admin-password-managed";
import { redshiftDisallowPublicAccess } from "./redshift-disallow-public-access";
import { redshiftEnforceEnhancedVpcRouting } from "./redshift-enforce-enhanced-vpc-routing";
import { redshiftEnforceKmsEncryption } from "./redshift-enforce-kms-encryption";
import { resourceTagsWithinCountLimit } from "./resource-tags-within-count-limit";
import { s3BucketBlockPublicAccess } from "./s3-bucket-block-public-access";
import { s3BucketEnableVersioningAndLogging } from "./s3-bucket-enable-versioning-and-logging";
import { s3BucketEnforceEncryption } from "./s3-bucket-enforce-encryption";
import { s3BucketEnforceTls } from "./s3-bucket-enforce-tls";
import { s3BucketPolicyWithinSizeLimit } from "./s3-bucket-policy-within-size-limit";

/** The pack's name. */
export const PACK_NAME = "lakehouse-security";

/** Every policy of the pack: high and critical severity mandatory, the rest advisory. */
export const securityPolicies: Policies = [
  kmsKeyEnableRotation,
  s3BucketBlockPublicAccess,
  s3BucketEnforceEncryption,
  s3BucketEnforceTls,
  s3BucketPolicyWithinSizeLimit,
  s3BucketEnableVersioningAndLogging,
  kinesisStreamEnforceKmsEncryption,
  firehoseEnforceKmsEncryption,
  athenaWorkgroupEnforceKmsEncryption,
  athenaWorkgroupEnforceConfiguration,
  athenaDatabaseEnforceEncryption,
  glueCatalogEnforceKmsEncryption,
  glueRequireSecurityConfiguration,
  emrServerlessEnforceLogEncryption,
  dmsEnforceKmsEncryption,
  redshiftEnforceKmsEncryption,
  redshiftAdminPasswordManaged,
  redshiftDisallowPublicAccess,
  redshiftEnforceEnhancedVpcRouting,
  lakeformationSettingsRestrictDefaults,
  lakeformationSettingsRestrictAdmins,
  iamPolicyDisallowWildcardActions,
  kmsKeyPolicyWithinSizeLimit,
  iamRoleInlinePoliciesWithinSizeLimit,
  iamRoleTrustPolicyWithinSizeLimit,
  resourceTagsWithinCountLimit,
  lakeformationResourceLfTagsWithinCountLimit,
];
