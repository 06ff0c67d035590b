import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { known, obj, UNKNOWN } from "@acme/lakehouse-policy-lib";

/**
 * EMR Serverless job logs hold query text and samples of data: every log destination of an application
 * (S3, CloudWatch, managed persistence — on by default, under an AWS-owned key) uses a customer-managed
 * KMS key, or is switched off.
 */
export const emrServerlessEnforceLogEncryption: ResourceValidationPolicy = {
  name: "emr-serverless-enforce-log-encryption",
  description: "EMR Serverless applications encrypt their logs with customer-managed KMS keys.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(aws.emrserverless.Application, (_app, args, reportViolation) => {
    const monitoring = obj(known(args.props).monitoringConfiguration);
    if (monitoring === UNKNOWN) return;
    const missing: string[] = [];
    const managed = obj(monitoring?.managedPersistenceMonitoringConfiguration);
    if (managed !== UNKNOWN && managed?.enabled !== false && !managed?.encryptionKeyArn)
      missing.push(
        "managedPersistenceMonitoringConfiguration (on by default): encryptionKeyArn, or enabled: false",
      );
    const s3 = obj(monitoring?.s3MonitoringConfiguration);
    if (s3 && s3 !== UNKNOWN && s3.logUri && !s3.encryptionKeyArn)
      missing.push("s3MonitoringConfiguration.encryptionKeyArn");
    const cloudwatch = obj(monitoring?.cloudwatchLoggingConfiguration);
    if (cloudwatch && cloudwatch !== UNKNOWN && cloudwatch.enabled === true && !cloudwatch.encryptionKeyArn)
      missing.push("cloudwatchLoggingConfiguration.encryptionKeyArn");
    if (missing.length > 0) {
      reportViolation(
        `Logs are not encrypted with a customer-managed key; set monitoringConfiguration.${missing.join("; ")}.`,
      );
    }
  }),
};
