import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ProgramError, runProgram } from "../../../tooling/mock-runtime/harness";

class Box extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Box", name, {}, opts);
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { tags: { box: name } }, { parent: this });
    this.bucketName = bucket.bucket;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}

describe("plan harness", () => {
  it("records the root stack, providers, components and custom resources with parents and providers", async () => {
    const { resources, outputs } = await runProgram(
      () => {
        const provider = new aws.Provider("acct", {
          region: "eu-west-1",
          allowedAccountIds: ["111111111111"],
        });
        const box = new Box("box", { provider });
        return { name: box.bucketName };
      },
      { stack: "dev" },
    );
    const byType = (t: string) => resources.filter((r) => r.type === t);
    const [stack] = byType("pulumi:pulumi:Stack");
    const [provider] = byType("pulumi:providers:aws");
    const [box] = byType("test:index:Box");
    const [bucket] = byType("aws:s3/bucket:Bucket");
    expect(stack.urn).to.equal("urn:pulumi:dev::lakehouse::pulumi:pulumi:Stack::lakehouse-dev");
    expect(stack.parent).to.equal(null);
    expect(box.parent).to.equal(stack.urn);
    expect(bucket.parent).to.equal(box.urn);
    expect(bucket.urn).to.equal("urn:pulumi:dev::lakehouse::test:index:Box$aws:s3/bucket:Bucket::box-bucket");
    expect(bucket.provider).to.equal(`${provider.urn}::acct-provider-id`);
    expect(bucket.inputs).to.deep.include({ tags: { box: "box" } });
    expect(outputs).to.deep.equal({ name: "box-bucket" });
    expect(box.state).to.deep.equal({ bucketName: "box-bucket" });
  });

  it("records component outputs holding resources as the engine gives them to policies: a custom resource's id, a component's URN", async () => {
    class Pipeline extends pulumi.ComponentResource {
      constructor(name: string) {
        super("test:index:Pipeline", name);
        const stream = new aws.kinesis.Stream(`${name}-stream`, { shardCount: 1 }, { parent: this });
        const inner = new Box(`${name}-box`, { parent: this });
        this.registerOutputs({ stream, nested: { inner, list: [stream] }, name: stream.name });
      }
    }
    const { resources } = await runProgram(() => {
      new Pipeline("clicks");
    });
    const pipeline = resources.find((r) => r.type === "test:index:Pipeline")!;
    const box = resources.find((r) => r.type === "test:index:Box")!;
    expect(pipeline.state).to.deep.equal({
      stream: "clicks-stream-id",
      nested: { inner: box.urn, list: ["clicks-stream-id"] },
      name: "clicks-stream",
    });
  });

  it("names a remote component (children declared by its provider plugin) in the notices", async () => {
    const { resources, notices } = await runProgram(() => {
      // As awsx's classes are: a ComponentResource constructed with remote = true.
      new pulumi.ComponentResource("awsx:ec2:Vpc", "network", { cidrBlock: "10.0.0.0/16" }, {}, true);
    });
    expect(resources.map((r) => r.type)).to.include("awsx:ec2:Vpc");
    expect(notices).to.deep.equal([
      'awsx:ec2:Vpc "network" is a remote component: its children are declared by its provider plugin ' +
        "(a multi-language component such as awsx's), which the offline plan does not run; the plan " +
        "and the packs see the component and its inputs only, not the resources it would create",
    ]);
  });

  it("derives ARNs from the account and region of the resource's provider", async () => {
    const { resources } = await runProgram(() => {
      const provider = new aws.Provider("acct", { region: "eu-west-1", allowedAccountIds: ["222222222222"] });
      new aws.iam.Role("r", { assumeRolePolicy: "{}" }, { provider });
      new aws.kinesis.Stream("s", { shardCount: 1 }, { provider });
    });
    const arns = resources
      .filter((r) => r.custom && !r.type.startsWith("pulumi:"))
      .map((r) => r.state.arn)
      .sort();
    expect(arns).to.deep.equal([
      "arn:aws:iam::222222222222:role/r",
      "arn:aws:kinesis:eu-west-1:222222222222:stream/s",
    ]);
  });

  it("gives DMS endpoints the endpointArn a replication's target reads, so the link is visible to policies", async () => {
    const { resources } = await runProgram(() => {
      const provider = new aws.Provider("acct", { region: "eu-west-1", allowedAccountIds: ["222222222222"] });
      const target = new aws.dms.S3Endpoint(
        "t",
        {
          endpointId: "t",
          endpointType: "target",
          bucketName: "b",
          serviceAccessRoleArn: "arn:aws:iam::2:role/x",
        },
        { provider },
      );
      new aws.dms.ReplicationConfig(
        "c",
        {
          replicationConfigIdentifier: "c",
          replicationType: "full-load",
          sourceEndpointArn: "arn:aws:dms:eu-west-1:222222222222:endpoint:src",
          targetEndpointArn: target.endpointArn,
          tableMappings: "{}",
          computeConfig: { replicationSubnetGroupId: "g" },
        },
        { provider },
      );
    });
    const endpoint = resources.find((r) => r.type === "aws:dms/s3Endpoint:S3Endpoint")!;
    const config = resources.find((r) => r.type === "aws:dms/replicationConfig:ReplicationConfig")!;
    expect(endpoint.state.endpointArn).to.equal(endpoint.state.arn);
    expect(config.inputs.targetEndpointArn).to.equal(endpoint.state.arn);
  });

  it("gives each run its own config and stack name, one run after another", async () => {
    const read = () => ({
      account: new pulumi.Config("lakehouse").require("account"),
      stack: pulumi.getStack(),
    });
    const [a, b] = await Promise.all([
      runProgram(read, { stack: "one", config: { "lakehouse:account": "lake-prod" } }),
      runProgram(read, { stack: "two", config: { account: "web-producer" } }),
    ]);
    expect(a.outputs).to.deep.equal({ account: "lake-prod", stack: "one" });
    expect(b.outputs).to.deep.equal({ account: "web-producer", stack: "two" });
  });

  it("fails the run with the program's own error when the program throws", async () => {
    let caught: unknown;
    try {
      await runProgram(() => {
        throw new Error("bad input: datasets[0].name");
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(ProgramError);
    expect((caught as ProgramError).message).to.equal("bad input: datasets[0].name");
    expect(String(((caught as ProgramError).errors[0] as Error).stack)).to.contain("harness.test.ts");
  });

  it("fails the run when an apply inside the program rejects", async () => {
    let caught: unknown;
    try {
      await runProgram(() => {
        const bucket = new aws.s3.Bucket("b");
        bucket.bucket.apply((name) => {
          if (name) throw new Error(`cannot use ${name}`);
          return name;
        });
        new aws.s3.Bucket("c", { bucket: bucket.bucket.apply((n) => `${n}-copy`) });
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(ProgramError);
  });

  it("collects warnings the program logs, and treats logged errors as failures", async () => {
    const { logs } = await runProgram(() => {
      void pulumi.log.warn("grant expired");
    });
    expect(logs).to.deep.equal([{ severity: "warning", message: "grant expired" }]);
    let caught: unknown;
    try {
      await runProgram(() => {
        void pulumi.log.error("not allowed");
      });
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).message).to.equal("not allowed");
  });

  it("prefixes a child's type with its parent's whole type chain, as the engine does", async () => {
    const { resources } = await runProgram(() => {
      const outer = new Box("outer");
      new Box("inner", { parent: outer });
    });
    const urns = resources.filter((r) => r.type === "aws:s3/bucket:Bucket").map((r) => r.urn);
    expect(urns).to.have.members([
      "urn:pulumi:test::lakehouse::test:index:Box$aws:s3/bucket:Bucket::outer-bucket",
      "urn:pulumi:test::lakehouse::test:index:Box$test:index:Box$aws:s3/bucket:Bucket::inner-bucket",
    ]);
  });

  it("runs in preview mode unless asked otherwise", async () => {
    const a = await runProgram(() => ({ dry: pulumi.runtime.isDryRun() }));
    const b = await runProgram(() => ({ dry: pulumi.runtime.isDryRun() }), { preview: false });
    expect([a.outputs.dry, b.outputs.dry]).to.deep.equal([true, false]);
  });
});
