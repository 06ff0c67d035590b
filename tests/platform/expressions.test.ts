import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { CORE_SCHEMA, load } from "js-yaml";
import {
  AWS_REGIONS,
  dmsLiteral,
  expressionIssues,
  glueScheduleProblem,
  parseRowFilter,
  RowFilterSyntaxError,
  schedulerExpressionProblem,
} from "../../platform/expressions";
import { formatPath } from "../../platform/validate";
import { Platform, platformSchema } from "../../platform/schema";

const EXAMPLE = path.join(__dirname, "..", "..", "stacks", "platform.yaml");

/** The example definition, schema-parsed (defaults applied), to break in one place. */
function example(): Platform {
  return platformSchema.parse(load(fs.readFileSync(EXAMPLE, "utf8"), { schema: CORE_SCHEMA }));
}

/** The expression issues of `p`, with their paths formatted as crossCheck reports them. */
function issues(p: Platform): { path: string; message: string }[] {
  return expressionIssues(p).map((i) => ({ path: formatPath(i.path), message: i.message }));
}

/** The one issue of a definition whose controlling team (consumers[2]) filters orders by `expression`. */
function ordersFilter(expression: string): { path: string; message: string }[] {
  const p = example();
  p.consumers[2].rowFilters[0].expression = expression;
  return issues(p);
}

/** The issues of a filter on clickstream (dt partition, map and struct columns, user_id hidden) for product-insights. */
function clickstreamFilter(expression: string): { path: string; message: string }[] {
  const p = example();
  p.consumers[1].rowFilters = [{ dataset: "clickstream", expression }];
  return issues(p);
}

const AT = "consumers[2].rowFilters[0].expression";
const CLICK = "consumers[1].rowFilters[0].expression";

