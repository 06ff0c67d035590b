/** Where in S3 the account's DMS targets write: one bucket and the prefixes under it. */
export interface S3WriteScope {
  /** The bucket's name (the lake's raw bucket). */
  readonly bucketName: string;
  /** Key prefixes written, each ending in `/` (the account's DMS datasets' prefixes). */
  readonly prefixes: readonly string[];
}

/** Arguments of {@link DmsVpcEndpoints}. */
export interface DmsVpcEndpointsArgs {
  /** The account the endpoints are created in: only its principals may use the S3 endpoint. */
  readonly accountId: string;
  /** Its region: the endpoints' service names are `com.amazonaws.<region>.s3` and `.secretsmanager`. */
  readonly region: string;
  /** The VPC of the DMS subnets (its `enableDnsSupport` and `enableDnsHostnames` must be on). */
  readonly vpcId: string;
  /** The route tables of the DMS subnets: the S3 gateway endpoint's route is added to each. */
  readonly routeTableIds: readonly string[];
  /** The DMS subnets: the Secrets Manager interface endpoint gets a network interface in each. */
  readonly subnetIds: readonly string[];
  /** The DMS replications' security groups: the only sources admitted to the interface endpoint on 443. */
  readonly clientSecurityGroupIds: readonly string[];
  /**
   * What the S3 gateway endpoint's policy allows (principals of `accountId` only): DMS's object actions
   * on these prefixes, and listing and locating their buckets. Every S3 request from the route tables'
   * subnets passes through this endpoint, so another workload there needs its buckets listed too.
   */
  readonly s3Writes: readonly S3WriteScope[];
  /** Tags of the endpoints and the security group. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults of {@link DmsVpcEndpointsArgs}, in one place. */
export const defaults = {
  /** HTTPS: what clients reach an interface endpoint on. */
  httpsPort: 443,
  privateDnsEnabled: true,
} as const;
