/**
 * What the validator's execution role needs, for whoever deploys it: the actions as one list, and the
 * statements scoped to the raw zone, the governance bucket actually used, the Glue catalog, the SES
 * identity and the lake key. Plain data (no `@pulumi/*`): the statements have the shape of
 * `aws.iam.PolicyStatement`, so a Pulumi program passes them to `GovernanceAutomation` as they are.
 */
import { bucketName, lakeAccount } from "../platform";
import type { Platform } from "../platform";
import { LOCK_PREFIX, REGISTRY_KEY } from "./defaults";

/** Every IAM action the validator calls (plus KMS for the lake key that encrypts the buckets). */
export const VALIDATOR_IAM_ACTIONS = [
  "s3:ListBucket",
  "s3:GetObject",
  "s3:PutObject",
  "s3:DeleteObject",
  "glue:GetTable",
  "glue:GetPartitions",
  "ses:SendEmail",
  "kms:Decrypt",
  "kms:GenerateDataKey",
] as const;

/**
 * One IAM policy statement. `R` is the type of a resource: `string`, or whatever the caller's key ARN is
 * (a Pulumi program passes an `Output<string>`; the statement is then an `aws.iam.PolicyStatement`).
 */
export interface PolicyStatement<R = string> {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: string[];
  readonly Resource: R[];
}

/** Where the validator runs and what it uses, beyond the platform definition. */
export interface ValidatorResources<K = string> {
  /** The lake account's region (the Glue catalog and the SES identity are there). @default the lake account's */
  readonly region?: string;
  /** The governance bucket the deployment uses (registry, findings, locks). @default `bucketName(p, "governance")` */
  readonly governanceBucket?: string;
  /** The lake's KMS key, which encrypts the buckets, the registry, the findings and the catalog. */
  readonly kmsKeyArn: K;
}

/**
 * The validator role's statements: list and read the raw zone, read the registry, write findings and
 * take, read and delete the run locks (`locks/` only; `lock.ts`) in the governance bucket given, read the
 * Glue tables and partitions, send from the governance sender, and use the lake key. Lake Formation must
 * also grant the role DESCRIBE (databases) and SELECT, DESCRIBE (tables).
 */
export function validatorPolicyStatements<K = string>(
  p: Platform,
  resources: ValidatorResources<K>,
): PolicyStatement<string | K>[] {
  const lake = lakeAccount(p);
  const account = lake.id;
  const region = resources.region ?? lake.region;
  const raw = `arn:aws:s3:::${bucketName(p, "raw")}`;
  const governance = `arn:aws:s3:::${resources.governanceBucket ?? bucketName(p, "governance")}`;
  return [
    { Sid: "ListBuckets", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [raw, governance] },
    { Sid: "ReadDatasets", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${raw}/*`] },
    {
      Sid: "ReadRegistry",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: [`${governance}/${REGISTRY_KEY}`],
    },
    {
      Sid: "WriteFindings",
      Effect: "Allow",
      Action: ["s3:PutObject"],
      Resource: [`${governance}/findings/*`],
    },
    {
      // HeadObject (who holds a lock, since when) is authorised as s3:GetObject.
      Sid: "RunLocks",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
      Resource: [`${governance}/${LOCK_PREFIX}*`],
    },
    {
      Sid: "ReadCatalog",
      Effect: "Allow",
      Action: ["glue:GetTable", "glue:GetPartitions"],
      Resource: [
        `arn:aws:glue:${region}:${account}:catalog`,
        `arn:aws:glue:${region}:${account}:database/*`,
        `arn:aws:glue:${region}:${account}:table/*/*`,
      ],
    },
    {
      Sid: "SendReports",
      Effect: "Allow",
      Action: ["ses:SendEmail"],
      Resource: [`arn:aws:ses:${region}:${account}:identity/${p.governance.sender}`],
    },
    {
      Sid: "UseLakeKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [resources.kmsKeyArn],
    },
  ];
}
