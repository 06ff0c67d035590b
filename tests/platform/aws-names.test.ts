import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { CORE_SCHEMA, load } from "js-yaml";
import { parsePlatform, PlatformDefinitionError } from "../../platform";
import { derivedNames, NAME_RULES, NameKind, nameProblem } from "../../platform/aws-names";

const EXAMPLE = path.join(__dirname, "..", "..", "stacks", "platform.yaml");

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function example(): any {
  return load(fs.readFileSync(EXAMPLE, "utf8"), { schema: CORE_SCHEMA });
}

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parsePlatform(input, "test.yaml");
  } catch (err) {
    expect(err).to.be.instanceOf(PlatformDefinitionError);
    return (err as PlatformDefinitionError).issues;
  }
  expect.fail("the definition was accepted");
}

/** Per rule: a name AWS accepts at the limit, and names it refuses, each with the phrase of the problem. */
const CASES: Record<NameKind, { ok: string[]; bad: [string, string][] }> = {
  "s3-bucket": {
    ok: ["abc", "a".repeat(63), "my.bucket-1"],
    bad: [
      ["ab", "shorter than 3"],
      ["a".repeat(64), "over the 63"],
      ["My-bucket", "characters AWS does not allow"],
      ["-bucket", "characters AWS does not allow"],
      ["my..bucket", "two adjacent periods"],
      ["192.168.5.4", "IP address"],
      ["xn--bucket", "reserved prefix xn--"],
      ["sthree-bucket", "reserved prefix sthree-"],
      ["amzn-s3-demo-bucket", "reserved prefix amzn-s3-demo-"],
      ["bucket-s3alias", "reserved suffix -s3alias"],
      ["bucket--ol-s3", "reserved suffix --ol-s3"],
      ["bucket.mrap", "reserved suffix .mrap"],
      ["bucket--x-s3", "reserved suffix --x-s3"],
      ["bucket--table-s3", "reserved suffix --table-s3"],
    ],
  },
  "iam-inline-policy": {
    ok: ["p", "p".repeat(128), "lake-writer-policy-1a2b3c4"],
    bad: [
      ["p".repeat(129), "over the 128"],
      ["policy/with-slash", "characters AWS does not allow"],
      ["policy with space", "characters AWS does not allow"],
    ],
  },
  "iam-role": {
    ok: ["a", "r".repeat(64), "Role+=,.@_-1"],
    bad: [
      ["r".repeat(65), "over the 64"],
      ["role with space", "characters AWS does not allow"],
      ["role/path", "characters AWS does not allow"],
    ],
  },
  "kms-alias": {
    ok: ["alias/a", `alias/${"k".repeat(250)}`, "alias/acme/lake_key-1"],
    bad: [
      ["lake", "shorter than 7"],
      [`alias/${"k".repeat(251)}`, "over the 256"],
      ["alias/aws/s3", "reserved prefix alias/aws/"],
      ["alias/key.1", "characters AWS does not allow"],
    ],
  },
  "kinesis-stream": {
    ok: ["s", "s".repeat(128), "a_b.c-d"],
    bad: [
      ["s".repeat(129), "over the 128"],
      ["a/b", "characters AWS does not allow"],
    ],
  },
  "firehose-stream": {
    ok: ["s", "s".repeat(64)],
    bad: [
      ["s".repeat(65), "over the 64"],
      ["a b", "characters AWS does not allow"],
    ],
  },
  "flink-application": {
    ok: ["a", "a".repeat(128)],
    bad: [
      ["a".repeat(129), "over the 128"],
      ["a:b", "characters AWS does not allow"],
    ],
  },
  "dms-identifier": {
    ok: ["a", "Acme-lake-orders1", "a".repeat(255)],
    bad: [
      ["a".repeat(256), "over the 255"],
      ["1orders", "characters AWS does not allow"],
      ["acme_orders", "characters AWS does not allow"],
      ["acme--orders", "two consecutive hyphens"],
      ["acme-orders-", "ends with a hyphen"],
    ],
  },
  "glue-database": {
    ok: ["sales", "s".repeat(255), "sales_2"],
    bad: [
      ["s".repeat(256), "over the 255"],
      ["Sales", "characters AWS does not allow"],
      ["sales-eu", "characters AWS does not allow"],
    ],
  },
  "glue-table": {
    ok: ["orders", "t".repeat(255)],
    bad: [
      ["t".repeat(256), "over the 255"],
      ["order lines", "characters AWS does not allow"],
    ],
  },
  "glue-column": {
    ok: ["order_id", "c".repeat(255)],
    bad: [
      ["c".repeat(256), "over the 255"],
      ["orderId", "characters AWS does not allow"],
    ],
  },
  "glue-comment": {
    ok: ["", "EU, NA or APAC", "tab\tok", "é".repeat(255)],
    bad: [
      ["c".repeat(256), "over the 255"],
      ["line one\nline two", "characters AWS does not allow"],
      ["bell\u0007", "characters AWS does not allow"],
    ],
  },
  "glue-crawler": {
    ok: ["acme-lake-orders", "c".repeat(255)],
    bad: [
      ["c".repeat(256), "over the 255"],
      ["a\rb", "characters AWS does not allow"],
    ],
  },
  "lf-data-cells-filter": {
    ok: ["controlling__orders", "f".repeat(255)],
    bad: [
      ["f".repeat(256), "over the 255"],
      ["a\nb", "characters AWS does not allow"],
    ],
  },
  "lf-tag-key": {
    ok: ["domain", "k".repeat(128), "data:domain/eu"],
    bad: [
      ["", "shorter than 1"],
      ["k".repeat(129), "over the 128"],
      ["a*b", "characters AWS does not allow"],
    ],
  },
  "lf-tag-value": {
    ok: ["sales", "v".repeat(256), "a*"],
    bad: [
      ["v".repeat(257), "over the 256"],
      ["a'b", "characters AWS does not allow"],
    ],
  },
  "athena-workgroup": {
    ok: ["w", "w".repeat(128)],
    bad: [
      ["w".repeat(129), "over the 128"],
      ["w/x", "characters AWS does not allow"],
    ],
  },
  "emr-serverless-application": {
    ok: ["a", "a".repeat(64), "team/spark#1"],
    bad: [
      ["a".repeat(65), "over the 64"],
      ["a b", "characters AWS does not allow"],
    ],
  },
  "redshift-serverless": {
    ok: ["abc", "a".repeat(64), "controlling-spectrum"],
    bad: [
      ["ab", "shorter than 3"],
      ["a".repeat(65), "over the 64"],
      ["Controlling", "characters AWS does not allow"],
      ["team_bi", "characters AWS does not allow"],
    ],
  },
  "redshift-identifier": {
    ok: ["a", "a".repeat(127), "controlling_bi", "_x$1"],
    bad: [
      ["a".repeat(128), "over the 127"],
      ["1team", "characters AWS does not allow"],
      ["team-bi", "characters AWS does not allow"],
    ],
  },
  "quicksight-id": {
    ok: ["i", "i".repeat(96), "team-orders_1"],
    bad: [
      ["i".repeat(97), "over the 96"],
      ["team.orders", "characters AWS does not allow"],
    ],
  },
  "lambda-function": {
    ok: ["f", "f".repeat(64)],
    bad: [
      ["f".repeat(65), "over the 64"],
      ["f.g", "characters AWS does not allow"],
    ],
  },
  "scheduler-schedule": {
    ok: ["s", "s".repeat(64), "a.b_c-d"],
    bad: [
      ["s".repeat(65), "over the 64"],
      ["a/b", "characters AWS does not allow"],
    ],
  },
  "log-group": {
    ok: ["/aws/lambda/f", "l".repeat(512)],
    bad: [
      ["l".repeat(513), "over the 512"],
      ["/aws/lambda/f g", "characters AWS does not allow"],
    ],
  },
  "tag-key": {
    ok: ["owner-email", "k".repeat(128)],
    bad: [
      ["k".repeat(129), "over the 128"],
      ["aws:owner", "reserved prefix aws:"],
      ["a,b", "characters AWS does not allow"],
    ],
  },
  "tag-value": {
    ok: ["", "data-team@example.com", "v".repeat(256)],
    bad: [
      ["v".repeat(257), "over the 256"],
      ["o'brien@example.com", "characters AWS does not allow"],
    ],
  },
};

