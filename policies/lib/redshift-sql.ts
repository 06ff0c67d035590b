/**
 * A small scanner for the Redshift SQL a program runs (`aws.redshiftdata.Statement`'s `sql`): tokens
 * first, so that a comment or a string literal that merely mentions a table never looks like SQL, then
 * statements. It is not a parser: the policies read the few statement shapes they judge from the tokens.
 *
 * Lexical rules, per the Amazon Redshift Database Developer Guide:
 * - `--` comments run to the end of the line, `/* ... *\/` comments to the first `*\/` (not nested).
 * - String literals are `'...'`, a quote inside written `''` or `\'` (UNLOAD queries are often
 *   written with `\'`); dollar-quoted bodies are `$$...$$` or `$tag$...$tag$` (stored procedures).
 * - Identifiers are standard (`orders`, `_tmp$1`, `#staging`) or delimited (`"Orders"`, `""` for a
 *   quote inside). "ASCII letters in standard and delimited identifiers are case-insensitive and are
 *   folded to lowercase in the database" (https://docs.aws.amazon.com/redshift/latest/dg/r_names.html);
 *   only with `enable_case_sensitive_identifier` on do delimited ones keep their case
 *   (https://docs.aws.amazon.com/redshift/latest/dg/r_enable_case_sensitive_identifier.html), so
 *   {@link identifierName} folds both, as Redshift does by default.
 * - Athena's Hive DDL also delimits identifiers with backticks (`` `_mytable` ``,
 *   https://docs.aws.amazon.com/athena/latest/ug/create-table.html): {@link SqlOptions}
 *   `backtickIdentifiers` reads them as delimited identifiers (off for Redshift, which has none).
 */

/** What a token is: a word (keyword or standard identifier), a delimited identifier, a string, or punctuation. */
export type SqlTokenKind = "word" | "quoted" | "string" | "punct";

/** One token of Redshift SQL. */
export interface SqlToken {
  readonly kind: SqlTokenKind;
  /**
   * The token's meaning: a word in lowercase, a delimited identifier's or a string's content with its
   * escapes resolved (case kept), the punctuation character itself.
   */
  readonly value: string;
  /** The token as written. */
  readonly text: string;
}

