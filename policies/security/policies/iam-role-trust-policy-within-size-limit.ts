import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import * as aws from "@pulumi/aws";
import { documentSize, known, showSize } from "@acme/lakehouse-policy-lib";

/**
 * IAM's default quota on a role trust policy ("Role trust policy length": 2,048 characters without
 * whitespace, adjustable up to 8,192 through Service Quotas). IAM and STS quotas:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html ; the quota is the
 * account's `AssumeRolePolicySizeQuota` of GetAccountSummary, "in non-whitespace characters".
 */
export const TRUST_POLICY_DEFAULT_MAX_CHARACTERS = 2048;
/** The most the trust-policy quota can be raised to. */
export const TRUST_POLICY_QUOTA_CEILING = 8192;

/**
 * A trust policy that grows with the platform (a principal per consumer account) is caught at
 * preview. Mandatory, at the account's quota: `maxCharacters` is the quota the target accounts have
 * (2,048 unless raised), so a clean plan means IAM accepts the role.
 */
export const iamRoleTrustPolicyWithinSizeLimit: ResourceValidationPolicy = {
  name: "iam-role-trust-policy-within-size-limit",
  description:
    "IAM role trust policies stay within the account's trust-policy quota (2,048 characters without whitespace by default; adjustable up to 8,192).",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      maxCharacters: {
        type: "integer",
        minimum: 1,
        maximum: TRUST_POLICY_QUOTA_CEILING,
        default: TRUST_POLICY_DEFAULT_MAX_CHARACTERS,
      },
    },
  },
  validateResource: validateResourceOfType(aws.iam.Role, (_role, args, reportViolation) => {
    const { maxCharacters } = args.getConfig<{ maxCharacters: number }>();
    const size = documentSize(known(args.props).assumeRolePolicy, "characters");
    if (size === undefined || size.size <= maxCharacters) return;
    const raise =
      maxCharacters < TRUST_POLICY_QUOTA_CEILING
        ? ` The quota is adjustable up to ${TRUST_POLICY_QUOTA_CEILING} (Service Quotas, IAM "Role trust policy length"); ` +
          `once raised in every target account, set this policy's maxCharacters to the new quota.`
        : "";
    reportViolation(
      `assumeRolePolicy is ${showSize(size)} characters without whitespace; IAM refuses trust policies over ` +
        `${maxCharacters}. Merge statements (one statement listing several principals), or trust an account ` +
        `root with a condition instead of listing each role.${raise}`,
    );
  }),
};