describe("AWS's rules for derived physical names (platform/aws-names.ts)", () => {
  it("refuses an LF-tag with more than the 1000 values Lake Formation allows, at lake.lfTags.<key>", () => {
    const input = example();
    input.lake.lfTags.region = Array.from({ length: 1001 }, (_, i) => `r${i}`);
    const issues = issuesOf(input);
    expect(issues).to.deep.include({
      path: "lake.lfTags.region",
      message: "an LF-tag has at most 1000 values (Lake Formation's LFTag limit): split the key",
    });
    input.lake.lfTags.region = input.lake.lfTags.region.slice(0, 1000);
    expect(() => parsePlatform(input, "test.yaml")).not.to.throw();
  });

  it("has a case for every rule of the table, and every rule cites an AWS documentation page", () => {
    expect(Object.keys(CASES).sort()).to.deep.equal(Object.keys(NAME_RULES).sort());
    for (const rule of Object.values(NAME_RULES))
      expect(rule.source).to.match(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  for (const [kind, { ok, bad }] of Object.entries(CASES) as [NameKind, (typeof CASES)[NameKind]][]) {
    it(`${kind}: accepts names at the limits, refuses each broken rule with the problem`, () => {
      for (const name of ok) expect(nameProblem(kind, name), JSON.stringify(name)).to.equal(undefined);
      for (const [name, phrase] of bad)
        expect(nameProblem(kind, name), JSON.stringify(name)).to.contain(phrase);
    });
  }

  describe("in a definition", () => {
    it("derives no name the rules refuse from the example", () => {
      const p = parsePlatform(example());
      const refused = derivedNames(p).filter((n) => nameProblem(n.kind, n.name) !== undefined);
      expect(refused).to.deep.equal([]);
    });

    it("refuses an owner e-mail that is a valid address but cannot be a tag value, naming the field", () => {
      const input = example();
      input.datasets[0].owner.email = "o'brien@example.com";
      const issues = issuesOf(input);
      expect(issues.map((i) => i.path)).to.deep.equal(["datasets[0].owner.email"]);
      expect(issues[0].message).to.contain(
        'the value of tag owner-email, resource tag value "o\'brien@example.com"',
      );
      expect(issues[0].message).to.contain("Change this value");
    });

    it("refuses a column comment over Glue's 255 characters or with a line break", () => {
      const input = example();
      input.datasets[0].schema.columns[0].comment = "x".repeat(256);
      input.datasets[0].schema.columns[1].comment = "first line\nsecond line";
      const paths = issuesOf(input).map((i) => i.path);
      expect(paths).to.deep.equal([
        "datasets[0].schema.columns[0].comment",
        "datasets[0].schema.columns[1].comment",
      ]);
    });

    it("refuses a platform name whose buckets would take a reserved prefix", () => {
      const input = example();
      input.name = "xn--lake";
      const issues = issuesOf(input);
      const onName = issues.find((i) => i.path === "name");
      expect(onName?.message).to.contain("starts with the reserved prefix xn--");
      expect(onName?.message).to.contain("the lake's raw bucket");
    });

    it("refuses a DMS dataset whose identifiers would hold two consecutive hyphens (orders__eu)", () => {
      const input = example();
      input.datasets[1].name = "orders__eu";
      input.datasets[1].ingestion.dms.sourceTable = "orders";
      input.consumers.forEach((c: { read: { datasets: string[] } }) => {
        c.read.datasets = c.read.datasets.map((d) => (d === "orders" ? "orders__eu" : d));
      });
      const issues = issuesOf(input).filter((i) => i.path === "datasets[1].name");
      expect(issues, JSON.stringify(issuesOf(input))).to.have.length(1);
      expect(issues[0].message).to.contain(
        'DMS identifier (replication config, endpoints, subnet group) "acme-lake-orders--eu"',
      );
      expect(issues[0].message).to.contain("two consecutive hyphens");
    });

    it("reports every name one value breaks in one issue, at most three spelled out", () => {
      const input = example();
      input.consumers[0].team = "t".repeat(60);
      const issues = issuesOf(input);
      expect(issues.map((i) => i.path)).to.deep.equal(["consumers[0].team"]);
      expect(issues[0].message).to.contain("the team's analyst role, IAM role name");
      expect(issues[0].message).to.match(/and \d+ more/);
    });

    it("refuses two domains that only differ by - and _ (one Glue database), naming both fields", () => {
      const input = example();
      input.lake.lfTags.domain.push("sales_eu", "sales-eu");
      input.datasets[0].domain = "sales_eu";
      input.datasets[2].domain = "sales-eu";
      const issues = issuesOf(input);
      const collision = issues.find((i) => i.path === "datasets[2].domain" && i.message.includes("is also"));
      expect(collision, JSON.stringify(issues)).to.not.equal(undefined);
      expect(collision!.message).to.contain('Glue database name "sales_eu"');
      expect(collision!.message).to.contain("datasets[0].domain");
    });

    it("refuses two teams whose SPICE data set ids are equal (team ab-c with orders, team ab with c_orders)", () => {
      const input = example();
      input.datasets[3].name = "c_orders";
      input.consumers[0].team = "ab";
      input.consumers[0].read.datasets = ["c_orders"];
      input.consumers[0].analytics.quicksight = {
        datasets: [{ dataset: "c_orders", refresh: { interval: "DAILY" } }],
      };
      input.consumers[2].team = "ab-c";
      input.consumers[2].read.datasets = ["orders"];
      input.consumers[2].analytics.quicksight = {
        datasets: [{ dataset: "orders", refresh: { interval: "DAILY" } }],
      };
      input.consumers[2].account = input.consumers[0].account;
      const issues = issuesOf(input);
      const collision = issues.find((i) =>
        i.message.includes('QuickSight data set or data source id "ab-c-orders"'),
      );
      expect(collision, JSON.stringify(issues)).to.not.equal(undefined);
      expect(collision!.message).to.contain("consumers[0].analytics.quicksight.datasets[0].dataset");
    });

    it("refuses a DMS dataset whose endpoint identifier equals another's replication identifier", () => {
      const input = example();
      const orders = input.datasets[1];
      const copy = JSON.parse(JSON.stringify(orders));
      copy.name = "orders_source";
      copy.ingestion.dms.sourceTable = "orders";
      input.datasets.push(copy);
      const issues = issuesOf(input);
      const collision = issues.find((i) => i.message.includes('"acme-lake-orders-source", is also'));
      expect(collision, JSON.stringify(issues)).to.not.equal(undefined);
      expect(collision!.path).to.equal(`datasets[${input.datasets.length - 1}].name`);
    });
  });
});
