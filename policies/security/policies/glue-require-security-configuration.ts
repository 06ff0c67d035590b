import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { Known, known, obj, show, str, UNKNOWN } from "@acme/lakehouse-policy-lib";

const JOB = "aws:glue/job:Job";
const CRAWLER = "aws:glue/crawler:Crawler";
const SECURITY_CONFIGURATION = "aws:glue/securityConfiguration:SecurityConfiguration";

/**
 * One setting of a security configuration's `encryptionConfiguration` (the AWS Glue API's
 * EncryptionConfiguration: S3Encryption, CloudWatchEncryption, JobBookmarksEncryption,
 * https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-security.html), as the provider names it.
 */
interface Setting {
  /** The provider's block and mode field. */
  readonly block: "s3Encryption" | "cloudwatchEncryption" | "jobBookmarksEncryption";
  readonly modeField: "s3EncryptionMode" | "cloudwatchEncryptionMode" | "jobBookmarksEncryptionMode";
  /** The mode that encrypts under a KMS key: SSE-KMS for S3 and CloudWatch Logs, CSE-KMS for bookmarks. */
  readonly mode: "SSE-KMS" | "CSE-KMS";
  /** What it encrypts, for messages. */
  readonly what: string;
}

const S3: Setting = {
  block: "s3Encryption",
  modeField: "s3EncryptionMode",
  mode: "SSE-KMS",
  what: "the S3 data it writes",
};
const LOGS: Setting = {
  block: "cloudwatchEncryption",
  modeField: "cloudwatchEncryptionMode",
  mode: "SSE-KMS",
  what: "its CloudWatch logs",
};
const BOOKMARKS: Setting = {
  block: "jobBookmarksEncryption",
  modeField: "jobBookmarksEncryptionMode",
  mode: "CSE-KMS",
  what: "its job bookmarks",
};

/**
 * What each kind of user writes, and so which settings of its security configuration matter
 * ("Encrypting data written by crawlers, jobs, and development endpoints",
 * https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html): a crawler writes
 * CloudWatch Logs only (its output is the Data Catalog, encrypted by the catalog's own settings — see
 * glue-catalog-enforce-kms-encryption); an ETL job writes S3 targets, CloudWatch Logs and job bookmarks.
 */
const WRITES: Record<string, readonly Setting[]> = { [JOB]: [S3, LOGS, BOOKMARKS], [CRAWLER]: [LOGS] };

/**
 * The fix, naming every block of the provider's `encryptionConfiguration` (it requires all three, a
 * crawler's S3 and bookmark settings simply go unused).
 */
const FIX =
  "an aws.glue.SecurityConfiguration whose encryptionConfiguration sets s3Encryption { s3EncryptionMode: " +
  '"SSE-KMS", kmsKeyArn }, cloudwatchEncryption { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn } and ' +
  'jobBookmarksEncryption { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn }, with a customer-managed key';

/** A KMS key the platform controls: set, and not an AWS managed key (`alias/aws/s3`, `alias/aws/glue`). */
function customerManaged(key: Known | undefined): boolean {
  return typeof key === "string" && key !== "" && !/(^|:)alias\/aws\//.test(key);
}

/** The block of `encryption` (the provider sends a one-element list or an object), UNKNOWN when unknown. */
function block(encryption: { [key: string]: Known }, name: string) {
  const value = encryption[name];
  return obj(Array.isArray(value) ? value[0] : value);
}

/** What is wrong with one setting for its user, `undefined` when it encrypts under a customer-managed key. */
function weakness(encryption: { [key: string]: Known }, s: Setting): string | undefined {
  const b = block(encryption, s.block);
  if (b === UNKNOWN) return undefined;
  const mode = b?.[s.modeField];
  const key = b?.kmsKeyArn;
  if (mode === UNKNOWN || key === UNKNOWN) return undefined;
  if (mode !== s.mode)
    return `encryptionConfiguration.${s.block}.${s.modeField} is ${show(mode ?? "unset (DISABLED)")}, so ${s.what} are not encrypted under a KMS key`;
  if (!customerManaged(key))
    return `encryptionConfiguration.${s.block}.kmsKeyArn is ${show(key ?? "unset")}, not a customer-managed key, for ${s.what}`;
  return undefined;
}

