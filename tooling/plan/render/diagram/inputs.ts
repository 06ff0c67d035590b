/**
 * Reading planned resources' inputs as the engine recorded them: the resource types the diagram draws,
 * and lenient readers that treat a missing, empty or `[unknown]` value (an Output not known at plan
 * time) as absent.
 */
import type { StackReport } from "../../engine";

/** A resource's inputs, or a nested object of them. */
export type Inputs = Record<string, unknown>;

export const TABLE = "aws:glue/catalogTable:CatalogTable";
export const DATABASE = "aws:glue/catalogDatabase:CatalogDatabase";
export const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
export const LF_TAGS = "aws:lakeformation/resourceLfTags:ResourceLfTags";
export const FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
export const DMS_S3_ENDPOINT = "aws:dms/s3Endpoint:S3Endpoint";
export const DMS_REPLICATION = "aws:dms/replicationConfig:ReplicationConfig";
export const CRAWLER = "aws:glue/crawler:Crawler";
export const EMR_APP = "aws:emrserverless/application:Application";
export const QUICKSIGHT_DATA_SET = "aws:quicksight/dataSet:DataSet";
export const REDSHIFT_WORKGROUP = "aws:redshiftserverless/workgroup:Workgroup";
const AWS_PROVIDER = "pulumi:providers:aws";

/** `value` as an object of inputs, if it is one. */
export function obj(value: unknown): Inputs | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Inputs) : undefined;
}

/** `value` as a known, non-empty string. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && value !== "[unknown]" ? value : undefined;
}

/** The strings of a list, or of a JSON-encoded list. */
export function strings(value: unknown): string[] {
  if (typeof value === "string" && value.startsWith("[")) {
    try {
      return strings(JSON.parse(value));
    } catch {
      return [];
    }
  }
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The objects of a list. */
export function list(value: unknown): Inputs[] {
  return Array.isArray(value) ? value.map(obj).filter((v): v is Inputs => v !== undefined) : [];
}

/** The account a stack deploys: the report's, else the one its AWS provider is pinned to. */
export function stackAccount(stack: StackReport): string | null {
  if (stack.account) return stack.account;
  for (const r of stack.resources) {
    if (r.type !== AWS_PROVIDER) continue;
    const [id] = strings(r.inputs.allowedAccountIds);
    if (id) return id;
  }
  return null;
}

/** Who a Lake Formation principal is: an account id, or an IAM role/user ARN. */
export function parsePrincipal(principal: string): { account: string; role?: string } | undefined {
  if (/^\d{12}$/.test(principal)) return { account: principal };
  const m = /^arn:aws[\w-]*:iam::(\d{12}):(?:role|user)\/(?:.*\/)?([^/]+)$/.exec(principal);
  return m ? { account: m[1], role: m[2] } : undefined;
}
