/**
 * Lake Formation and RAM: the deployer may change the data lake settings of the lake and consumer
 * accounts, and RAM shares within the organisation need no invitations.
 */
import { GetDataLakeSettingsCommand } from "@aws-sdk/client-lakeformation";
import { ListAWSServiceAccessForOrganizationCommand } from "@aws-sdk/client-organizations";
import { accountOf, errorName, isAccessDenied, roleNameOf, unknownBecause } from "./aws";
import { CheckContext, Finding, missing, ok, unknown } from "./context";

/** Same principal: equal ARNs, or the same role of the same account (a session ARN drops the path). */
function samePrincipal(a: string, b: string): boolean {
  if (a === b) return true;
  const ra = roleNameOf(a);
  return ra !== undefined && ra === roleNameOf(b) && accountOf(a) === accountOf(b);
}

/**
 * The deployer is a data lake administrator of the account (lake and consumer accounts, whose stacks put
 * data lake settings and grant on resource links), or the list is empty (first deployment: the stack
 * makes it one). GetDataLakeSettings returns `DataLakeSettings.DataLakeAdmins[].DataLakePrincipalIdentifier`:
 * https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GetDataLakeSettings.html
 * PutDataLakeSettings replaces the whole list ("To add an admin, fetch the current list and add the new
 * admin to that list"): https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_PutDataLakeSettings.html
 */
export async function lakeFormationAdmin(ctx: CheckContext): Promise<Finding[]> {
  if (ctx.account.role === "producer") return [];
  const check = "lake-formation-admin";
  let admins: string[];
  try {
    const out = await ctx.clients.lakeformation.send(
      new GetDataLakeSettingsCommand({ CatalogId: ctx.account.id }),
    );
    admins = (out.DataLakeSettings?.DataLakeAdmins ?? []).map((a) => a.DataLakePrincipalIdentifier ?? "");
  } catch (err) {
    return [unknown(check, unknownBecause("lakeformation GetDataLakeSettings", err))];
  }
  if (admins.length === 0)
    return [
      ok(check, `no data lake administrators yet (first deployment): the stack makes ${ctx.deployer} one`),
    ];
  if (admins.some((a) => samePrincipal(a, ctx.deployer)))
    return [ok(check, `${ctx.deployer} is a data lake administrator`)];
  return [
    missing(
      check,
      `${ctx.deployer} is not a data lake administrator of ${ctx.account.id} (admins: ${admins.join(", ")}), so the ` +
        `stack cannot change the data lake settings: as one of them, add it in the Lake Formation console ` +
        `(Administrative roles and tasks > Data lake administrators > Add), or with aws lakeformation ` +
        `put-data-lake-settings listing the current admins plus ${ctx.deployer}`,
    ),
  ];
}

/** The command that tells whether RAM may share with the organisation (management account). */
const CHECK_COMMAND = "aws organizations list-aws-service-access-for-organization";

/**
 * RAM sharing with AWS Organizations is on: `ram.amazonaws.com` among the organisation's enabled service
 * principals (ListAWSServiceAccessForOrganization, callable "from the management account or a member
 * account that is a delegated administrator":
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAWSServiceAccessForOrganization.html).
 * Off: `aws ram enable-sharing-with-aws-organization`, run in the management account
 * (https://docs.aws.amazon.com/cli/latest/reference/ram/enable-sharing-with-aws-organization.html).
 * Checked once, from the lake account, which shares the catalog.
 */
export async function ramSharing(ctx: CheckContext): Promise<Finding[]> {
  if (ctx.account.role !== "lake") return [];
  const check = "ram-organization-sharing";
  const principals: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await ctx.clients.organizations.send(
        new ListAWSServiceAccessForOrganizationCommand({ NextToken: token }),
      );
      principals.push(...(page.EnabledServicePrincipals ?? []).map((p) => p.ServicePrincipal ?? ""));
      token = page.NextToken;
    } while (token);
  } catch (err) {
    const name = errorName(err);
    if (name === "AWSOrganizationsNotInUseException")
      return [
        unknown(
          check,
          `the lake account is in no AWS Organization (${name}): Lake Formation shares need invitations; check with ${CHECK_COMMAND} in the management account`,
        ),
      ];
    if (isAccessDenied(err))
      return [
        unknown(
          check,
          `not visible from the lake account (${name}: only the management account or a delegated administrator may ask): ` +
            `check with ${CHECK_COMMAND} in the management account; ram.amazonaws.com must be listed`,
        ),
      ];
    return [
      unknown(
        check,
        `${unknownBecause("organizations ListAWSServiceAccessForOrganization", err)}; or check with ${CHECK_COMMAND}`,
      ),
    ];
  }
  if (principals.includes("ram.amazonaws.com"))
    return [ok(check, "RAM sharing with AWS Organizations is on (ram.amazonaws.com is enabled)")];
  return [
    missing(
      check,
      "RAM sharing with AWS Organizations is off, so each cross-account share waits for an invitation: " +
        "run aws ram enable-sharing-with-aws-organization in the organization's management account",
    ),
  ];
}