/**
 * Glue jobs and crawlers run with a security configuration (`securityConfiguration`: the name of an
 * `aws.glue.SecurityConfiguration`); without one Glue writes a job's S3 targets, CloudWatch logs and
 * bookmarks, and a crawler's logs, under no key of ours. When the configuration is in the stack (matched
 * by the input's dependency, else by name), what its user writes must be under a customer-managed KMS
 * key: S3 `SSE-KMS`, CloudWatch Logs `SSE-KMS`, job bookmarks `CSE-KMS` (the only encrypting modes of the
 * Glue API's S3Encryption, CloudWatchEncryption and JobBookmarksEncryption,
 * https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-security.html). A configuration of another
 * stack is taken as named. Ray jobs are exempt: "AWS Glue security configurations are not currently
 * supported in Ray jobs" (https://docs.aws.amazon.com/glue/latest/dg/console-security-configurations.html).
 * An unknown value (a preview) is never a violation.
 */
export const glueRequireSecurityConfiguration: StackValidationPolicy = {
  name: "glue-require-security-configuration",
  description:
    "Glue jobs and crawlers set securityConfiguration; a security configuration of the stack encrypts what its user " +
    "writes under a customer-managed KMS key (jobs: S3 SSE-KMS, CloudWatch Logs SSE-KMS, bookmarks CSE-KMS; crawlers: " +
    "CloudWatch Logs SSE-KMS). Ray jobs, which cannot use one, are exempt.",
  remediationSteps:
    "Create an aws.glue.SecurityConfiguration whose encryptionConfiguration sets s3Encryption SSE-KMS, cloudwatchEncryption " +
    "SSE-KMS and jobBookmarksEncryption CSE-KMS, each with a customer-managed kmsKeyArn, and set the job's or crawler's " +
    "securityConfiguration to its name. The key's policy must let logs.<region>.amazonaws.com use it for the log group " +
    "/aws-glue/crawlers-role/<role>-<configuration> (jobs: /aws-glue/jobs-<role>-<configuration>), and the role needs " +
    "logs:AssociateKmsKey on it.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    const configurations = args.resources.filter((r) => r.type === SECURITY_CONFIGURATION);
    const byName = new Map<Known, PolicyResource>(configurations.map((c) => [known(c.props).name, c]));
    for (const r of args.resources.filter((x) => x.type === JOB || x.type === CRAWLER)) {
      const props = known(r.props);
      const kind = r.type === JOB ? "Glue job" : "Glue crawler";
      const label = `${kind} ${show(props.name ?? r.name)}`;
      const command = obj(props.command);
      if (r.type === JOB && command !== UNKNOWN && command?.name === "glueray") continue;
      const given = str(props.securityConfiguration);
      const viaDependency = (r.propertyDependencies?.securityConfiguration ?? []).find(
        (d) => d.type === SECURITY_CONFIGURATION,
      );
      if (given === undefined || given === "") {
        reportViolation(
          `${label} sets no securityConfiguration, so Glue writes ${r.type === JOB ? "its S3 targets, CloudWatch logs and job bookmarks" : "its CloudWatch logs"} ` +
            `under no key of the platform. Create ${FIX}, and set securityConfiguration to its name.`,
          r.urn,
        );
        continue;
      }
      const configuration = viaDependency ?? (given === UNKNOWN ? undefined : byName.get(given));
      if (!configuration) continue; // another stack's, or not known yet
      const cProps = known(configuration.props);
      const encryption = obj(cProps.encryptionConfiguration);
      if (encryption === UNKNOWN) continue;
      const problems = WRITES[r.type]
        .map((s) => weakness(encryption ?? {}, s))
        .filter((p): p is string => p !== undefined);
      if (problems.length > 0)
        reportViolation(
          `${label} runs with security configuration ${show(cProps.name ?? configuration.name)}: ` +
            `${problems.join("; ")}. Make it ${FIX}.`,
          r.urn,
        );
    }
  },
};
