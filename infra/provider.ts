import * as aws from "@pulumi/aws";
import type { Account } from "../platform";

/**
 * The explicit AWS provider of one account: its region, `allowedAccountIds` pinned to its id (so a
 * deployment with the wrong credentials stops before touching anything) and, when the definition names
 * one, the deployment role to assume. Every component of the account gets it.
 */
export function accountProvider(account: Account, stack: string): aws.Provider {
  return new aws.Provider(account.name, {
    region: account.region as aws.Region,
    allowedAccountIds: [account.id],
    ...(account.deploymentRoleArn
      ? { assumeRoles: [{ roleArn: account.deploymentRoleArn, sessionName: `lakehouse-${stack}` }] }
      : {}),
  });
}
