import { expect } from "chai";
import {
  SpectrumVpcEndpoints,
  SpectrumVpcEndpointsArgs,
} from "../../../components/network/spectrum-vpc-endpoints";
import type { RunResult } from "../../../tooling/mock-runtime/harness";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:network:SpectrumVpcEndpoints";
const LAKE = "999999999999";

const base: SpectrumVpcEndpointsArgs = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  vpcId: "vpc-01",
  routeTableIds: ["rtb-01"],
  subnetIds: ["subnet-01", "subnet-02", "subnet-03"],
  clientSecurityGroupIds: ["sg-rs1"],
  lake: { accountId: LAKE, bucketNames: ["acme-raw", "acme-curated"] },
  tags: { platform: "acme" },
};

const plan = (args: Partial<SpectrumVpcEndpointsArgs> = {}) =>
  withProvider((provider) => new SpectrumVpcEndpoints("fin", { ...base, ...args }, { provider }));

type Statement = { Sid: string; Principal: unknown; Action: string[]; Resource: unknown; Condition: unknown };

describe("SpectrumVpcEndpoints", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("creates an S3 gateway endpoint, a Glue interface endpoint, its security group and an ingress rule per workgroup group", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:ec2/vpcEndpoint:VpcEndpoint": 2,
      "aws:ec2/securityGroup:SecurityGroup": 1,
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
    });
    expectWiredUnder(r, TYPE, "fin");
  });

  it("lets the lake's principals read the lake's buckets and this account's principals use its own buckets, nothing else", () => {
    const s3 = named(r, "fin-s3").inputs;
    expect(s3).to.deep.include({
      serviceName: "com.amazonaws.eu-west-1.s3",
      vpcEndpointType: "Gateway",
      routeTableIds: ["rtb-01"],
    });
    const [lake, own] = (JSON.parse(String(s3.policy)) as { Statement: Statement[] }).Statement;
    expect(lake).to.deep.include({
      Sid: "LakeFormationReadsTheLake",
      Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation"],
      Resource: [
        "arn:aws:s3:::acme-raw",
        "arn:aws:s3:::acme-raw/*",
        "arn:aws:s3:::acme-curated",
        "arn:aws:s3:::acme-curated/*",
      ],
      Condition: { StringEquals: { "aws:PrincipalAccount": LAKE } },
    });
    expect(lake.Action.some((a) => a.startsWith("s3:Put") || a.startsWith("s3:Delete"))).to.equal(false);
    expect(own.Condition).to.deep.equal({
      StringEquals: { "aws:PrincipalAccount": ACCOUNT, "aws:ResourceAccount": ACCOUNT },
    });
    expect(own.Action).to.not.include("s3:*");
  });

  it("puts the Glue interface endpoint with private DNS in the subnets, admitting the workgroups on 443 only", () => {
    const sg = named(r, "fin-glue-sg");
    const glue = named(r, "fin-glue");
    expect(glue.inputs).to.deep.include({
      serviceName: "com.amazonaws.eu-west-1.glue",
      vpcEndpointType: "Interface",
      subnetIds: ["subnet-01", "subnet-02", "subnet-03"],
      privateDnsEnabled: true,
    });
    expect(glue.propertyDependencies.securityGroupIds).to.deep.equal([sg.urn]);
    const [rule] = ofType(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rule.name).to.equal("fin-glue-from-sg-rs1");
    expect(rule.inputs).to.deep.include({
      referencedSecurityGroupId: "sg-rs1",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS from Redshift security group sg-rs1",
    });
    expect(sg.inputs.description).to.equal(
      "Glue endpoint: HTTPS from the Redshift workgroups' security groups",
    );
  });

  it("refuses no route tables, subnets, security groups or lake buckets, and the lake's own account", async () => {
    const bad = async (args: Partial<SpectrumVpcEndpointsArgs>) => (await rejection(plan(args))).message;
    expect(await bad({ routeTableIds: [] })).to.contain("routeTableIds must name");
    expect(await bad({ subnetIds: [] })).to.contain("subnetIds must name");
    expect(await bad({ clientSecurityGroupIds: [] })).to.contain("clientSecurityGroupIds must name");
    expect(await bad({ lake: { accountId: LAKE, bucketNames: [] } })).to.contain("lake.bucketNames");
    expect(await bad({ lake: { accountId: ACCOUNT, bucketNames: ["b"] } })).to.contain("is this account");
  });
});
