import type * as pulumi from "@pulumi/pulumi";
import { CROSS_ACCOUNT_VERSION } from "../shared/cross-account-version";

/** An S3 location Lake Formation manages. */
export interface LakeLocation {
  /** Short name used in child names, e.g. the zone `raw`. */
  readonly name: string;
  /** The bucket's ARN. */
  readonly bucketArn: pulumi.Input<string>;
}

/** Arguments of {@link LakeFormation}. */
export interface LakeFormationArgs {
  /** The Data Catalog (account id) these settings govern. */
  readonly catalogId: string;
  /** Data lake administrators (IAM role or user ARNs). */
  readonly admins: readonly string[];
  /**
   * The role deployments run as. It is added to the admins, since `DataLakeSettings` replaces the whole
   * list and the deployer must stay an admin to create LF-tags and grants. @default none
   */
  readonly deploymentRoleArn?: pulumi.Input<string>;
  /** LF-tag ontology: key → allowed values. */
  readonly lfTags: Readonly<Record<string, readonly string[]>>;
  /** S3 locations to register, each with the data-access role. @default [] */
  readonly locations?: readonly LakeLocation[];
  /** Name of the IAM role Lake Formation assumes to reach the registered locations. */
  readonly dataAccessRoleName: string;
  /** The key encrypting the locations' objects: the data-access role may use it. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** `CROSS_ACCOUNT_VERSION` of the data lake settings (3 or more; 4 shares through RAM without per-resource invitations). @default 4 */
  readonly crossAccountVersion?: number;
  /** Tags for every taggable child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults of {@link LakeFormationArgs}, in one place. */
export const defaults = {
  crossAccountVersion: CROSS_ACCOUNT_VERSION.default,
  minimumCrossAccountVersion: CROSS_ACCOUNT_VERSION.minimum,
} as const;
