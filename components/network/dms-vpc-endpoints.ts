import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, PolicyDocument, PolicyStatement } from "../shared/iam";
import { INGESTION_BUCKET_ACTIONS, writerObjectActions } from "../shared/ingestion-statements";
import { defaults, DmsVpcEndpointsArgs, S3WriteScope } from "./dms-vpc-endpoints-args";
import { interfaceEndpoint, placementProblem, s3GatewayEndpoint } from "./endpoints";

export { defaults, DmsVpcEndpointsArgs, S3WriteScope } from "./dms-vpc-endpoints-args";

/**
 * The S3 gateway endpoint's policy: principals of the account may do what a DMS S3 target does (put,
 * delete, tag and read objects, multipart uploads) under the given prefixes, and list and locate those
 * buckets; nothing else passes the endpoint.
 */
export function s3EndpointPolicy(accountId: string, writes: readonly S3WriteScope[]): PolicyDocument {
  const account = { StringEquals: { "aws:PrincipalAccount": accountId } };
  const statements: PolicyStatement[] = [
    {
      Sid: "DmsWritesDatasetPrefixes",
      Effect: "Allow",
      Principal: "*",
      Action: writerObjectActions({ dms: true }),
      Resource: writes.flatMap((w) => w.prefixes.map((p) => `arn:aws:s3:::${w.bucketName}/${p}*`)),
      Condition: account,
    },
    {
      Sid: "DmsLocatesBuckets",
      Effect: "Allow",
      Principal: "*",
      Action: [...INGESTION_BUCKET_ACTIONS],
      Resource: [...new Set(writes.map((w) => `arn:aws:s3:::${w.bucketName}`))],
      Condition: account,
    },
  ];
  return policyDocument(statements);
}

/**
 * The VPC endpoints AWS DMS Serverless needs in the producer account's VPC: its replications reach
 * their dependencies only through VPC endpoints ("AWS DMS Serverless limitations"). An S3 gateway
 * endpoint on the subnets' route tables whose policy allows the account's DMS writes to the lake's raw
 * bucket, and a Secrets Manager interface endpoint with private DNS in the subnets, behind a security
 * group admitting the DMS security groups on 443 only. Plain `aws.ec2` resources, so every child is
 * visible to the plan and the policy packs.
 */
export class DmsVpcEndpoints extends pulumi.ComponentResource {
  /** The S3 gateway endpoint. */
  public readonly s3: aws.ec2.VpcEndpoint;
  /** The Secrets Manager interface endpoint. */
  public readonly secretsManager: aws.ec2.VpcEndpoint;
  /** The security group of the interface endpoint's network interfaces. */
  public readonly securityGroup: aws.ec2.SecurityGroup;
  /** Everything a replication must be created after: both endpoints and the ingress rules. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: DmsVpcEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:network:DmsVpcEndpoints", name, {}, opts);
    const fail = (message: string) => new pulumi.ResourceError(`DmsVpcEndpoints: ${message}`, this);
    const placement = placementProblem(args, {
      routeTables: "the DMS subnets' route tables",
      subnets: "the DMS subnets",
      groups: "the DMS security groups",
      interfaceTitle: "Secrets Manager",
    });
    if (placement) throw fail(placement);
    const writes = args.s3Writes.filter((w) => w.prefixes.length > 0);
    if (writes.length === 0) throw fail("s3Writes must name at least one bucket prefix DMS writes");
    for (const w of writes)
      for (const p of w.prefixes)
        if (!p.endsWith("/") || p.startsWith("/"))
          throw fail(`s3Writes prefix "${p}" must end with "/" and not start with one, e.g. sales/orders/`);
    const tags = { ...(args.tags ?? {}) };

    this.s3 = s3GatewayEndpoint(name, this, {
      region: args.region,
      vpcId: args.vpcId,
      routeTableIds: args.routeTableIds,
      policy: s3EndpointPolicy(args.accountId, writes),
      tags,
    });

    // A group of its own for the endpoint's interfaces: it admits exactly the DMS groups on 443 and
    // leaves the DMS groups themselves as they are (their egress must allow 443, as default groups do).
    const secrets = interfaceEndpoint(name, this, {
      service: "secretsmanager",
      title: "Secrets Manager",
      clients: "the DMS replications",
      clientService: "DMS",
      region: args.region,
      vpcId: args.vpcId,
      subnetIds: args.subnetIds,
      clientSecurityGroupIds: args.clientSecurityGroupIds,
      privateDnsEnabled: defaults.privateDnsEnabled,
      httpsPort: defaults.httpsPort,
      tags,
    });
    this.securityGroup = secrets.securityGroup;
    this.secretsManager = secrets.endpoint;

    this.ready = [this.s3, ...secrets.ready];
    this.registerOutputs({
      s3EndpointId: this.s3.id,
      secretsManagerEndpointId: this.secretsManager.id,
      securityGroupId: this.securityGroup.id,
    });
  }
}
