import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import {
  accountByName,
  analystRoleName,
  bucketName,
  datasetPrefix,
  ingestionErrorPrefix,
  ingestionRoleName,
  lakeAccount,
  lakeKeyAliasArn,
  loadPlatform,
  quicksightDataSetId,
  quicksightRoleName,
  sparkApplicationName,
  sparkJobRoleName,
} from "../../platform";
import { eventTimePartitionQueries } from "../../components/streaming/streaming-ingestion";
import { runPlanCli } from "../run-cli";

const EXAMPLES = path.join(__dirname, "..", "..", "examples");
const platform = loadPlatform(path.join(__dirname, "..", "..", "stacks", "platform.yaml"));

interface Resource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  provider: string | null;
  inputs: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
interface Violation {
  pack: string;
  policy: string;
  level: string;
  urn: string | null;
  message: string;
}
interface Planned {
  code: number;
  stderr: string;
  resources: Resource[];
  outputs: Record<string, unknown>;
  violations: Violation[];
}

/** Plans an example folder as the README says (`npm run plan -- --program examples/<x>`), as JSON. */
async function planExample(example: string): Promise<Planned> {
  const r = await runPlanCli("--program", path.join(EXAMPLES, example), "--format", "json");
  expect(r.stdout, r.stderr).to.not.equal("");
  const stack = JSON.parse(r.stdout).stacks[0];
  return { code: r.code, stderr: r.stderr, ...stack };
}

/** A violation as the README lists it: `<level> <policy> <resource name>`. */
function line(v: Violation): string {
  return `${v.level} ${v.policy} ${v.urn?.split("::").pop() ?? "(stack)"}`;
}

/** The one resource of that type (and, given, parent); fails naming what there is. */
function only(resources: Resource[], type: string, parent?: Resource): Resource {
  const found = resources.filter((r) => r.type === type && (!parent || r.parent === parent.urn));
  expect(
    found.map((r) => r.name),
    `resources of type ${type}`,
  ).to.have.length(1);
  return found[0];
}

/** Every AWS resource of the example is created with its one provider, pinned to the account. */
function expectPinnedProvider(resources: Resource[], accountName: string): void {
  const account = accountByName(platform, accountName);
  const provider = only(resources, "pulumi:providers:aws");
  expect(JSON.parse(provider.inputs.allowedAccountIds)).to.deep.equal([account.id]);
  expect(provider.inputs.region).to.equal(account.region);
  const own = resources.filter((r) => r.type.startsWith("aws:"));
  expect(own.length, "AWS resources").to.be.greaterThan(0);
  for (const r of own) expect(r.provider, r.name).to.match(new RegExp(`^${provider.urn}::`));
}

