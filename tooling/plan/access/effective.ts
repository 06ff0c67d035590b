/**
 * Effective access from the planned resources (CONTRACTS §3 `--format access`): who reads which lake
 * table, which columns and rows, and how — evaluated the way Lake Formation evaluates the grants (the
 * rules, with AWS's words, are in platform/access.ts), from what the stacks of one plan declare:
 * LF-tag expression grants against the LF-tags planned on databases, tables and columns (a column's own
 * value over its table's, a table's over its database's), grants by name (with excluded columns), data
 * cells filters (columns and row expression), and resource links with their DESCRIBE grants in the
 * consumers' catalogs. Several grants on one table add up (`combineAccess`).
 *
 * It also lists who reaches lake data outside Lake Formation (`bypass`): roles whose IAM policies — and,
 * for a role of another account, the lake bucket's policy — allow `s3:GetObject` on a dataset's data,
 * `IAMAllowedPrincipals` in default or explicit permissions, and locations registered in hybrid access
 * mode. A grant to a whole account is an entry marked `delegated`: its data lake admins re-grant it.
 *
 * Nothing here reads the definition's intent: that is `modelAccess`; tooling/plan/access/check.ts
 * compares the two.
 */
import {
  accessKey,
  AccessContribution,
  combineAccess,
  databaseName,
  lakeAccount,
  lakeDataBuckets,
  principalByArn,
  tableLayout,
  tableName,
  viaFilter,
  viaLink,
  viaNamed,
  viaTags,
} from "../../../platform";
import type { Platform, PrincipalKind, ReadAccess } from "../../../platform";
import type { StackReport } from "../engine";
import { Inputs, list, obj, str, strings } from "../render/diagram/inputs";

export const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
export const LF_TAGS = "aws:lakeformation/resourceLfTags:ResourceLfTags";
export const DATA_CELLS_FILTER = "aws:lakeformation/dataCellsFilter:DataCellsFilter";
export const TABLE = "aws:glue/catalogTable:CatalogTable";
export const DATABASE = "aws:glue/catalogDatabase:CatalogDatabase";
export const SETTINGS = "aws:lakeformation/dataLakeSettings:DataLakeSettings";
export const LOCATION = "aws:lakeformation/resource:Resource";
export const ROLE = "aws:iam/role:Role";
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const POLICY = "aws:iam/policy:Policy";
export const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
export const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/** Lake Formation's name for the virtual group of every principal IAM lets in. */
export const IAM_ALLOWED_PRINCIPALS = "IAM_ALLOWED_PRINCIPALS";

/** A way to lake data that Lake Formation does not judge. */
export interface BypassReader {
  /** The role ARN; `IAM_ALLOWED_PRINCIPALS`; `*` (anyone a bucket policy lets in). */
  readonly principal: string;
  readonly team: string | null;
  readonly account: string | null;
  /**
   * `s3-read`: IAM (and the bucket policy) allow `s3:GetObject` on the data; `iam-allowed-principals`:
   * the `IAMAllowedPrincipals` group holds permissions, so IAM alone decides; `hybrid-access`: a location
   * registered in hybrid access mode, where principals not opted in read with IAM permissions alone.
   */
  readonly kind: "s3-read" | "iam-allowed-principals" | "hybrid-access";
  /** The datasets it reaches, sorted. */
  readonly datasets: string[];
  /** The planned resources that allow it (`<stack>/<resource name>`), sorted. */
  readonly via: string[];
}

/** The effective access of one plan. */
export interface EffectiveAccess {
  /** One entry per principal and lake table. */
  readonly grants: ReadAccess[];
  /** Readers outside Lake Formation. */
  readonly bypass: BypassReader[];
  /** The URNs of the planned grants behind each entry (`accessKey`): where a finding points. */
  readonly sources: ReadonlyMap<string, string[]>;
}

interface TableInfo {
  readonly database: string;
  readonly name: string;
  readonly columns: string[];
  readonly dataset: string | null;
}

