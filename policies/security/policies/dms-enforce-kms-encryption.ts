import { ResourceValidationPolicy } from "@pulumi/policy";
import { known, obj, show, str, UNKNOWN } from "@acme/lakehouse-policy-lib";

const DMS_TYPES = [
  "aws:dms/s3Endpoint:S3Endpoint",
  "aws:dms/replicationInstance:ReplicationInstance",
  "aws:dms/endpoint:Endpoint",
  "aws:dms/replicationConfig:ReplicationConfig",
];

/**
 * DMS encrypts with customer-managed keys: S3 targets write SSE-KMS objects, and replication instances,
 * serverless replication configs and endpoints keep their storage and secrets under a KMS key. The fix
 * names the lake's key only for an S3 target writing into a lake bucket (`lakeBuckets`).
 */
export const dmsEnforceKmsEncryption: ResourceValidationPolicy = {
  name: "dms-enforce-kms-encryption",
  description: "DMS S3 targets, replication instances, replication configs and endpoints use KMS keys.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: { lakeBuckets: { type: "array", items: { type: "string" }, default: [] } },
  },
  validateResource: (args, reportViolation) => {
    if (!DMS_TYPES.includes(args.type)) return;
    const props = known(args.props);
    switch (args.type) {
      case "aws:dms/s3Endpoint:S3Endpoint": {
        if (props.endpointType !== "target") return;
        if (props.encryptionMode === UNKNOWN || props.serverSideEncryptionKmsKeyId === UNKNOWN) return;
        if (props.encryptionMode !== "SSE_KMS" || !props.serverSideEncryptionKmsKeyId) {
          const bucket = str(props.bucketName);
          const lake =
            typeof bucket === "string" &&
            args.getConfig<{ lakeBuckets: string[] }>().lakeBuckets.includes(bucket);
          reportViolation(
            `The S3 target writes ${props.encryptionMode ? show(props.encryptionMode) : "SSE_S3 (the default)"} objects; ` +
              `set encryptionMode: "SSE_KMS" and serverSideEncryptionKmsKeyId to ${lake ? `the lake's key (it writes lake bucket ${bucket})` : "a customer-managed KMS key"}.`,
          );
        }
        return;
      }
      case "aws:dms/replicationInstance:ReplicationInstance":
      case "aws:dms/endpoint:Endpoint":
        if (props.kmsKeyArn === undefined)
          reportViolation("Set kmsKeyArn to a customer-managed key (DMS uses an AWS-managed key otherwise).");
        return;
      case "aws:dms/replicationConfig:ReplicationConfig": {
        const compute = obj(props.computeConfig);
        if (compute !== UNKNOWN && compute?.kmsKeyId === undefined)
          reportViolation("Set computeConfig.kmsKeyId to a customer-managed key.");
        return;
      }
    }
  },
};
