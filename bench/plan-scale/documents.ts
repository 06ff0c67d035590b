/**
 * The largest policy document of each kind a plan declares, against the AWS limit of that kind: what
 * the scale benchmark reports beside time and memory, so that "no document grows with datasets" is a
 * measured number. Sizes are counted the way the security pack's size rules count them
 * (`documentSize`: compact JSON bytes for S3 and KMS, characters without whitespace for IAM); the
 * limits are the rules' own constants, so the bench and the packs cannot disagree.
 */
import { documentSize, DocumentMeasure, Known } from "@acme/lakehouse-policy-lib";
import { ROLE_INLINE_POLICIES_MAX_CHARACTERS } from "../../policies/security/policies/iam-role-inline-policies-within-size-limit";
import { TRUST_POLICY_DEFAULT_MAX_CHARACTERS } from "../../policies/security/policies/iam-role-trust-policy-within-size-limit";
import { KEY_POLICY_MAX_BYTES } from "../../policies/security/policies/kms-key-policy-within-size-limit";
import { BUCKET_POLICY_MAX_BYTES } from "../../policies/security/policies/s3-bucket-policy-within-size-limit";

/**
 * IAM's limit on a customer managed policy: "Managed policy size cannot exceed 6,144 characters" (IAM
 * and AWS STS quotas, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html);
 * IAM does not count whitespace.
 */
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;

/** A planned resource as the plan's JSON report gives it. */
export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs?: Record<string, unknown>;
}

/** One kind of document, its limit and its largest instance in the plan. */
export interface LargestDocument {
  readonly kind: string;
  readonly measure: DocumentMeasure;
  readonly limit: number;
  /** How many documents of the kind the plan declares. */
  readonly documents: number;
  /** The largest: its size, share of the limit, and which stack and resource declare it. */
  readonly largest: { size: number; percentOfLimit: number; stack: string; resource: string } | null;
}

interface Kind {
  readonly kind: string;
  readonly measure: DocumentMeasure;
  readonly limit: number;
  /** The documents of one stack of this kind, each with the resource it is counted under. */
  readonly documents: (resources: readonly PlannedResource[]) => { resource: string; size: number }[];
}

const sizeOf = (value: unknown, measure: DocumentMeasure) => documentSize(value as Known, measure)?.size;

/** The documents of one input of one resource type. */
function byResource(type: string, input: string, measure: DocumentMeasure): Kind["documents"] {
  return (resources) =>
    resources.flatMap((r) => {
      if (r.type !== type) return [];
      const size = sizeOf(r.inputs?.[input], measure);
      return size === undefined ? [] : [{ resource: r.name, size }];
    });
}

/**
 * A role's inline policies add up (its `inlinePolicies` and every `aws.iam.RolePolicy` naming it), as
 * IAM counts them against the per-role limit.
 */
function roleInlineTotals(resources: readonly PlannedResource[]): { resource: string; size: number }[] {
  const totals = new Map<string, number>();
  const add = (role: string, size: number | undefined) =>
    size !== undefined && totals.set(role, (totals.get(role) ?? 0) + size);
  for (const r of resources) {
    if (r.type === "aws:iam/role:Role") {
      const name = typeof r.inputs?.name === "string" ? r.inputs.name : r.name;
      const inline = Array.isArray(r.inputs?.inlinePolicies) ? r.inputs.inlinePolicies : [];
      for (const i of inline) add(name, sizeOf((i as { policy?: unknown }).policy, "characters"));
    }
    if (r.type === "aws:iam/rolePolicy:RolePolicy" && typeof r.inputs?.role === "string")
      add(r.inputs.role.replace(/^arn:.*:role\/(.*\/)?/, ""), sizeOf(r.inputs.policy, "characters"));
  }
  return [...totals].map(([resource, size]) => ({ resource, size }));
}

const KINDS: readonly Kind[] = [
  {
    kind: "S3 bucket policy",
    measure: "bytes",
    limit: BUCKET_POLICY_MAX_BYTES,
    documents: byResource("aws:s3/bucketPolicy:BucketPolicy", "policy", "bytes"),
  },
  {
    kind: "KMS key policy",
    measure: "bytes",
    limit: KEY_POLICY_MAX_BYTES,
    documents: byResource("aws:kms/key:Key", "policy", "bytes"),
  },
  {
    kind: "IAM role inline policies (per role)",
    measure: "characters",
    limit: ROLE_INLINE_POLICIES_MAX_CHARACTERS,
    documents: roleInlineTotals,
  },
  {
    kind: "IAM role trust policy",
    measure: "characters",
    limit: TRUST_POLICY_DEFAULT_MAX_CHARACTERS,
    documents: byResource("aws:iam/role:Role", "assumeRolePolicy", "characters"),
  },
  {
    kind: "IAM managed policy",
    measure: "characters",
    limit: MANAGED_POLICY_MAX_CHARACTERS,
    documents: byResource("aws:iam/policy:Policy", "policy", "characters"),
  },
];

/** Per kind, the largest document the stacks declare and its share of the kind's limit. */
export function largestDocuments(
  stacks: readonly { stack: string; resources: readonly PlannedResource[] }[],
): LargestDocument[] {
  return KINDS.map((k) => {
    let documents = 0;
    let largest: LargestDocument["largest"] = null;
    for (const s of stacks)
      for (const d of k.documents(s.resources)) {
        documents++;
        if (largest === null || d.size > largest.size)
          largest = {
            size: d.size,
            percentOfLimit: +((100 * d.size) / k.limit).toFixed(1),
            stack: s.stack,
            resource: d.resource,
          };
      }
    return { kind: k.kind, measure: k.measure, limit: k.limit, documents, largest };
  });
}
