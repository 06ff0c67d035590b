import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "./context";

/**
 * The deployer's IAM role ARN: the definition's `deploymentRoleArn`, else the role behind the current
 * credentials (an assumed-role session resolved to its role, as Lake Formation admins must be roles).
 */
export function deployerArn(ctx: AccountContext, provider: aws.Provider): pulumi.Input<string> {
  if (ctx.account.deploymentRoleArn) return ctx.account.deploymentRoleArn;
  const caller = aws.getCallerIdentityOutput({}, { provider });
  return aws.iam.getSessionContextOutput({ arn: caller.arn }, { provider }).issuerArn;
}
