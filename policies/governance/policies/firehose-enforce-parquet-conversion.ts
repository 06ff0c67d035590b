import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { known, obj, UNKNOWN } from "@acme/lakehouse-policy-lib";

/** Firehose streams writing to S3 convert records to Parquet. */
export const firehoseEnforceParquetConversion: ResourceValidationPolicy = {
  name: "firehose-enforce-parquet-conversion",
  description: "Firehose delivery streams writing to S3 convert records to Parquet.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) => {
      const stream = known(args.props);
      if (stream.destination !== "extended_s3") return;
      const s3 = obj(stream.extendedS3Configuration);
      const conversion = s3 === UNKNOWN ? UNKNOWN : obj(s3?.dataFormatConversionConfiguration);
      if (conversion === UNKNOWN) return;
      const output = obj(conversion?.outputFormatConfiguration);
      const serializer = output === UNKNOWN ? UNKNOWN : obj(output?.serializer);
      if (serializer === UNKNOWN || conversion?.enabled === UNKNOWN) return;
      if (!conversion || conversion.enabled === false || !serializer?.parquetSerDe) {
        reportViolation(
          "The stream writes to S3 without converting to Parquet. Set extendedS3Configuration.dataFormatConversionConfiguration " +
            "with enabled: true, outputFormatConfiguration.serializer.parquetSerDe and schemaConfiguration naming the dataset's Glue table.",
        );
      }
    },
  ),
};
