/**
 * What the validator's execution role needs, for the deploying component: the actions as one list, and
 * the statements scoped to the platform's buckets, Glue catalog and SES identity.
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

/** One IAM policy statement. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

/**
 * The validator role's statements: list and read the raw zone, read the registry, write findings and
 * take, read and delete the run locks (`locks/` only; `lock.ts`) in the governance bucket, read the Glue tables, send from the governance sender, and use the lake key
 * (`kmsKeyArn`). Lake Formation must also grant the role DESCRIBE on the databases and tables.
 */
export function validatorPolicyStatements(p: Platform, region: string, kmsKeyArn: string): PolicyStatement[] {
  const account = lakeAccount(p).id;
  const raw = bucketName(p, "raw");
  const governance = bucketName(p, "governance");
  return [
    {
      Sid: "ListBuckets",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: [`arn:aws:s3:::${raw}`, `arn:aws:s3:::${governance}`],
    },
    { Sid: "ReadDatasets", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${raw}/*`] },
    {
      Sid: "ReadRegistry",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: [`arn:aws:s3:::${governance}/${REGISTRY_KEY}`],
    },
    {
      Sid: "WriteFindings",
      Effect: "Allow",
      Action: ["s3:PutObject"],
      Resource: [`arn:aws:s3:::${governance}/findings/*`],
    },
    {
      // HeadObject (who holds a lock, since when) is authorised as s3:GetObject.
      Sid: "RunLocks",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
      Resource: [`arn:aws:s3:::${governance}/${LOCK_PREFIX}*`],
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
      Resource: [kmsKeyArn],
    },
  ];
}
