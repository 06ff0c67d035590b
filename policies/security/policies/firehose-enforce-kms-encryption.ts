import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { known, obj, parseS3Arn, str, UNKNOWN } from "@acme/lakehouse-policy-lib";

/**
 * Firehose streams write to S3 under a customer-managed key, and a Direct PUT stream encrypts its buffer
 * with one too (a stream reading Kinesis takes the source stream's encryption and no SSE of its own).
 * The fix names the lake's key only for a stream writing into a lake bucket (`lakeBuckets`).
 */
export const firehoseEnforceKmsEncryption: ResourceValidationPolicy = {
  name: "firehose-enforce-kms-encryption",
  description: "Firehose delivery streams encrypt with customer-managed KMS keys.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: { lakeBuckets: { type: "array", items: { type: "string" }, default: [] } },
  },
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) => {
      const stream = known(args.props);
      const s3 = obj(stream.extendedS3Configuration);
      if (stream.destination === "extended_s3" && s3 !== UNKNOWN && !s3?.kmsKeyArn) {
        const { lakeBuckets } = args.getConfig<{ lakeBuckets: string[] }>();
        const arn = str(s3?.bucketArn);
        const bucket = typeof arn === "string" ? parseS3Arn(arn)?.bucket : undefined;
        const lake = bucket !== undefined && lakeBuckets.includes(bucket);
        reportViolation(
          `The stream writes to S3 without a KMS key; set extendedS3Configuration.kmsKeyArn to ${lake ? `the lake's key (it writes lake bucket ${bucket})` : "a customer-managed KMS key"}.`,
        );
      }
      const source = stream.kinesisSourceConfiguration;
      if (source === UNKNOWN || (source !== undefined && source !== null)) return;
      const sse = obj(stream.serverSideEncryption);
      if (sse === UNKNOWN || sse?.enabled === UNKNOWN || sse?.keyType === UNKNOWN) return;
      if (sse?.enabled !== true || sse.keyType !== "CUSTOMER_MANAGED_CMK" || !sse.keyArn) {
        reportViolation(
          'The Direct PUT stream does not encrypt with a customer-managed key; set serverSideEncryption { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn }.',
        );
      }
    },
  ),
};
