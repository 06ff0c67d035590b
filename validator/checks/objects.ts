/** The objects under a dataset's location, as listed, and which of them are data. */

/** One listed object. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/**
 * True for an object that holds data: not a "folder" key (ending in `/`), not a zero-byte marker, and
 * not a file Athena, Hive and Spark skip (a name starting with `_` or `.`, like `_SUCCESS` or `.crc`).
 */
export function isDataObject(object: Pick<ListedObject, "key" | "size">): boolean {
  if (object.key.endsWith("/") || object.size === 0) return false;
  const name = object.key.slice(object.key.lastIndexOf("/") + 1);
  return !name.startsWith("_") && !name.startsWith(".");
}

/** `s3://bucket/key`. */
export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** Splits `s3://bucket/prefix/` into bucket and prefix; throws naming the location otherwise. */
export function parseS3Location(location: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(location);
  if (!m) throw new Error(`dataset location "${location}" is not an s3://bucket/prefix/ URI`);
  return { bucket: m[1], prefix: m[2] };
}
