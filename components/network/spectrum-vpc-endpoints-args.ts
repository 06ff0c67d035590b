/** Arguments of {@link SpectrumVpcEndpoints}. */
export interface SpectrumVpcEndpointsArgs {
  /** The consumer account the endpoints are created in. */
  readonly accountId: string;
  /** Its region: the endpoints' service names are `com.amazonaws.<region>.s3` and `.glue`. */
  readonly region: string;
  /** The VPC of the workgroups' subnets (its `enableDnsSupport` and `enableDnsHostnames` must be on). */
  readonly vpcId: string;
  /** The route tables of the workgroups' subnets: the S3 gateway endpoint's route is added to each. */
  readonly routeTableIds: readonly string[];
  /** The workgroups' subnets: the Glue interface endpoint gets a network interface in each. */
  readonly subnetIds: readonly string[];
  /** The workgroups' security groups: the only sources admitted to the Glue endpoint on 443. */
  readonly clientSecurityGroupIds: readonly string[];
  /**
   * The lake: its account (whose Lake Formation data access role the credentials Spectrum reads with
   * belong to) and the buckets of its zones, which the S3 endpoint lets that account's principals read.
   */
  readonly lake: { readonly accountId: string; readonly bucketNames: readonly string[] };
  /** Tags of the endpoints and the security group. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults of {@link SpectrumVpcEndpointsArgs}, in one place. */
export const defaults = {
  /** HTTPS: what clients reach an interface endpoint on. */
  httpsPort: 443,
  privateDnsEnabled: true,
  /** What principals of the lake account may do on the lake's buckets through the endpoint: read. */
  lakeReadActions: ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation"],
  /** What principals of this account may do on this account's buckets (results, COPY and UNLOAD). */
  ownBucketActions: [
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:ListBucketMultipartUploads",
    "s3:ListMultipartUploadParts",
    "s3:AbortMultipartUpload",
  ],
} as const;
