import { ResourceValidationPolicy } from "@pulumi/policy";
import { Known, known, list, obj, statementsOf, UNKNOWN } from "@acme/lakehouse-policy-lib";

/** IAM resources that carry policy documents, and where. */
const DOCUMENTS: Record<string, (props: { [key: string]: Known }) => Known[]> = {
  "aws:iam/policy:Policy": (p) => [p.policy],
  "aws:iam/rolePolicy:RolePolicy": (p) => [p.policy],
  "aws:iam/userPolicy:UserPolicy": (p) => [p.policy],
  "aws:iam/groupPolicy:GroupPolicy": (p) => [p.policy],
  "aws:iam/role:Role": (p) =>
    list(p.inlinePolicies).map((i) => {
      const inline = obj(i);
      return inline === UNKNOWN ? UNKNOWN : (inline?.policy ?? null);
    }),
};

/** IAM policies allow no `*` actions on lake services (`*`, `s3:*`, `glue:*`, `lakeformation:*`, `kms:*`...). */
export const iamPolicyDisallowWildcardActions: ResourceValidationPolicy = {
  name: "iam-policy-disallow-wildcard-actions",
  description: "IAM policies allow no wildcard actions on lake services.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      services: {
        type: "array",
        items: { type: "string" },
        default: ["s3", "glue", "lakeformation", "kms", "athena", "kinesis", "firehose"],
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const documents = DOCUMENTS[args.type];
    if (!documents) return;
    const services = args.getConfig<{ services: string[] }>().services;
    const wild = documents(known(args.props))
      .map(statementsOf)
      .flatMap((s) => (Array.isArray(s) ? s : [])) // unknown documents are judged once known
      .filter((s) => s.effect === "Allow")
      .flatMap((s) => s.actions)
      .filter(
        (a): a is string =>
          typeof a === "string" && (a === "*" || services.some((svc) => a.toLowerCase() === `${svc}:*`)),
      );
    if (wild.length > 0) {
      reportViolation(
        `The policy allows ${[...new Set(wild)].join(", ")}; list the actions the principal needs instead.`,
      );
    }
  },
};
