import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

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
