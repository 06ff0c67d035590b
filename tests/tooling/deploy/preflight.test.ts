/**
 * `runPreflight` against moto (what it answers) and the replay server (Lambda, SES v2, QuickSight): each
 * check present (ok) and absent (missing, with its fix), and one that cannot be told (unknown).
 */
import { expect } from "chai";
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateStreamCommand, KinesisClient } from "@aws-sdk/client-kinesis";
import { CreateAliasCommand, CreateKeyCommand, DisableKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { LakeFormationClient, PutDataLakeSettingsCommand } from "@aws-sdk/client-lakeformation";
import {
  CreateOrganizationCommand,
  EnableAWSServiceAccessCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import {
  exitCodeOf,
  PreflightCheck,
  PreflightInputError,
  PreflightReport,
  runPreflight,
} from "../../../tooling/deploy/preflight";
import { renderTable } from "../../../tooling/deploy/preflight/render";
import { Moto, MOTO_CREDENTIALS, startMoto } from "../../integration/moto";
import { ACCOUNTS, motoConfig, REGION, workspace, Workspace } from "./preflight-fixture";
import {
  awsError,
  lambdaAccountSettings,
  quicksightGroups,
  quicksightSubscription,
  ReplayServer,
  Route,
  sesAccount,
  sesIdentities,
  startReplayServer,
} from "./replay-server";

/** Everything the lake's SES, Lambda and QuickSight checks want, as the replay server answers it. */
const HEALTHY: Route[] = [
  lambdaAccountSettings(1000, 1000),
  sesAccount(true),
  quicksightSubscription({ [ACCOUNTS.analytics]: "ACCOUNT_CREATED", [ACCOUNTS.finance]: "ACCOUNT_CREATED" }),
  quicksightGroups({}, REGION),
];

describe("preflight (moto and a replay server)", function () {
  this.timeout(120_000);
  let moto: Moto;
  let replay: ReplayServer;
  let ws: Workspace;

  before(async () => {
    moto = await startMoto();
    replay = await startReplayServer(HEALTHY);
    ws = workspace();
  });
  after(async () => {
    await replay?.close();
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    replay.routes(HEALTHY);
  });

  const run = (
    stacks: string[],
    over: Partial<Parameters<typeof runPreflight>[0]> = {},
  ): Promise<PreflightReport> =>
    runPreflight({
      platform: ws.platform,
      stacksDir: ws.stacksDir,
      stacks,
      endpoint: moto.endpoint,
      endpoints: { lambda: replay.endpoint, sesv2: replay.endpoint, quicksight: replay.endpoint },
      credentials: MOTO_CREDENTIALS,
      backendUrl: "file://~",
      ...over,
    });
  const rows = (r: PreflightReport, check: string, stack?: string): PreflightCheck[] =>
    r.checks.filter((c) => c.check === check && (stack === undefined || c.stack === stack));
  const one = (r: PreflightReport, check: string, stack?: string): PreflightCheck => {
    const found = rows(r, check, stack);
    expect(found, `${check} rows of ${JSON.stringify(r.checks, null, 1)}`).to.have.length(1);
    return found[0];
  };
  const iam = async (id: string) => new IAMClient(await motoConfig(moto.endpoint, id));

  /** The lake account with everything a lake needs, so that only the check under test can fail. */
  async function healthyLake(): Promise<void> {
    const lake = await iam(ACCOUNTS.lake);
    await lake.send(new CreateRoleCommand({ RoleName: "DataPlatformAdmin", AssumeRolePolicyDocument: "{}" }));
    const org = new OrganizationsClient({
      ...(await motoConfig(moto.endpoint, ACCOUNTS.lake)),
      region: "us-east-1",
    });
    await org.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    await org.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "ram.amazonaws.com" }));
  }

  describe("the deployment's principal", () => {
    it("assumes each account's deploymentRoleArn and checks the account as that role", async () => {
      const r = await run(["web-producer"]);
      const row = one(r, "deployment-role");
      expect(row).to.include({ stack: "web-producer", account: ACCOUNTS.web, status: "ok" });
      expect(row.message).to.contain("arn:aws:iam::222222222222:role/pulumi-deploy");
    });

    it("without deploymentRoleArn, uses the caller's credentials when they are the account's", async () => {
      const mine = workspace((d) => {
        d.accounts[1].id = "123456789012"; // moto's default account: the caller's
        delete d.accounts[1].deploymentRoleArn;
      });
      const r = await run(["web-producer"], { platform: mine.platform, stacksDir: mine.stacksDir });
      expect(one(r, "credentials")).to.include({ status: "ok", account: "123456789012" });
    });

    it("without deploymentRoleArn, reports credentials of another account as missing, with the field to set", async () => {
      const other = workspace((d) => delete d.accounts[1].deploymentRoleArn);
      const r = await run(["web-producer"], { platform: other.platform, stacksDir: other.stacksDir });
      const row = one(r, "credentials");
      expect(row.status).to.equal("missing");
      expect(row.message).to.contain("accounts[1].deploymentRoleArn").and.contain("123456789012");
      expect(r.checks, "nothing else is checked with the wrong account's credentials").to.have.length(1);
      expect(exitCodeOf(r)).to.equal(1);
    });
  });

  describe("lake.admins", () => {
    it("is missing while the admin role does not exist, with the command that creates it", async () => {
      const row = one(await run(["lake-prod"]), "principal");
      expect(row.status).to.equal("missing");
      expect(row.message)
        .to.contain("arn:aws:iam::111111111111:role/DataPlatformAdmin")
        .and.contain("aws iam create-role --role-name DataPlatformAdmin");
    });

    it("is ok once the role exists in the lake account", async () => {
      await (
        await iam(ACCOUNTS.lake)
      ).send(new CreateRoleCommand({ RoleName: "DataPlatformAdmin", AssumeRolePolicyDocument: "{}" }));
      expect(one(await run(["lake-prod"]), "principal").status).to.equal("ok");
    });

    it("a role of that name in another account does not count", async () => {
      await (
        await iam(ACCOUNTS.web)
      ).send(new CreateRoleCommand({ RoleName: "DataPlatformAdmin", AssumeRolePolicyDocument: "{}" }));
      expect(one(await run(["lake-prod"]), "principal").status).to.equal("missing");
    });
  });

  describe("DMS service roles (ops-producer replicates orders)", () => {
    it("are missing in a fresh account, each with its create and attach commands", async () => {
      const r = await run(["ops-producer"]);
      const [vpc, logs] = rows(r, "service-role");
      expect(vpc).to.include({ status: "missing" });
      expect(vpc.message)
        .to.contain("dms-vpc-role")
        .and.contain("aws iam create-role --role-name dms-vpc-role")
        .and.contain("arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole");
      expect(logs).to.include({ status: "missing" });
      expect(logs.message).to.contain("dms-cloudwatch-logs-role");
    });

    it("dms-vpc-role without AmazonDMSVPCManagementRole is missing the attachment", async () => {
      await (
        await iam(ACCOUNTS.ops)
      ).send(new CreateRoleCommand({ RoleName: "dms-vpc-role", AssumeRolePolicyDocument: "{}" }));
      const vpc = rows(await run(["ops-producer"]), "service-role")[0];
      expect(vpc.status).to.equal("missing");
      expect(vpc.message).to.contain("aws iam attach-role-policy --role-name dms-vpc-role");
    });

    it("are ok with both roles and the VPC role's managed policy", async () => {
      // moto's IAM knows AWS managed policies (AmazonDMSVPCManagementRole) only with this set, and then
      // loads them into every account it touches (seconds each): a moto of its own for this test.
      process.env.MOTO_IAM_LOAD_MANAGED_POLICIES = "true";
      const managed = await startMoto().finally(() => delete process.env.MOTO_IAM_LOAD_MANAGED_POLICIES);
      try {
        const ops = new IAMClient(await motoConfig(managed.endpoint, ACCOUNTS.ops));
        for (const name of ["dms-vpc-role", "dms-cloudwatch-logs-role"])
          await ops.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: "{}" }));
        await ops.send(
          new AttachRolePolicyCommand({
            RoleName: "dms-vpc-role",
            PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole",
          }),
        );
        const r = await run(["ops-producer"], { endpoint: managed.endpoint });
        expect(rows(r, "service-role").map((c) => c.status)).to.deep.equal(["ok", "ok"]);
      } finally {
        await managed.stop();
      }
    });

    it("are not checked where no DMS dataset is produced", async () => {
      expect(rows(await run(["web-producer"]), "service-role")).to.deep.equal([]);
    });
  });

  describe("Lake Formation admin", () => {
    const put = async (id: string, admins: string[]) =>
      new LakeFormationClient(await motoConfig(moto.endpoint, id)).send(
        new PutDataLakeSettingsCommand({
          DataLakeSettings: { DataLakeAdmins: admins.map((a) => ({ DataLakePrincipalIdentifier: a })) },
        }),
      );

    it("is ok when the account has no data lake administrator yet (first deployment)", async () => {
      expect(one(await run(["analytics-consumer"]), "lake-formation-admin").message).to.contain(
        "first deployment",
      );
    });

    it("is missing when others are admins and the deployer is not, naming the console step", async () => {
      await put(ACCOUNTS.analytics, ["arn:aws:iam::444444444444:role/SomeoneElse"]);
      const row = one(await run(["analytics-consumer"]), "lake-formation-admin");
      expect(row.status).to.equal("missing");
      expect(row.message)
        .to.contain("arn:aws:iam::444444444444:role/pulumi-deploy")
        .and.contain("Data lake administrators > Add");
    });

    it("is ok when the deployment role is among the admins", async () => {
      await put(ACCOUNTS.analytics, [
        "arn:aws:iam::444444444444:role/SomeoneElse",
        "arn:aws:iam::444444444444:role/pulumi-deploy",
      ]);
      expect(one(await run(["analytics-consumer"]), "lake-formation-admin").status).to.equal("ok");
    });
  });

  describe("RAM sharing with AWS Organizations", () => {
    it("is missing when ram.amazonaws.com is not enabled, with the command for the management account", async () => {
      const row = one(await run(["lake-prod"]), "ram-organization-sharing");
      expect(row.status).to.equal("missing");
      expect(row.message)
        .to.contain("aws ram enable-sharing-with-aws-organization")
        .and.contain("management account");
    });

    it("is ok once the organisation enabled it", async () => {
      await healthyLake();
      expect(one(await run(["lake-prod"]), "ram-organization-sharing").status).to.equal("ok");
    });

    it("is unknown, not missing, when Organizations denies the lake account; alone it exits 0 and says so", async () => {
      await healthyLake();
      replay.routes([
        ...HEALTHY,
        // Organizations (awsJson1_1) from a member account: AccessDeniedException.
        {
          method: "POST",
          path: /^\/$/,
          reply: () =>
            awsError(400, "AccessDeniedException", "You don't have permissions to access this resource."),
        },
      ]);
      const r = await run(["lake-prod"], {
        endpoints: { lambda: replay.endpoint, sesv2: replay.endpoint, organizations: replay.endpoint },
      });
      const row = one(r, "ram-organization-sharing");
      expect(row.status).to.equal("unknown");
      expect(row.message).to.contain("aws organizations list-aws-service-access-for-organization");
      expect(r.checks.filter((c) => c.status === "missing")).to.deep.equal([]);
      expect(exitCodeOf(r)).to.equal(0);
      expect(renderTable(r)).to.contain("Nothing is missing, but 1 check could not be told (unknown");
    });
  });

  describe("bucket names", () => {
    it("are free in a fresh partition", async () => {
      const lake = rows(await run(["lake-prod"]), "bucket-name");
      expect(lake.map((c) => c.message.split(" ")[0])).to.deep.equal([
        "acme-lake-111111111111-raw",
        "acme-lake-111111111111-curated",
        "acme-lake-111111111111-analytics",
        "acme-lake-111111111111-access-logs",
        "acme-lake-111111111111-governance",
      ]);
      expect(lake.every((c) => c.status === "ok" && c.message.endsWith("is free"))).to.equal(true);
    });

    it("is ok when the bucket is the account's own, and missing when another account holds the name", async () => {
      const own = new S3Client({
        ...(await motoConfig(moto.endpoint, ACCOUNTS.analytics)),
        forcePathStyle: true,
      });
      await own.send(
        new CreateBucketCommand({
          Bucket: "acme-lake-444444444444-athena-results",
          CreateBucketConfiguration: { LocationConstraint: REGION },
        }),
      );
      const stranger = new S3Client({
        region: REGION,
        endpoint: moto.endpoint,
        credentials: MOTO_CREDENTIALS,
        forcePathStyle: true,
      });
      await stranger.send(
        new CreateBucketCommand({
          Bucket: "acme-lake-444444444444-access-logs",
          CreateBucketConfiguration: { LocationConstraint: REGION },
        }),
      );
      const [results, logs] = rows(await run(["analytics-consumer"]), "bucket-name");
      expect(results).to.include({ status: "ok" });
      expect(results.message).to.contain("is this account's");
      expect(logs).to.include({ status: "missing" });
      expect(logs.message)
        .to.contain("taken by another AWS account")
        .and.contain("choose another platform name");
    });

    it("a producer without built Flink code creates no bucket", async () => {
      expect(rows(await run(["web-producer"]), "bucket-name")).to.deep.equal([]);
    });
  });

  describe("network", () => {
    /** A VPC with two subnets (eu-west-1a, eu-west-1b) and a security group in account `id`. */
    async function network(id: string) {
      const ec2 = new EC2Client(await motoConfig(moto.endpoint, id));
      const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
      const a = (
        await ec2.send(
          new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.0.1.0/24", AvailabilityZone: "eu-west-1a" }),
        )
      ).Subnet!.SubnetId!;
      const b = (
        await ec2.send(
          new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.0.2.0/24", AvailabilityZone: "eu-west-1b" }),
        )
      ).Subnet!.SubnetId!;
      const sg = (
        await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: "dms", Description: "dms" }))
      ).GroupId!;
      return { ec2, vpc, a, b, sg };
    }
    const withNetwork = (
      n: { vpc: string; a: string; b: string; sg: string },
      extra: Record<string, unknown> = {},
    ) =>
      workspace((d) => {
        d.accounts[2].network = {
          vpcId: n.vpc,
          subnetIds: [n.a, n.b],
          securityGroupIds: [n.sg],
          routeTableIds: ["rtb-0a1b2c3d"],
          vpcEndpoints: "create",
          ...extra,
        };
      });

    it("lists the subnets, security groups and VPC that do not exist", async () => {
      const r = await run(["ops-producer"]);
      const net = rows(r, "network");
      expect(net.map((c) => c.status)).to.deep.equal(["missing", "missing", "missing"]);
      expect(net[0].message)
        .to.contain("subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002 do not exist")
        .and.contain("accounts[2].network.subnetIds");
      expect(net[1].message).to.contain("sg-0a1b2c3d4e5f60003");
      expect(net[2].message).to.contain("vpc-0a1b2c3d4e5f60000");
    });

    it("is ok when they exist in their Availability Zones, and names a subnet in another zone", async () => {
      const n = await network(ACCOUNTS.ops);
      const good = withNetwork(n, { availabilityZones: { [n.a]: "eu-west-1a", [n.b]: "eu-west-1b" } });
      const r = await run(["ops-producer"], { platform: good.platform, stacksDir: good.stacksDir });
      expect(rows(r, "network").map((c) => c.status)).to.deep.equal(["ok", "ok", "ok"]);
      const wrong = withNetwork(n, { availabilityZones: { [n.a]: "eu-west-1a", [n.b]: "eu-west-1c" } });
      const subnets = rows(
        await run(["ops-producer"], { platform: wrong.platform, stacksDir: wrong.stacksDir }),
        "network",
      )[0];
      expect(subnets.status).to.equal("missing");
      expect(subnets.message).to.contain(`${n.b} is in eu-west-1b`).and.contain("not eu-west-1c");
    });

    it("with vpcEndpoints: existing, wants DMS's S3 gateway and Secrets Manager interface endpoints in the VPC", async () => {
      const n = await network(ACCOUNTS.ops);
      const ws2 = withNetwork(n, { vpcEndpoints: "existing" });
      const before = rows(
        await run(["ops-producer"], { platform: ws2.platform, stacksDir: ws2.stacksDir }),
        "vpc-endpoint",
      );
      expect(before.map((c) => c.status)).to.deep.equal(["missing", "missing"]);
      expect(before[0].message)
        .to.contain("com.amazonaws.eu-west-1.s3")
        .and.contain(`aws ec2 create-vpc-endpoint --vpc-id ${n.vpc}`);
      expect(before[1].message).to.contain("com.amazonaws.eu-west-1.secretsmanager");
      await n.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: n.vpc,
          ServiceName: "com.amazonaws.eu-west-1.s3",
          VpcEndpointType: "Gateway",
        }),
      );
      await n.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: n.vpc,
          ServiceName: "com.amazonaws.eu-west-1.secretsmanager",
          VpcEndpointType: "Interface",
          SubnetIds: [n.a],
        }),
      );
      const after = rows(
        await run(["ops-producer"], { platform: ws2.platform, stacksDir: ws2.stacksDir }),
        "vpc-endpoint",
      );
      expect(after.map((c) => c.status)).to.deep.equal(["ok", "ok"]);
    });
  });

  describe("QuickSight (consumer teams with dashboards)", () => {
    it("is ok when subscribed (ACCOUNT_CREATED) and the identity region is the account's", async () => {
      const row = one(await run(["analytics-consumer"]), "quicksight");
      expect(row).to.include({ status: "ok" });
      expect(replay.requests.some((q) => q.path === `/account/${ACCOUNTS.analytics}`)).to.equal(true);
    });

    it("is missing without a subscription (ResourceNotFoundException), with the console step", async () => {
      replay.routes([quicksightSubscription({}), quicksightGroups({}, REGION)]);
      const row = one(await run(["analytics-consumer"]), "quicksight");
      expect(row.status).to.equal("missing");
      expect(row.message).to.contain("not subscribed").and.contain("QuickSight > Sign up");
    });

    it("is missing when the identity region is another, naming it", async () => {
      replay.routes([
        quicksightSubscription({ [ACCOUNTS.finance]: "ACCOUNT_CREATED" }),
        quicksightGroups({ [ACCOUNTS.finance]: "us-east-1" }, REGION),
      ]);
      const row = one(await run(["finance-consumer"]), "quicksight");
      expect(row.status).to.equal("missing");
      expect(row.message).to.contain("identity region is us-east-1").and.contain("accounts[4].region");
    });
  });

  describe("SES production access (the validator's e-mails)", () => {
    it("is ok with production access", async () => {
      expect(one(await run(["lake-prod"]), "ses-production-access").status).to.equal("ok");
    });

    it("in the sandbox, is missing and lists the unverified addresses", async () => {
      replay.routes([
        sesAccount(false),
        sesIdentities(["data-governance@acme.example", "web-analytics@acme.example"]),
        lambdaAccountSettings(1000, 1000),
      ]);
      const row = one(await run(["lake-prod"]), "ses-production-access");
      expect(row.status).to.equal("missing");
      expect(row.message)
        .to.contain("order-management@acme.example")
        .and.contain("--production-access-enabled");
      expect(row.message).not.to.contain("web-analytics@acme.example,");
    });

    it("in the sandbox, is ok when the addresses' domain is verified", async () => {
      replay.routes([sesAccount(false), sesIdentities(["acme.example"]), lambdaAccountSettings(1000, 1000)]);
      expect(one(await run(["lake-prod"]), "ses-production-access").status).to.equal("ok");
    });
  });

  describe("quotas", () => {
    it("Lambda: ok with room for the validator, missing below 10 unreserved", async () => {
      expect(one(await run(["lake-prod"]), "lambda-concurrency").status).to.equal("ok");
      replay.routes([lambdaAccountSettings(10, 0), sesAccount(true)]);
      const row = one(await run(["lake-prod"]), "lambda-concurrency");
      expect(row.status).to.equal("missing");
      expect(row.message).to.contain("10 (0 unreserved)").and.contain("Service Quotas");
    });

    it("Kinesis: the provisioned shards fit moto's 6000; 7000 do not", async () => {
      expect(one(await run(["ops-producer"]), "kinesis-quota").message).to.contain(
        "4 new provisioned shards",
      );
      const big = workspace((d) => (d.datasets[2].ingestion.stream.shards = 7000));
      const row = one(
        await run(["ops-producer"], { platform: big.platform, stacksDir: big.stacksDir }),
        "kinesis-quota",
      );
      expect(row.status).to.equal("missing");
      expect(row.message).to.contain("7000 provisioned shards needed");
    });

    it("Kinesis: a stream deployed before needs no new capacity", async () => {
      // Kinesis defaults to HTTP/2, which moto does not speak.
      const k = new KinesisClient({
        ...(await motoConfig(moto.endpoint, ACCOUNTS.ops)),
        requestHandler: new NodeHttpHandler(),
      });
      await k.send(new CreateStreamCommand({ StreamName: "acme-lake-device-telemetry", ShardCount: 4 }));
      expect(one(await run(["ops-producer"]), "kinesis-quota").message).to.contain(
        "0 new provisioned shards",
      );
    });
  });

  describe("Pulumi backend and secrets provider", () => {
    it("an s3:// backend's bucket: missing until it exists in the lake account's view", async () => {
      const url = "s3://acme-pulumi-state/lakehouse?region=eu-west-1";
      const row = one(await run(["lake-prod"], { backendUrl: url }), "pulumi-backend");
      expect(row.status).to.equal("missing");
      expect(row.message).to.contain("aws s3api create-bucket --bucket acme-pulumi-state");
      const s3 = new S3Client({ ...(await motoConfig(moto.endpoint, ACCOUNTS.lake)), forcePathStyle: true });
      await s3.send(
        new CreateBucketCommand({
          Bucket: "acme-pulumi-state",
          CreateBucketConfiguration: { LocationConstraint: REGION },
        }),
      );
      expect(one(await run(["lake-prod"], { backendUrl: url }), "pulumi-backend").status).to.equal("ok");
    });

    it("an unset backend is unknown, another kind is ok with a note", async () => {
      expect(one(await run(["lake-prod"], { backendUrl: undefined }), "pulumi-backend").status).to.equal(
        "unknown",
      );
      expect(one(await run(["lake-prod"]), "pulumi-backend").message).to.contain("not an s3:// bucket");
    });

    it("awskms:// names a key that must exist and be enabled", async () => {
      const kmsWs = workspace(undefined, {
        "web-producer": "awskms://alias/pulumi-secrets?region=eu-west-1",
      });
      const go = () => run(["web-producer"], { platform: kmsWs.platform, stacksDir: kmsWs.stacksDir });
      const absent = one(await go(), "pulumi-secrets-provider");
      expect(absent.status).to.equal("missing");
      expect(absent.message)
        .to.contain("alias/pulumi-secrets does not exist")
        .and.contain("aws kms create-key");
      const kms = new KMSClient(await motoConfig(moto.endpoint, ACCOUNTS.web));
      const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await kms.send(new CreateAliasCommand({ AliasName: "alias/pulumi-secrets", TargetKeyId: key }));
      expect(one(await go(), "pulumi-secrets-provider").status).to.equal("ok");
      await kms.send(new DisableKeyCommand({ KeyId: key }));
      const disabled = one(await go(), "pulumi-secrets-provider");
      expect(disabled.status).to.equal("missing");
      expect(disabled.message).to.contain("is Disabled").and.contain("aws kms enable-key");
    });
  });

  describe("what it cannot run with", () => {
    it("refuses an unknown stack, naming the known ones", async () => {
      const err = await run(["nope"]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(PreflightInputError);
      expect((err as Error).message)
        .to.contain('unknown stack "nope"')
        .and.contain("lake-prod");
    });

    it("a service the endpoint does not serve (moto's 404 page for QuickSight) is unknown, saying so", async () => {
      const row = one(
        await run(["finance-consumer"], { endpoints: { lambda: replay.endpoint, sesv2: replay.endpoint } }),
        "quicksight",
      );
      expect(row.status).to.equal("unknown");
      expect(row.message).to.contain("the endpoint does not serve this service (HTTP 404");
    });

    it("a service that does not answer is unknown, saying so", async () => {
      replay.routes(HEALTHY);
      const closed = "http://127.0.0.1:9"; // discard port: nothing listens
      const row = one(
        await run(["lake-prod"], { endpoints: { lambda: closed, sesv2: replay.endpoint } }),
        "lambda-concurrency",
      );
      expect(row.status).to.equal("unknown");
      expect(row.message).to.contain("did not answer");
    });
  });
});
