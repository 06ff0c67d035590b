/**
 * The statements every KMS key policy of the platform is built from, once: each component composes its
 * key's policy from these and its own statements (a component never takes another's key policy apart).
 */
import { policyDocument, PolicyDocument, PolicyStatement } from "./iam";

/** What a key administrator may do: manage the key, never use it. */
export const KEY_ADMIN_ACTIONS = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
] as const;

/** What a key user (and S3 on the account's behalf) may do with a key. */
export const KEY_USE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
] as const;

/**
 * The account root keeps full control of the key, so that IAM policies of the account grant its use
 * ("Allows access to the AWS account and enables IAM policies", the default key policy,
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 */
export function accountRootControlStatement(accountId: string): PolicyStatement {
  return {
    Sid: "AccountRootControl",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}

/** The admins manage the key without using it; none when there are no admins. */
export function keyAdministrationStatements(admins: readonly string[]): PolicyStatement[] {
  if (admins.length === 0) return [];
  return [
    {
      Sid: "KeyAdministration",
      Effect: "Allow",
      Principal: { AWS: [...admins] },
      Action: [...KEY_ADMIN_ACTIONS],
      Resource: "*",
    },
  ];
}

/**
 * The start of every key policy of the platform: the account root keeps control (so IAM policies grant
 * the key's use), and the admins, if any, manage the key without using it.
 */
export function keyPolicyBase(accountId: string, admins: readonly string[]): PolicyStatement[] {
  return [accountRootControlStatement(accountId), ...keyAdministrationStatements(admins)];
}

/**
 * Any principal of the account may use the key through S3 (`kms:ViaService`), for the objects of the
 * account's buckets encrypted with it (`kms:CallerAccount`).
 */
export function s3UseForAccountStatement(accountId: string): PolicyStatement {
  return {
    Sid: "S3UseForThisAccount",
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: [...KEY_USE_ACTIONS],
    Resource: "*",
    Condition: {
      StringEquals: { "kms:CallerAccount": accountId },
      StringLike: { "kms:ViaService": "s3.*.amazonaws.com" },
    },
  };
}

/**
 * The policy of a key a component creates in its own account for its own use: the account root keeps
 * control (so IAM policies grant its use), admins manage it without using it.
 */
export function accountKeyPolicy(accountId: string, admins: readonly string[]): PolicyDocument {
  return policyDocument(keyPolicyBase(accountId, admins));
}
