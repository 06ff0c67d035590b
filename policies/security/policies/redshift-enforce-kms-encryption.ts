import { ResourceValidationPolicy } from "@pulumi/policy";
import { known, show, UNKNOWN, type Known } from "@acme/lakehouse-policy-lib";

const NAMESPACE = "aws:redshiftserverless/namespace:Namespace";
const CLUSTER = "aws:redshift/cluster:Cluster";

/** What Redshift Serverless reports as a namespace's `kmsKeyId` when it encrypts with an AWS-owned key. */
const AWS_OWNED_KEY = "AWS_OWNED_KMS_KEY";

/** An AWS-managed key named by alias (`alias/aws/redshift`), alone or in an alias ARN of any partition. */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

/** Why a `kmsKeyId` does not name a customer-managed key, `undefined` when it does (or is unknown). */
function notCustomerManaged(kmsKeyId: Known | undefined, absent: string): string | undefined {
  if (kmsKeyId === UNKNOWN) return undefined;
  if (typeof kmsKeyId !== "string" || kmsKeyId === "") return absent;
  if (kmsKeyId === AWS_OWNED_KEY) return `kmsKeyId is ${AWS_OWNED_KEY}, a key AWS owns`;
  if (AWS_MANAGED_ALIAS.test(kmsKeyId)) return `kmsKeyId is the AWS-managed key ${show(kmsKeyId)}`;
  return undefined;
}

/**
 * Redshift data at rest — Serverless namespaces and provisioned clusters alike, so that any team's
 * warehouse is judged — is encrypted under a customer-managed KMS key the platform controls (rotation,
 * key policy, revocation), never an AWS-owned or AWS-managed one.
 *
 * - A namespace without `kmsKeyId` encrypts with an AWS-owned key (reported back as `AWS_OWNED_KMS_KEY`);
 *   AWS Config's `redshift-serverless-namespace-cmk-encryption` holds the same line:
 *   https://docs.aws.amazon.com/config/latest/developerguide/redshift-serverless-namespace-cmk-encryption.html
 * - A cluster needs `encrypted: true` with its `kmsKeyId` (the provider: "When specifying `kmsKeyId`,
 *   `encrypted` needs to be set to true"); without a key Redshift encrypts under a key AWS manages.
 *   `encrypted` is a string input in @pulumi/aws 7 (`"true"`), a boolean before: both are accepted.
 *   AWS Config's `redshift-cluster-kms-enabled` checks the cluster's key the same way:
 *   https://docs.aws.amazon.com/config/latest/developerguide/redshift-cluster-kms-enabled.html
 * - What a customer-managed key gives (key policy, rotation, disabling), for both:
 *   https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-kms-customer-managed-key.html
 *
 * A value unknown in a preview skips only the check that needs it.
 */
export const redshiftEnforceKmsEncryption: ResourceValidationPolicy = {
  name: "redshift-enforce-kms-encryption",
  description:
    "Redshift Serverless namespaces and provisioned clusters encrypt with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, reportViolation) => {
    if (args.type !== NAMESPACE && args.type !== CLUSTER) return;
    const props = known(args.props);
    if (args.type === NAMESPACE) {
      const problem = notCustomerManaged(props.kmsKeyId, "no kmsKeyId is set, so an AWS-owned key is used");
      if (problem)
        reportViolation(
          `The namespace's data is not under a customer-managed key: ${problem}; ` +
            "set kmsKeyId to the ARN of a customer-managed KMS key.",
        );
      return;
    }
    const problems: string[] = [];
    const encrypted = props.encrypted;
    if (encrypted !== UNKNOWN && encrypted !== true && encrypted !== "true")
      problems.push(encrypted === undefined ? "encrypted is not set" : `encrypted is ${show(encrypted)}`);
    const key = notCustomerManaged(props.kmsKeyId, "no kmsKeyId is set, so a key AWS manages would be used");
    if (key) problems.push(key);
    if (problems.length > 0)
      reportViolation(
        `The cluster's data is not under a customer-managed key: ${problems.join("; ")}; ` +
          "set encrypted: true and kmsKeyId to the ARN of a customer-managed KMS key.",
      );
  },
};
