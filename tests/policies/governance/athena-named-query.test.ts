import { expect } from "chai";
import { athenaNamedQueryEnforceParquet as policy } from "../../../policies/governance/policies/athena-named-query-enforce-parquet";
import { PARQUET_FORMATS } from "../../../policies/governance/policies/glue-table-enforce-parquet";
import { runResourcePolicy } from "../helpers";

const TYPE = "aws:athena/namedQuery:NamedQuery";
const RAW = "acme-lake-111111111111-raw";
/** The lake's buckets and databases, as a pack config would give them. */
const LAKE = { lakeBuckets: [RAW], lakeDatabases: ["sales"] };
/** A value not known until the deployment, as `@pulumi/policy` hands it to policies in a preview. */
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The messages for a saved query `query` (in database `database`), with `config` (none: no pack config). */
async function run(query: string, config?: Record<string, unknown>, database = "sales"): Promise<string[]> {
  return (await runResourcePolicy(policy, {
    type: TYPE,
    props: { name: "orders-export", database, workgroup: "analysts", query },
    config,
  }))!;
}

/** The one message for `query`. */
async function only(query: string, config?: Record<string, unknown>, database?: string): Promise<string> {
  const found = await run(query, config, database);
  expect(found, query).to.have.length(1);
  return found[0];
}

