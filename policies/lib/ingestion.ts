/**
 * Ingestion into the lake from a producer account: what a registered ingestion role may be allowed on
 * its own raw-zone prefixes (what Firehose and DMS need), and nothing more.
 */
import { Statement } from "./iam";
import { UNKNOWN } from "./known";
import { IngestionWriter, parseS3Arn } from "./registry";

/**
 * Object actions an ingestion role may be allowed on its own prefixes: what Firehose needs, and what
 * AWS documents for DMS S3 targets (which also delete and tag the objects of the tables they load).
 */
export const INGESTION_OBJECT_ACTIONS = [
  "s3:PutObject",
  // Firehose and DMS send `bucket-owner-full-control` with each object written to another account's
  // bucket, which needs it (both services' docs); a lake bucket enforcing bucket-owner ownership
  // accepts no other ACL, so it lets no one in.
  "s3:PutObjectAcl",
  "s3:AbortMultipartUpload",
  "s3:ListMultipartUploadParts",
  "s3:GetObject",
  "s3:DeleteObject",
  "s3:PutObjectTagging",
];
/** Bucket actions an ingestion role may be allowed on the bucket itself. */
export const INGESTION_BUCKET_ACTIONS = [
  "s3:GetBucketLocation",
  "s3:ListBucket",
  "s3:ListBucketMultipartUploads",
];

/**
 * Whether the statement only allows ingestion on `bucket`: known ingestion object actions on keys
 * `keyAllowed` accepts, bucket actions on the bucket ARN, nothing else (every part known).
 */
function isIngestionOnly(s: Statement, bucket: string, keyAllowed: (key: string) => boolean): boolean {
  if (s.actions.length === 0 || s.resources.length === 0) return false;
  const objectAction = (a: string) =>
    INGESTION_OBJECT_ACTIONS.some((x) => x.toLowerCase() === a.toLowerCase());
  const bucketAction = (a: string) =>
    INGESTION_BUCKET_ACTIONS.some((x) => x.toLowerCase() === a.toLowerCase());
  if (s.actions.some((a) => a === UNKNOWN || a.includes("*") || (!objectAction(a) && !bucketAction(a))))
    return false;
  return s.resources.every((r) => {
    if (r === UNKNOWN) return false;
    const parsed = parseS3Arn(r);
    if (!parsed || parsed.bucket !== bucket) return false;
    if (parsed.key === undefined) return s.actions.every((a) => bucketAction(a as string));
    return s.actions.every((a) => objectAction(a as string)) && keyAllowed(parsed.key);
  });
}

/**
 * Whether the statement only lets `writer` ingest into its own prefixes of `bucket`: object actions on
 * keys under its prefixes, bucket actions on the bucket ARN, nothing else (every part known).
 */
export function isOwnIngestion(s: Statement, writer: IngestionWriter, bucket: string): boolean {
  return (
    writer.bucket === bucket &&
    isIngestionOnly(s, bucket, (key) => writer.prefixes.some((p) => key.startsWith(p)))
  );
}

/** The policy variable AWS sets to the caller's account, whatever the caller controls. */
export const PRINCIPAL_ACCOUNT_VARIABLE = "${aws:PrincipalAccount}";

/**
 * A key pattern as a caller of `account` sees it: `${aws:PrincipalAccount}` is that account; other
 * variables (`${aws:PrincipalTag/...}`, which the caller's account sets) stay as they are.
 */
export function keyForAccount(key: string, account: string): string {
  return key.split(PRINCIPAL_ACCOUNT_VARIABLE).join(account);
}

/**
 * Whether the statement only lets principals of `account`, a registered producer of `bucket`, ingest
 * below their own account's prefix (`<account>/`): the object actions on keys that start with
 * `${aws:PrincipalAccount}/` (or `<account>/` itself), the bucket actions on the bucket ARN, nothing
 * else. This is how one statement lets every producer account write without naming a role or a
 * dataset: AWS sets `aws:PrincipalAccount` from the caller's credentials, so no producer can reach
 * another's prefix, whatever tags or IAM policies it gives its own roles. Below its prefix, each
 * account's IAM policies confine each role to its own dataset (`isOwnIngestion`).
 */
export function isAccountBoundIngestion(s: Statement, account: string, bucket: string): boolean {
  return isIngestionOnly(s, bucket, (key) => keyForAccount(key, account).startsWith(`${account}/`));
}
