import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { expect } from "chai";
import { runProgram } from "../../../tooling/mock-runtime/harness";
import { defaultMocks } from "../../../tooling/mock-runtime/mocks";
import { LoadedPack } from "../../../tooling/policy-eval/packs";
import { redshiftDisallowLakeCopies as policy } from "../../../policies/governance/policies/redshift-disallow-lake-copies";
import { policyProperties } from "../helpers";

const ROOT = path.join(__dirname, "..", "..", "..");
const TYPE = "aws:redshiftdata/statement:Statement";
const RAW = "acme-lake-111111111111-raw";
/** The lake's databases and their resource links, its account and buckets, as `npm run policy-config` gives them. */
const LAKE = {
  lakeDatabases: ["sales", "sales_shared"],
  lakeAccount: "111111111111",
  lakeBuckets: [RAW, "acme-lake-111111111111-curated"],
};
const SCHEMA = `CREATE EXTERNAL SCHEMA IF NOT EXISTS sales FROM DATA CATALOG DATABASE 'sales_shared' IAM_ROLE default`;

/** Runs the stack policy directly over statements `{ name: sql }`, with `config` as the CLI would reconcile it. */
function violations(
  statements: Record<string, string>,
  /** The policy's settings; `null` for none (no pack config). */
  config: Record<string, unknown> | null = LAKE,
): string[] {
  const properties = policyProperties(policy, config ?? undefined);
  const resources = Object.entries(statements).map(
    ([name, sql]) =>
      ({
        type: TYPE,
        name,
        urn: `urn:pulumi:test::p::${TYPE}::${name}`,
        props: { database: "lake", workgroupName: "team-spectrum", sql },
      }) as unknown as PolicyResource,
  );
  const messages: string[] = [];
  const args = {
    resources,
    stackTags: new Map(),
    getConfig: () => properties,
    notApplicable: () => {
      throw new Error("not applicable");
    },
  } as unknown as StackValidationArgs;
  // The policy is synchronous: its messages are all in once it returns.
  void policy.validateStack!(args, (message?: string) => messages.push(message ?? ""));
  return messages;
}

/** The one violation of `sql` run after the lake schema (in its own statement resource). */
function only(sql: string): string {
  const found = violations({ schema: SCHEMA, copy: sql });
  expect(found, sql).to.have.length(1);
  return found[0];
}

