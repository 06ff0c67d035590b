import { ResourceValidationPolicy } from "@pulumi/policy";
import { accountOf } from "../../lib/account";

interface Destination {
  account?: string;
  accountId?: string;
  bucket?: string;
}

/**
 * The lake is shared through Lake Formation, never copied: S3 replication may only target the bucket's
 * own account, and only where that can be shown (the destination names the account and the bucket's
 * provider pins it).
 */
export const s3BucketDisallowCrossAccountReplication: ResourceValidationPolicy = {
  name: "s3-bucket-disallow-cross-account-replication",
  description: "S3 replication never copies lake data to another account.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, reportViolation) => {
    let destinations: Destination[];
    if (args.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig") {
      const rules = (args.props.rules as { destination?: Destination }[] | undefined) ?? [];
      destinations = rules.map((r) => r.destination ?? {});
    } else if (args.type === "aws:s3/bucket:Bucket" || args.type === "aws:s3/bucketV2:BucketV2") {
      const inline = args.props.replicationConfiguration as
        { rules?: { destination?: Destination }[] } | undefined;
      destinations = (inline?.rules ?? []).map((r) => r.destination ?? {});
    } else {
      return;
    }
    const own = accountOf(args.provider);
    for (const d of destinations) {
      const target = d.account ?? d.accountId;
      if (target && own && target === own) continue;
      const why = !target
        ? "names no destination account, so it cannot be shown to stay in this account"
        : !own
          ? `targets account ${target}, and this bucket's provider pins no account to compare with`
          : `targets account ${target}, not this bucket's account ${own}`;
      reportViolation(
        `Replication to ${d.bucket ?? "a bucket"} ${why}. Share data with other accounts through Lake Formation ` +
          `grants and resource links instead of copying it; same-account replication must name the account ` +
          `(destination.account) and use a provider with allowedAccountIds.`,
      );
    }
  },
};
