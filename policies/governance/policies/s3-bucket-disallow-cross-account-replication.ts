import { ResourceValidationPolicy } from "@pulumi/policy";
import { accountOf, BUCKET_TYPES, Known, known, list, obj, show, UNKNOWN } from "@acme/lakehouse-policy-lib";

/**
 * The lake is shared through Lake Formation, never copied: S3 replication may only target the bucket's
 * own account, and only where that can be shown (the destination names the account and the bucket's
 * provider pins it). A destination not known until the deployment is judged on what is known.
 */
export const s3BucketDisallowCrossAccountReplication: ResourceValidationPolicy = {
  name: "s3-bucket-disallow-cross-account-replication",
  description: "S3 replication never copies lake data to another account.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, reportViolation) => {
    let rules: Known | undefined;
    if (args.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig") {
      rules = known(args.props).rules;
    } else if (BUCKET_TYPES.includes(args.type)) {
      const inline = obj(known(args.props).replicationConfiguration);
      rules = inline === UNKNOWN ? UNKNOWN : inline?.rules;
    } else {
      return;
    }
    if (rules === UNKNOWN) return;
    const own = accountOf(args.provider);
    for (const rule of list(rules)) {
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
      reportViolation(
        `Replication to ${d?.bucket === undefined ? "a bucket" : show(d.bucket)} ${why}. Share data with other accounts through Lake Formation ` +
          `grants and resource links instead of copying it; same-account replication must name the account ` +
          `(destination.account) and use a provider with allowedAccountIds.`,
      );
    }
  },
};