describe("redshift-disallow-lake-copies", function () {
  this.timeout(60_000);

  describe("copies of lake tables into Redshift", () => {
    it("fails CREATE TABLE AS SELECT, naming the statement, target, lake table and fix", () => {
      const message = only("CREATE TABLE analytics.orders_copy AS SELECT * FROM sales.orders");
      expect(message).to.contain("Statement copy (sql) copies lake table sales.orders");
      expect(message).to.contain("external schema over Glue database sales_shared");
      expect(message).to.contain("into analytics.orders_copy (CREATE TABLE AS)");
      expect(message).to.contain(
        "Query the external schema in place (a view WITH NO SCHEMA BINDING stores no rows)",
      );
      expect(message).to.contain("register the result as a dataset produced by a producer account");
    });

    it("fails every CTAS shape: AS (...), TEMP, column list and table attributes, IF NOT EXISTS, #temp", () => {
      for (const sql of [
        "create table t as (select id from sales.orders)",
        "CREATE TEMP TABLE t (id) DISTKEY(id) SORTKEY(id) AS SELECT id FROM sales.orders o JOIN public.x ON o.id = x.id",
        "CREATE TABLE IF NOT EXISTS t BACKUP NO AS WITH c AS (SELECT * FROM sales.orders) SELECT * FROM c",
        "create table #stage as select * from public.a, sales.orders",
        "CREATE EXTERNAL TABLE scratch.t STORED AS PARQUET LOCATION 's3://team/t/' AS SELECT * FROM sales.orders",
      ])
        expect(only(sql), sql).to.contain("copies lake table sales.orders");
    });

    it("fails SELECT INTO, INSERT INTO ... SELECT and ( SELECT ...), and a materialized view", () => {
      expect(only("SELECT * INTO TEMP TABLE t FROM sales.orders")).to.contain("into t (SELECT INTO)");
      expect(only("with c as (select * from sales.orders) select * into t from c")).to.contain(
        "into t (SELECT INTO)",
      );
      expect(only("INSERT INTO analytics.o SELECT * FROM sales.orders")).to.contain(
        "into analytics.o (INSERT INTO ... SELECT)",
      );
      expect(only("INSERT INTO analytics.o (id, amount) (SELECT id, amount FROM sales.orders)")).to.contain(
        "into analytics.o (INSERT INTO",
      );
      expect(only("insert into o with c as (select * from sales.orders) select * from c")).to.contain(
        "into o (INSERT",
      );
      expect(
        only("CREATE MATERIALIZED VIEW mv AUTO REFRESH YES AS SELECT count(*) FROM sales.orders"),
      ).to.contain("into mv (CREATE MATERIALIZED VIEW)");
    });

    it("matches quoted and mixed-case identifiers as Redshift folds them", () => {
      const schema = `create external schema "Sales_Lake" from data catalog database 'SALES' iam_role default`;
      for (const read of [`SALES_LAKE."Orders"`, `"sales_lake".orders`, `Sales_Lake . ORDERS`])
        expect(violations({ schema, copy: `create table t as select * from ${read}` }), read).to.deep.equal([
          violations({ schema, copy: "create table t as select * from sales_lake.orders" })[0],
        ]);
    });

    it("fails a read through the auto-mounted awsdatacatalog database, without any external schema", () => {
      const message = violations({ copy: "CREATE TABLE t AS SELECT * FROM awsdatacatalog.sales.orders" })[0];
      expect(message).to.contain(
        "copies lake table awsdatacatalog.sales.orders (the auto-mounted Glue Data Catalog)",
      );
      expect(
        violations({ copy: "CREATE TABLE t AS SELECT * FROM awsdatacatalog.team_own.orders" }),
      ).to.deep.equal([]);
    });

    it("fails a copy inside a stored procedure's body", () => {
      const message = only(
        "CREATE OR REPLACE PROCEDURE refresh() AS $$ DECLARE n int; BEGIN SELECT INTO n count(*) FROM sales.orders; " +
          "CREATE TABLE snap AS SELECT * FROM sales.orders; END; $$ LANGUAGE plpgsql",
      );
      expect(message).to.contain("Statement copy in procedure refresh (sql) copies lake table sales.orders");
      expect(message).to.contain("into snap (CREATE TABLE AS)");
    });

    it("judges every statement of one sql, with the schema created in the same sql", () => {
      const found = violations({
        all:
          `SELECT 1; ${SCHEMA}; GRANT USAGE ON SCHEMA sales TO ROLE team_bi;\n` +
          "CREATE TABLE a AS SELECT * FROM sales.orders; CREATE TABLE b AS SELECT * FROM sales.items;",
      });
      expect(found.map((m) => m.match(/into (\S+)/)![1])).to.deep.equal(["a", "b"]);
    });

    it("counts a schema over any database of the lake's catalog (CATALOG_ID the lake account)", () => {
      const schema = `create external schema hr from data catalog database 'hr' catalog_id '111111111111' iam_role 'SESSION'`;
      expect(violations({ schema, copy: "create table t as select * from hr.people" })).to.have.length(1);
    });
  });

  describe("copies through S3", () => {
    it("fails COPY from a lake bucket, naming the object and bucket", () => {
      expect(
        only(`COPY analytics.o FROM 's3://${RAW}/sales/orders/' IAM_ROLE default FORMAT AS PARQUET`),
      ).to.contain(`loads s3://${RAW}/sales/orders/, in lake bucket ${RAW}, into table analytics.o (COPY)`);
    });

    it("passes COPY from a bucket that is not the lake's", () => {
      expect(violations({ copy: "COPY t FROM 's3://team-landing/in/' IAM_ROLE default CSV" })).to.deep.equal(
        [],
      );
    });

    it("fails UNLOAD of a lake table to another bucket, the query's quotes written '' or \\'", () => {
      for (const sql of [
        "UNLOAD ('select * from sales.orders where region = ''eu''') TO 's3://team-exports/o_' IAM_ROLE default",
        "UNLOAD ('select * from sales.orders where region = \\'eu\\'') TO 's3://team-exports/o_' IAM_ROLE default",
      ])
        expect(only(sql), sql).to.contain(
          "unloads lake table sales.orders (external schema over Glue database sales_shared) to s3://team-exports/o_",
        );
    });

    it("passes UNLOAD of a team's own table", () => {
      expect(
        violations({
          schema: SCHEMA,
          copy: "UNLOAD ('select * from public.report') TO 's3://team-exports/r_' IAM_ROLE default",
        }),
      ).to.deep.equal([]);
    });
  });

  describe("what is fine", () => {
    it("passes queries, late-binding views, the external schema itself and grants", () => {
      expect(
        violations({
          schema: SCHEMA,
          grant: "GRANT USAGE ON SCHEMA sales TO ROLE team_bi",
          view: "CREATE OR REPLACE VIEW reports.orders AS SELECT * FROM sales.orders WITH NO SCHEMA BINDING",
          query: "SELECT region, count(*) FROM sales.orders GROUP BY region",
          values: "INSERT INTO audit.log VALUES ('read sales.orders')",
        }),
      ).to.deep.equal([]);
    });

    it("passes copies whose lake table is only mentioned in a comment or a string", () => {
      expect(
        violations({
          schema: SCHEMA,
          copy:
            "-- CREATE TABLE t AS SELECT * FROM sales.orders;\n" +
            "CREATE TABLE t AS SELECT 'from sales.orders' AS note /* , sales.items */ FROM public.notes",
        }),
      ).to.deep.equal([]);
    });

    it("passes a copy of a team table named like the lake schema (a column reference is not a table)", () => {
      expect(
        violations({
          schema: SCHEMA,
          copy: "CREATE TABLE t AS SELECT sales.amount FROM public.sales WHERE sales.id > 0",
        }),
      ).to.deep.equal([]);
    });

    it("passes copies from external schemas over other databases and other sources, with config", () => {
      expect(
        violations({
          own: "CREATE EXTERNAL SCHEMA scratch FROM DATA CATALOG DATABASE 'team_scratch' IAM_ROLE default",
          pg: "CREATE EXTERNAL SCHEMA app FROM POSTGRES DATABASE 'app' URI 'db.internal' IAM_ROLE default SECRET_ARN 'arn'",
          copy: "CREATE TABLE a AS SELECT * FROM scratch.t; CREATE TABLE b AS SELECT * FROM app.users",
        }),
      ).to.deep.equal([]);
    });
  });

  describe("without config", () => {
    it("counts every Data Catalog external schema as the lake's, and any bucket as outside it", () => {
      const schema =
        "CREATE EXTERNAL SCHEMA scratch FROM DATA CATALOG DATABASE 'team_scratch' IAM_ROLE default";
      expect(
        violations(
          {
            schema,
            ctas: "CREATE TABLE a AS SELECT * FROM scratch.t",
            unload: "UNLOAD ('select * from scratch.t') TO 's3://anywhere/x' IAM_ROLE default",
            // No lake buckets configured: a COPY is not judged.
            copy: "COPY t FROM 's3://anywhere/x' IAM_ROLE default",
          },
          null,
        ),
      ).to.have.length(2);
    });

    it("still passes a schema over another source", () => {
      const pg =
        "CREATE EXTERNAL SCHEMA app FROM POSTGRES DATABASE 'app' URI 'h' IAM_ROLE default SECRET_ARN 'arn'";
      expect(violations({ pg, copy: "CREATE TABLE b AS SELECT * FROM app.users" }, null)).to.deep.equal([]);
    });
  });

  describe("in the pack, through the engine", () => {
    async function evaluate(program: () => void, preview: boolean) {
      const { resources } = await runProgram(program, {
        preview,
        mocks: (ctx) =>
          preview
            ? { newResource: (args) => ({ id: undefined, state: args.inputs }), call: defaultMocks(ctx).call }
            : defaultMocks(ctx),
      });
      const pack = await LoadedPack.load(path.join(ROOT, "policies", "governance"), (name) =>
        name === "lakehouse-governance" ? { [policy.name]: LAKE } : undefined,
      );
      try {
        return (await pack.evaluate(resources)).filter((v) => v.policy === policy.name);
      } finally {
        await pack.close();
      }
    }

    const statement = (name: string, sql: pulumi.Input<string>, provider: aws.Provider) =>
      new aws.redshiftdata.Statement(
        name,
        { workgroupName: "team-spectrum", database: "lake", sql },
        { provider },
      );

    it("reports a CTAS on its statement resource, mandatory", async () => {
      const found = await evaluate(() => {
        const provider = new aws.Provider("team", {
          region: "eu-west-1",
          allowedAccountIds: ["222222222222"],
        });
        statement("sales-schema", SCHEMA, provider);
        statement("orders-copy", "CREATE TABLE o AS SELECT * FROM sales.orders", provider);
      }, false);
      expect(found.map((v) => [v.level, v.urn?.split("::").pop()])).to.deep.equal([
        ["mandatory", "orders-copy"],
      ]);
    });

    it("skips a statement whose sql is not known yet (a preview), and still judges the known ones", async () => {
      const found = await evaluate(() => {
        const provider = new aws.Provider("team", {
          region: "eu-west-1",
          allowedAccountIds: ["222222222222"],
        });
        const bucket = new aws.s3.BucketV2("exports", {}, { provider });
        statement("sales-schema", SCHEMA, provider);
        statement(
          "unload",
          pulumi.interpolate`UNLOAD ('select * from sales.orders') TO 's3://${bucket.arn}/o_' IAM_ROLE default`,
          provider,
        );
        statement("orders-copy", "CREATE TABLE o AS SELECT * FROM sales.orders", provider);
      }, true);
      expect(found.map((v) => v.urn?.split("::").pop())).to.deep.equal(["orders-copy"]);
    });
  });
});
