import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, PolicyDocument } from "../shared/iam";
import { interfaceEndpoint, placementProblem, s3GatewayEndpoint } from "./endpoints";
import { defaults, SpectrumVpcEndpointsArgs } from "./spectrum-vpc-endpoints-args";

export { defaults, SpectrumVpcEndpointsArgs } from "./spectrum-vpc-endpoints-args";

/**
 * The S3 gateway endpoint's policy in a consumer account running Redshift with enhanced VPC routing:
 * principals of the lake account (Lake Formation vends Spectrum credentials of the lake's data access
 * role) may read the lake's buckets, and principals of this account may work with this account's own
 * buckets (query results, COPY and UNLOAD); nothing else passes the endpoint.
 */
export function spectrumS3EndpointPolicy(
  accountId: string,
  lake: SpectrumVpcEndpointsArgs["lake"],
): PolicyDocument {
  return policyDocument([
    {
      Sid: "LakeFormationReadsTheLake",
      Effect: "Allow",
      Principal: "*",
      Action: [...defaults.lakeReadActions],
      Resource: lake.bucketNames.flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`]),
      Condition: { StringEquals: { "aws:PrincipalAccount": lake.accountId } },
    },
    {
      Sid: "OwnAccountBuckets",
      Effect: "Allow",
      Principal: "*",
      Action: [...defaults.ownBucketActions],
      Resource: "*",
      Condition: { StringEquals: { "aws:PrincipalAccount": accountId, "aws:ResourceAccount": accountId } },
    },
  ]);
}

/**
 * The VPC endpoints Redshift Spectrum needs in a consumer account whose workgroups use enhanced VPC
 * routing: "Redshift Spectrum queries against data lake tables in Amazon S3 require VPC endpoints for
 * Amazon S3 and Amazon Glue" (Amazon Redshift Spectrum considerations,
 * https://docs.aws.amazon.com/redshift/latest/dg/c-spectrum-considerations.html; the Glue interface
 * endpoint: https://docs.aws.amazon.com/redshift/latest/mgmt/spectrum-enhanced-vpc.html, its service name
 * `com.amazonaws.<region>.glue`: https://docs.aws.amazon.com/glue/latest/dg/vpc-interface-endpoints.html).
 * An S3 gateway endpoint on the subnets' route tables, and a Glue interface endpoint with private DNS in
 * the subnets, behind a security group admitting the workgroups' security groups on 443 only.
 */
export class SpectrumVpcEndpoints extends pulumi.ComponentResource {
  /** The S3 gateway endpoint. */
  public readonly s3: aws.ec2.VpcEndpoint;
  /** The Glue interface endpoint. */
  public readonly glue: aws.ec2.VpcEndpoint;
  /** The security group of the Glue endpoint's network interfaces. */
  public readonly securityGroup: aws.ec2.SecurityGroup;
  /** Everything a workgroup must be created after: both endpoints and the ingress rules. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: SpectrumVpcEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:network:SpectrumVpcEndpoints", name, {}, opts);
    const fail = (message: string) => new pulumi.ResourceError(`SpectrumVpcEndpoints: ${message}`, this);
    const placement = placementProblem(args, {
      routeTables: "the workgroups' route tables",
      subnets: "the workgroups' subnets",
      groups: "the workgroups' security groups",
      interfaceTitle: "Glue",
    });
    if (placement) throw fail(placement);
    if (args.lake.bucketNames.length === 0)
      throw fail("lake.bucketNames must name the lake's buckets Spectrum reads through the S3 endpoint");
    if (args.lake.accountId === args.accountId)
      throw fail(
        `the lake's account ${args.lake.accountId} is this account; the endpoints are for a consumer account`,
      );
    const tags = { ...(args.tags ?? {}) };

    this.s3 = s3GatewayEndpoint(name, this, {
      region: args.region,
      vpcId: args.vpcId,
      routeTableIds: args.routeTableIds,
      policy: spectrumS3EndpointPolicy(args.accountId, args.lake),
      tags,
    });
    const glue = interfaceEndpoint(name, this, {
      service: "glue",
      title: "Glue",
      clients: "the Redshift workgroups",
      clientService: "Redshift",
      region: args.region,
      vpcId: args.vpcId,
      subnetIds: args.subnetIds,
      clientSecurityGroupIds: args.clientSecurityGroupIds,
      privateDnsEnabled: defaults.privateDnsEnabled,
      httpsPort: defaults.httpsPort,
      tags,
    });
    this.glue = glue.endpoint;
    this.securityGroup = glue.securityGroup;
    this.ready = [this.s3, ...glue.ready];
    this.registerOutputs({
      s3EndpointId: this.s3.id,
      glueEndpointId: this.glue.id,
      securityGroupId: this.securityGroup.id,
    });
  }
}
