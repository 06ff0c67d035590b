import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { known, show, UNKNOWN } from "@acme/lakehouse-policy-lib";

/** DMS S3 targets write Parquet (their `dataFormat` defaults to csv). */
export const dmsS3EndpointEnforceParquet: ResourceValidationPolicy = {
  name: "dms-s3-endpoint-enforce-parquet",
  description: "DMS S3 endpoints write Parquet.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(aws.dms.S3Endpoint, (_endpoint, args, reportViolation) => {
    const endpoint = known(args.props);
    if (endpoint.endpointType !== "target" || endpoint.dataFormat === UNKNOWN) return;
    if (endpoint.dataFormat !== "parquet") {
      reportViolation(
        `The endpoint writes ${show(endpoint.dataFormat ?? "csv (the default)")}; set dataFormat: "parquet" (and parquetVersion: "parquet-2-0").`,
      );
    }
  }),
};
