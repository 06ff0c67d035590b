import { expect } from "chai";
import {
  DmsVpcEndpoints,
  DmsVpcEndpointsArgs,
  defaults,
} from "../../../components/network/dms-vpc-endpoints";
import type { RunResult } from "../../../tooling/mock-runtime/harness";
import { ACCOUNT, childCounts, expectWiredUnder, named, ofType, rejection, withProvider } from "../helpers";

const TYPE = "lakehouse:network:DmsVpcEndpoints";

const base: DmsVpcEndpointsArgs = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  vpcId: "vpc-01",
  routeTableIds: ["rtb-01", "rtb-02"],
  subnetIds: ["subnet-01", "subnet-02"],
  clientSecurityGroupIds: ["sg-dms1", "sg-dms2"],
  s3Writes: [{ bucketName: "acme-raw", prefixes: ["sales/orders/", "ops/inventory/"] }],
  tags: { platform: "acme" },
};

const plan = (args: Partial<DmsVpcEndpointsArgs> = {}) =>
  withProvider((provider) => new DmsVpcEndpoints("ops", { ...base, ...args }, { provider }));

type Statement = {
  Sid: string;
  Principal: unknown;
  Action: string[];
  Resource: string[];
  Condition: unknown;
};

describe("DmsVpcEndpoints", () => {
  let r: RunResult;
  before(async () => {
    r = await plan();
  });

  it("creates an S3 gateway endpoint, a Secrets Manager interface endpoint, its security group and one ingress rule per DMS group", () => {
    expect(childCounts(r, TYPE)).to.deep.equal({
      "aws:ec2/vpcEndpoint:VpcEndpoint": 2,
      "aws:ec2/securityGroup:SecurityGroup": 1,
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 2,
    });
  });

  it("hangs every child under the component with the explicit provider", () => {
    expectWiredUnder(r, TYPE, "ops");
  });

  it("routes the DMS subnets' S3 traffic through a gateway endpoint of the region", () => {
    expect(named(r, "ops-s3").inputs).to.deep.include({
      vpcId: "vpc-01",
      serviceName: "com.amazonaws.eu-west-1.s3",
      vpcEndpointType: "Gateway",
      routeTableIds: ["rtb-01", "rtb-02"],
    });
  });

  it("lets the account's principals do through it what DMS does on its prefixes of the raw bucket, and nothing else", () => {
    const policy = JSON.parse(String(named(r, "ops-s3").inputs.policy)) as { Statement: Statement[] };
    const account = { StringEquals: { "aws:PrincipalAccount": ACCOUNT } };
    expect(policy.Statement).to.deep.equal([
      {
        Sid: "DmsWritesDatasetPrefixes",
        Effect: "Allow",
        Principal: "*",
        Action: [
          "s3:PutObject",
          "s3:PutObjectAcl",
          "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts",
          "s3:GetObject",
          "s3:DeleteObject",
          "s3:PutObjectTagging",
        ],
        Resource: ["arn:aws:s3:::acme-raw/sales/orders/*", "arn:aws:s3:::acme-raw/ops/inventory/*"],
        Condition: account,
      },
      {
        Sid: "DmsLocatesBuckets",
        Effect: "Allow",
        Principal: "*",
        Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
        Resource: ["arn:aws:s3:::acme-raw"],
        Condition: account,
      },
    ]);
  });

  it("puts a Secrets Manager interface endpoint with private DNS in the subnets, behind its own security group", () => {
    const sg = named(r, "ops-secretsmanager-sg");
    expect(sg.inputs.vpcId).to.equal("vpc-01");
    expect(sg.inputs).to.not.have.property("ingress");
    expect(sg.inputs).to.not.have.property("egress");
    const endpoint = named(r, "ops-secretsmanager");
    expect(endpoint.inputs).to.deep.include({
      vpcId: "vpc-01",
      serviceName: "com.amazonaws.eu-west-1.secretsmanager",
      vpcEndpointType: "Interface",
      subnetIds: ["subnet-01", "subnet-02"],
      privateDnsEnabled: true,
    });
    expect(endpoint.propertyDependencies.securityGroupIds).to.deep.equal([sg.urn]);
  });

  it("admits the DMS security groups on 443 only", () => {
    const rules = ofType(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rules.map((x) => x.inputs.referencedSecurityGroupId)).to.deep.equal(["sg-dms1", "sg-dms2"]);
    const sg = named(r, "ops-secretsmanager-sg");
    for (const rule of rules) {
      expect(rule.inputs).to.deep.include({ ipProtocol: "tcp", fromPort: 443, toPort: 443 });
      expect(rule.inputs).to.not.have.property("cidrIpv4");
      expect(rule.propertyDependencies.securityGroupId).to.deep.equal([sg.urn]);
    }
    expect(defaults.httpsPort).to.equal(443);
  });

  it("tags the endpoints and the security group", () => {
    for (const n of ["ops-s3", "ops-secretsmanager", "ops-secretsmanager-sg"])
      expect(named(r, n).inputs.tags, n).to.deep.include({ platform: "acme" });
  });

  it("refuses no route tables, no subnets, no DMS security groups, no prefixes and a malformed prefix", async () => {
    expect((await rejection(plan({ routeTableIds: [] }))).message).to.contain("routeTableIds must name");
    expect((await rejection(plan({ subnetIds: [] }))).message).to.contain("subnetIds must name");
    expect((await rejection(plan({ clientSecurityGroupIds: [] }))).message).to.contain(
      "clientSecurityGroupIds must name",
    );
    expect(
      (await rejection(plan({ s3Writes: [{ bucketName: "acme-raw", prefixes: [] }] }))).message,
    ).to.contain("s3Writes must name");
    expect(
      (await rejection(plan({ s3Writes: [{ bucketName: "acme-raw", prefixes: ["sales/orders"] }] }))).message,
    ).to.contain('must end with "/"');
  });
});
