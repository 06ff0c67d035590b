/**
 * Account-level subscriptions the stacks rely on: QuickSight where a consumer team has dashboards, SES
 * production access where the governance validator sends its e-mails.
 */
import { DescribeAccountSubscriptionCommand, ListGroupsCommand } from "@aws-sdk/client-quicksight";
import { GetAccountCommand, GetEmailIdentityCommand } from "@aws-sdk/client-sesv2";
import { errorName, isAccessDenied, unknownBecause } from "./aws";
import { CheckContext, Finding, missing, ok, unknown } from "./context";

/** QuickSight's message when called outside the account's identity region (names that region). */
const IDENTITY_REGION = /identity region is ([a-z]{2}(?:-gov)?-[a-z]+-\d)/;

/**
 * QuickSight is subscribed in a consumer account with a `quicksight` team: DescribeAccountSubscription
 * in the account's region returns `AccountInfo.AccountSubscriptionStatus` (ACCOUNT_CREATED when
 * subscribed) and ResourceNotFoundException (404) without a subscription
 * (https://docs.aws.amazon.com/quicksight/latest/APIReference/API_DescribeAccountSubscription.html).
 * The identity region (where users and groups live) is returned by no API; the stack creates the teams'
 * groups in the definition's region, and QuickSight refuses user and group calls elsewhere with
 * AccessDeniedException "Operation is being called from endpoint <region>, but your identity region is
 * <region>" (as reported in
 * https://github.com/aws-solutions-library-samples/cloud-intelligence-dashboards-framework/issues/12 and
 * https://github.com/cloud-custodian/cloud-custodian/issues/10168): ListGroups in the account's region
 * tells.
 */
export async function quicksight(ctx: CheckContext): Promise<Finding[]> {
  const teams = ctx.platform.consumers.filter(
    (c) => c.account === ctx.account.name && c.analytics.quicksight !== undefined,
  );
  if (ctx.account.role !== "consumer" || teams.length === 0) return [];
  const check = "quicksight";
  const region = ctx.account.region;
  const subscribe =
    `subscribe in the console of account ${ctx.account.id}: QuickSight > Sign up (Enterprise edition), ` +
    `with ${region} as the identity region, for the groups of ${teams.map((t) => t.team).join(", ")}`;
  try {
    const out = await ctx.clients.quicksight.send(
      new DescribeAccountSubscriptionCommand({ AwsAccountId: ctx.account.id }),
    );
    const status = out.AccountInfo?.AccountSubscriptionStatus;
    if (status !== "ACCOUNT_CREATED")
      return [
        missing(
          check,
          `the QuickSight subscription is ${status ?? "in no known state"}, not ACCOUNT_CREATED: ${subscribe}`,
        ),
      ];
  } catch (err) {
    if (errorName(err) === "ResourceNotFoundException")
      return [missing(check, `QuickSight is not subscribed (ResourceNotFoundException): ${subscribe}`)];
    return [unknown(check, unknownBecause("quicksight DescribeAccountSubscription", err))];
  }
  try {
    await ctx.clients.quicksight.send(
      new ListGroupsCommand({ AwsAccountId: ctx.account.id, Namespace: "default", MaxResults: 1 }),
    );
    return [ok(check, `QuickSight is subscribed (ACCOUNT_CREATED) with ${region} as its identity region`)];
  } catch (err) {
    const other = IDENTITY_REGION.exec((err as Error).message ?? "")?.[1];
    if (isAccessDenied(err) && other)
      return [
        missing(
          check,
          `QuickSight's identity region is ${other}, but the stack creates the teams' groups in the account's region ${region}: ` +
            `set ${`accounts[${ctx.platform.accounts.indexOf(ctx.account)}]`}.region to ${other}, or re-subscribe QuickSight with ${region} as the identity region`,
        ),
      ];
    return [
      unknown(
        check,
        `QuickSight is subscribed; its identity region could not be told: ${unknownBecause("quicksight ListGroups", err)}`,
      ),
    ];
  }
}

/**
 * SES can deliver the validator's e-mails (lake account): with production access
 * (`ProductionAccessEnabled`, sesv2 GetAccount:
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetAccount.html) to anyone; in the sandbox
 * "you can only send email to verified identities", so then every owner address and the sender must be
 * verified (`VerifiedForSendingStatus`, sesv2 GetEmailIdentity; NotFoundException when it is no identity:
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetEmailIdentity.html), as the address or
 * its domain. Production access is requested with `aws sesv2 put-account-details ...
 * --production-access-enabled` or in the console
 * (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_PutAccountDetails.html).
 */
export async function ses(ctx: CheckContext): Promise<Finding[]> {
  if (ctx.account.role !== "lake") return [];
  const check = "ses-production-access";
  const p = ctx.platform;
  let production: boolean;
  try {
    const out = await ctx.clients.sesv2.send(new GetAccountCommand({}));
    production = out.ProductionAccessEnabled === true;
  } catch (err) {
    return [unknown(check, unknownBecause("sesv2 GetAccount", err))];
  }
  if (production) return [ok(check, `SES has production access in ${ctx.account.region}`)];
  const addresses = [
    ...new Set([
      p.governance.sender,
      ...p.datasets.map((d) => d.owner.email),
      ...p.consumers.map((c) => c.email),
    ]),
  ];
  const verified = new Map<string, Promise<boolean>>();
  const isVerified = (identity: string) => {
    if (!verified.has(identity))
      verified.set(
        identity,
        ctx.clients.sesv2
          .send(new GetEmailIdentityCommand({ EmailIdentity: identity }))
          .then((o) => o.VerifiedForSendingStatus === true)
          .catch((err) => {
            if (errorName(err) === "NotFoundException") return false;
            throw err;
          }),
      );
    return verified.get(identity)!;
  };
  const unverified: string[] = [];
  try {
    for (const a of addresses)
      if (!(await isVerified(a)) && !(await isVerified(a.slice(a.indexOf("@") + 1)))) unverified.push(a);
  } catch (err) {
    return [unknown(check, `SES is in the sandbox; ${unknownBecause("sesv2 GetEmailIdentity", err)}`)];
  }
  if (unverified.length === 0)
    return [
      ok(
        check,
        `SES is in the sandbox, but the sender and all ${addresses.length - 1} owner addresses are verified`,
      ),
    ];
  return [
    missing(
      check,
      `SES in ${ctx.account.region} is in the sandbox and ${unverified.join(", ")} ${unverified.length === 1 ? "is" : "are"} not verified, ` +
        `so the validator's e-mails to them fail: request production access (console: SES > Account dashboard > Request production access, ` +
        `or aws sesv2 put-account-details --mail-type TRANSACTIONAL --website-url <url> --use-case-description <text> --production-access-enabled ` +
        `--region ${ctx.account.region}), or verify them (aws sesv2 create-email-identity --email-identity <address>)`,
    ),
  ];
}
