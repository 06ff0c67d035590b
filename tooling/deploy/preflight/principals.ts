/**
 * Principals the stack's documents name but do not create: the lake's data lake administrators
 * (`lake.admins`) and the DMS service roles of accounts where DMS runs.
 */
import { GetRoleCommand, GetUserCommand, ListAttachedRolePoliciesCommand } from "@aws-sdk/client-iam";
import { lakeAccount } from "../../../platform";
import { accountOf, errorName, roleNameOf, unknownBecause } from "./aws";
import { CheckContext, Finding, missing, ok, unknown } from "./context";

/** IAM's error for an entity that does not exist (GetRole, GetUser): https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html */
const NO_SUCH_ENTITY = new Set(["NoSuchEntity", "NoSuchEntityException"]);

/** The trust policy of DMS's service roles: DMS assumes them. */
const DMS_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "dms.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/**
 * DMS's service roles, created once per account before DMS can be used through the API: `dms-vpc-role`
 * with the AWS managed policy `AmazonDMSVPCManagementRole` ("This policy is attached to the
 * `dms-vpc-role` role", https://docs.aws.amazon.com/dms/latest/userguide/security-iam-awsmanpol.html;
 * DMS refuses subnet groups without it, https://docs.aws.amazon.com/dms/latest/userguide/security-iam.html#CHAP_Security.APIRole)
 * and `dms-cloudwatch-logs-role` with `AmazonDMSCloudWatchLogsRole`
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonDMSCloudWatchLogsRole.html).
 */
export const DMS_SERVICE_ROLES = [
  {
    name: "dms-vpc-role",
    policy: "arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole",
    attached: true,
  },
  {
    name: "dms-cloudwatch-logs-role",
    policy: "arn:aws:iam::aws:policy/service-role/AmazonDMSCloudWatchLogsRole",
    attached: false,
  },
] as const;

function createRoleFix(name: string, policy: string, accountId: string): string {
  return (
    `in account ${accountId}: aws iam create-role --role-name ${name} --assume-role-policy-document '${DMS_TRUST}' ` +
    `&& aws iam attach-role-policy --role-name ${name} --policy-arn ${policy}`
  );
}

/** `lake.admins` exist in the lake account (IAM GetRole / GetUser by the name in the ARN). */
export async function lakeAdmins(ctx: CheckContext): Promise<Finding[]> {
  if (ctx.account.role !== "lake") return [];
  const lake = lakeAccount(ctx.platform);
  return Promise.all(
    ctx.platform.lake.admins.map(async (arn, i): Promise<Finding> => {
      const check = "principal";
      if (accountOf(arn) !== lake.id)
        return unknown(check, `lake.admins[${i}] ${arn} is not in the lake account ${lake.id}: not checked`);
      const role = roleNameOf(arn);
      const name = role ?? arn.slice(arn.lastIndexOf("/") + 1);
      try {
        const found = role
          ? (await ctx.clients.iam.send(new GetRoleCommand({ RoleName: name }))).Role?.Arn
          : (await ctx.clients.iam.send(new GetUserCommand({ UserName: name }))).User?.Arn;
        if (found !== undefined && found !== arn)
          return missing(
            check,
            `lake.admins[${i}] ${arn}: the ${role ? "role" : "user"} ${name} exists as ${found}; write that ARN in lake.admins`,
          );
        return ok(check, `lake.admins[${i}] ${arn} exists (data lake administrator)`);
      } catch (err) {
        if (NO_SUCH_ENTITY.has(errorName(err)))
          return missing(
            check,
            `lake.admins[${i}] ${arn} does not exist: create it in account ${lake.id} ` +
              (role
                ? `(aws iam create-role --role-name ${name} --assume-role-policy-document file://trust.json)`
                : `(aws iam create-user --user-name ${name})`) +
              `, or remove it from lake.admins`,
          );
        return unknown(
          check,
          `lake.admins[${i}] ${arn}: ${unknownBecause(`iam ${role ? "GetRole" : "GetUser"}`, err)}`,
        );
      }
    }),
  );
}

/** Where DMS runs (a producer with `ingestion.type: dms` datasets): its two service roles. */
export async function dmsServiceRoles(ctx: CheckContext): Promise<Finding[]> {
  const dms = ctx.platform.datasets.filter(
    (d) => d.producer === ctx.account.name && d.ingestion.type === "dms",
  );
  if (dms.length === 0) return [];
  const check = "service-role";
  const id = ctx.account.id;
  return Promise.all(
    DMS_SERVICE_ROLES.map(async (r): Promise<Finding> => {
      try {
        await ctx.clients.iam.send(new GetRoleCommand({ RoleName: r.name }));
      } catch (err) {
        if (NO_SUCH_ENTITY.has(errorName(err)))
          return missing(
            check,
            `${r.name} does not exist; DMS needs it for ${dms.map((d) => d.name).join(", ")}: ${createRoleFix(r.name, r.policy, id)}`,
          );
        return unknown(check, `${r.name}: ${unknownBecause("iam GetRole", err)}`);
      }
      if (!r.attached) return ok(check, `${r.name} exists`);
      try {
        const attached: string[] = [];
        let marker: string | undefined;
        do {
          const page = await ctx.clients.iam.send(
            new ListAttachedRolePoliciesCommand({ RoleName: r.name, Marker: marker }),
          );
          attached.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ""));
          marker = page.IsTruncated ? page.Marker : undefined;
        } while (marker);
        if (attached.includes(r.policy))
          return ok(check, `${r.name} exists with ${r.policy.split("/").pop()}`);
        return missing(
          check,
          `${r.name} exists without the managed policy ${r.policy}: aws iam attach-role-policy --role-name ${r.name} --policy-arn ${r.policy} (in account ${id})`,
        );
      } catch (err) {
        return unknown(check, `${r.name}: ${unknownBecause("iam ListAttachedRolePolicies", err)}`);
      }
    }),
  );
}
