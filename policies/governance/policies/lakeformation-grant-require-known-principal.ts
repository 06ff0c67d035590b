import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import {
  arr,
  known,
  KnownPrincipal,
  knownPrincipalSchema,
  NOT_CONFIGURED,
  show,
  UNKNOWN,
} from "@acme/lakehouse-policy-lib";

interface Config {
  principals?: KnownPrincipal[];
}

/**
 * Every Lake Formation grant goes to a principal the platform definition knows (a consumer team's
 * analyst role, a producer's ingestion role, the governance validator, a consumer account) with
 * permissions that fit what it is. A principal not known until the deployment is judged on the
 * permissions alone: they must fit at least one known principal.
 */
export const lakeformationGrantRequireKnownPrincipal: ResourceValidationPolicy = {
  name: "lakeformation-grant-require-known-principal",
  description:
    "Lake Formation grants go only to principals the platform definition knows, with permissions fitting their role.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: { properties: { principals: { type: "array", items: knownPrincipalSchema } } },
  validateResource: validateResourceOfType(aws.lakeformation.Permissions, (_grant, args, reportViolation) => {
    const { principals } = args.getConfig<Config>();
    if (!principals) {
      args.notApplicable(NOT_CONFIGURED);
      return;
    }
    const grant = known(args.props);
    const given = [arr(grant.permissions), arr(grant.permissionsWithGrantOptions)]
      .flatMap((p) => (Array.isArray(p) ? p : []))
      .filter((p): p is string => typeof p === "string");
    const principal = grant.principal;
    if (principal === UNKNOWN) {
      if (!principals.some((k) => given.every((p) => k.permissions.includes(p)))) {
        reportViolation(
          `The grant gives ${given.join(", ")}, which fits no principal of the platform definition; grant only what its role needs.`,
        );
      }
      return;
    }
    const who = principals.find((k) => k.principal === principal);
    if (!who) {
      reportViolation(
        `The grant goes to ${show(principal)}, which the platform definition does not know. Grant only to consumer teams' ` +
          `analyst roles, producers' ingestion roles or the governance validator; add a consumer (consumers[]) or dataset to stacks/platform.yaml instead.`,
      );
      return;
    }
    const extra = given.filter((p) => !who.permissions.includes(p));
    if (extra.length > 0) {
      reportViolation(
        `The grant gives ${show(principal)} (${who.role}) ${[...new Set(extra)].join(", ")}; a ${who.role} may have ` +
          `${who.permissions.join(", ")} only. Remove the other permissions.`,
      );
    }
  }),
};
