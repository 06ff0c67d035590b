import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  documentSize,
  DocumentSize,
  known,
  list,
  obj,
  showSize,
  totalSize,
  UNKNOWN,
} from "@acme/lakehouse-policy-lib";

/**
 * IAM's limit on the sum of a role's inline policies: "Role policy size cannot exceed 10,240
 * characters" and "IAM does not count white space" (IAM and STS quotas, character limits:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html; GetAccountSummary's
 * `PolicySizeQuota`-style fields count "non-whitespace characters"). Not adjustable.
 */
export const ROLE_INLINE_POLICIES_MAX_CHARACTERS = 10_240;

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

interface RoleDocuments {
  readonly label: string;
  readonly urn: string;
  /** By inline policy name (a name is unique per role; the last declaration wins), or by declaration. */
  readonly documents: Map<string, DocumentSize | undefined>;
}

/**
 * The inline policies of a role add up across resources: its own `inlinePolicies` and every
 * aws.iam.RolePolicy naming it, so the check is a stack policy. A RolePolicy belongs to the role its
 * `role` input came from (property dependency), else to the role whose known name it gives; one for
 * a role outside the stack is summed under that name. Unknown documents count as nothing.
 */
export const iamRoleInlinePoliciesWithinSizeLimit: StackValidationPolicy = {
  name: "iam-role-inline-policies-within-size-limit",
  description: `The inline policies of each IAM role total at most ${ROLE_INLINE_POLICIES_MAX_CHARACTERS} characters without whitespace, IAM's limit.`,
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    const byRole = new Map<PolicyResource | string, RoleDocuments>();
    const roleByName = new Map<string, PolicyResource>();
    for (const role of args.resources.filter((r) => r.type === ROLE)) {
      const props = known(role.props);
      if (typeof props.name === "string") roleByName.set(props.name, role);
      const documents = new Map<string, DocumentSize | undefined>();
      list(props.inlinePolicies).forEach((entry, i) => {
        const policy = obj(entry);
        if (policy === UNKNOWN) documents.set(`#${i}`, undefined);
        else if (policy !== undefined)
          documents.set(
            typeof policy.name === "string" ? policy.name : `#${i}`,
            documentSize(policy.policy, "characters"),
          );
      });
      byRole.set(role, { label: `Role ${role.name}`, urn: role.urn, documents });
    }
    args.resources
      .filter((r) => r.type === ROLE_POLICY)
      .forEach((rp, i) => {
        const props = known(rp.props);
        const viaDependency = (rp.propertyDependencies?.role ?? []).find((d) => d.type === ROLE);
        const roleName = typeof props.role === "string" ? props.role : undefined;
        const target: PolicyResource | string | undefined =
          viaDependency ?? (roleName !== undefined ? (roleByName.get(roleName) ?? roleName) : undefined);
        if (target === undefined) return; // a role not known until the deployment: judged once known
        const entry = byRole.get(target) ?? {
          label: `Role ${String(target)} (outside this stack)`,
          urn: rp.urn,
          documents: new Map<string, DocumentSize | undefined>(),
        };
        byRole.set(target, entry);
        const key = typeof props.name === "string" ? props.name : `policy ${rp.urn} ${i}`;
        entry.documents.set(key, documentSize(props.policy, "characters"));
      });
    for (const { label, urn, documents } of byRole.values()) {
      const total = totalSize([...documents.values()]);
      if (total.size <= ROLE_INLINE_POLICIES_MAX_CHARACTERS) continue;
      reportViolation(
        `${label}: its ${documents.size} inline policies (inlinePolicies and aws.iam.RolePolicy) total ` +
          `${showSize(total)} characters without whitespace; IAM refuses more than ` +
          `${ROLE_INLINE_POLICIES_MAX_CHARACTERS} per role. Move statements into customer managed ` +
          `policies (aws.iam.Policy + aws.iam.RolePolicyAttachment), or split the role.`,
        urn,
      );
    }
  },
};
