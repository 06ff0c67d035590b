/**
 * An analyst's least privilege in a consumer account, written once: the analyst roles of `ConsumerAccess`
 * have exactly these statements, and the role QuickSight queries Athena as (`QuickSightAnalytics`) has
 * them plus its catalog browsing.
 */
import type { LakeCatalogRef } from "./consumer-args";
import { decryptLakeCatalogStatements, PolicyStatement, readThroughLinksStatements } from "./iam";

/** What {@link analystStatements} are built from. */
export interface AnalystPolicySpec {
  readonly accountId: string;
  readonly region: string;
  readonly lake: LakeCatalogRef;
  /** The lake databases the team reads, with their resource links here. */
  readonly databases: readonly { readonly database: string; readonly linkName: string }[];
  readonly workgroupName: string;
  readonly resultsBucketName: string;
  readonly resultsKeyArn: string;
}

/**
 * An analyst's statements, with no wildcard action: Lake Formation credentials, Glue reads of this
 * account's links and of the lake's shared databases, Athena queries in its own workgroup, its own prefix
 * of the results bucket and the results key, the lake's catalog key through Glue only — and no S3 access
 * to the lake, whose data Lake Formation vends.
 */
export function analystStatements(spec: AnalystPolicySpec): PolicyStatement[] {
  const bucket = `arn:aws:s3:::${spec.resultsBucketName}`;
  const prefix = `${spec.workgroupName}/`;
  return [
    ...readThroughLinksStatements(spec),
    {
      Sid: "QueryInOwnWorkgroup",
      Effect: "Allow",
      Action: [
        "athena:StartQueryExecution",
        "athena:StopQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults",
        "athena:BatchGetQueryExecution",
        "athena:ListQueryExecutions",
        "athena:GetWorkGroup",
      ],
      Resource: `arn:aws:athena:${spec.region}:${spec.accountId}:workgroup/${spec.workgroupName}`,
    },
    {
      Sid: "LocateResultsBucket",
      Effect: "Allow",
      Action: "s3:GetBucketLocation",
      Resource: bucket,
    },
    {
      Sid: "ListOwnResults",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucket,
      Condition: { StringLike: { "s3:prefix": [prefix, `${prefix}*`] } },
    },
    {
      Sid: "ReadWriteOwnResults",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: `${bucket}/${prefix}*`,
    },
    {
      Sid: "UseResultsKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: spec.resultsKeyArn,
    },
    ...decryptLakeCatalogStatements(spec.lake),
  ];
}
