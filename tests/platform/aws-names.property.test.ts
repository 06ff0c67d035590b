/**
 * Property: for generated definitions (names long, short and at the edges of each rule), the definition's
 * validation either refuses with a definition error (never another exception), or every physical name the
 * accepted platform's programs declare fits its AWS rule. The names are read from the planned
 * resources, not from derivedNames(), so a name the validation forgets to derive fails here.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { CORE_SCHEMA, dump, load } from "js-yaml";
import { parsePlatform, PlatformDefinitionError } from "../../platform";
import { NameKind, nameProblem } from "../../platform/aws-names";
import { RecordedResource } from "../../tooling/mock-runtime/harness";
import { planAccounts } from "../plan-accounts";
import { seeded } from "../seeded";

const BASE = load(fs.readFileSync(path.join(__dirname, "..", "..", "stacks", "platform.yaml"), "utf8"), {
  schema: CORE_SCHEMA,
}) as Record<string, unknown>;

/** Lengths at the edges of the rules the names feed (1, 2, 63/64, 128...), and a few in between. */
const LENGTHS = [1, 2, 3, 8, 17, 24, 30, 40, 47, 50, 56, 63, 64, 65, 100];

function word(next: () => number, first: string, rest: string, length: number): string {
  const pick = (chars: string) => chars[Math.floor(next() * chars.length)];
  let out = pick(first);
  while (out.length < length) out += pick(rest);
  return out;
}

/** The base definition with its platform, team, domain and dataset names replaced everywhere they occur. */
function generate(seed: number): unknown {
  const next = seeded(seed);
  // Most names short, one in four at an edge: a definition has a dozen names, each must fit.
  const length = () =>
    next() < 0.25 ? LENGTHS[Math.floor(next() * LENGTHS.length)] : 4 + Math.floor(next() * 9);
  const data = JSON.parse(JSON.stringify(BASE)) as Record<string, unknown>;
  const renames = new Map<string, string>();
  renames.set(
    String(data.name),
    word(next, "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz0123456789-", length()),
  );
  const consumers = data.consumers as { team: string }[];
  for (const c of consumers)
    renames.set(
      c.team,
      word(next, "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz0123456789-", length()),
    );
  const datasets = data.datasets as { name: string }[];
  for (const d of datasets)
    renames.set(
      d.name,
      word(next, "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz0123456789_", length()),
    );
  const rename = (value: unknown): unknown => {
    if (typeof value === "string") return renames.get(value) ?? value;
    if (Array.isArray(value)) return value.map(rename);
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v)]));
    return value;
  };
  return rename(data);
}

/** Pulumi's autoname: the logical name, a hyphen and a random suffix (up to 8 characters). */
const autoname = (r: RecordedResource) => `${r.name}-abcdef12`;

/** Which input of which resource type is a physical name of which kind; `auto` when Pulumi names it. */
const PHYSICAL: Record<string, { input: string; kind: NameKind; auto?: boolean }[]> = {
  "aws:s3/bucket:Bucket": [{ input: "bucket", kind: "s3-bucket" }],
  "aws:s3/bucketV2:BucketV2": [{ input: "bucket", kind: "s3-bucket" }],
  "aws:iam/role:Role": [{ input: "name", kind: "iam-role", auto: true }],
  "aws:iam/rolePolicy:RolePolicy": [{ input: "name", kind: "iam-inline-policy", auto: true }],
  "aws:kms/alias:Alias": [{ input: "name", kind: "kms-alias" }],
  "aws:kinesis/stream:Stream": [{ input: "name", kind: "kinesis-stream", auto: true }],
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": [
    { input: "name", kind: "firehose-stream", auto: true },
  ],
  "aws:kinesisanalyticsv2/application:Application": [
    { input: "name", kind: "flink-application", auto: true },
  ],
  "aws:dms/replicationConfig:ReplicationConfig": [
    { input: "replicationConfigIdentifier", kind: "dms-identifier" },
  ],
  "aws:dms/s3Endpoint:S3Endpoint": [{ input: "endpointId", kind: "dms-identifier" }],
  "aws:dms/endpoint:Endpoint": [{ input: "endpointId", kind: "dms-identifier" }],
  "aws:glue/catalogDatabase:CatalogDatabase": [{ input: "name", kind: "glue-database" }],
  "aws:glue/catalogTable:CatalogTable": [{ input: "name", kind: "glue-table" }],
  "aws:glue/crawler:Crawler": [{ input: "name", kind: "glue-crawler" }],
  "aws:athena/workgroup:Workgroup": [{ input: "name", kind: "athena-workgroup" }],
  "aws:emrserverless/application:Application": [
    { input: "name", kind: "emr-serverless-application", auto: true },
  ],
  "aws:quicksight/dataSet:DataSet": [{ input: "dataSetId", kind: "quicksight-id" }],
  "aws:quicksight/dataSource:DataSource": [{ input: "dataSourceId", kind: "quicksight-id" }],
  "aws:lambda/function:Function": [{ input: "name", kind: "lambda-function", auto: true }],
  "aws:scheduler/schedule:Schedule": [{ input: "name", kind: "scheduler-schedule", auto: true }],
  "aws:cloudwatch/logGroup:LogGroup": [{ input: "name", kind: "log-group" }],
};