describe("athena-named-query-enforce-parquet", () => {
  describe("CREATE TABLE AS (CTAS)", () => {
    it("passes a CTAS without format (Athena's default is PARQUET) or with format 'PARQUET' in any case", async () => {
      expect(await run("CREATE TABLE sales.daily AS SELECT * FROM sales.orders")).to.deep.equal([]);
      expect(
        await run(
          "CREATE TABLE sales.daily WITH (format = 'parquet', external_location = 's3://x/daily/') AS SELECT 1",
        ),
      ).to.deep.equal([]);
    });

    it("fails every other format, naming the query, the table, the property and the fix", async () => {
      for (const format of ["TEXTFILE", "JSON", "ORC", "AVRO", "ION"]) {
        const message = await only(
          `CREATE TABLE sales.orders_${format.toLowerCase()} WITH (format = '${format}', field_delimiter = ',') AS SELECT * FROM sales.orders`,
        );
        expect(message).to.contain(
          `Athena named query orders-export (query) creates table sales.orders_${format.toLowerCase()}`,
        );
        expect(message).to.contain(`its data is not Parquet: format = '${format}'`);
        expect(message).to.contain("set format = 'PARQUET'");
      }
    });

    it("judges an Iceberg CTAS's format too, and names its location", async () => {
      const message = await only(
        `CREATE TABLE sales.orders_ice WITH (table_type = 'ICEBERG', is_external = false, location = 's3://${RAW}/sales/ice/', format = 'AVRO') AS SELECT * FROM sales.orders`,
      );
      expect(message).to.contain(`at s3://${RAW}/sales/ice/`);
    });
  });

  describe("CREATE [EXTERNAL] TABLE", () => {
    const columns = "(order_id bigint, amount double) PARTITIONED BY (dt string)";

    it("passes STORED AS PARQUET, and the Parquet SerDe with the Parquet input and output formats", async () => {
      expect(
        await run(
          `CREATE EXTERNAL TABLE sales.orders ${columns} STORED AS PARQUET LOCATION 's3://${RAW}/sales/orders/'`,
        ),
      ).to.deep.equal([]);
      expect(
        await run(
          `CREATE EXTERNAL TABLE IF NOT EXISTS sales.orders ${columns} ROW FORMAT SERDE '${PARQUET_FORMATS.serializationLibrary}' ` +
            `STORED AS INPUTFORMAT '${PARQUET_FORMATS.inputFormat}' OUTPUTFORMAT '${PARQUET_FORMATS.outputFormat}' ` +
            `LOCATION 's3://${RAW}/sales/orders/' TBLPROPERTIES ('parquet.compression' = 'SNAPPY')`,
        ),
      ).to.deep.equal([]);
    });

    it("fails text tables: STORED AS TEXTFILE, ROW FORMAT DELIMITED, a CSV SerDe, and no STORED AS at all", async () => {
      const delimited = await only(
        `CREATE EXTERNAL TABLE sales.orders_csv ${columns} ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' ` +
          `STORED AS TEXTFILE LOCATION 's3://${RAW}/sales/orders_csv/'`,
      );
      expect(delimited).to.contain("creates external table sales.orders_csv");
      expect(delimited).to.contain(`at s3://${RAW}/sales/orders_csv/`);
      expect(delimited).to.contain("ROW FORMAT DELIMITED (delimited text), STORED AS TEXTFILE");
      expect(delimited).to.contain("Declare the table STORED AS PARQUET");
      expect(
        await only(
          `CREATE EXTERNAL TABLE sales.orders_csv ${columns} ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde' LOCATION 's3://${RAW}/x/'`,
        ),
      ).to.contain(
        "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde', no STORED AS (TEXTFILE, Athena's default)",
      );
      expect(await only(`CREATE EXTERNAL TABLE sales.t (a int) LOCATION 's3://${RAW}/t/'`)).to.contain(
        "no STORED AS (TEXTFILE, Athena's default)",
      );
      expect(
        await only(
          `CREATE EXTERNAL TABLE sales.t (a int) STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat' ` +
            `OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat' LOCATION 's3://${RAW}/t/'`,
        ),
      ).to.contain("STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'");
      expect(
        await only(`CREATE EXTERNAL TABLE sales.t (a int) STORED AS ORC LOCATION 's3://${RAW}/t/'`),
      ).to.contain("STORED AS ORC");
    });

    it("reads backtick-quoted names and double-quoted literals of Hive DDL", async () => {
      const message = await only(
        `CREATE EXTERNAL TABLE \`sales\`.\`_orders\` (a int) ROW FORMAT SERDE "org.openx.data.jsonserde.JsonSerDe" LOCATION "s3://${RAW}/j/"`,
      );
      expect(message).to.contain("creates external table sales._orders");
      expect(message).to.contain("ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'");
    });

    it("passes an Iceberg table (parquet by default) and fails one whose format is avro or orc", async () => {
      const iceberg = (props: string) =>
        `CREATE TABLE sales.events (id bigint) PARTITIONED BY (day(ts)) LOCATION 's3://${RAW}/sales/events/' TBLPROPERTIES (${props})`;
      expect(await run(iceberg("'table_type' = 'ICEBERG'"))).to.deep.equal([]);
      expect(await run(iceberg("'table_type' = 'ICEBERG', 'format' = 'parquet'"))).to.deep.equal([]);
      expect(await only(iceberg("'table_type'='ICEBERG', 'format'='avro'"))).to.contain(
        "creates table sales.events (Iceberg)",
      );
    });
  });

  describe("what counts", () => {
    it("ignores comments, string literals, views and queries", async () => {
      expect(
        await run(
          "-- CREATE TABLE sales.x WITH (format = 'JSON') AS SELECT 1\n" +
            "/* CREATE EXTERNAL TABLE sales.y (a int) STORED AS TEXTFILE */\n" +
            "SELECT 'CREATE TABLE sales.z WITH (format = ''CSV'') AS SELECT 1' AS text FROM sales.orders;\n" +
            "CREATE VIEW sales.v AS SELECT * FROM sales.orders",
        ),
      ).to.deep.equal([]);
    });

    it("judges every statement of a multi-statement query, naming which", async () => {
      const message = await only(
        "SELECT 1; CREATE TABLE sales.orders_json WITH (format = 'JSON') AS SELECT * FROM sales.orders",
      );
      expect(message).to.contain("(query, statement 2)");
    });

    it("without lakeBuckets or lakeDatabases, judges every table created and no UNLOAD", async () => {
      expect(
        await only("CREATE TABLE scratch.t WITH (format = 'JSON') AS SELECT 1", undefined, "scratch"),
      ).to.contain("creates table scratch.t");
      expect(
        await run("UNLOAD (SELECT * FROM sales.orders) TO 's3://anywhere/x/' WITH (format = 'JSON')"),
      ).to.deep.equal([]);
    });

    it("with the lake's buckets and databases, judges tables located or catalogued in the lake only", async () => {
      const ctas = (name: string, props: string) => `CREATE TABLE ${name} WITH (${props}) AS SELECT 1`;
      // In a lake bucket, whatever its database.
      expect(
        await only(
          ctas("scratch.t", `format = 'CSV', external_location = 's3://${RAW}/scratch/t/'`),
          LAKE,
          "scratch",
        ),
      ).to.contain(`in lake bucket ${RAW}`);
      // In a lake database (qualified, or the query's own database), wherever its data.
      expect(
        await only(ctas("sales.t", "format = 'CSV', external_location = 's3://team-bucket/t/'"), LAKE),
      ).to.contain("in lake database sales");
      expect(await only(ctas("t", "format = 'CSV'"), LAKE, "sales")).to.contain("in lake database sales");
      // Neither: a team's own table outside the lake.
      expect(
        await run(
          ctas("scratch.t", "format = 'CSV', external_location = 's3://team-bucket/t/'"),
          LAKE,
          "scratch",
        ),
      ).to.deep.equal([]);
      expect(await run(ctas("t", "format = 'CSV'"), LAKE, UNKNOWN_VALUE)).to.deep.equal([]);
    });

    it("fails an UNLOAD of non-Parquet files into a lake bucket only", async () => {
      const unload = (to: string, format: string) =>
        `UNLOAD (SELECT * FROM sales.orders WHERE dt = '2026-01-01') TO '${to}' WITH (format = '${format}', compression = 'gzip')`;
      const message = await only(unload(`s3://${RAW}/sales/export/`, "JSON"), LAKE);
      expect(message).to.contain(
        `unloads to s3://${RAW}/sales/export/ (UNLOAD WITH (format = 'JSON')) in lake bucket ${RAW}`,
      );
      expect(message).to.contain("Unload with format = 'PARQUET'");
      expect(await run(unload(`s3://${RAW}/sales/export/`, "PARQUET"), LAKE)).to.deep.equal([]);
      expect(await run(unload("s3://team-exports/orders/", "JSON"), LAKE)).to.deep.equal([]);
    });

    it("skips a query not known yet", async () => {
      expect(await run(UNKNOWN_VALUE)).to.deep.equal([]);
    });
  });
});
