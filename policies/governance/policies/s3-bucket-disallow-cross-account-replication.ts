import { ResourceValidationPolicy } from "@pulumi/policy";
import {
  accountOf,
  BUCKET_TYPES,
  inlineReplicationRules,
  Known,
  known,
  list,
  obj,
  show,
  str,
  UNKNOWN,
} from "@acme/lakehouse-policy-lib";

const REPLICATION_CONFIG = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";

/**
 * The lake is shared through Lake Formation, never copied: S3 replication may only target the bucket's
 * own account, and only where that can be shown (the destination names the account and the bucket's
 * provider pins it). Judged in `aws.s3.BucketReplicationConfig` and in a bucket's own
 * `replicationConfiguration` (`replicationConfigurations[]` on `aws.s3.BucketV2`). A destination not
 * known until the deployment is judged on what is known.
 */
export const s3BucketDisallowCrossAccountReplication: ResourceValidationPolicy = {
  name: "s3-bucket-disallow-cross-account-replication",
  description: "S3 replication never copies a bucket's data to another account.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: { lakeBuckets: { type: "array", items: { type: "string" }, default: [] } },
  },
  validateResource: (args, reportViolation) => {
    let rules: Known[];
    const props = known(args.props);
    if (args.type === REPLICATION_CONFIG) {
      rules = props.rules === UNKNOWN ? [UNKNOWN] : list(props.rules);
    } else if (BUCKET_TYPES.includes(args.type)) {
      rules = inlineReplicationRules(props);
    } else {
      return;
    }
    if (rules.includes(UNKNOWN)) return;
    const { lakeBuckets } = args.getConfig<{ lakeBuckets: string[] }>();
    const bucket = str(props.bucket);
    const lake = typeof bucket === "string" && lakeBuckets.includes(bucket);
    const own = accountOf(args.provider);
    for (const rule of rules) {
      const r = obj(rule);
      const d = r === UNKNOWN ? UNKNOWN : obj(r?.destination);
      if (d === UNKNOWN) continue;
      const target = d?.account ?? d?.accountId;
      if (target === UNKNOWN) continue;
      if (typeof target === "string" && own && target === own) continue;
      const why = !target
        ? "names no destination account, so it cannot be shown to stay in this account"
        : !own
          ? `targets account ${show(target)}, and this bucket's provider pins no account to compare with`
          : `targets account ${show(target)}, not this bucket's account ${own}`;
      const share = lake
        ? "Share lake data with other accounts through Lake Formation grants and resource links instead of copying it"
        : "Give the other account access to the data where it is instead of copying it there";
      reportViolation(
        `Replication to ${d?.bucket === undefined ? "a bucket" : show(d.bucket)} ${why}. ${share}; same-account replication must name the account ` +
          `(destination.account) and use a provider with allowedAccountIds.`,
      );
    }
  },
};
