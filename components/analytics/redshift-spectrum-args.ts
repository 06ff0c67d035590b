import type * as pulumi from "@pulumi/pulumi";
import type { LakeCatalogRef, SharedDatabase } from "../shared/consumer-args";

export type { LakeCatalogRef, SharedDatabase } from "../shared/consumer-args";

/** The subnets and security groups the workgroup runs in. */
export interface RedshiftNetwork {
  /**
   * Subnet ids: at least three, in three Availability Zones (Redshift Serverless' rule; us-west-1: two
   * zones, one of them with two subnets).
   */
  readonly subnetIds: readonly string[];
  /**
   * The Availability Zone (or zone id) of each subnet, by subnet id: what the three-zone rule is checked
   * against before anything is created.
   */
  readonly availabilityZones: Readonly<Record<string, string>>;
  /** Security group ids of the workgroup (at least one). */
  readonly securityGroupIds: readonly string[];
}

/** A cap on the workgroup's compute (a Redshift Serverless usage limit). */
export interface RedshiftUsageLimit {
  /** RPU-hours per period, a whole number of 1 or more. */
  readonly rpuHours: number;
  /** The period the amount applies to (a weekly period starts on Sunday). @default "monthly" */
  readonly period?: "daily" | "weekly" | "monthly";
  /** What Redshift does at the limit. @default "deactivate" (queries stop until the period ends) */
  readonly breachAction?: "log" | "emit-metric" | "deactivate";
}

/** Arguments of {@link RedshiftSpectrum}. */
export interface RedshiftSpectrumArgs {
  /** This account's id: the id of the catalog the resource links are in (`CATALOG_ID`). */
  readonly accountId: string;
  /** This account's region (for ARNs in the policies). */
  readonly region: string;
  /** Name of the namespace and of the workgroup (3-64 lowercase letters, digits and hyphens). */
  readonly name: string;
  /** The database created in the namespace, where the external schemas live. @default "lake" */
  readonly databaseName?: string;
  /** The admin user (its password is generated and kept by Secrets Manager). @default "admin" */
  readonly adminUsername?: string;
  /** Base capacity in RPUs: 4, 8 to 512 in steps of 8, or 512 to 1024 in steps of 32. @default 8 */
  readonly baseCapacity?: number;
  /** A cap on the workgroup's compute. @default none */
  readonly usageLimit?: RedshiftUsageLimit;
  /** The subnets and security groups of the workgroup (not publicly accessible, enhanced VPC routing). */
  readonly network: RedshiftNetwork;
  /** Name of the IAM role Redshift assumes for Spectrum (the namespace's default role). */
  readonly roleName: string;
  /** The lake whose catalog Spectrum reads. */
  readonly lake: LakeCatalogRef;
  /**
   * The lake databases the team reads, with their resource links in this account: one external schema
   * each, named as the lake database, over its link; Glue reads on both and DESCRIBE on each link for the role.
   * @default []
   */
  readonly sharedDatabases?: readonly SharedDatabase[];
  /**
   * The read-only database role BI tools' users are granted: `USAGE` on every external schema, nothing
   * else (a Redshift identifier). @default `<name with - as _>_bi`
   */
  readonly readerRoleName?: string;
  /** Namespace logs exported to CloudWatch Logs. @default ["userlog", "connectionlog", "useractivitylog"] */
  readonly logExports?: readonly ("userlog" | "connectionlog" | "useractivitylog")[];
  /**
   * Resources Lake Formation grants in this account must wait for: the account's data lake settings and
   * the resource links. @default []
   */
  readonly lakeFormationDependencies?: readonly pulumi.Resource[];
  /**
   * Resources the workgroup must wait for (the VPC endpoints its enhanced VPC routing reaches S3 and Glue
   * through). @default []
   */
  readonly networkDependencies?: readonly pulumi.Resource[];
  /** Explicit opt-in to destroying the namespace's key quickly: 7-day deletion window instead of 30. @default false */
  readonly allowDataDestruction?: boolean;
  /** Tags of every taggable child (the governance tags of a shared resource). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults of {@link RedshiftSpectrumArgs}, in one place. */
export const defaults = {
  databaseName: "lake",
  adminUsername: "admin",
  /** The smallest base capacity that runs every query shape; BI dashboards over Spectrum need little. */
  baseCapacity: 8,
  usagePeriod: "monthly",
  breachAction: "deactivate",
  logExports: ["userlog", "connectionlog", "useractivitylog"],
  allowDataDestruction: false,
  keyDeletionWindowDays: 30,
  keyDeletionWindowDaysWhenDestructionAllowed: 7,
  /** The stored procedure that creates a database role once (Redshift has no `CREATE ROLE IF NOT EXISTS`). */
  createRoleProcedure: "public.lakehouse_create_role_once",
} as const;