/** A stack and the account its resources default their catalog to. */
function catalogOf(stack: StackReport, inputs: Inputs | undefined, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = inputs ? str(inputs[k]) : undefined;
    if (v) return v;
  }
  return stack.account;
}

/** Patterns compiled so far, by flag and glob: the same few globs are tested against every object. */
const compiled = new Map<string, RegExp>();

/** A shell-style pattern of an IAM policy (`*`, `?`) as a case-(in)sensitive regular expression. */
function pattern(glob: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? "i" : "s"}${glob}`;
  let re = compiled.get(key);
  if (re === undefined) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, caseInsensitive ? "i" : "");
    compiled.set(key, re);
  }
  return re;
}

/**
 * A policy resource as a caller sees it: `${aws:PrincipalAccount}` and `${aws:PrincipalTag/<key>}` filled
 * in from the caller's account and tags. A tag the caller does not carry makes the resource match
 * nothing (AWS: a variable whose key is absent does not match); where the account or tags are not
 * known (a role of an account not planned), the variable is read as `*`, the cautious reading.
 */
export function withCaller(
  resource: string,
  account: string | undefined,
  tags: Readonly<Record<string, string>> | undefined,
): string[] {
  let absent = false;
  const filled = resource.replace(
    /\$\{aws:(PrincipalAccount|PrincipalTag\/([^}]+))\}/g,
    (_, v: string, key?: string) => {
      if (v === "PrincipalAccount") return account ?? "*";
      if (tags === undefined) return "*";
      const value = tags[key!];
      if (value === undefined) absent = true;
      return value ?? "";
    },
  );
  return absent ? [] : [filled];
}

/** The policy document of an input (a JSON string or an object), or undefined. */
function documentOf(value: unknown): Inputs | undefined {
  if (typeof value === "string") {
    try {
      return obj(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return obj(value);
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The resources (patterns) an Allow statement of `doc` lets `s3:GetObject` on. */
function getObjectResources(doc: Inputs | undefined): { resources: string[]; principals: unknown[] }[] {
  const out: { resources: string[]; principals: unknown[] }[] = [];
  for (const st of asList(doc?.Statement).map(obj)) {
    if (!st || st.Effect !== "Allow") continue;
    const actions = asList(st.Action).filter((a): a is string => typeof a === "string");
    const notActions = asList(st.NotAction).filter((a): a is string => typeof a === "string");
    const allows =
      actions.some((a) => pattern(a, true).test("s3:GetObject")) ||
      (st.NotAction !== undefined && !notActions.some((a) => pattern(a, true).test("s3:GetObject")));
    if (!allows) continue;
    // NotResource: everything but some resources — counted as everything (the cautious reading).
    const resources =
      st.NotResource !== undefined
        ? ["*"]
        : asList(st.Resource).filter((r): r is string => typeof r === "string");
    out.push({ resources, principals: asList(obj(st.Principal)?.AWS ?? st.Principal) });
  }
  return out;
}

/** The effective access the planned `stacks` declare, judged against the lake of `p`. */
export function effectiveAccess(p: Platform, stacks: readonly StackReport[]): EffectiveAccess {
  const lake = lakeAccount(p).id;
  const who = principalByArn(p);
  const datasetOf = new Map(p.datasets.map((d) => [`${databaseName(d.domain)}.${tableName(d)}`, d.name]));
  const accountName = new Map(p.accounts.map((a) => [a.id, a.name]));
  const consumers = new Map(p.consumers.map((c) => [c.team, c]));

  // ── The lake catalog: tables, their columns and LF-tags; data cells filters ─────────────────────────
  const tables = new Map<string, TableInfo>();
  const dbTags = new Map<string, Record<string, string>>();
  const tableTags = new Map<string, Record<string, string>>();
  const columnTags = new Map<string, Record<string, string>>();
  const filters = new Map<string, { columns: (all: string[]) => string[]; rowFilter: string | null }>();
  const tag = (into: Map<string, Record<string, string>>, key: string, pairs: Inputs[]) => {
    const tags = into.get(key) ?? {};
    for (const t of pairs) if (str(t.key) && typeof t.value === "string") tags[String(t.key)] = t.value;
    into.set(key, tags);
  };
  for (const stack of stacks) {
    for (const r of stack.resources) {
      if (r.type === TABLE && catalogOf(stack, r.inputs, "catalogId") === lake) {
        const database = str(r.inputs.databaseName);
        const name = str(r.inputs.name) ?? r.name;
        if (!database) continue;
        const sd = obj(r.inputs.storageDescriptor);
        const columns = [...list(sd?.columns), ...list(r.inputs.partitionKeys)]
          .map((c) => str(c.name))
          .filter((c): c is string => c !== undefined);
        const dataset =
          datasetOf.get(`${database}.${name}`) ?? str(obj(r.inputs.parameters)?.dataset) ?? null;
        tables.set(`${database}.${name}`, { database, name, columns, dataset });
      } else if (r.type === LF_TAGS && catalogOf(stack, r.inputs, "catalogId") === lake) {
        const pairs = list(r.inputs.lfTags);
        const db = obj(r.inputs.database);
        const table = obj(r.inputs.table);
        const columns = obj(r.inputs.tableWithColumns);
        if (db && str(db.name)) tag(dbTags, String(db.name), pairs);
        else if (table && str(table.databaseName) && str(table.name))
          tag(tableTags, `${String(table.databaseName)}.${String(table.name)}`, pairs);
        else if (columns && str(columns.databaseName) && str(columns.name))
          for (const c of strings(columns.columnNames))
            tag(columnTags, `${String(columns.databaseName)}.${String(columns.name)}.${c}`, pairs);
      } else if (r.type === DATA_CELLS_FILTER) {
        const data = obj(r.inputs.tableData);
        if (!data || catalogOf(stack, data, "tableCatalogId") !== lake) continue;
        const row = obj(data.rowFilter);
        const expression = row ? str(row.filterExpression) : undefined;
        const named = strings(data.columnNames);
        const excluded = strings(obj(data.columnWildcard)?.excludedColumnNames);
        filters.set(`${String(data.databaseName)}.${String(data.tableName)}.${String(data.name)}`, {
          columns: (all) =>
            named.length > 0
              ? all.filter((c) => named.includes(c))
              : all.filter((c) => !excluded.includes(c)),
          rowFilter: expression ?? null,
        });
      }
    }
  }
  // Each table's columns with their effective LF-tags (a column's own, else its table's, else its
  // database's), computed once: every tag grant is judged against them.
  const tagged = new Map<TableInfo, { column: string; tags: Record<string, string> }[]>();
  const columnsTagged = (t: TableInfo) => {
    let found = tagged.get(t);
    if (!found) {
      const inherited = { ...dbTags.get(t.database), ...tableTags.get(`${t.database}.${t.name}`) };
      found = t.columns.map((column) => ({
        column,
        tags: { ...inherited, ...columnTags.get(`${t.database}.${t.name}.${column}`) },
      }));
      tagged.set(t, found);
    }
    return found;
  };
  const byDatabase = new Map<string, TableInfo[]>();
  for (const t of tables.values()) byDatabase.set(t.database, [...(byDatabase.get(t.database) ?? []), t]);

  // ── Grants in the lake catalog, and DESCRIBE on resource links in the consumers' ────────────────────
  const parts = new Map<
    string,
    { table: TableInfo; principal: string; parts: AccessContribution[]; urns: string[] }
  >();
  const bypass: BypassReader[] = [];
  const contribute = (principal: string, t: TableInfo, part: AccessContribution, urn: string) => {
    const key = accessKey(principal, t.database, t.name);
    const entry = parts.get(key) ?? { table: t, principal, parts: [], urns: [] };
    entry.parts.push(part);
    if (!entry.urns.includes(urn)) entry.urns.push(urn);
    parts.set(key, entry);
  };
  // Per account, the links it holds to a lake database, and who may DESCRIBE each.
  const links = new Map<string, { name: string; database: string }[]>();
  const linkReaders = new Map<string, Set<string>>();
  const iamAllowed = new Map<string, Set<string>>();
  for (const stack of stacks) {
    for (const r of stack.resources) {
      if (r.type !== DATABASE) continue;
      const target = obj(r.inputs.targetDatabase);
      const account = catalogOf(stack, r.inputs, "catalogId");
      if (!target || !account || str(target.catalogId) !== lake || !str(target.databaseName)) continue;
      links.set(account, [
        ...(links.get(account) ?? []),
        { name: str(r.inputs.name) ?? r.name, database: String(target.databaseName) },
      ]);
    }
  }
  for (const stack of stacks) {
    for (const r of stack.resources) {
      if (r.type === DATABASE && catalogOf(stack, r.inputs, "catalogId") === lake)
        for (const d of list(r.inputs.createTableDefaultPermissions))
          if (str(d.principal) === IAM_ALLOWED_PRINCIPALS) {
            const database = str(r.inputs.name) ?? r.name;
            iamAllowed.set(database, (iamAllowed.get(database) ?? new Set()).add(`${stack.stack}/${r.name}`));
          }
      if (r.type !== PERMISSIONS) continue;
      const principal = str(r.inputs.principal);
      if (!principal) continue;
      const catalog = catalogOf(stack, r.inputs, "catalogId");
      const permissions = [
        ...strings(r.inputs.permissions),
        ...strings(r.inputs.permissionsWithGrantOptions),
      ];
      const db = obj(r.inputs.database);
      if (db && catalog !== lake) {
        // DESCRIBE (or ALL) on a resource link of the principal's own account.
        if (permissions.includes("DESCRIBE") || permissions.includes("ALL")) {
          const at = catalogOf(stack, db, "catalogId");
          linkReaders.set(
            `${at}/${String(db.name)}`,
            (linkReaders.get(`${at}/${String(db.name)}`) ?? new Set()).add(principal),
          );
        }
        continue;
      }
      if (catalog !== lake) continue;
      const grantTables = (database: string, name: string | undefined): TableInfo[] =>
        [...tables.values()].filter(
          (t) => t.database === database && (name === undefined || t.name === name),
        );
      const onTables: { tables: TableInfo[]; part: (t: TableInfo) => AccessContribution | undefined }[] = [];
      const table = obj(r.inputs.table);
      const withColumns = obj(r.inputs.tableWithColumns);
      const cells = obj(r.inputs.dataCellsFilter);
      const policy = obj(r.inputs.lfTagPolicy);
      if (table && str(table.databaseName)) {
        const name = table.wildcard === true ? undefined : str(table.name);
        onTables.push({
          tables: grantTables(String(table.databaseName), name),
          part: (t) => ({
            columns: t.columns,
            allRows: true,
            permissions,
            via: viaNamed(t.database, name ?? "*"),
          }),
        });
      } else if (withColumns && str(withColumns.databaseName) && str(withColumns.name)) {
        const named = strings(withColumns.columnNames);
        const excluded = strings(withColumns.excludedColumnNames);
        onTables.push({
          tables: grantTables(String(withColumns.databaseName), String(withColumns.name)),
          part: (t) => ({
            columns:
              named.length > 0
                ? t.columns.filter((c) => named.includes(c))
                : t.columns.filter((c) => !excluded.includes(c)),
            allRows: true,
            permissions,
            via: viaNamed(t.database, t.name),
          }),
        });
      } else if (cells && str(cells.databaseName) && str(cells.tableName) && str(cells.name)) {
        const filter = filters.get(
          `${String(cells.databaseName)}.${String(cells.tableName)}.${String(cells.name)}`,
        );
        onTables.push({
          tables: filter ? grantTables(String(cells.databaseName), String(cells.tableName)) : [],
          part: (t) =>
            filter && {
              columns: filter.columns(t.columns),
              allRows: filter.rowFilter === null,
              ...(filter.rowFilter !== null ? { rowFilter: filter.rowFilter } : {}),
              permissions,
              via: viaFilter(String(cells.name)),
            },
        });
      } else if (policy && policy.resourceType === "TABLE") {
        const expression = Object.fromEntries(
          list(policy.expressions).map((e) => [String(e.key), strings(e.values)]),
        );
        onTables.push({
          tables: [...tables.values()],
          part: (t) => {
            const columns = columnsTagged(t)
              .filter(({ tags }) =>
                Object.entries(expression).every(([key, values]) => values.includes(tags[key])),
              )
              .map(({ column }) => column);
            return columns.length > 0
              ? { columns, allRows: true, permissions, via: viaTags(expression) }
              : undefined;
          },
        });
      }
      for (const { tables: ts, part } of onTables)
        for (const t of ts) {
          const c = part(t);
          if (c && principal !== IAM_ALLOWED_PRINCIPALS) contribute(principal, t, c, r.urn);
          if (c && principal === IAM_ALLOWED_PRINCIPALS)
            iamAllowed.set(
              t.database,
              (iamAllowed.get(t.database) ?? new Set()).add(`${stack.stack}/${r.name}`),
            );
        }
    }
  }

  const grants: ReadAccess[] = [];
  const sources = new Map<string, string[]>();
  for (const [key, entry] of parts) {
    const known = who.get(entry.principal);
    const delegated = /^\d{12}$/.test(entry.principal);
    const roleAccount = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(entry.principal)?.[1];
    const combined = combineAccess(entry.parts);
    // Queried from another account through a link of its own catalog it may DESCRIBE.
    const linked =
      roleAccount && roleAccount !== lake
        ? (links.get(roleAccount) ?? [])
            .filter(
              (l) =>
                l.database === entry.table.database &&
                linkReaders.get(`${roleAccount}/${l.name}`)?.has(entry.principal),
            )
            .map((l) => viaLink(l.name))
        : [];
    const consumer = known?.team === undefined ? undefined : consumers.get(known.team);
    grants.push({
      principal: entry.principal,
      team: known?.team ?? null,
      account:
        known?.team !== undefined
          ? known.account
          : delegated
            ? (accountName.get(entry.principal) ?? null)
            : null,
      kind: (known?.kind ?? null) as PrincipalKind | null,
      dataset: entry.table.dataset,
      database: entry.table.database,
      table: entry.table.name,
      columns: combined.columns,
      rowFilter: combined.rowFilter,
      permissions: combined.permissions,
      expiresOn: consumer?.expiresOn ?? null,
      via: [...combined.via, ...linked].sort(),
      ...(delegated ? { delegated: true as const } : {}),
    });
    sources.set(key, entry.urns);
  }
  grants.sort(
    (a, b) =>
      a.principal.localeCompare(b.principal) ||
      a.database.localeCompare(b.database) ||
      a.table.localeCompare(b.table),
  );

  // ── Outside Lake Formation ───────────────────────────────────────────────────────────────────────────
  const datasetsIn = (database: string) =>
    [...tables.values()].filter((t) => t.database === database && t.dataset !== null).map((t) => t.dataset!);
  for (const [database, via] of iamAllowed)
    bypass.push({
      principal: IAM_ALLOWED_PRINCIPALS,
      team: null,
      account: null,
      kind: "iam-allowed-principals",
      datasets: [...new Set(datasetsIn(database))].sort(),
      via: [...via].sort(),
    });
  const dataObjects = p.datasets.map((d) => {
    const layout = tableLayout(p, d);
    return {
      dataset: d.name,
      bucket: layout.bucket,
      arn: `arn:aws:s3:::${layout.bucket}/${layout.datasetPrefix}part-00000.parquet`,
    };
  });
  const reached = (resources: readonly string[]) => {
    const patterns = resources.map((r) => pattern(r, false));
    return dataObjects.filter((o) => patterns.some((re) => re.test(o.arn))).map((o) => o.dataset);
  };
  const buckets = new Set(lakeDataBuckets(p));
  for (const stack of stacks) {
    for (const r of stack.resources) {
      if (r.type === SETTINGS && catalogOf(stack, r.inputs, "catalogId") === lake) {
        const defaults = [
          ...list(r.inputs.createDatabaseDefaultPermissions),
          ...list(r.inputs.createTableDefaultPermissions),
        ];
        if (defaults.some((d) => str(d.principal) === IAM_ALLOWED_PRINCIPALS))
          bypass.push({
            principal: IAM_ALLOWED_PRINCIPALS,
            team: null,
            account: null,
            kind: "iam-allowed-principals",
            datasets: p.datasets.map((d) => d.name).sort(),
            via: [`${stack.stack}/${r.name}`],
          });
      }
      if (r.type === LOCATION && r.inputs.hybridAccessEnabled === true) {
        const arn = str(r.inputs.arn) ?? "";
        const datasets = dataObjects.filter((o) => o.arn.startsWith(arn)).map((o) => o.dataset);
        if (datasets.length > 0)
          bypass.push({
            principal: "*",
            team: null,
            account: null,
            kind: "hybrid-access",
            datasets: datasets.sort(),
            via: [`${stack.stack}/${r.name}`],
          });
      }
    }
  }

  // Identity policies: role ARN → datasets its policies let it read, and which policies.
  const identity = new Map<string, { datasets: Set<string>; via: Set<string> }>();
  const roleTags = new Map<string, Record<string, string>>();
  const plannedAccounts = new Set(stacks.map((s) => s.account).filter((a): a is string => a !== null));
  for (const stack of stacks) {
    if (!stack.account) continue;
    const roles = new Map<string, string>();
    for (const r of stack.resources.filter((x) => x.type === ROLE)) {
      const name = str(r.inputs.name) ?? r.name;
      const path = str(r.inputs.path) ?? "/";
      roles.set(name, `arn:aws:iam::${stack.account}:role${path}${name}`);
      roles.set(r.name, `arn:aws:iam::${stack.account}:role${path}${name}`);
      const tags = Object.entries(obj(r.inputs.tags) ?? {}).filter(
        (e): e is [string, string] => typeof e[1] === "string",
      );
      roleTags.set(`arn:aws:iam::${stack.account}:role${path}${name}`, Object.fromEntries(tags));
    }
    const roleArn = (role: unknown) => {
      const name = str(role);
      return name
        ? (roles.get(name) ?? (name.startsWith("arn:") ? name : `arn:aws:iam::${stack.account}:role/${name}`))
        : undefined;
    };
    const note = (arn: string | undefined, doc: Inputs | undefined, via: string) => {
      if (!arn) return;
      const datasets = getObjectResources(doc).flatMap((s) => reached(s.resources));
      if (datasets.length === 0) return;
      const entry = identity.get(arn) ?? { datasets: new Set(), via: new Set() };
      for (const d of datasets) entry.datasets.add(d);
      entry.via.add(via);
      identity.set(arn, entry);
    };
    const policies = new Map(
      stack.resources.filter((x) => x.type === POLICY).map((x) => [str(x.inputs.name) ?? x.name, x] as const),
    );
    for (const r of stack.resources) {
      if (r.type === ROLE_POLICY)
        note(roleArn(r.inputs.role), documentOf(r.inputs.policy), `${stack.stack}/${r.name}`);
      if (r.type === ROLE)
        for (const inline of list(r.inputs.inlinePolicies))
          note(roleArn(str(r.inputs.name) ?? r.name), documentOf(inline.policy), `${stack.stack}/${r.name}`);
      if (r.type === ATTACHMENT) {
        const policy = policies.get((str(r.inputs.policyArn) ?? "").split("/").pop() ?? "");
        if (policy)
          note(roleArn(r.inputs.role), documentOf(policy.inputs.policy), `${stack.stack}/${policy.name}`);
      }
    }
  }
  // The lake buckets' policies: the statements that let each principal read, with their resources as
  // written: a resource may hold policy variables (`${aws:PrincipalAccount}`, `${aws:PrincipalTag/k}`),
  // which AWS fills in from each caller, so what they reach is judged per role (`bucketReach`).
  const granted = new Map<string, { resources: string[][]; via: Set<string> }>();
  for (const stack of stacks) {
    for (const r of stack.resources.filter((x) => x.type === BUCKET_POLICY)) {
      if (!buckets.has(str(r.inputs.bucket) ?? "")) continue;
      for (const st of getObjectResources(documentOf(r.inputs.policy))) {
        for (const principal of st.principals.filter((x): x is string => typeof x === "string")) {
          const entry = granted.get(principal) ?? { resources: [], via: new Set() };
          entry.resources.push(st.resources);
          entry.via.add(`${stack.stack}/${r.name}`);
          granted.set(principal, entry);
        }
      }
    }
  }
  /** The datasets a principal's entry reaches, as a caller of `account` with `tags` (undefined: unknown). */
  const bucketReach = (
    entry: { resources: string[][] } | undefined,
    account: string | undefined,
    tags: Readonly<Record<string, string>> | undefined,
  ): string[] =>
    entry
      ? entry.resources.flatMap((resources) =>
          reached(resources.flatMap((res) => withCaller(res, account, tags))),
        )
      : [];
  const readers = new Map<string, { datasets: Set<string>; via: Set<string> }>();
  const addReader = (arn: string, datasets: Iterable<string>, via: Iterable<string>) => {
    const entry = readers.get(arn) ?? { datasets: new Set(), via: new Set() };
    for (const d of datasets) entry.datasets.add(d);
    for (const v of via) entry.via.add(v);
    if (entry.datasets.size > 0) readers.set(arn, entry);
  };
  for (const [arn, own] of identity) {
    const account = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(arn)?.[1];
    if (account === lake) addReader(arn, own.datasets, own.via);
    else if (account) {
      // Another account's role reads what both its own policies and the bucket's allow, the bucket's
      // variables filled in with its account and tags.
      const byBucket = [
        granted.get(arn),
        granted.get(`arn:aws:iam::${account}:root`),
        granted.get(account),
        granted.get("*"),
      ];
      const allowed = new Set(byBucket.flatMap((g) => bucketReach(g, account, roleTags.get(arn) ?? {})));
      const datasets = [...own.datasets].filter((d) => allowed.has(d));
      addReader(
        arn,
        datasets,
        datasets.length > 0 ? [...own.via, ...byBucket.flatMap((g) => (g ? [...g.via] : []))] : [],
      );
    }
  }
  // A role the bucket lets in whose own account is not planned: its policies are unknown, so it counts.
  for (const [principal, g] of granted) {
    const account = /^arn:aws[\w-]*:iam::(\d{12}):role\//.exec(principal)?.[1];
    if ((account && !plannedAccounts.has(account)) || principal === "*")
      addReader(principal, bucketReach(g, account, undefined), g.via);
  }
  for (const [arn, r] of readers) {
    const known = who.get(arn);
    bypass.push({
      principal: arn,
      team: known?.team ?? null,
      account: known?.team !== undefined ? known.account : null,
      kind: "s3-read",
      datasets: [...r.datasets].sort(),
      via: [...r.via].sort(),
    });
  }
  bypass.sort((a, b) => a.kind.localeCompare(b.kind) || a.principal.localeCompare(b.principal));
  return { grants, bypass, sources };
}
