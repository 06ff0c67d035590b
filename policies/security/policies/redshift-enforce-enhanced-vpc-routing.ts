import { ResourceValidationPolicy } from "@pulumi/policy";
import { known, show, UNKNOWN } from "@acme/lakehouse-policy-lib";

const WORKGROUP = "aws:redshiftserverless/workgroup:Workgroup";
const CLUSTER = "aws:redshift/cluster:Cluster";

/**
 * Redshift Serverless workgroups and provisioned clusters turn on enhanced VPC routing
 * (`enhancedVpcRouting: true`; off unless set), so that COPY, UNLOAD and Spectrum traffic to S3 and the
 * Glue Data Catalog goes through the VPC — its S3 gateway and Glue interface endpoints, its flow logs,
 * its endpoint policies — instead of over the internet. AWS Config checks the same for both:
 * https://docs.aws.amazon.com/config/latest/developerguide/redshift-serverless-workgroup-routes-within-vpc.html
 * https://docs.aws.amazon.com/config/latest/developerguide/redshift-enhanced-vpc-routing-enabled.html
 *
 * With it on, Spectrum needs VPC endpoints for S3 and Glue: "When enhanced VPC routing is turned on,
 * Redshift Spectrum queries against data lake tables in Amazon S3 require VPC endpoints for Amazon S3 and
 * Amazon Glue so the cluster can reach your data and catalog" (the scan itself runs on an AWS-managed
 * fleet outside the VPC) —
 * https://docs.amazonaws.cn/en_us/redshift/latest/dg/c-spectrum-considerations.md (the newest copy; the
 * same page at https://docs.aws.amazon.com/redshift/latest/dg/c-spectrum-considerations.html). A
 * provisioned cluster's Spectrum cannot read a bucket whose policy admits only given VPC endpoints
 * (restrict by principal instead): https://docs.aws.amazon.com/redshift/latest/mgmt/spectrum-enhanced-vpc.html
 *
 * An unknown value in a preview is not reported.
 */
export const redshiftEnforceEnhancedVpcRouting: ResourceValidationPolicy = {
  name: "redshift-enforce-enhanced-vpc-routing",
  description: "Redshift Serverless workgroups and provisioned clusters use enhanced VPC routing.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, reportViolation) => {
    if (args.type !== WORKGROUP && args.type !== CLUSTER) return;
    const routing = known(args.props).enhancedVpcRouting;
    if (routing === UNKNOWN || routing === true) return;
    reportViolation(
      `The ${args.type === WORKGROUP ? "workgroup" : "cluster"} sends COPY, UNLOAD and Spectrum traffic ` +
        `outside its VPC (enhancedVpcRouting is ${routing === undefined ? "not set" : show(routing)}); ` +
        "set enhancedVpcRouting: true, with S3 and Glue VPC endpoints in its VPC.",
    );
  },
};
