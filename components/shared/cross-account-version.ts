/**
 * Lake Formation's `CROSS_ACCOUNT_VERSION` data lake setting, one definition for the lake account
 * (`LakeFormation`) and the consumer accounts (`ConsumerAccess`): version 3 is the oldest that shares
 * resources with IAM principals of another account (the analyst roles), version 4 the default ("Updating
 * cross-account data sharing version settings",
 * https://docs.aws.amazon.com/lake-formation/latest/dg/optimize-ram.html).
 */
export const CROSS_ACCOUNT_VERSION = { default: 4, minimum: 3 } as const;
