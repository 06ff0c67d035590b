/**
 * IAM documents the components share: pure functions of explicit inputs.
 */

/**
 * The trust policy of a role that one AWS service assumes on behalf of one account (the
 * `aws:SourceAccount` condition keeps other accounts' use of the service out), and optionally for one
 * resource of it (`aws:SourceArn`).
 */
export function serviceTrustPolicy(service: string, accountId: string, sourceArn?: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": accountId },
          ...(sourceArn !== undefined ? { ArnLike: { "aws:SourceArn": sourceArn } } : {}),
        },
      },
    ],
  });
}

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

/**
 * The start of every key policy of the platform: the account root keeps control (so IAM policies grant
 * the key's use), and the admins, if any, manage the key without using it.
 */
export function keyPolicyBase(accountId: string, admins: readonly string[]): Record<string, unknown>[] {
  return [
    {
      Sid: "AccountRootControl",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    ...(admins.length > 0
      ? [
          {
            Sid: "KeyAdministration",
            Effect: "Allow",
            Principal: { AWS: [...admins] },
            Action: [...KEY_ADMIN_ACTIONS],
            Resource: "*",
          },
        ]
      : []),
  ];
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
export function readThroughLinksStatements(scope: LinkedReadScope): Record<string, unknown>[] {
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
}): Record<string, unknown>[] {
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
  readonly streamArn: unknown;
  readonly streamKeyArn: unknown;
  readonly region: string;
}): Record<string, unknown>[] {
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
