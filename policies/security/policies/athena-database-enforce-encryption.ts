import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { Known, known, obj, show, str, UNKNOWN } from "@acme/lakehouse-policy-lib";

const DATABASE = "aws:athena/database:Database";
const WORKGROUP = "aws:athena/workgroup:Workgroup";

interface Config {
  requireKms: boolean;
}

/**
 * Whether a workgroup's own settings replace a query's result location and encryption: its
 * `configuration.enforceWorkgroupConfiguration`, true when left out (the provider's default). "If you
 * specify client-side settings in your queries but run them in a workgroup that overrides the settings,
 * the queries will run, but the workgroup settings will be used"
 * (https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html).
 */
function enforces(workgroup: PolicyResource): boolean | typeof UNKNOWN {
  const configuration = obj(known(workgroup.props).configuration);
  if (configuration === UNKNOWN) return UNKNOWN;
  const enforce = configuration?.enforceWorkgroupConfiguration;
  return enforce === UNKNOWN ? UNKNOWN : enforce !== false;
}

/**
 * Athena databases encrypt what their DDL writes. The provider creates and drops an `aws.athena.Database`
 * by running `CREATE DATABASE` / `DROP DATABASE` as Athena queries whose results go to `bucket` with
 * `encryptionConfiguration` (terraform-provider-aws `internal/service/athena/database.go`,
 * `expandResultConfiguration`); Athena encrypts query results SSE_S3, SSE_KMS or CSE_KMS, the last two
 * with a KMS key (https://docs.aws.amazon.com/athena/latest/ug/encrypting-query-results-stored-in-s3.html).
 * As athena-workgroup-enforce-kms-encryption requires of workgroups, the results are encrypted with a KMS
 * key (`SSE_KMS` or `CSE_KMS` and `kmsKey`); `requireKms: false` accepts `SSE_S3`. A database run in a
 * workgroup of the stack that enforces its configuration (matched by the input's dependency, else by
 * name) takes that workgroup's encryption instead, which athena-workgroup-enforce-kms-encryption judges.
 * Unknown values (a preview) are never a violation.
 */
export const athenaDatabaseEnforceEncryption: StackValidationPolicy = {
  name: "athena-database-enforce-encryption",
  description:
    "Athena databases encrypt the results of their CREATE/DROP DATABASE queries: encryptionConfiguration SSE_KMS or CSE_KMS " +
    "with kmsKey (SSE_S3 too with requireKms: false), unless run in a workgroup of the stack that enforces its configuration.",
  remediationSteps:
    'Set the database\'s encryptionConfiguration { encryptionOption: "SSE_KMS" (or "CSE_KMS"), kmsKey: <customer-managed ' +
    "key ARN> }, or create it in a workgroup (workgroup) that enforces its configuration and encrypts results with KMS.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      requireKms: { type: "boolean", default: true },
    },
  },
  validateStack: (args, reportViolation) => {
    const { requireKms } = args.getConfig<Config>();
    const workgroups = args.resources.filter((r) => r.type === WORKGROUP);
    const byName = new Map<Known, PolicyResource>(workgroups.map((w) => [known(w.props).name, w]));
    for (const r of args.resources.filter((x) => x.type === DATABASE)) {
      const props = known(r.props);
      const workgroupName = str(props.workgroup);
      const workgroup =
        (r.propertyDependencies?.workgroup ?? []).find((d) => d.type === WORKGROUP) ??
        (typeof workgroupName === "string" ? byName.get(workgroupName) : undefined);
      if (workgroup) {
        const enforced = enforces(workgroup);
        if (enforced === UNKNOWN || enforced) continue;
      } else if (workgroupName === UNKNOWN) continue; // a workgroup not known yet
      const encryption = obj(props.encryptionConfiguration);
      if (encryption === UNKNOWN) continue;
      const option = encryption?.encryptionOption;
      const key = encryption?.kmsKey;
      if (option === UNKNOWN || key === UNKNOWN) continue;
      const kms = (option === "SSE_KMS" || option === "CSE_KMS") && typeof key === "string" && key !== "";
      if (kms || (!requireKms && option === "SSE_S3")) continue;
      const where =
        typeof props.bucket === "string" ? ` to s3://${props.bucket}/` : " to its query results location";
      const state = option
        ? `encrypted with ${show(option)}${option === "SSE_S3" ? "" : " and no kmsKey"}`
        : "not encrypted (no encryptionConfiguration)";
      const wg = workgroup
        ? ` Workgroup ${show(known(workgroup.props).name ?? workgroup.name)} does not enforce its configuration, so the database's own settings apply.`
        : "";
      reportViolation(
        `Athena database ${show(props.name ?? r.name)} writes the results of its CREATE/DROP DATABASE queries${where} ` +
          `${state}.${wg} Set encryptionConfiguration { encryptionOption: "SSE_KMS", kmsKey: <customer-managed key ARN> }` +
          `${requireKms ? "" : ' (or "SSE_S3")'}, or run it in a workgroup that enforces its configuration (workgroup).`,
        r.urn,
      );
    }
  },
};
