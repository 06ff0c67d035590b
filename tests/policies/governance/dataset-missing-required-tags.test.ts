// dataset-missing-required-tags judges dataset resources only — those that hold or move a registered
// dataset's data or write into the lake, as the registry (the pack config) names them — not every bucket,
// object or stream of any team's program. Stacks here are built resource by resource (runStackPolicy);
// tests/policies/other-programs.test.ts runs whole programs through both packs.
import { expect } from "chai";
import { UNKNOWN_SENTINELS } from "@acme/lakehouse-policy-lib";
import { datasetMissingRequiredTags as policy } from "../../../policies/governance/policies/dataset-missing-required-tags";
import { datasetRegistryConfig, runStackPolicy, StackResourceCase } from "../helpers";

const REGISTRY = datasetRegistryConfig();
const RAW = "acme-lake-111111111111-raw";
const PROVIDER = { region: "eu-west-1", allowedAccountIds: ["222222222222"] };
const UNKNOWN_STRING = [...UNKNOWN_SENTINELS][0];
const TAGS = {
  dataset: "country_codes",
  domain: "sales",
  owner: "sales-ops",
  "owner-email": "sales-ops@acme.example",
  classification: "internal",
  source: "manual",
};

const BUCKET = "aws:s3/bucket:Bucket";
const OBJECT = "aws:s3/bucketObject:BucketObject";

/** `{ name: message }` of what the policy reports for the stack, with the registry as config (or none). */
async function judge(stack: StackResourceCase[], registry = true): Promise<Record<string, string>> {
  const found = (await runStackPolicy(
    policy,
    stack.map((r) => ({ provider: PROVIDER, ...r })),
    registry ? REGISTRY : undefined,
  ))!;
  return Object.fromEntries(found.map((v) => [v.name, v.message]));
}