describe("examples/producer-iot-stream", () => {
  const dataset = platform.datasets.find((d) => d.name === "device_telemetry")!;
  const lake = lakeAccount(platform);
  let plan: Planned;
  before(async () => {
    plan = await planExample("producer-iot-stream");
  });

  it("plans with exit 0 and no violation of either pack", () => {
    expect(plan.code, plan.stderr).to.equal(0);
    expect(plan.violations.map(line)).to.deep.equal([]);
  });

  it("deploys into the dataset's producer account only", () => {
    expect(dataset.producer).to.equal("ops-producer");
    expectPinnedProvider(plan.resources, dataset.producer);
  });

  it("streams device_telemetry through StreamingIngestion into its raw prefix as Parquet", () => {
    const component = only(plan.resources, "lakehouse:streaming:StreamingIngestion");
    const firehose = only(
      plan.resources,
      "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
      component,
    );
    const s3 = firehose.inputs.extendedS3Configuration;
    const conversion = s3.dataFormatConversionConfiguration;
    expect(conversion.enabled).to.equal(true);
    expect(conversion.outputFormatConfiguration.serializer).to.have.property("parquetSerDe");
    expect(conversion.schemaConfiguration).to.include({
      catalogId: lake.id,
      region: lake.region,
      databaseName: "operations",
      tableName: "device_telemetry",
    });
    expect(s3.bucketArn).to.equal(`arn:aws:s3:::${bucketName(platform, "raw")}`);
    expect(s3.prefix).to.equal(
      `${datasetPrefix(platform, dataset)}dt=!{partitionKeyFromQuery:dt}/hour=!{partitionKeyFromQuery:hour}/`,
    );
    expect(s3.errorOutputPrefix).to.equal(
      `${ingestionErrorPrefix(platform, dataset)}!{firehose:error-output-type}/`,
    );
    expect(s3.kmsKeyArn).to.equal(lakeKeyAliasArn(platform));
    // The partition values are cut from the devices' reading_time.
    const query = s3.processingConfiguration.processors[0].parameters.find(
      (p: { parameterName: string }) => p.parameterName === "MetadataExtractionQuery",
    );
    // The UTC date and hour of the event time, whatever offset the device wrote it in.
    const q = eventTimePartitionQueries("reading_time");
    expect(query.parameterValue).to.equal(`{dt: ${q.dt}, hour: ${q.hour}}`);
  });

  it("takes the stream's capacity and the ingestion role's name from the definition", () => {
    const component = only(plan.resources, "lakehouse:streaming:StreamingIngestion");
    const stream = only(plan.resources, "aws:kinesis/stream:Stream", component);
    expect(dataset.ingestion).to.deep.include({ type: "firehose" });
    expect(stream.inputs).to.deep.include({
      shardCount: 4,
      streamModeDetails: { streamMode: "PROVISIONED" },
      encryptionType: "KMS",
    });
    const role = only(plan.resources, "aws:iam/role:Role", component);
    expect(role.inputs.name).to.equal(ingestionRoleName(platform, dataset));
    expect(plan.outputs.ingestionRoleArn).to.equal(
      `arn:aws:iam::${accountByName(platform, "ops-producer").id}:role/acme-lake-device-telemetry-ingest`,
    );
  });
});

