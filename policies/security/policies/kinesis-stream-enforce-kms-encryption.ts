import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { known, show, UNKNOWN } from "@acme/lakehouse-policy-lib";

/** The AWS-managed Kinesis key: encryption, but not under a key the platform controls. */
const AWS_MANAGED_KEY = "alias/aws/kinesis";

/** Kinesis data streams encrypt records with a customer-managed KMS key. */
export const kinesisStreamEnforceKmsEncryption: ResourceValidationPolicy = {
  name: "kinesis-stream-enforce-kms-encryption",
  description: "Kinesis data streams encrypt with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(aws.kinesis.Stream, (_stream, args, reportViolation) => {
    const stream = known(args.props);
    if (stream.encryptionType === UNKNOWN || stream.kmsKeyId === UNKNOWN) return;
    if (stream.encryptionType !== "KMS" || !stream.kmsKeyId || stream.kmsKeyId === AWS_MANAGED_KEY) {
      reportViolation(
        `The stream is ${stream.encryptionType === "KMS" ? `encrypted with ${show(stream.kmsKeyId ?? "no key")}` : "not encrypted"}; ` +
          `set encryptionType: "KMS" and kmsKeyId to a customer-managed key (not ${AWS_MANAGED_KEY}).`,
      );
    }
  }),
};
