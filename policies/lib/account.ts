/**
 * The AWS account a resource is deployed into, judged from the provider it is created with (its
 * `allowedAccountIds`, else the account of the role it assumes) — never from the default provider.
 */
import type { PolicyProviderResource } from "@pulumi/policy";
import { arr, known, obj, str } from "./known";

/** The resource's account id, or `undefined` when its provider does not pin one (or it is unknown). */
export function accountOf(provider: PolicyProviderResource | undefined): string | undefined {
  const props = known(provider?.props);
  const allowed = arr(props.allowedAccountIds);
  if (Array.isArray(allowed) && allowed.length === 1 && typeof allowed[0] === "string") return allowed[0];
  const roles = arr(props.assumeRoles);
  const first = Array.isArray(roles) ? obj(roles[0]) : undefined;
  const arn = first && typeof first === "object" ? str(first.roleArn) : undefined;
  return typeof arn === "string" ? principalAccount(arn) : undefined;
}

/** The account an IAM principal belongs to: an account id itself, or an IAM/STS ARN's account. */
export function principalAccount(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

/**
 * What a policy principal (`Principal.AWS` entry, or `Principal.Service`) is, for the rules that judge
 * "another account":
 * - a CloudFront origin access identity, `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity
 *   <OAI id>` (the form a bucket policy names it in, "Restrict access to an Amazon S3 origin", section
 *   "Migrating from origin access identity (OAI) to origin access control (OAC)":
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html;
 *   the `iamArn` output of `aws.cloudfront.OriginAccessIdentity`), is CloudFront's, not an account's;
 * - an AWS service principal, `<service>.amazonaws.com` (`cloudfront.amazonaws.com` for origin access
 *   control, `logging.s3.amazonaws.com` for server access logs, `delivery.logs.amazonaws.com`...:
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services),
 *   is a service acting for the resource's own account (scoped by `aws:SourceArn`/`aws:SourceAccount`);
 * - `*` is everyone; an account id or IAM/STS ARN is that account; anything else cannot be placed.
 */
export type PrincipalIdentity =
  | { readonly kind: "everyone" }
  | { readonly kind: "account"; readonly account: string }
  | { readonly kind: "cloudfront-oai"; readonly id: string }
  | { readonly kind: "service"; readonly service: string }
  | { readonly kind: "unplaced" };

const OAI_ARN = /^arn:aws[a-z-]*:iam::cloudfront:user\/CloudFront Origin Access Identity (\S+)$/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(?:\.cn)?$/;

/** Classifies a principal (see {@link PrincipalIdentity}). */
export function principalIdentity(principal: string): PrincipalIdentity {
  if (principal === "*") return { kind: "everyone" };
  const oai = OAI_ARN.exec(principal);
  if (oai) return { kind: "cloudfront-oai", id: oai[1] };
  if (SERVICE_PRINCIPAL.test(principal)) return { kind: "service", service: principal };
  const account = principalAccount(principal);
  return account ? { kind: "account", account } : { kind: "unplaced" };
}