describe("examples/consumer-spark-and-spice", () => {
  const team = platform.consumers.find((c) => c.team === "marketing-analytics")!;
  const clickstream = platform.datasets.find((d) => d.name === "clickstream")!;
  let plan: Planned;
  before(async () => {
    plan = await planExample("consumer-spark-and-spice");
  });

  it("plans with exit 0 and no violation of either pack", () => {
    expect(plan.code, plan.stderr).to.equal(0);
    expect(plan.violations.map(line)).to.deep.equal([]);
  });

  it("names a resource in every statement of its role policies, the results key looked up by alias", () => {
    const statements = plan.resources
      .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy")
      .flatMap(
        (r) => JSON.parse(String(r.inputs.policy)).Statement as { Sid?: string; Resource?: unknown }[],
      );
    expect(statements.filter((s) => s.Resource === undefined).map((s) => s.Sid)).to.deep.equal([]);
    const key = statements.find((s) => s.Sid === "UseResultsKey");
    expect(String(key?.Resource)).to.match(/^arn:aws:kms:eu-west-1:444444444444:key\//);
  });

  it("deploys into the team's consumer account only", () => {
    expect(team.account).to.equal("analytics-consumer");
    expectPinnedProvider(plan.resources, team.account);
  });

  it("declares SparkAnalytics with the team's capacity, reading through Lake Formation", () => {
    const component = only(plan.resources, "lakehouse:analytics:SparkAnalytics");
    const app = only(plan.resources, "aws:emrserverless/application:Application", component);
    expect(app.inputs.name).to.equal(sparkApplicationName(team));
    expect(app.inputs.maximumCapacity).to.deep.equal({ cpu: "64 vCPU", memory: "256 GB" });
    expect(app.inputs.runtimeConfigurations[0].properties).to.include({
      "spark.emr-serverless.lakeformation.enabled": "true",
    });
    expect(app.inputs.networkConfiguration.subnetIds).to.deep.equal(
      accountByName(platform, team.account).network!.subnetIds,
    );
    const roles = plan.resources.filter((r) => r.type === "aws:iam/role:Role" && r.parent === component.urn);
    expect(roles.map((r) => r.inputs.name)).to.deep.equal([sparkJobRoleName(platform, team)]);
    const submit = plan.resources.filter(
      (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === analystRoleName(platform, team),
    );
    expect(submit.map((r) => r.parent)).to.deep.equal([component.urn]);
  });

  it("imports clickstream into SPICE with the columns the team may read, refreshed as the definition says", () => {
    const component = only(plan.resources, "lakehouse:analytics:QuickSightAnalytics");
    const dataSet = only(plan.resources, "aws:quicksight/dataSet:DataSet", component);
    expect(dataSet.inputs.dataSetId).to.equal(quicksightDataSetId(team, clickstream));
    expect(dataSet.inputs.importMode).to.equal("SPICE");
    const table = dataSet.inputs.physicalTableMaps[0].relationalTable;
    expect(table).to.include({ schema: "marketing_shared", name: "clickstream" });
    const columns = table.inputColumns.map((c: { name: string }) => c.name);
    expect(columns).to.include.members(["event_id", "event_time", "dt"]);
    expect(columns, "user_id is confidential, the team reads internal").to.not.include("user_id");
    expect(dataSet.inputs.tags).to.include({ dataset: "clickstream", classification: "internal" });
    const refresh = only(plan.resources, "aws:quicksight/refreshSchedule:RefreshSchedule", component);
    expect(refresh.inputs.schedule.scheduleFrequency).to.deep.equal({
      interval: "DAILY",
      timeOfTheDay: "06:00",
      timezone: "Europe/Paris",
    });
    const role = only(plan.resources, "aws:iam/role:Role", component);
    expect(role.inputs.name).to.equal(quicksightRoleName(platform, team));
    const source = only(plan.resources, "aws:quicksight/dataSource:DataSource", component);
    expect(source.inputs.parameters.athena.workGroup).to.equal("marketing-analytics-analytics");
  });
});

describe("examples/forbidden-copy", () => {
  const readme = fs.readFileSync(path.join(EXAMPLES, "forbidden-copy", "README.md"), "utf8");
  let plan: Planned;
  before(async () => {
    plan = await planExample("forbidden-copy");
  });

  /** The README's promised violations: the `<level> <policy> <resource>` list between its markers. */
  function promised(): string[] {
    const block = /<!-- violations -->\n([\s\S]*?)<!-- \/violations -->/.exec(readme);
    if (!block) throw new Error("README.md has no <!-- violations --> ... <!-- /violations --> block");
    return block[1]
      .split("\n")
      .filter((l) => l.startsWith("- "))
      .map((l) => {
        const item = /^- `([^`]+)`/.exec(l);
        if (!item)
          throw new Error(`README.md: a list item that does not start with a backticked violation: ${l}`);
        return item[1];
      });
  }

  it("exits 1: at least one mandatory violation", () => {
    expect(plan.code, plan.stderr).to.equal(1);
  });

  it("reports exactly the violations its README lists", () => {
    const listed = promised();
    expect(listed).to.have.length.greaterThan(0);
    expect(new Set(listed).size, "the README lists a violation twice").to.equal(listed.length);
    expect(plan.violations.map(line).sort()).to.deep.equal([...listed].sort());
  });

  it("is refused by governance for the copy itself, not for how the copy is stored", () => {
    const policies = new Set(plan.violations.map((v) => v.policy));
    for (const p of [
      "s3-bucket-disallow-cross-account-replication",
      "s3-bucket-policy-disallow-cross-account-access",
      "glue-table-enforce-parquet",
      "dataset-require-registration",
    ])
      expect(policies, p).to.include(p);
    for (const p of [
      "s3-bucket-block-public-access",
      "s3-bucket-enforce-kms-encryption",
      "s3-bucket-enforce-tls",
      "s3-bucket-enable-versioning-and-logging",
    ])
      expect(policies, p).to.not.include(p);
    expectPinnedProvider(plan.resources, "analytics-consumer");
  });
});
