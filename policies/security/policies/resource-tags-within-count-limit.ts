import { ResourceValidationPolicy } from "@pulumi/policy";
import {
  effectiveTags,
  known,
  providerDefaultTags,
  tagMap,
  UNKNOWN,
  userTagKeys,
} from "@acme/lakehouse-policy-lib";

/**
 * User tags per resource: "Maximum number of tags per resource – 50", and tags with the `aws:` prefix
 * "do not count against your tags-per-resource limit" (the common tag restrictions, e.g.
 * https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html).
 */
export const MAX_TAGS_PER_RESOURCE = 50;

/**
 * Where a service's limit differs, by type-token prefix. S3 objects: "You can associate up to 10 tags
 * with an object" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-managing.html).
 * QuickSight and EventBridge Scheduler: their API models' `TagList` takes up to 200 items (botocore
 * `quicksight` and `scheduler` service models; no user-guide page found), so 50 would be a false
 * alarm there.
 */
export const TAG_LIMIT_BY_TYPE: ReadonlyArray<readonly [prefix: string, limit: number, what: string]> = [
  ["aws:s3/bucketObjectv2:BucketObjectv2", 10, "S3 allows at most 10 tags per object"],
  ["aws:s3/bucketObject:BucketObject", 10, "S3 allows at most 10 tags per object"],
  ["aws:quicksight/", 200, "QuickSight allows at most 200 tags per resource"],
  ["aws:scheduler/", 200, "EventBridge Scheduler allows at most 200 tags per resource"],
];

function limitFor(type: string): { limit: number; what: string } {
  const match = TAG_LIMIT_BY_TYPE.find(([prefix]) => type.startsWith(prefix));
  return match
    ? { limit: match[1], what: match[2] }
    : {
        limit: MAX_TAGS_PER_RESOURCE,
        what: `AWS allows at most ${MAX_TAGS_PER_RESOURCE} user tags per resource`,
      };
}

/**
 * Every resource that takes `tags` carries at most its service's number of user tags, counting the
 * provider's `defaultTags` the resource inherits; an AWS provider whose default tags alone exceed 50
 * is reported too. Tag maps not known until the deployment are judged once known.
 */
export const resourceTagsWithinCountLimit: ResourceValidationPolicy = {
  name: "resource-tags-within-count-limit",
  description:
    "Resources carry at most 50 user tags (10 on S3 objects), the provider's default tags included.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, reportViolation) => {
    if (args.type === "pulumi:providers:aws") {
      const defaults = providerDefaultTags({
        type: args.type,
        name: args.name,
        urn: args.urn,
        props: args.props,
      });
      if (defaults === UNKNOWN) return;
      const count = userTagKeys(defaults).length;
      if (count > MAX_TAGS_PER_RESOURCE)
        reportViolation(
          `defaultTags.tags has ${count} tags; every resource of this provider inherits them and AWS allows ` +
            `at most ${MAX_TAGS_PER_RESOURCE} per resource. Keep default tags to the few every resource needs.`,
        );
      return;
    }
    const props = known(args.props);
    if (props.tags === undefined) return; // not a taggable resource, or no tags of its own
    const tags = effectiveTags(props, args.provider);
    if (tags === UNKNOWN) return;
    const keys = userTagKeys(tags);
    const { limit, what } = limitFor(args.type);
    if (keys.length <= limit) return;
    const own = tagMap(props.tags);
    const inherited = keys.filter((k) => own === UNKNOWN || !(k in own)).length;
    const count = keys.length;
    reportViolation(
      `tags: the resource would carry ${count} user tags` +
        (inherited > 0 ? ` (${inherited} of them from the provider's defaultTags)` : "") +
        `; ${what}. Remove tags from tags${inherited > 0 ? " or the provider's defaultTags" : ""}` +
        `, and keep descriptive metadata out of tags.`,
    );
  },
};
