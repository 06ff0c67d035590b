import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { accountOf, known, Known, list, obj, UNKNOWN } from "@acme/lakehouse-policy-lib";

/**
 * Lake Formation's limit: "The maximum number of LF-Tags that you can assign to a resource is 50"
 * (https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html). A resource has one
 * value per LF-tag key, so the count is of distinct keys (stored lowercase, so compared lowercase).
 */
export const MAX_LF_TAGS_PER_RESOURCE = 50;

const TYPES = [
  "aws:lakeformation/resourceLfTags:ResourceLfTags",
  "aws:lakeformation/resourceLfTag:ResourceLfTag",
];

interface Assigned {
  readonly label: string;
  readonly urns: Set<string>;
  readonly keys: Set<string>;
}

/** The known LF-tag keys a ResourceLfTags (`lfTags`) or ResourceLfTag (`lfTag`) assigns. */
function tagKeys(props: { [key: string]: Known }): string[] | undefined {
  const tags: Known =
    props.lfTags !== undefined ? props.lfTags : props.lfTag !== undefined ? [props.lfTag] : [];
  if (tags === UNKNOWN) return undefined;
  return list(tags).flatMap((t) => {
    const o = obj(t);
    return o !== UNKNOWN && typeof o?.key === "string" ? [o.key.toLowerCase()] : [];
  });
}

/** The Data Catalog resources one declaration assigns to, as keys; `undefined` when not known yet. */
function targets(r: PolicyResource, props: { [key: string]: Known }): string[] | undefined {
  const top = typeof props.catalogId === "string" ? props.catalogId : accountOf(r.provider);
  const catalog = (o: { [key: string]: Known }) =>
    typeof o.catalogId === "string" ? o.catalogId : (top ?? "");
  const database = obj(props.database);
  const table = obj(props.table);
  const columns = obj(props.tableWithColumns);
  if (database === UNKNOWN || table === UNKNOWN || columns === UNKNOWN) return undefined;
  if (database && typeof database.name === "string")
    return [`database ${catalog(database)}:${database.name}`];
  if (table && typeof table.databaseName === "string") {
    const name = table.wildcard === true ? "*" : table.name;
    return typeof name === "string" ? [`table ${catalog(table)}:${table.databaseName}.${name}`] : undefined;
  }
  if (columns && typeof columns.databaseName === "string" && typeof columns.name === "string") {
    const prefix = `column ${catalog(columns)}:${columns.databaseName}.${columns.name}.`;
    if (columns.wildcard === true) return [`${prefix}*`];
    const names = list(columns.columnNames);
    return names.every((c) => typeof c === "string") ? names.map((c) => `${prefix}${String(c)}`) : undefined;
  }
  return undefined;
}

/**
 * The LF-tags assigned to one database, table or column add up across declarations (one
 * ResourceLfTags per governance key, say), so the check is a stack policy. A table wildcard counts
 * towards every table of the database named in the stack, a column wildcard towards every column
 * named. Declarations whose resource or keys are not known until the deployment are judged once known.
 */
export const lakeformationResourceLfTagsWithinCountLimit: StackValidationPolicy = {
  name: "lakeformation-resource-lf-tags-within-count-limit",
  description: `Each Data Catalog database, table and column is assigned at most ${MAX_LF_TAGS_PER_RESOURCE} LF-tags, Lake Formation's limit.`,
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    const assigned = new Map<string, Assigned>();
    for (const r of args.resources.filter((x) => TYPES.includes(x.type))) {
      const props = known(r.props);
      const keys = tagKeys(props);
      const on = targets(r, props);
      if (keys === undefined || on === undefined) continue;
      for (const target of on) {
        const entry = assigned.get(target) ?? {
          label: target,
          urns: new Set<string>(),
          keys: new Set<string>(),
        };
        assigned.set(target, entry);
        entry.urns.add(r.urn);
        keys.forEach((k) => entry.keys.add(k));
      }
    }
    // Wildcards reach every named table (column) under them.
    for (const [target, entry] of assigned) {
      if (target.endsWith(".*")) continue;
      const wildcard = assigned.get(target.replace(/\.[^.]*$/, ".*"));
      wildcard?.keys.forEach((k) => entry.keys.add(k));
    }
    for (const { label, urns, keys } of assigned.values()) {
      if (keys.size <= MAX_LF_TAGS_PER_RESOURCE) continue;
      const [first, ...rest] = [...urns];
      reportViolation(
        `The ${label} is assigned ${keys.size} LF-tags (lfTags across ${urns.size} declarations); Lake ` +
          `Formation allows at most ${MAX_LF_TAGS_PER_RESOURCE} per resource. Assign fewer LF-tag keys ` +
          `to this resource` +
          (rest.length > 0 ? ` (also declared in ${rest.length} more resource(s))` : "") +
          `.`,
        first,
      );
    }
  },
};
