/**
 * Measuring documents and tag sets against the AWS limits that grow with the platform (policy sizes,
 * tags per resource). Every measure is the most favourable reading of what is known: unknown parts
 * count as nothing, so a size over a limit is over it whatever the deployment fills in.
 */
import { decodeJson, Known, UNKNOWN } from "./known";
import type { Tags } from "./tags";

/** A document's measured size; `complete` is false when unknown parts were counted as nothing. */
export interface DocumentSize {
  readonly size: number;
  readonly complete: boolean;
}

/**
 * How AWS counts a policy document: `bytes` of its compact JSON (KMS key policies, S3 bucket policies),
 * or `characters` without whitespace (IAM: "IAM does not count white space", GetAccountSummary's
 * `*PolicySizeQuota` fields are "in non-whitespace characters").
 */
export type DocumentMeasure = "bytes" | "characters";

/**
 * The size of a policy document (an object or its JSON string), `undefined` when unset, unknown as a
 * whole, or not JSON (then AWS, not a size limit, refuses it).
 */
export function documentSize(value: Known | undefined, measure: DocumentMeasure): DocumentSize | undefined {
  if (value === UNKNOWN || value === undefined || value === null) return undefined;
  const document = decodeJson(value);
  if (document === undefined || document === UNKNOWN || typeof document !== "object") return undefined;
  let complete = true;
  const text = JSON.stringify(document, (_k, v) => {
    if (v !== UNKNOWN) return v;
    complete = false;
    return "";
  });
  const size = measure === "bytes" ? utf8Length(text) : text.replace(/\s/g, "").length;
  return { size, complete };
}

/** The UTF-8 length of a string (the lib has no Node types, hence no Buffer). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** The sum of several document sizes; `undefined` parts (unknown as a whole) make it incomplete. */
export function totalSize(sizes: Array<DocumentSize | undefined>): DocumentSize {
  return {
    size: sizes.reduce((sum, s) => sum + (s?.size ?? 0), 0),
    complete: sizes.every((s) => s?.complete === true),
  };
}

/** A size for a message: "at least N" when unknown parts were not counted. */
export function showSize(s: DocumentSize): string {
  return s.complete ? `${s.size}` : `at least ${s.size}`;
}

/**
 * The user tag keys of a tag map: keys with the reserved `aws:` prefix (in any case) are AWS's own and
 * "do not count against your tags-per-resource limit" (tag restrictions, e.g.
 * https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html).
 */
export function userTagKeys(tags: Tags): string[] {
  return Object.keys(tags).filter((k) => !/^aws:/i.test(k));
}