describe("definition expressions", () => {
  it("accepts the example definition", () => {
    expect(issues(example())).to.deep.equal([]);
  });

  describe("Lake Formation row filters", () => {
    it("accepts the operators LF documents, combined with AND, OR, NOT and parentheses", () => {
      for (const e of [
        "region = 'EU' AND amount >= 10",
        "(region = 'EU' OR region = 'NA') AND NOT status = 'cancelled'",
        "amount BETWEEN 1 AND 100 AND status NOT IN ('a', 'b')",
        "status LIKE '%open%' and order_id <> 5 and currency != 'USD'",
        "status IS NOT NULL OR region = 'it''s'",
        "\"region\" = 'EU'",
      ])
        expect(ordersFilter(e), e).to.deep.equal([]);
    });

    it("parses into a tree: NOT binds tighter than AND, AND tighter than OR", () => {
      expect(parseRowFilter("NOT a = 1 OR b = 'x' AND c IS NULL")).to.deep.equal({
        kind: "or",
        parts: [
          { kind: "not", inner: { kind: "cmp", column: "a", op: "=", value: { kind: "number", text: "1" } } },
          {
            kind: "and",
            parts: [
              { kind: "cmp", column: "b", op: "=", value: { kind: "string", text: "x" } },
              { kind: "null", column: "c", negated: false },
            ],
          },
        ],
      });
    });

    it("refuses a function", () => {
      expect(ordersFilter("upper(region) = 'EU'")).to.deep.equal([
        {
          path: AT,
          message:
            "uses the function upper(); Lake Formation allows no functions in a row filter: compare a column with a constant, e.g. region = 'EU'",
        },
      ]);
    });

    it("refuses a column compared with another column", () => {
      expect(ordersFilter("order_id = customer_id")).to.deep.equal([
        {
          path: AT,
          message:
            "compares column order_id with column customer_id; Lake Formation compares a column with a constant only, e.g. order_id = 'value'",
        },
      ]);
    });

    it("refuses a column the dataset does not have", () => {
      const [issue] = ordersFilter("country = 'DE'");
      expect(issue.path).to.equal(AT);
      expect(issue.message).to.match(
        /^"country" is not a column of orders \(order_id, customer_id, .*\); filter on one of them$/,
      );
    });

    it("refuses a column hidden from the team", () => {
      expect(ordersFilter("customer_email LIKE '%@acme.com'")).to.deep.equal([
        {
          path: AT,
          message:
            '"customer_email" is hidden from controlling (its classification is stricter than what the team reads); filter on a column the team can read',
        },
      ]);
    });

    it("refuses IS NULL on a partition column", () => {
      expect(clickstreamFilter("dt IS NOT NULL")).to.deep.equal([
        {
          path: CLICK,
          message:
            "\"dt\" is a partition column and Lake Formation refuses IS [NOT] NULL on partition columns; compare it with a value instead, e.g. dt = '...'",
        },
      ]);
    });

    it("refuses a map column, and accepts a struct field", () => {
      expect(clickstreamFilter("properties = 'x'")).to.deep.equal([
        {
          path: CLICK,
          message:
            '"properties" is map<string,string>; Lake Formation row filters support string, char, varchar, int, bigint, float, decimal, double, boolean and struct columns only: filter on another column',
        },
      ]);
      expect(clickstreamFilter("device.os = 'ios'")).to.deep.equal([]);
    });

    it("refuses a constant of the wrong type", () => {
      expect(ordersFilter("amount > '10'")).to.deep.equal([
        {
          path: AT,
          message:
            "compares \"amount\" (decimal(18,2)) with '10'; Lake Formation requires a constant of the column's type (remove the quotes)",
        },
      ]);
    });

    it("refuses an expression of 2048 characters or more", () => {
      const e = `region IN (${Array.from({ length: 400 }, (_, i) => `'r${i}'`).join(", ")})`;
      expect(e.length).to.be.at.least(2048);
      expect(ordersFilter(e)).to.deep.equal([
        {
          path: AT,
          message: `is ${e.length} characters; Lake Formation requires a row filter shorter than 2048 characters: shorten it`,
        },
      ]);
    });

    it("refuses a disjunction that is true for every value of a column", () => {
      const message =
        "has a disjunction true for every value of region (a comparison OR its complement), which hides no row; remove one side of the OR";
      for (const e of [
        "region = 'EU' OR region <> 'EU'",
        "region = 'EU' OR NOT region = 'EU'",
        "(region < 'M' OR region >= 'M' OR status = 'x') AND amount > 0",
      ])
        expect(ordersFilter(e), e).to.deep.equal([{ path: AT, message }]);
      expect(ordersFilter("region = 'EU' OR region <> 'NA'")).to.deep.equal([]);
    });

    it("refuses more than 10 filters on one dataset for one team", () => {
      const p = example();
      p.consumers[2].rowFilters = Array.from({ length: 11 }, (_, i) => ({
        dataset: "orders",
        expression: `order_id = ${i}`,
      }));
      expect(issues(p)).to.deep.equal([
        {
          path: "consumers[2].rowFilters",
          message:
            "11 row filters for orders; one Lake Formation grant takes at most 10 data cells filters: combine them into one expression",
        },
      ]);
    });

    it("refuses syntax errors with where and what was expected", () => {
      expect(ordersFilter("region = 'EU")).to.deep.equal([
        {
          path: AT,
          message:
            "the string starting at character 10 is not closed; end it with ' (write '' for a quote inside)",
        },
      ]);
      expect(ordersFilter("region = 'EU' AND")).to.deep.equal([
        { path: AT, message: "expected a column name but found the end of the expression" },
      ]);
      expect(ordersFilter("region ~ 'EU'")[0].message).to.match(/^"~" at character 8 is not part of/);
    });

    it("refuses nesting deeper than the cap without exhausting the stack", () => {
      const e = "(".repeat(5000) + "region = 'EU'" + ")".repeat(5000);
      expect(() => parseRowFilter(e)).to.throw(RowFilterSyntaxError, "more than 32 deep");
      expect(() => parseRowFilter("NOT ".repeat(100) + "region = 'EU'")).to.throw(
        RowFilterSyntaxError,
        "deep",
      );
    });
  });

  describe("schedules", () => {
    it("accepts Glue crawler cron expressions", () => {
      for (const s of [
        "cron(0 3 * * ? *)",
        "cron(0/5 * ? * MON-FRI *)",
        "cron(15 12 L * ? 2027)",
        "cron(0 0 ? JAN 2 *)",
      ])
        expect(glueScheduleProblem(s), s).to.equal(undefined);
    });

    it("refuses rate() for a Glue crawler", () => {
      const p = example();
      p.datasets[6].ingestion = { type: "crawler", schedule: "rate(1 day)" };
      expect(issues(p)).to.deep.equal([
        {
          path: "datasets[6].ingestion.schedule",
          message:
            '"rate(1 day)" is not a Glue schedule: Glue crawlers take cron() only (six fields, in UTC), e.g. cron(0 3 * * ? *)',
        },
      ]);
    });

    it("refuses a Glue cron finer than 5 minutes", () => {
      for (const minutes of ["*", "*/1", "0/4", "0-10"])
        expect(glueScheduleProblem(`cron(${minutes} * * * ? *)`), minutes).to.equal(
          `the minutes field "${minutes}" runs more often than every 5 minutes, and Glue's minimum precision is 5 minutes; use e.g. 0/5 or a fixed minute (Glue cron, in UTC)`,
        );
    });

    it("refuses # in a Glue day-of-week, and accepts it for the Scheduler", () => {
      expect(glueScheduleProblem("cron(0 3 ? * 2#1 *)")).to.equal(
        'Glue cron does not take # in day-of-week ("2#1"); use a value, range or L (Glue cron, in UTC)',
      );
      expect(schedulerExpressionProblem("cron(0 3 ? * 2#1 *)")).to.equal(undefined);
    });

    it("applies the ? rule: exactly one of day-of-month and day-of-week", () => {
      const message = (dom: string, dow: string) =>
        `exactly one of day-of-month ("${dom}") and day-of-week ("${dow}") must be ?: e.g. cron(0 6 * * ? *) or cron(0 6 ? * MON *)`;
      expect(schedulerExpressionProblem("cron(0 6 * * * *)")).to.equal(message("*", "*"));
      expect(schedulerExpressionProblem("cron(0 6 ? * ? *)")).to.equal(message("?", "?"));
    });

    it("checks each cron field's range and count", () => {
      expect(schedulerExpressionProblem("cron(60 6 * * ? *)")).to.equal(
        'the minutes field "60" is not valid: use *, a value 0-59, a range a-b, a list a,b or a step a/n',
      );
      expect(schedulerExpressionProblem("cron(0 24 * * ? *)")).to.match(
        /^the hours field "24" is not valid: use \*, a value 0-23/,
      );
      expect(schedulerExpressionProblem("cron(0 6 32 * ? *)")).to.match(/^the day-of-month field "32"/);
      expect(schedulerExpressionProblem("cron(0 6 * 13 ? *)")).to.match(
        /^the month field "13" is not valid: use \*, a value 1-12 or JAN-DEC/,
      );
      expect(schedulerExpressionProblem("cron(0 6 ? * 8 *)")).to.match(
        /^the day-of-week field "8" is not valid: use \*, a value 1-7 or SUN-SAT/,
      );
      expect(schedulerExpressionProblem("cron(0 6 * * ? 2200)")).to.match(
        /^the year field "2200" is not valid: use \*, a value 1970-2199/,
      );
      expect(schedulerExpressionProblem("cron(0 6 * * ?)")).to.equal(
        "cron() takes six fields (minutes hours day-of-month month day-of-week year), found 5: e.g. cron(0 6 * * ? *)",
      );
      expect(schedulerExpressionProblem("cron(0 6 ? jan-mar MON,WED *)")).to.equal(undefined);
    });

    it("accepts rate(1 day) and rate(5 minutes), and refuses a wrong number or unit", () => {
      expect(schedulerExpressionProblem("rate(1 day)")).to.equal(undefined);
      expect(schedulerExpressionProblem("rate(5 minutes)")).to.equal(undefined);
      expect(schedulerExpressionProblem("rate(1 days)")).to.equal(
        "write rate(1 day): the unit is singular for 1",
      );
      expect(schedulerExpressionProblem("rate(5 minute)")).to.equal(
        "write rate(5 minutes): the unit is plural for values above 1",
      );
      expect(schedulerExpressionProblem("rate(0 minutes)")).to.equal(
        '"rate(0 minutes)" is not a rate: write rate(<positive integer> <minute|minutes|hour|hours|day|days>), e.g. rate(1 day) or rate(5 minutes)',
      );
    });

    it("accepts at() with a real date and refuses an impossible one", () => {
      expect(schedulerExpressionProblem("at(2027-01-15T06:00:00)")).to.equal(undefined);
      expect(schedulerExpressionProblem("at(2027-02-30T06:00:00)")).to.equal(
        '"at(2027-02-30T06:00:00)" is not a one-time schedule: write at(yyyy-mm-ddThh:mm:ss) with a real date and time, e.g. at(2027-01-15T06:00:00)',
      );
    });

    it("reports the governance schedule at its path, at() passing the schema", () => {
      const input = load(fs.readFileSync(EXAMPLE, "utf8"), { schema: CORE_SCHEMA }) as {
        governance: { schedule: string };
      };
      input.governance.schedule = "rate(2 day)";
      expect(issues(platformSchema.parse(input))).to.deep.equal([
        { path: "governance.schedule", message: "write rate(2 days): the unit is plural for values above 1" },
      ]);
      input.governance.schedule = "at(2027-01-15T06:00:00)";
      expect(issues(platformSchema.parse(input))).to.deep.equal([]);
    });
  });

  it("refuses a QuickSight refresh time zone that is not an IANA zone", () => {
    const p = example();
    p.consumers[0].analytics.quicksight!.datasets[0].refresh.timezone = "Europe/Pariss";
    expect(issues(p)).to.deep.equal([
      {
        path: "consumers[0].analytics.quicksight.datasets[0].refresh.timezone",
        message:
          '"Europe/Pariss" is not an IANA time zone QuickSight knows; use one such as Europe/Paris, America/New_York or UTC',
      },
    ]);
    p.consumers[0].analytics.quicksight!.datasets[0].refresh.timezone = "UTC";
    expect(issues(p)).to.deep.equal([]);
  });

  describe("AWS regions", () => {
    it("refuses a region AWS does not have, suggesting those of the same area", () => {
      const p = example();
      p.accounts[1].region = "eu-west-9";
      const [issue] = issues(p);
      expect(issue).to.deep.equal({
        path: "accounts[1].region",
        message: `"eu-west-9" is not an AWS region; use one of ${AWS_REGIONS.filter((r) => r.startsWith("eu-")).join(", ")}`,
      });
    });

    it("lists exactly the regions of the installed AWS SDK's partitions data", () => {
      const file = path.join(
        path.dirname(require.resolve("@aws-sdk/core/package.json")),
        "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js",
      );
      const text = fs
        .readFileSync(file, "utf8")
        .replace(/^export const partitionsInfo = /, "")
        .replace(/;\s*$/, "");
      const data = JSON.parse(text) as { partitions: { regions: Record<string, unknown> }[] };
      const sdk = data.partitions
        .flatMap((p) => Object.keys(p.regions))
        .filter((r) => !r.endsWith("-global"))
        .sort();
      expect([...AWS_REGIONS].sort()).to.deep.equal(sdk);
    });
  });

  describe("DMS selection names", () => {
    it("refuses %, [ and ] in the source schema and table", () => {
      const p = example();
      const ing = p.datasets[1].ingestion;
      if (ing.type !== "dms") expect.fail("orders is a DMS dataset");
      ing.dms.sourceSchema = "sal%";
      ing.dms.sourceTable = "ord[e]rs";
      expect(issues(p)).to.deep.equal([
        {
          path: "datasets[1].ingestion.dms.sourceSchema",
          message:
            '"sal%" contains %, which DMS selection rules read as wildcards; the definition selects exactly one table and wildcards are not supported: write the schema name exactly',
        },
        {
          path: "datasets[1].ingestion.dms.sourceTable",
          message:
            '"ord[e]rs" contains [ and ], which DMS selection rules read as wildcards; the definition selects exactly one table and wildcards are not supported: write the table name exactly',
        },
      ]);
    });

    it("escapes a literal _ as [_] for a selection rule", () => {
      expect(dmsLiteral("order_lines_2")).to.equal("order[_]lines[_]2");
    });
  });

  describe("Secrets Manager ARNs", () => {
    const setArn = (p: Platform, arn: string) => {
      const ing = p.datasets[1].ingestion;
      if (ing.type !== "dms") expect.fail("orders is a DMS dataset");
      ing.dms.secretArn = arn;
    };

    it("refuses a wildcard", () => {
      const p = example();
      setArn(p, "arn:aws:secretsmanager:eu-west-1:333333333333:secret:erp-*");
      expect(issues(p)).to.deep.equal([
        {
          path: "datasets[1].ingestion.dms.secretArn",
          message:
            "contains a wildcard (* or ?); name one secret by its full ARN, e.g. arn:aws:secretsmanager:eu-west-1:333333333333:secret:db-creds-AbCdEf",
        },
      ]);
    });

    it("refuses a secret outside the producer's own account or region", () => {
      const message = (account: string, region: string) =>
        `is in account ${account}, region ${region}; the secret must be in the producer ops-producer's own account 333333333333 and region eu-west-1: arn:aws:secretsmanager:eu-west-1:333333333333:secret:...`;
      const p = example();
      setArn(p, "arn:aws:secretsmanager:eu-west-1:222222222222:secret:erp-AbCdEf");
      expect(issues(p)).to.deep.equal([
        { path: "datasets[1].ingestion.dms.secretArn", message: message("222222222222", "eu-west-1") },
      ]);
      setArn(p, "arn:aws:secretsmanager:eu-central-1:333333333333:secret:erp-AbCdEf");
      expect(issues(p)).to.deep.equal([
        { path: "datasets[1].ingestion.dms.secretArn", message: message("333333333333", "eu-central-1") },
      ]);
    });
  });
});