/** The static website of Pulumi's examples: a website bucket, its page, an OAI and a CloudFront log bucket. */
const WEBSITE: StackResourceCase[] = [
  {
    type: BUCKET,
    name: "site",
    props: { bucket: "www-example-com", website: { indexDocument: "index.html" } },
  },
  {
    type: OBJECT,
    name: "index.html",
    props: { bucket: "www-example-com", key: "index.html", contentType: "text/html", content: "<h1>hi</h1>" },
    dependsOn: { bucket: ["site"] },
  },
  { type: BUCKET, name: "cdn-logs", props: { bucket: "www-example-com-cdn-logs" } },
  {
    type: "aws:cloudfront/originAccessIdentity:OriginAccessIdentity",
    name: "oai",
    props: { comment: "site" },
  },
  {
    type: "aws:s3/bucketPolicy:BucketPolicy",
    name: "site-policy",
    props: {
      bucket: "www-example-com",
      policy: JSON.stringify({
        Statement: [
          {
            Effect: "Allow",
            Principal: {
              AWS: "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL",
            },
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::www-example-com/*",
          },
        ],
      }),
    },
    dependsOn: { bucket: ["site"], policy: ["oai"] },
  },
  {
    type: "aws:cloudfront/distribution:Distribution",
    name: "cdn",
    props: {
      enabled: true,
      origins: [{ originId: "site", domainName: "www-example-com.s3.eu-west-1.amazonaws.com" }],
      loggingConfig: { bucket: "www-example-com-cdn-logs.s3.amazonaws.com", prefix: "cdn/" },
    },
    dependsOn: { loggingConfig: ["cdn-logs"] },
  },
];

describe("dataset-missing-required-tags: which resources are dataset resources", () => {
  it("judges nothing of a static website, its page and its CloudFront log bucket, with or without the registry", async () => {
    expect(await judge(WEBSITE)).to.deep.equal({});
    expect(await judge(WEBSITE, false)).to.deep.equal({});
  });

  it("fails an untagged Firehose writing a lake bucket, and the stream it reads, saying why each holds dataset data", async () => {
    const stack: StackResourceCase[] = [
      { type: "aws:kinesis/stream:Stream", name: "clicks", props: { name: "clicks", shardCount: 1 } },
      {
        type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
        name: "clicks-to-lake",
        props: {
          destination: "extended_s3",
          kinesisSourceConfiguration: {
            kinesisStreamArn: "arn:aws:kinesis:eu-west-1:222222222222:stream/clicks",
            roleArn: "r",
          },
          extendedS3Configuration: {
            bucketArn: `arn:aws:s3:::${RAW}`,
            prefix: "marketing/clickstream/",
            roleArn: "r",
          },
        },
      },
      // An unrelated stream of the same program stays unjudged.
      { type: "aws:kinesis/stream:Stream", name: "app-events", props: { name: "app-events", shardCount: 1 } },
    ];
    const found = await judge(stack);
    expect(Object.keys(found).sort()).to.deep.equal(["clicks", "clicks-to-lake"]);
    expect(found["clicks-to-lake"]).to.contain(
      "Missing tags: dataset, domain, owner, owner-email, classification, source.",
    );
    expect(found["clicks-to-lake"]).to.contain(
      `It holds or moves dataset data: it names lake bucket ${RAW}.`,
    );
    expect(found["clicks"]).to.contain(
      'it is the source of aws.kinesis.FirehoseDeliveryStream "clicks-to-lake", a dataset resource.',
    );
    // Without the registry nothing says these write the lake.
    expect(await judge(stack, false)).to.deep.equal({});
  });

  it("fails an untagged Glue job copying a registered dataset's location out of the lake, and the bucket holding the copy, not its script bucket", async () => {
    const stack: StackResourceCase[] = [
      { type: BUCKET, name: "exports", props: { bucket: "team-exports" } },
      { type: BUCKET, name: "scripts", props: { bucket: "team-glue-scripts" } },
      {
        type: "aws:glue/job:Job",
        name: "orders-job",
        props: {
          roleArn: "arn:aws:iam::222222222222:role/glue",
          command: { scriptLocation: "s3://team-glue-scripts/orders.py" },
          defaultArguments: {
            "--input_path": `s3://${RAW}/333333333333/sales/orders/`,
            "--output_path": "s3://team-exports/orders/",
            "--extra-py-files": "s3://team-glue-scripts/lib.zip",
            "--TempDir": "s3://team-glue-scripts/tmp/",
          },
        },
      },
    ];
    const found = await judge(stack);
    expect(Object.keys(found).sort()).to.deep.equal(["exports", "orders-job"]);
    expect(found["orders-job"]).to.contain(
      `it names s3://${RAW}/333333333333/sales/orders/ (the location of dataset orders)`,
    );
    expect(found["exports"]).to.contain(
      'it receives the output (--output_path) of aws.glue.Job "orders-job", a dataset resource',
    );
  });

  it("passes the same job and buckets once tagged", async () => {
    const tagged = { tags: { ...TAGS, dataset: "orders", domain: "sales" } };
    expect(
      await judge([
        { type: BUCKET, name: "exports", props: { bucket: "team-exports", ...tagged } },
        {
          type: "aws:glue/job:Job",
          name: "orders-job",
          props: {
            command: { scriptLocation: "s3://team-glue-scripts/orders.py" },
            defaultArguments: {
              "--input_path": `s3://${RAW}/333333333333/sales/orders/`,
              "--output_path": "s3://team-exports/orders/",
            },
            ...tagged,
          },
        },
      ]),
    ).to.deep.equal({});
  });

  it("fails buckets and tables named as a dataset's copy, passes names that only share a word", async () => {
    const found = await judge([
      { type: BUCKET, name: "b1", props: { bucket: "sales-orders-export" } },
      { type: BUCKET, name: "b2", props: { bucket: "acme-device-telemetry-backup" } },
      { type: BUCKET, name: "b3", props: { bucket: "orders-frontend" } },
      { type: BUCKET, name: "b4", props: { bucket: "inventory-snapshots-site" } },
      {
        type: "aws:glue/catalogTable:CatalogTable",
        name: "t1",
        props: { databaseName: "team", name: "orders_csv" },
      },
      {
        type: "aws:glue/catalogTable:CatalogTable",
        name: "t2",
        props: { databaseName: "team", name: "orders" },
      },
      // The registered table's own name, in any account: the table of a dataset (or a copy of it).
      {
        type: "aws:glue/catalogTable:CatalogTable",
        name: "t3",
        props: { databaseName: "sales", name: "orders" },
      },
    ]);
    expect(Object.keys(found).sort()).to.deep.equal(["b1", "b2", "t1", "t3"]);
    expect(found["b1"]).to.contain(
      'its name sales-orders-export holds dataset orders\'s name with "export": a copy of it',
    );
    expect(found["b2"]).to.contain('holds dataset device_telemetry\'s name with "backup"');
    expect(found["t1"]).to.contain(
      "Missing table parameters: dataset, domain, owner, owner-email, data-classification, source.",
    );
    expect(found["t3"]).to.contain("it names table sales.orders (dataset orders)");
  });

  it("fails an untagged Athena workgroup of a stack that links a lake database, and its results bucket", async () => {
    const workgroup: StackResourceCase[] = [
      { type: BUCKET, name: "results", props: { bucket: "team-athena-results" } },
      {
        type: "aws:athena/workgroup:Workgroup",
        name: "adhoc",
        props: {
          name: "adhoc",
          configuration: { resultConfiguration: { outputLocation: "s3://team-athena-results/adhoc/" } },
        },
      },
    ];
    const link: StackResourceCase = {
      type: "aws:glue/catalogDatabase:CatalogDatabase",
      name: "sales-link",
      props: { name: "sales_link", targetDatabase: { catalogId: "111111111111", databaseName: "sales" } },
    };
    const found = await judge([link, ...workgroup]);
    expect(Object.keys(found).sort()).to.deep.equal(["adhoc", "results"]);
    expect(found["adhoc"]).to.contain(
      'it is an analytics engine of a stack that reads the lake (aws.glue.CatalogDatabase "sales-link" links lake database sales)',
    );
    expect(found["results"]).to.contain('it holds the query results of aws.athena.Workgroup "adhoc"');
    // The same workgroup in a stack that reads no lake database: the team's own queries.
    expect(await judge(workgroup)).to.deep.equal({});
  });

  it("fails a QuickSight data set over a registered table, through the consumer's resource link", async () => {
    const found = await judge([
      {
        type: "aws:quicksight/dataSet:DataSet",
        name: "orders-set",
        props: {
          physicalTableMaps: [
            {
              physicalTableMapId: "t",
              relationalTable: { catalog: "AwsDataCatalog", schema: "sales_shared", name: "orders" },
            },
          ],
        },
      },
    ]);
    expect(found["orders-set"]).to.contain("it names table sales_shared.orders (dataset orders)");
  });

  it("fails an untagged DMS replication into the lake, with both its endpoints", async () => {
    const found = await judge([
      {
        type: "aws:dms/endpoint:Endpoint",
        name: "erp",
        props: { endpointType: "source", engineName: "postgres" },
      },
      {
        type: "aws:dms/s3Endpoint:S3Endpoint",
        name: "erp-to-lake",
        props: { endpointType: "target", bucketName: RAW },
      },
      {
        type: "aws:dms/replicationConfig:ReplicationConfig",
        name: "erp-replication",
        props: { sourceEndpointArn: "arn:source", targetEndpointArn: "arn:target" },
        dependsOn: { sourceEndpointArn: ["erp"], targetEndpointArn: ["erp-to-lake"] },
      },
    ]);
    expect(Object.keys(found).sort()).to.deep.equal(["erp", "erp-replication", "erp-to-lake"]);
    expect(found["erp-to-lake"]).to.contain(`it names lake bucket ${RAW}`);
  });

  it("fails an untagged object put into a lake bucket, and what a tagged object's bucket holds", async () => {
    const found = await judge([
      { type: OBJECT, name: "manual-upload", props: { bucket: RAW, key: "sales/orders/manual.csv" } },
      { type: BUCKET, name: "uploads", props: { bucket: "team-uploads" } },
      { type: OBJECT, name: "codes", props: { bucket: "team-uploads", key: "codes.csv", tags: TAGS } },
    ]);
    expect(Object.keys(found).sort()).to.deep.equal(["manual-upload", "uploads"]);
    expect(found["uploads"]).to.contain('it holds aws.s3.BucketObject "codes", a dataset resource');
  });

  it("never identifies a resource through a value not known yet", async () => {
    expect(
      await judge([
        { type: "aws:kinesis/stream:Stream", name: "clicks", props: { name: "clicks" } },
        {
          type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
          name: "to-somewhere",
          props: {
            destination: "extended_s3",
            kinesisSourceConfiguration: { kinesisStreamArn: UNKNOWN_STRING },
            extendedS3Configuration: { bucketArn: UNKNOWN_STRING },
          },
          dependsOn: { kinesisSourceConfiguration: ["clicks"] },
        },
        // Tags not known yet: the bucket may or may not say it holds a dataset; it makes no neighbour one.
        { type: BUCKET, name: "b", props: { bucket: "team-b", tags: UNKNOWN_STRING } },
        { type: OBJECT, name: "o", props: { bucket: "team-b", key: "k" } },
      ]),
    ).to.deep.equal({});
  });
});
