import { ResourceValidationPolicy } from "@pulumi/policy";

const POLICY_TYPES: Record<string, string> = {
  "aws:iam/policy:Policy": "policy",
  "aws:iam/rolePolicy:RolePolicy": "policy",
  "aws:iam/userPolicy:UserPolicy": "policy",
  "aws:iam/groupPolicy:GroupPolicy": "policy",
};

interface Statement {
  Effect?: string;
  Action?: string | string[];
}

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
    const field = POLICY_TYPES[args.type];
    if (!field) return;
    const services = args.getConfig<{ services: string[] }>().services;
    let doc: { Statement?: Statement | Statement[] };
    try {
      const raw = args.props[field];
      doc = typeof raw === "string" ? JSON.parse(raw) : (raw as typeof doc);
    } catch {
      return; // not JSON: AWS will refuse it anyway
    }
    const wild = [doc?.Statement ?? []]
      .flat()
      .filter((s) => s.Effect === "Allow")
      .flatMap((s) => [s.Action ?? []].flat())
      .filter((a) => a === "*" || services.some((svc) => a.toLowerCase() === `${svc}:*`));
    if (wild.length > 0) {
      reportViolation(
        `The policy allows ${[...new Set(wild)].join(", ")}; list the actions the principal needs instead.`,
      );
    }
  },
};