/** Every physical name of a planned resource AWS would refuse, with the resource that declares it. */
function refusedNames(resources: readonly RecordedResource[]): string[] {
  const out: string[] = [];
  const check = (r: RecordedResource, kind: NameKind, name: string) => {
    const problem = nameProblem(kind, name);
    if (problem) out.push(`${r.type} ${r.name}: ${kind} ${JSON.stringify(name)} ${problem}`);
  };
  for (const r of resources) {
    for (const { input, kind, auto } of PHYSICAL[r.type] ?? []) {
      const value = r.inputs[input];
      if (typeof value === "string") check(r, kind, value);
      else if (value === undefined && auto) check(r, kind, autoname(r));
    }
    const tags = r.inputs.tags;
    if (tags && typeof tags === "object" && !Array.isArray(tags)) {
      for (const [key, value] of Object.entries(tags as Record<string, unknown>)) {
        check(r, "tag-key", key);
        if (typeof value === "string") check(r, "tag-value", value);
      }
    }
  }
  return out;
}

describe("derived names, for generated definitions (property)", function () {
  this.timeout(240_000);
  const SEEDS = Array.from({ length: 60 }, (_, i) => 1000 + i);
  let planned = 0;
  let refused = 0;

  for (const seed of SEEDS) {
    it(`seed ${seed}: refused with the field and the fix, or every planned physical name fits AWS's rule`, async () => {
      const input = generate(seed);
      try {
        parsePlatform(input, `seed ${seed}`);
      } catch (err) {
        if (process.env.SHOW_REFUSALS) console.log(String((err as Error).message).slice(0, 600));
        expect(err, `seed ${seed}: refused without a definition error`).to.be.instanceOf(
          PlatformDefinitionError,
        );
        for (const issue of (err as PlatformDefinitionError).issues) {
          expect(issue.message, `seed ${seed}: ${issue.path}`).to.be.a("string").and.not.equal("");
          expect(issue.message.length, `seed ${seed}: ${issue.path} message bounded`).to.be.below(2000);
        }
        refused++;
        return;
      }
      planned++;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "names-property-"));
      try {
        const file = path.join(dir, "platform.yaml");
        fs.writeFileSync(file, dump(input));
        const problems: string[] = [];
        for (const { account, run } of await planAccounts(file))
          problems.push(...refusedNames(run.resources).map((p) => `${account}: ${p}`));
        expect(problems, `seed ${seed}: accepted, but AWS would refuse`).to.deep.equal([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  after(() => {
    // Both sides of the property must be exercised, or the generator has drifted from the schema.
    if (process.env.SHOW_REFUSALS) console.log({ planned, refused });
    expect(planned, "some generated definitions are accepted and planned").to.be.greaterThan(3);
    expect(refused, "some generated definitions are refused").to.be.greaterThan(3);
  });
});
