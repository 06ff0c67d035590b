/**
 * The VPC endpoints the network components create, in one shape: an S3 gateway endpoint on route tables
 * with a policy, and an interface endpoint behind a security group of its own. Plain `aws.ec2`/`aws.vpc`
 * resources, so the plan and the policy packs see every child.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../shared/iam";

/** Where a component's endpoints go, as its args name them. */
export interface EndpointPlacement {
  readonly routeTableIds: readonly string[];
  readonly subnetIds: readonly string[];
  readonly clientSecurityGroupIds: readonly string[];
}

/**
 * What is missing for a component's endpoints to be placed — route tables for the S3 gateway, subnets for
 * the interface endpoint, the clients' security groups it admits — as a message naming the field, or
 * undefined. `what` names each in the clients' terms (`the DMS subnets' route tables`).
 */
export function placementProblem(
  placement: EndpointPlacement,
  what: {
    readonly routeTables: string;
    readonly subnets: string;
    readonly groups: string;
    readonly interfaceTitle: string;
  },
): string | undefined {
  if (placement.routeTableIds.length === 0)
    return `routeTableIds must name ${what.routeTables}: the S3 gateway endpoint routes through them`;
  if (placement.subnetIds.length === 0)
    return `subnetIds must name ${what.subnets}: the ${what.interfaceTitle} endpoint needs an interface in them`;
  if (placement.clientSecurityGroupIds.length === 0)
    return `clientSecurityGroupIds must name ${what.groups} admitted to the ${what.interfaceTitle} endpoint`;
  return undefined;
}

/** An S3 gateway endpoint of `region` on `routeTableIds`, with `policy`: child `<name>-s3` of `parent`. */
export function s3GatewayEndpoint(
  name: string,
  parent: pulumi.Resource,
  spec: {
    readonly region: string;
    readonly vpcId: string;
    readonly routeTableIds: readonly string[];
    readonly policy: PolicyDocument;
    readonly tags: Readonly<Record<string, string>>;
  },
): aws.ec2.VpcEndpoint {
  return new aws.ec2.VpcEndpoint(
    `${name}-s3`,
    {
      vpcId: spec.vpcId,
      serviceName: `com.amazonaws.${spec.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...spec.routeTableIds],
      policy: JSON.stringify(spec.policy),
      tags: { ...spec.tags, Name: `${name}-s3` },
    },
    { parent },
  );
}

/** What {@link interfaceEndpoint} creates an endpoint from. */
export interface InterfaceEndpointSpec {
  /** The service's short name: `com.amazonaws.<region>.<service>` and the children's names. */
  readonly service: string;
  /** The service as people call it, for descriptions (`Secrets Manager`, `Glue`). */
  readonly title: string;
  /** Who uses the endpoint, for descriptions (`the DMS replications`). */
  readonly clients: string;
  /** The clients' service, for the ingress rules' descriptions (`DMS`). */
  readonly clientService: string;
  readonly region: string;
  readonly vpcId: string;
  /** The subnets the endpoint gets a network interface in. */
  readonly subnetIds: readonly string[];
  /** The clients' security groups: the only sources admitted on 443. */
  readonly clientSecurityGroupIds: readonly string[];
  readonly privateDnsEnabled: boolean;
  readonly httpsPort: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** An interface endpoint and what must exist before its clients use it. */
export interface InterfaceEndpoint {
  readonly endpoint: aws.ec2.VpcEndpoint;
  readonly securityGroup: aws.ec2.SecurityGroup;
  /** The endpoint and its ingress rules. */
  readonly ready: pulumi.Resource[];
}

/**
 * An interface VPC endpoint with private DNS in the clients' subnets, behind a security group of its own
 * admitting TCP 443 from the clients' security groups and nothing else (no egress rules: security groups
 * are stateful). Children `<name>-<service>`, `<name>-<service>-sg` and `<name>-<service>-from-<sg>`,
 * parented to `parent` (the component creating them), whose provider they inherit.
 */
export function interfaceEndpoint(
  name: string,
  parent: pulumi.Resource,
  spec: InterfaceEndpointSpec,
): InterfaceEndpoint {
  const key = `${name}-${spec.service}`;
  const securityGroup = new aws.ec2.SecurityGroup(
    `${key}-sg`,
    {
      vpcId: spec.vpcId,
      description: `${spec.title} endpoint: HTTPS from ${spec.clients}' security groups`,
      tags: { ...spec.tags, Name: key },
    },
    { parent },
  );
  const ingress = spec.clientSecurityGroupIds.map(
    (sg) =>
      new aws.vpc.SecurityGroupIngressRule(
        `${key}-from-${sg}`,
        {
          securityGroupId: securityGroup.id,
          referencedSecurityGroupId: sg,
          ipProtocol: "tcp",
          fromPort: spec.httpsPort,
          toPort: spec.httpsPort,
          description: `HTTPS from ${spec.clientService} security group ${sg}`,
          tags: { ...spec.tags },
        },
        { parent },
      ),
  );
  const endpoint = new aws.ec2.VpcEndpoint(
    key,
    {
      vpcId: spec.vpcId,
      serviceName: `com.amazonaws.${spec.region}.${spec.service}`,
      vpcEndpointType: "Interface",
      subnetIds: [...spec.subnetIds],
      securityGroupIds: [securityGroup.id],
      privateDnsEnabled: spec.privateDnsEnabled,
      tags: { ...spec.tags, Name: key },
    },
    { parent },
  );
  return { endpoint, securityGroup, ready: [endpoint, ...ingress] };
}
