import { ResourceValidationPolicy } from "@pulumi/policy";
import { known, UNKNOWN } from "@acme/lakehouse-policy-lib";

const WORKGROUP = "aws:redshiftserverless/workgroup:Workgroup";
const CLUSTER = "aws:redshift/cluster:Cluster";

/**
 * No Redshift endpoint — of a Serverless workgroup or a provisioned cluster, so that any team's
 * warehouse is judged — is reachable from a public network: `publiclyAccessible: true` fails; readers
 * connect from inside the VPC (or through a Redshift-managed VPC endpoint).
 *
 * Leaving the input unset passes:
 * - a cluster's default is private: CreateCluster `PubliclyAccessible` "Default: false", and
 *   @pulumi/aws 7.48 documents "Default is `false`" (older Terraform-based providers defaulted to true)
 *   https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html
 *   https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/redshift/aws.sdk.kotlin.services.redshift.model/-create-cluster-request/publicly-accessible.html
 * - CreateWorkgroup documents no default for `publiclyAccessible`; public access is something a
 *   workgroup has turned on, and AWS Config's `redshift-serverless-workgroup-no-public-access` flags
 *   only workgroups where it is ("NON_COMPLIANT if a workgroup has 'Turn on Public Accessible' enabled"):
 *   https://docs.aws.amazon.com/config/latest/developerguide/redshift-serverless-workgroup-no-public-access.html
 *
 * An unknown value in a preview is not reported.
 */
export const redshiftDisallowPublicAccess: ResourceValidationPolicy = {
  name: "redshift-disallow-public-access",
  description: "Redshift Serverless workgroups and provisioned clusters are not publicly accessible.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, reportViolation) => {
    if (args.type !== WORKGROUP && args.type !== CLUSTER) return;
    const publiclyAccessible = known(args.props).publiclyAccessible;
    if (publiclyAccessible === UNKNOWN || publiclyAccessible !== true) return;
    reportViolation(
      `The ${args.type === WORKGROUP ? "workgroup" : "cluster"} is reachable from a public network ` +
        "(publiclyAccessible: true); set publiclyAccessible: false (or leave it unset) and connect from " +
        "inside the VPC or through a Redshift-managed VPC endpoint.",
    );
  },
};
