/**
 * IAM documents the components share: pure functions of explicit inputs, typed with `@pulumi/aws`'s
 * `aws.iam.PolicyDocument` and `aws.iam.PolicyStatement` (`@pulumi/aws/iam/documents.d.ts`). A component
 * composes these statements into its own documents and serializes a document once, at the resource
 * input (`JSON.stringify`, or {@link policyJson} where a statement may hold an Output).
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** An IAM policy document: `{ Version, Statement }`. */
export type PolicyDocument = aws.iam.PolicyDocument;

/** One statement of an IAM policy document. */
export type PolicyStatement = aws.iam.PolicyStatement;

/** The current version of the IAM policy language, the one every document of the platform uses. */
export const POLICY_VERSION = "2012-10-17" as const;

/** A policy document of the given statements, in their order. */
export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: POLICY_VERSION, Statement: [...statements] };
}

/**
 * A document as the JSON a resource's `policy` takes, once every Output or Promise it holds has
 * resolved: `aws.iam.PolicyStatement`'s fields are `pulumi.Input`s, which `JSON.stringify` alone would
 * not resolve (`pulumi.jsonStringify`, "Using Output Helpers",
 * https://www.pulumi.com/docs/iac/concepts/inputs-outputs/helpers/).
 */
export function policyJson(document: pulumi.Input<PolicyDocument>): pulumi.Output<string> {
  return pulumi.jsonStringify(document);
}

/**
 * The trust document of a role that one AWS service assumes on behalf of one account (the
 * `aws:SourceAccount` condition keeps other accounts' use of the service out), and optionally for one
 * resource of it (`aws:SourceArn`).
 */
export function serviceTrustDocument(service: string, accountId: string, sourceArn?: string): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ...(sourceArn !== undefined ? { ArnLike: { "aws:SourceArn": sourceArn } } : {}),
      },
    },
  ]);
}

/** {@link serviceTrustDocument} as the JSON a role's `assumeRolePolicy` takes. */
export function serviceTrustPolicy(service: string, accountId: string, sourceArn?: string): string {
  return JSON.stringify(serviceTrustDocument(service, accountId, sourceArn));
}

/** The trust document of a role that principals of `principal` (an account root or a role ARN) assume. */
export function principalTrustDocument(principal: string): PolicyDocument {
  return policyDocument([{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }]);
}

/** Glue reads a query engine makes to plan a query over catalog tables. */
export const GLUE_READ_ACTIONS = [
  "glue:GetDatabase",
  "glue:GetDatabases",
  "glue:GetTable",
  "glue:GetTables",
  "glue:GetPartition",
  "glue:GetPartitions",
  "glue:BatchGetPartition",
] as const;

/** Where a consumer-account principal reads the lake: its account, the lake's, and the shared databases. */
export interface LinkedReadScope {
  readonly region: string;
  readonly accountId: string;
  readonly lake: { readonly region: string; readonly accountId: string };
  /** The lake databases read, with their resource links in this account. */
  readonly databases: readonly { readonly database: string; readonly linkName: string }[];
}

/**
 * How a consumer-account principal reads the lake in place: Lake Formation credentials (their reach is
 * the grants'), and Glue reads of this account's resource links and of the lake's shared databases.
 */
export function readThroughLinksStatements(scope: LinkedReadScope): PolicyStatement[] {
  const here = `arn:aws:glue:${scope.region}:${scope.accountId}`;
  const lake = `arn:aws:glue:${scope.lake.region}:${scope.lake.accountId}`;
  return [
    {
      Sid: "LakeFormationCredentials",
      Effect: "Allow",
      Action: "lakeformation:GetDataAccess",
      // GetDataAccess takes no resource: Lake Formation's grants decide what the credentials reach.
      Resource: "*",
    },
    {
      Sid: "ReadCatalogThroughLinks",
      Effect: "Allow",
      Action: [...GLUE_READ_ACTIONS],
      Resource: [
        `${here}:catalog`,
        ...scope.databases.flatMap((d) => [
          `${here}:database/${d.linkName}`,
          `${here}:table/${d.linkName}/*`,
        ]),
        `${lake}:catalog`,
        ...scope.databases.flatMap((d) => [
          `${lake}:database/${d.database}`,
          `${lake}:table/${d.database}/*`,
        ]),
      ],
    },
  ];
}

/**
 * Decrypting the lake's catalog metadata (encrypted with the lake key) through Glue only, naming the key
 * by its alias; none when the alias is not given.
 */
export function decryptLakeCatalogStatements(lake: {
  readonly region: string;
  readonly accountId: string;
  readonly catalogKeyAlias?: string;
}): PolicyStatement[] {
  if (lake.catalogKeyAlias === undefined) return [];
  return [
    {
      Sid: "DecryptLakeCatalogMetadata",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: `arn:aws:kms:${lake.region}:${lake.accountId}:key/*`,
      Condition: {
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": lake.catalogKeyAlias },
        StringEquals: { "kms:ViaService": `glue.${lake.region}.amazonaws.com` },
      },
    },
  ];
}

/** Reading a Kinesis stream encrypted with a KMS key (Firehose's and Flink's source). */
export function readStreamStatements(spec: {
  readonly streamArn: string;
  readonly streamKeyArn: string;
  readonly region: string;
}): PolicyStatement[] {
  return [
    {
      Sid: "ReadSourceStream",
      Effect: "Allow",
      Action: [
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetShardIterator",
        "kinesis:GetRecords",
        "kinesis:ListShards",
      ],
      Resource: spec.streamArn,
    },
    {
      Sid: "DecryptSourceStream",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: spec.streamKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `kinesis.${spec.region}.amazonaws.com` } },
    },
  ];
}

/**
 * A key-policy statement letting CloudWatch Logs of `region` use the key for the log groups `logGroupArn`
 * names (one ARN, compared with `ArnEquals`, or a pattern ending in `*`, with `ArnLike`), through the log
 * group in the encryption context ("Encrypt log data in CloudWatch Logs using AWS KMS",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 */
export function logsKeyStatement(spec: {
  readonly sid: string;
  readonly region: string;
  readonly logGroupArn: string;
}): PolicyStatement {
  return {
    Sid: spec.sid,
    Effect: "Allow",
    Principal: { Service: `logs.${spec.region}.amazonaws.com` },
    Action: [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:DescribeKey",
    ],
    Resource: "*",
    Condition: {
      [spec.logGroupArn.endsWith("*") ? "ArnLike" : "ArnEquals"]: {
        "kms:EncryptionContext:aws:logs:arn": spec.logGroupArn,
      },
    },
  };
}
