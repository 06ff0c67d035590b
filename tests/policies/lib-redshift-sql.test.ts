import { expect } from "chai";
import {
  identifierName,
  sqlNameAt,
  sqlStatements,
  tableReferences,
  tokenizeSql,
  topLevelKeyword,
} from "@acme/lakehouse-policy-lib";

const kinds = (sql: string) => tokenizeSql(sql).map((t) => `${t.kind}:${t.value}`);
const tables = (sql: string) => tableReferences(tokenizeSql(sql)).map((n) => n.parts.join("."));

describe("redshift-sql scanner", () => {
  describe("tokenizeSql", () => {
    it("splits words (lowercased), punctuation, strings and delimited identifiers", () => {
      expect(kinds(`SELECT "Order Id", x FROM Sales.Orders WHERE s = 'a;b'`)).to.deep.equal([
        "word:select",
        "quoted:Order Id",
        "punct:,",
        "word:x",
        "word:from",
        "word:sales",
        "punct:.",
        "word:orders",
        "word:where",
        "word:s",
        "punct:=",
        "string:a;b",
      ]);
    });

    it("reads backtick-quoted identifiers (Athena's Hive DDL) only when asked", () => {
      const sql = "CREATE TABLE `sales`.`_my``t` (a int) LOCATION 's3://b/`x`/'";
      expect(
        tokenizeSql(sql, { backtickIdentifiers: true })
          .slice(2, 5)
          .map((t) => `${t.kind}:${t.value}`),
      ).to.deep.equal(["quoted:sales", "punct:.", "quoted:_my`t"]);
      expect(sqlNameAt(tokenizeSql(sql, { backtickIdentifiers: true }), 2)!.parts).to.deep.equal([
        "sales",
        "_my`t",
      ]);
      expect(tokenizeSql(sql, { backtickIdentifiers: true }).pop()!.value).to.equal("s3://b/`x`/");
      // Redshift has no backtick quoting: without the option a backtick is punctuation.
      expect(kinds("`sales`").slice(0, 2)).to.deep.equal(["punct:`", "word:sales"]);
      expect(sqlStatements("SELECT `a;b`", { backtickIdentifiers: true })).to.have.length(1);
    });

    it("drops -- and /* */ comments, but not inside strings or identifiers", () => {
      expect(kinds("a -- lake.orders ; drop\nb /* lake.orders;\n */ c")).to.deep.equal([
        "word:a",
        "word:b",
        "word:c",
      ]);
      expect(kinds(`'-- not a comment' "/* nor */"`)).to.deep.equal([
        "string:-- not a comment",
        "quoted:/* nor */",
      ]);
    });

    it("resolves '' and \\' inside strings and \"\" inside identifiers", () => {
      expect(kinds(`'it''s' 'it\\'s' "a""b"`)).to.deep.equal(["string:it's", "string:it's", 'quoted:a"b']);
    });

    it("reads $$ and $tag$ bodies as one string, and leaves $1 alone", () => {
      expect(kinds("AS $$ SELECT 1; $$ x $body$ a $$ b $body$ $1")).to.deep.equal([
        "word:as",
        "string: SELECT 1; ",
        "word:x",
        "string: a $$ b ",
        "punct:$",
        "word:1",
      ]);
    });

    it("keeps #temp names and $ inside words, and never throws on unterminated text", () => {
      expect(kinds("#stage a$1")).to.deep.equal(["word:#stage", "word:a$1"]);
      expect(kinds("'open")).to.deep.equal(["string:open"]);
      expect(kinds('"open')).to.deep.equal(["quoted:open"]);
      expect(kinds("a /* open")).to.deep.equal(["word:a"]);
      expect(kinds("$$ open")).to.deep.equal(["string: open"]);
    });
  });

  describe("sqlStatements", () => {
    it("splits at top-level ; only, dropping empty statements", () => {
      const st = sqlStatements(
        "select ';'; ; create procedure p() as $$ a; b; $$ language plpgsql;\n-- end;",
      );
      expect(st.map((s) => s.map((t) => t.text).join(" "))).to.deep.equal([
        "select ';'",
        "create procedure p ( ) as $$ a; b; $$ language plpgsql",
      ]);
    });
  });

  describe("names", () => {
    it("folds standard and delimited identifiers to lowercase, as Redshift does by default", () => {
      const [a, b] = tokenizeSql(`Lake "Lake"`);
      expect([identifierName(a), identifierName(b)]).to.deep.equal(["lake", "lake"]);
      expect(identifierName(tokenizeSql("'lake'")[0])).to.equal(undefined);
    });

    it("reads a dotted name and where it ends", () => {
      const tokens = tokenizeSql(`"Sales" . Orders.id + 1`);
      expect(sqlNameAt(tokens, 0)).to.deep.equal({ parts: ["sales", "orders", "id"], start: 0, end: 5 });
      expect(sqlNameAt(tokens, 5)).to.equal(undefined);
    });

    it("finds a keyword at parenthesis depth 0 only", () => {
      const tokens = tokenizeSql("create table t (a int, b varchar(3)) as select cast(x as int)");
      expect(topLevelKeyword(tokens, "as")).to.equal(13);
      expect(topLevelKeyword(tokens, "select")).to.equal(14);
      expect(topLevelKeyword(tokens, "int")).to.equal(-1);
    });
  });

  describe("tableReferences", () => {
    it("gives the tables of FROM, JOIN, FROM lists, subqueries and CTEs", () => {
      expect(
        tables(
          `with c as (select * from lake.a) select x.id from lake.b x join "Lake"."C" y on x.id = y.id, lake.d ` +
            `where x.id in (select id from lake.e) and exists (select 1 from c)`,
        ),
      ).to.deep.equal(["lake.a", "lake.b", "lake.c", "lake.d", "lake.e", "c"]);
    });

    it("does not take column references, aliases or function arguments for tables", () => {
      expect(
        tables("select sales.amount, sum(sales.tax) from public.sales where sales.id > 1 order by sales.id"),
      ).to.deep.equal(["public.sales"]);
    });

    it("gives three-part names whole", () => {
      expect(tables("select * from awsdatacatalog.sales.orders, dev.sales.items")).to.deep.equal([
        "awsdatacatalog.sales.orders",
        "dev.sales.items",
      ]);
    });

    it("ignores names in strings and comments", () => {
      expect(tables("select 'from lake.orders' from t -- from lake.items\n /* join lake.x */")).to.deep.equal(
        ["t"],
      );
    });
  });
});
