/**
 * The network an account's definition names (`accounts[].network`): its subnets (in the Availability
 * Zones it says), security groups and VPC exist, and with `vpcEndpoints: existing` the VPC endpoints its
 * services reach S3, Secrets Manager and Glue through.
 */
import {
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import type { Subnet } from "@aws-sdk/client-ec2";
import { unknownBecause } from "./aws";
import { accountPath, CheckContext, Finding, missing, ok, unknown } from "./context";

/**
 * The subnets that exist of `ids` (DescribeSubnets with the `subnet-id` filter returns only those, where
 * `SubnetIds` would fail the whole call with InvalidSubnetID.NotFound):
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html
 */
async function subnets(ctx: CheckContext, ids: string[]): Promise<Subnet[]> {
  const out: Subnet[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.clients.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "subnet-id", Values: ids }], NextToken: token }),
    );
    out.push(...(page.Subnets ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

function where(ctx: CheckContext): string {
  return `account ${ctx.account.id} (${ctx.account.region})`;
}

/** Subnets (and their zones), security groups and the VPC. */
export async function network(ctx: CheckContext): Promise<Finding[]> {
  const net = ctx.account.network;
  if (!net) return [];
  const field = `${accountPath(ctx)}.network`;
  const findings: Finding[] = [];
  const check = "network";

  try {
    const found = await subnets(ctx, net.subnetIds);
    const byId = new Map(found.map((s) => [s.SubnetId, s]));
    const absent = net.subnetIds.filter((id) => !byId.has(id));
    const problems: string[] = [];
    if (absent.length > 0) problems.push(`${absent.join(", ")} do not exist in ${where(ctx)}`);
    for (const s of found) {
      const want = net.availabilityZones[s.SubnetId ?? ""];
      // The definition names a zone (eu-west-1a) or a zone id (euw1-az1); a subnet has both.
      if (want !== undefined && want !== s.AvailabilityZone && want !== s.AvailabilityZoneId)
        problems.push(`${s.SubnetId} is in ${s.AvailabilityZone} (${s.AvailabilityZoneId}), not ${want}`);
      if (net.vpcId !== undefined && s.VpcId !== net.vpcId)
        problems.push(`${s.SubnetId} is in ${s.VpcId}, not ${net.vpcId}`);
    }
    findings.push(
      problems.length === 0
        ? ok(
            check,
            `subnets ${net.subnetIds.join(", ")} exist${Object.keys(net.availabilityZones).length ? " in their Availability Zones" : ""}`,
          )
        : missing(
            check,
            `subnets: ${problems.join("; ")}: correct ${field}.subnetIds / availabilityZones, or create the subnets`,
          ),
    );
  } catch (err) {
    findings.push(unknown(check, `subnets: ${unknownBecause("ec2 DescribeSubnets", err)}`));
  }

  if (net.securityGroupIds.length > 0) {
    try {
      const out = await ctx.clients.ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-id", Values: net.securityGroupIds }] }),
      );
      const have = new Set((out.SecurityGroups ?? []).map((g) => g.GroupId));
      const absent = net.securityGroupIds.filter((id) => !have.has(id));
      const other = (out.SecurityGroups ?? []).filter(
        (g) => net.vpcId !== undefined && g.VpcId !== net.vpcId,
      );
      findings.push(
        absent.length === 0 && other.length === 0
          ? ok(check, `security groups ${net.securityGroupIds.join(", ")} exist`)
          : missing(
              check,
              `security groups: ${[
                ...(absent.length ? [`${absent.join(", ")} do not exist in ${where(ctx)}`] : []),
                ...other.map((g) => `${g.GroupId} is in ${g.VpcId}, not ${net.vpcId}`),
              ].join("; ")}: correct ${field}.securityGroupIds, or create them`,
            ),
      );
    } catch (err) {
      findings.push(unknown(check, `security groups: ${unknownBecause("ec2 DescribeSecurityGroups", err)}`));
    }
  }

  if (net.vpcId !== undefined) {
    try {
      const out = await ctx.clients.ec2.send(
        new DescribeVpcsCommand({ Filters: [{ Name: "vpc-id", Values: [net.vpcId] }] }),
      );
      findings.push(
        (out.Vpcs ?? []).some((v) => v.VpcId === net.vpcId)
          ? ok(check, `VPC ${net.vpcId} exists`)
          : missing(check, `VPC ${net.vpcId} does not exist in ${where(ctx)}: correct ${field}.vpcId`),
      );
    } catch (err) {
      findings.push(unknown(check, `VPC: ${unknownBecause("ec2 DescribeVpcs", err)}`));
    }
  }
  return [...findings, ...(await vpcEndpoints(ctx))];
}

/**
 * With `vpcEndpoints: existing`, the endpoints the account's services need are in the VPC: DMS
 * Serverless reaches S3 and Secrets Manager only through VPC endpoints
 * (https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Serverless.Limitations.html), Redshift
 * Serverless with enhanced VPC routing S3 and Glue. Endpoints are found by the `vpc-id` and
 * `service-name` filters of DescribeVpcEndpoints
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html); an AWS
 * service's endpoint service is `com.amazonaws.<region>.<service>`, S3's as a gateway or an interface
 * endpoint (https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html).
 */
export async function vpcEndpoints(ctx: CheckContext): Promise<Finding[]> {
  const net = ctx.account.network;
  if (!net || net.vpcEndpoints !== "existing") return [];
  const check = "vpc-endpoint";
  const dms = ctx.platform.datasets.some(
    (d) => d.producer === ctx.account.name && d.ingestion.type === "dms",
  );
  const redshift = ctx.platform.consumers.some(
    (c) => c.account === ctx.account.name && c.analytics.redshift !== undefined,
  );
  const region = ctx.account.region;
  const wanted: { service: string; type: "Gateway" | "Interface"; for: string }[] = [
    ...(dms || redshift
      ? [{ service: "s3", type: "Gateway" as const, for: dms ? "DMS" : "Redshift Spectrum" }]
      : []),
    ...(dms ? [{ service: "secretsmanager", type: "Interface" as const, for: "DMS" }] : []),
    ...(redshift ? [{ service: "glue", type: "Interface" as const, for: "Redshift Spectrum" }] : []),
  ];
  if (wanted.length === 0) return [ok(check, "no service of the stack needs VPC endpoints")];
  if (net.vpcId === undefined)
    return [
      unknown(check, `${accountPath(ctx)}.network.vpcId is not set: the endpoints cannot be looked up`),
    ];
  return Promise.all(
    wanted.map(async (w): Promise<Finding> => {
      const name = `com.amazonaws.${region}.${w.service}`;
      try {
        const out = await ctx.clients.ec2.send(
          new DescribeVpcEndpointsCommand({
            Filters: [
              { Name: "vpc-id", Values: [net.vpcId!] },
              { Name: "service-name", Values: [name] },
            ],
          }),
        );
        const usable = (out.VpcEndpoints ?? []).filter(
          (e) => e.VpcEndpointType === w.type && (e.State ?? "").toLowerCase() === "available",
        );
        if (usable.length > 0)
          return ok(
            check,
            `${w.type.toLowerCase()} endpoint ${name} (${usable[0].VpcEndpointId}) is available in ${net.vpcId}`,
          );
        return missing(
          check,
          `${w.for} needs the ${w.type.toLowerCase()} endpoint ${name} in ${net.vpcId}, and none is available: create it ` +
            `(aws ec2 create-vpc-endpoint --vpc-id ${net.vpcId} --service-name ${name} --vpc-endpoint-type ${w.type}` +
            (w.type === "Gateway"
              ? ` --route-table-ids ${net.routeTableIds.join(" ") || "<the subnets' route tables>"}`
              : ` --subnet-ids ${net.subnetIds.join(" ")} --security-group-ids ${net.securityGroupIds.join(" ")} --private-dns-enabled`) +
            `), or set ${accountPath(ctx)}.network.vpcEndpoints: create`,
        );
      } catch (err) {
        return unknown(check, `${name}: ${unknownBecause("ec2 DescribeVpcEndpoints", err)}`);
      }
    }),
  );
}
