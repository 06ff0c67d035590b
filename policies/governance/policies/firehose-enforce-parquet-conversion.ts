import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** Firehose streams writing to S3 convert records to Parquet. */
export const firehoseEnforceParquetConversion: ResourceValidationPolicy = {
  name: "firehose-enforce-parquet-conversion",
  description: "Firehose delivery streams writing to S3 convert records to Parquet.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (stream, _args, reportViolation) => {
      if (stream.destination !== "extended_s3") return;
      const conversion = stream.extendedS3Configuration?.dataFormatConversionConfiguration;
      const parquet = conversion?.outputFormatConfiguration?.serializer?.parquetSerDe;
      if (!conversion || conversion.enabled === false || !parquet) {
        reportViolation(
          "The stream writes to S3 without converting to Parquet. Set extendedS3Configuration.dataFormatConversionConfiguration " +
            "with enabled: true, outputFormatConfiguration.serializer.parquetSerDe and schemaConfiguration naming the dataset's Glue table.",
        );
      }
    },
  ),
};
