// What marketing analytics might write to get "its own copy" of clickstream for a legacy BI tool that
// reads CSV, and to hand that copy to controlling in the finance account. The copy is built with the
// platform's own secure storage component — encrypted, versioned, logged, TLS-only — and is still
// refused: the lake is shared in place, never copied. `npm run plan -- --program examples/forbidden-copy`
// reports every violation and exits 1; the README lists them.
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
// From the published package: import { LakeStorage, loadPlatform, datasetTags, ... } from "@acme/lakehouse";
import { LakeStorage } from "../../components/storage/lake-storage";
import { accountByName, datasetTags, hiddenColumns, loadPlatform, readableDatasets } from "../../platform";

const TEAM = "marketing-analytics";
const DATASET = "clickstream";

const definition = new pulumi.Config("lakehouse").get("platform");
const platform = loadPlatform(
  definition ? path.resolve(definition) : path.join(__dirname, "..", "..", "stacks", "platform.yaml"),
);
const team = platform.consumers.find((c) => c.team === TEAM);
if (!team) throw new Error(`${TEAM} is not a consumer team of the platform definition`);
const dataset = readableDatasets(platform, team).find((d) => d.name === DATASET);
if (!dataset) throw new Error(`${TEAM} may not read ${DATASET}`);
const account = accountByName(platform, team.account);
const finance = accountByName(platform, "finance-consumer");

const provider = new aws.Provider(account.name, {
  region: account.region as aws.Region,
  allowedAccountIds: [account.id],
});
const tags = datasetTags(dataset);

// 1. The copy, filled nightly by an Athena UNLOAD ... WITH (format = 'TEXTFILE') the team runs by hand,
//    with a bucket policy letting the finance account read it.
const copyBucket = `${platform.name}-${account.id}-${DATASET}-copy`;
const copy = new LakeStorage(
  `${DATASET}-copy`,
  {
    bucketNames: { copy: copyBucket },
    accessLogBucketName: `${copyBucket}-logs`,
    accountId: account.id,
    keyAlias: `alias/${TEAM}-${DATASET}-copy`,
    bucketPolicyStatements: {
      copy: [
        {
          Sid: "ControllingReadsOurCopy",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${finance.id}:root` },
          Action: ["s3:GetObject", "s3:ListBucket"],
          Resource: [`arn:aws:s3:::${copyBucket}`, `arn:aws:s3:::${copyBucket}/*`],
        },
      ],
    },
    tags,
  },
  { provider },
);

// 2. ...and replicated into a bucket of the finance account, "so controlling has it too".
new aws.s3.BucketReplicationConfig(
  `${DATASET}-copy-to-finance`,
  {
    bucket: copy.buckets.copy.id,
    role: `arn:aws:iam::${account.id}:role/${TEAM}-replication`,
    rules: [
      {
        id: "everything",
        status: "Enabled",
        filter: {},
        deleteMarkerReplication: { status: "Disabled" },
        destination: {
          bucket: `arn:aws:s3:::${platform.name}-${finance.id}-${DATASET}-copy`,
          account: finance.id,
          accessControlTranslation: { owner: "Destination" },
        },
      },
    ],
  },
  { provider },
);

// 3. A CSV table over the copy in the team's own catalog (the columns the team may read).
const database = new aws.glue.CatalogDatabase(
  "marketing-copy",
  { name: "marketing_copy", catalogId: account.id },
  { provider },
);
const hidden = new Set(hiddenColumns(platform, team, dataset));
new aws.glue.CatalogTable(
  `${DATASET}-csv`,
  {
    catalogId: account.id,
    databaseName: database.name,
    name: DATASET,
    tableType: "EXTERNAL_TABLE",
    // The governance keys as table parameters (CONTRACTS §1); Glue's format key says what the copy is.
    parameters: { ...tags, classification: "csv", "data-classification": tags.classification },
    partitionKeys: dataset.schema.partitionKeys.map((k) => ({ name: k.name, type: k.type })),
    storageDescriptor: {
      location: `s3://${copyBucket}/${DATASET}/`,
      inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
      outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
      serDeInfo: {
        serializationLibrary: "org.apache.hadoop.hive.serde2.OpenCSVSerde",
        parameters: { separatorChar: ",", skipHeaderLineCount: "1" },
      },
      columns: dataset.schema.columns
        .filter((c) => !hidden.has(c.name))
        .map((c) => ({ name: c.name, type: c.type })),
    },
  },
  { provider },
);

// 4. A live feed of the events for the team's own consumers — left unencrypted.
new aws.kinesis.Stream(
  `${DATASET}-live`,
  { name: `${TEAM}-${DATASET}-live`, streamModeDetails: { streamMode: "ON_DEMAND" }, tags },
  { provider },
);

export const copyBucketName = copyBucket;
