import { StackValidationPolicy } from "@pulumi/policy";
import { accountOf, known, obj, UNKNOWN } from "@acme/lakehouse-policy-lib";

const SETTINGS = "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings";

/**
 * A stack that keeps metadata in a Glue Data Catalog (databases that are not resource links, tables)
 * encrypts that catalog with a KMS key, connection passwords included.
 */
export const glueCatalogEnforceKmsEncryption: StackValidationPolicy = {
  name: "glue-catalog-enforce-kms-encryption",
  description: "Glue Data Catalogs holding lake metadata encrypt it, and connection passwords, with KMS.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    const settings = args.resources.filter((r) => r.type === SETTINGS);
    for (const s of settings) {
      const props = obj(known(s.props).dataCatalogEncryptionSettings);
      if (props === UNKNOWN) continue;
      const atRest = obj(props?.encryptionAtRest);
      const passwords = obj(props?.connectionPasswordEncryption);
      if (atRest !== UNKNOWN && atRest?.catalogEncryptionMode !== UNKNOWN) {
        const mode = atRest?.catalogEncryptionMode;
        if ((mode !== "SSE-KMS" && mode !== "SSE-KMS-WITH-SERVICE-ROLE") || !atRest?.sseAwsKmsKeyId) {
          reportViolation(
            'The catalog is not encrypted at rest with a KMS key; set encryptionAtRest { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId }.',
            s.urn,
          );
        }
      }
      if (passwords !== UNKNOWN && passwords?.returnConnectionPasswordEncrypted !== UNKNOWN) {
        if (passwords?.returnConnectionPasswordEncrypted !== true || !passwords.awsKmsKeyId) {
          reportViolation(
            "Connection passwords are not encrypted; set connectionPasswordEncryption { returnConnectionPasswordEncrypted: true, awsKmsKeyId }.",
            s.urn,
          );
        }
      }
    }
    // Accounts holding databases or tables without encryption settings in the stack.
    const accountsWithSettings = new Set(settings.map((s) => accountOf(s.provider)));
    const holders = args.resources.filter((r) => {
      if (r.type === "aws:glue/catalogTable:CatalogTable") return true;
      if (r.type !== "aws:glue/catalogDatabase:CatalogDatabase") return false;
      const target = known(r.props).targetDatabase;
      return target === undefined || target === null; // a resource link holds no metadata of its own
    });
    const reported = new Set<string | undefined>();
    for (const r of holders) {
      const account = accountOf(r.provider);
      if (accountsWithSettings.has(account) || reported.has(account)) continue;
      reported.add(account);
      reportViolation(
        `The stack keeps Glue metadata${account ? ` in account ${account}` : ""} without aws.glue.DataCatalogEncryptionSettings; ` +
          `declare it with SSE-KMS at rest and encrypted connection passwords.`,
        r.urn,
      );
    }
  },
};
