/**
 * Associating S3 buckets with their separately-modelled settings (public access block, encryption,
 * versioning, logging, policy: separate resources in @pulumi/aws 7). A settings resource belongs to the
 * bucket its `bucket` input came from (its property dependency), or, failing that, whose name it names.
 */
import type { PolicyResource } from "@pulumi/policy";
import { known } from "./known";

/** Bucket resource types. */
export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** For each bucket, the settings resources of `settingsType` that apply to it. */
export function settingsByBucket(
  resources: PolicyResource[],
  settingsType: string,
): Map<PolicyResource, PolicyResource[]> {
  const buckets = resources.filter((r) => BUCKET_TYPES.includes(r.type));
  const byName = new Map<unknown, PolicyResource>(buckets.map((b) => [known(b.props).bucket, b]));
  const result = new Map<PolicyResource, PolicyResource[]>(buckets.map((b) => [b, []]));
  for (const s of resources.filter((r) => r.type === settingsType)) {
    const viaDependency = (s.propertyDependencies?.bucket ?? []).filter((d) => BUCKET_TYPES.includes(d.type));
    const name = known(s.props).bucket;
    const targets =
      viaDependency.length > 0 ? viaDependency : [typeof name === "string" ? byName.get(name) : undefined];
    for (const b of targets) if (b) result.get(b)?.push(s);
  }
  return result;
}