function isWordStart(c: string): boolean {
  return /[A-Za-z_#]/.test(c) || c > "\x7f";
}

function isWordPart(c: string): boolean {
  return /[A-Za-z0-9_$]/.test(c) || c > "\x7f";
}

/** Dialect switches of {@link tokenizeSql}. */
export interface SqlOptions {
  /**
   * Backticks delimit identifiers (`` `_mytable` ``, a backtick inside written twice), as in Athena's
   * Hive DDL: they become "quoted" tokens. Off by default (Redshift has no backtick quoting).
   */
  readonly backtickIdentifiers?: boolean;
}

/**
 * The tokens of `sql`, comments and whitespace dropped. Never throws: an unterminated string, quoted
 * identifier or comment runs to the end of the text (Redshift would reject the statement).
 */
export function tokenizeSql(sql: string, options: SqlOptions = {}): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? n : end + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"' || (c === "`" && options.backtickIdentifiers === true)) {
      // '...' with '' or \' inside; "..." with "" inside; `...` with `` inside.
      let value = "";
      let j = i + 1;
      while (j < n) {
        if (c === "'" && sql[j] === "\\" && j + 1 < n) {
          value += sql[j + 1];
          j += 2;
        } else if (sql[j] === c && sql[j + 1] === c) {
          value += c;
          j += 2;
        } else if (sql[j] === c) {
          j++;
          break;
        } else {
          value += sql[j++];
        }
      }
      tokens.push({ kind: c === "'" ? "string" : "quoted", value, text: sql.slice(i, j) });
      i = j;
    } else if (c === "$" && dollarTag(sql, i) !== undefined) {
      const tag = dollarTag(sql, i)!;
      const start = i + tag.length;
      const end = sql.indexOf(tag, start);
      const stop = end < 0 ? n : end;
      const j = end < 0 ? n : end + tag.length;
      tokens.push({ kind: "string", value: sql.slice(start, stop), text: sql.slice(i, j) });
      i = j;
    } else if (isWordStart(c) || /[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && isWordPart(sql[j])) j++;
      const text = sql.slice(i, j);
      tokens.push({ kind: "word", value: text.toLowerCase(), text });
      i = j;
    } else {
      tokens.push({ kind: "punct", value: c, text: c });
      i++;
    }
  }
  return tokens;
}

/** The opening `$tag$` of a dollar-quoted body at `i` (`$$` included), `undefined` where there is none (`$1`). */
function dollarTag(sql: string, i: number): string | undefined {
  let j = i + 1;
  if (sql[j] !== "$") {
    if (!/[A-Za-z_]/.test(sql[j] ?? "")) return undefined;
    while (j < sql.length && /[A-Za-z0-9_]/.test(sql[j])) j++;
    if (sql[j] !== "$") return undefined;
  }
  return sql.slice(i, j + 1);
}

/** The statements of a token list: split at every `;` (strings and bodies are single tokens), empty ones dropped. */
export function splitSqlStatements(tokens: readonly SqlToken[]): SqlToken[][] {
  const statements: SqlToken[][] = [[]];
  for (const t of tokens) {
    if (t.kind === "punct" && t.value === ";") statements.push([]);
    else statements[statements.length - 1].push(t);
  }
  return statements.filter((s) => s.length > 0);
}

/** The statements of `sql` as token lists: {@link tokenizeSql}, then {@link splitSqlStatements}. */
export function sqlStatements(sql: string, options: SqlOptions = {}): SqlToken[][] {
  return splitSqlStatements(tokenizeSql(sql, options));
}

/** True when the token is the (case-insensitive) keyword `word`, never a delimited identifier. */
export function isKeyword(t: SqlToken | undefined, word: string): boolean {
  return t?.kind === "word" && t.value === word;
}

/** True when the token is the punctuation character `c`. */
export function isPunct(t: SqlToken | undefined, c: string): boolean {
  return t?.kind === "punct" && t.value === c;
}

/** An identifier's name as Redshift resolves it by default (folded to lowercase); `undefined` for other tokens. */
export function identifierName(t: SqlToken | undefined): string | undefined {
  if (t?.kind === "word" || t?.kind === "quoted") return t.value.toLowerCase();
  return undefined;
}

/** A dotted name (`schema.table`, `"Lake"."Orders"`, `db.schema.table`) in a token list. */
export interface SqlName {
  /** Its parts, each as {@link identifierName} resolves it. */
  readonly parts: string[];
  /** The index of its first token. */
  readonly start: number;
  /** The index just after its last token. */
  readonly end: number;
}

/** The dotted name that starts at `tokens[i]`, `undefined` when no identifier starts there. */
export function sqlNameAt(tokens: readonly SqlToken[], i: number): SqlName | undefined {
  const first = identifierName(tokens[i]);
  if (first === undefined) return undefined;
  const parts = [first];
  let j = i + 1;
  while (isPunct(tokens[j], ".") && identifierName(tokens[j + 1]) !== undefined) {
    parts.push(identifierName(tokens[j + 1])!);
    j += 2;
  }
  return { parts, start: i, end: j };
}

/** Keywords that end a FROM list (`FROM a, b WHERE ...`); a join's `ON`/`USING` does not (`FROM a JOIN b ON ..., c`). */
const FROM_LIST_END = new Set([
  "where",
  "group",
  "order",
  "having",
  "limit",
  "offset",
  "union",
  "intersect",
  "except",
  "minus",
  "qualify",
  "window",
  "into",
  "select",
  "values",
]);

/**
 * The tables a query reads: the names right after `FROM` or `JOIN`, and after each `,` of a FROM list,
 * at any depth (subqueries, CTEs, `IN (SELECT ...)`). A column reference (`o.amount`, `sales.orders.id`)
 * is never one, so an alias or a table that shares a schema's name is not taken for a table of it.
 * A derived table `FROM (SELECT ...) x` gives its inner FROM's names.
 */
export function tableReferences(tokens: readonly SqlToken[]): SqlName[] {
  const refs: SqlName[] = [];
  const inFromList: boolean[] = [false];
  let depth = 0;
  let expectTable = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isPunct(t, "(")) {
      inFromList[++depth] = false;
      expectTable = false;
    } else if (isPunct(t, ")")) {
      depth = Math.max(0, depth - 1);
      expectTable = false;
    } else if (isPunct(t, ",")) {
      expectTable = inFromList[depth];
    } else if (isKeyword(t, "from") || isKeyword(t, "join")) {
      inFromList[depth] = true;
      expectTable = true;
    } else if (t.kind === "word" && FROM_LIST_END.has(t.value)) {
      inFromList[depth] = false;
      expectTable = false;
    } else if (expectTable) {
      const name = sqlNameAt(tokens, i);
      if (name) {
        refs.push(name);
        i = name.end - 1;
      }
      expectTable = false;
    }
  }
  return refs;
}

/**
 * The index of the first keyword `word` at parenthesis depth 0 of `tokens`, from `from` on; -1 where
 * there is none (`AS` of `CREATE TABLE t (a int) AS SELECT`, not of a cast inside the column list).
 */
export function topLevelKeyword(tokens: readonly SqlToken[], word: string, from = 0): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i];
    if (isPunct(t, "(")) depth++;
    else if (isPunct(t, ")")) depth = Math.max(0, depth - 1);
    else if (depth === 0 && isKeyword(t, word)) return i;
  }
  return -1;
}

/** The index just after the parenthesised group opening at `tokens[i]` (its matching `)`, or the end). */
export function skipParenthesised(tokens: readonly SqlToken[], i: number): number {
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    if (isPunct(tokens[j], "(")) depth++;
    else if (isPunct(tokens[j], ")") && --depth === 0) return j + 1;
  }
  return tokens.length;
}
