import { ResourceValidationPolicy } from "@pulumi/policy";
import {
  accountOf,
  effectiveTags,
  keyForAccount,
  principalAccount,
  Tags,
  allowsAnyAction,
  arnMatches,
  IngestionWriter,
  ingestionWriterSchema,
  isOwnIngestion,
  Known,
  known,
  LakeBucket,
  lakeBucketSchema,
  list,
  NOT_CONFIGURED,
  obj,
  parseS3Arn,
  Statement,
  statementsOf,
  str,
  UNKNOWN,
} from "@acme/lakehouse-policy-lib";

/**
 * How the lake's bucket policy lets producers write: the ingestion roles it admits (an `ArnLike`
 * pattern) and the keys, relative to the bucket, with the policy variables AWS puts the writer's
 * account and tags in (`${aws:PrincipalAccount}/${aws:PrincipalTag/domain}/...`).
 */
interface ProducerWriteScope {
  bucket: string;
  roleArnPattern: string;
  keyPatterns: string[];
}

interface Config {
  lakeBuckets?: LakeBucket[];
  ingestionWriters: IngestionWriter[];
  producerWriteScope?: ProducerWriteScope;
}

const ROLE = "aws:iam/role:Role";

/** A key pattern with the role's account and tags put in; undefined when a tag it names is absent. */
function resolveKey(pattern: string, account: string, tags: Tags): string | typeof UNKNOWN | undefined {
  let unknown = false;
  let absent = false;
  const key = keyForAccount(pattern, account).replace(/\$\{aws:PrincipalTag\/([^}]+)\}/g, (_, k: string) => {
    const v = tags[k];
    if (v === UNKNOWN) unknown = true;
    else if (v === undefined) absent = true;
    return typeof v === "string" ? v : "";
  });
  return absent ? undefined : unknown ? UNKNOWN : key;
}

/** S3 actions that write or delete data, or change who can. */
export const S3_WRITE_ACTIONS = [
  "s3:PutObject",
  "s3:PutObjectAcl",
  "s3:PutObjectTagging",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:ReplicateObject",
  "s3:ReplicateDelete",
  "s3:RestoreObject",
  "s3:PutBucketPolicy",
  "s3:PutReplicationConfiguration",
];

/** IAM resources that carry policy documents, and where. */
const IAM_DOCUMENTS: Record<string, (props: { [key: string]: Known }) => Known[]> = {
  "aws:iam/rolePolicy:RolePolicy": (p) => [p.policy],
  "aws:iam/policy:Policy": (p) => [p.policy],
  "aws:iam/userPolicy:UserPolicy": (p) => [p.policy],
  "aws:iam/groupPolicy:GroupPolicy": (p) => [p.policy],
  "aws:iam/role:Role": (p) =>
    list(p.inlinePolicies).map((i) => (i === UNKNOWN ? UNKNOWN : (obj(i) as never)?.["policy"])),
};

const FIX =
  "Lake data is written only by the dataset's registered ingestion role into its own raw-zone prefix; other accounts read through Lake Formation.";

/**
 * Nothing writes into another account's lake storage, except a registered producer's ingestion role
 * writing its own datasets' raw-zone prefixes (that is ingestion, not a copy): Firehose S3
 * destinations, DMS S3 targets and IAM policies granting S3 writes on a lake bucket are judged from the
 * account of the provider they are created with. The lake's bucket policy lets the producer accounts'
 * ingestion roles write the keys their account and governance tags name (`producerWriteScope`, e.g.
 * `${aws:PrincipalAccount}/${aws:PrincipalTag/domain}/${aws:PrincipalTag/dataset}/`): a role it admits
 * by name whose tags name another dataset than its own, or that no dataset registers, is reported too.
 */
export const lakeStorageDisallowCrossAccountWrites: ResourceValidationPolicy = {
  name: "lake-storage-disallow-cross-account-writes",
  description:
    "Only a dataset's registered ingestion role writes into the lake from another account, and only its own raw-zone prefixes: by its IAM policies and writers, and by the tags the lake's bucket policy reads.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      lakeBuckets: { type: "array", items: lakeBucketSchema },
      ingestionWriters: { type: "array", items: ingestionWriterSchema, default: [] },
      producerWriteScope: {
        type: "object",
        required: ["bucket", "roleArnPattern", "keyPatterns"],
        properties: {
          bucket: { type: "string" },
          roleArnPattern: { type: "string" },
          keyPatterns: { type: "array", items: { type: "string" } },
        },
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const config = args.getConfig<Config>();
    const documents = IAM_DOCUMENTS[args.type];
    const isFirehose = args.type === "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
    const isDms = args.type === "aws:dms/s3Endpoint:S3Endpoint";
    if (!documents && !isFirehose && !isDms) return;
    if (!config.lakeBuckets) {
      args.notApplicable(NOT_CONFIGURED);
      return;
    }
    const lakeBuckets = config.lakeBuckets;
    const own = accountOf(args.provider);
    const props = known(args.props);
    /** The lake bucket of that name written from another account (or from an account not shown). */
    const foreign = (bucket: string) => lakeBuckets.find((b) => b.bucket === bucket && b.account !== own);

    if (isFirehose || isDms) {
      let bucket: Known | undefined, role: Known | undefined, prefixes: Known[];
      if (isFirehose) {
        const s3 = obj(props.extendedS3Configuration);
        if (s3 === UNKNOWN || s3 === undefined) return;
        const arn = str(s3.bucketArn);
        bucket = typeof arn === "string" ? parseS3Arn(arn)?.bucket : arn;
        role = s3.roleArn;
        prefixes = [s3.prefix ?? "", s3.errorOutputPrefix ?? ""];
      } else {
        if (props.endpointType !== "target") return;
        bucket = props.bucketName;
        role = props.serviceAccessRoleArn;
        // DMS writes `<bucketFolder>/<schema>/<table>/...`: the folder is a folder, slash or not.
        const folder = props.bucketFolder ?? "";
        prefixes = [
          typeof folder === "string" && folder !== "" && !folder.endsWith("/") ? `${folder}/` : folder,
        ];
      }
      if (typeof bucket !== "string") return;
      const target = foreign(bucket);
      if (!target) return;
      if (role === UNKNOWN) return; // the role decides; judged once known
      const writer = config.ingestionWriters.find((w) => w.principal === role && w.bucket === bucket);
      const outside = prefixes.filter(
        (p) =>
          typeof p === "string" && !writer?.prefixes.some((own) => `${p.replace(/^\//, "")}`.startsWith(own)),
      );
      if (writer && outside.length === 0) return;
      reportViolation(
        writer
          ? `${role} writes ${outside.map((p) => `"${String(p)}"`).join(", ")} of lake bucket ${bucket} (account ${target.account}), outside its dataset's prefixes ${writer.prefixes.join(", ")}. ` +
              `Set the prefix (and error output prefix) under the dataset's own prefix. ${FIX}`
          : `This writes into lake bucket ${bucket} of account ${target.account} from ${own ? `account ${own}` : "an account its provider does not pin"} ` +
              `as ${typeof role === "string" ? role : "no role"}, which is not a registered ingestion role for that bucket. ${FIX}`,
      );
      return;
    }

    // IAM policies: S3 write actions on lake buckets from another account.
    const roleArn =
      args.type === "aws:iam/rolePolicy:RolePolicy" && typeof props.role === "string" && own
        ? `arn:aws:iam::${own}:role/${props.role.replace(/^arn:.*:role\//, "")}`
        : args.type === "aws:iam/role:Role" && typeof props.name === "string" && own
          ? `arn:aws:iam::${own}:role/${props.name}`
          : undefined;
    if (args.type === ROLE && roleArn && config.producerWriteScope) {
      const scope = config.producerWriteScope;
      const reach = taggedReach(scope, roleArn, effectiveTags(props, args.provider));
      for (const b of lakeBuckets.filter(
        (x) => x.bucket === scope.bucket && x.account !== own && reach.length > 0,
      )) {
        const writer = config.ingestionWriters.find((w) => w.principal === roleArn && w.bucket === b.bucket);
        const outside = reach.filter((k) => !writer?.prefixes.some((p) => k.startsWith(p)));
        if (outside.length === 0) continue;
        const tags = effectiveTags(props, args.provider);
        const claimed =
          tags === UNKNOWN ? "" : ` (tags dataset=${String(tags.dataset)}, domain=${String(tags.domain)})`;
        reportViolation(
          `${roleArn} is named like an ingestion role${claimed}, so the lake's bucket policy for ${b.bucket} (account ${b.account}) ` +
            `lets it write ${outside.map((k) => `"${k}"`).join(", ")}, ` +
            (writer
              ? `outside its own dataset's prefixes ${writer.prefixes.join(", ")}. Give the role its own dataset's governance tags (datasetTags of ${writer.dataset}).`
              : `but it is no registered dataset's ingestion role. Rename the role, or remove the dataset tags, or register the dataset with this account as its producer.`) +
            ` ${FIX}`,
        );
      }
    }
    for (const document of documents(props)) {
      const statements = statementsOf(document);
      if (statements === UNKNOWN || statements === undefined) continue;
      for (const s of statements) {
        if (s.effect !== "Allow" || !allowsAnyAction(s, S3_WRITE_ACTIONS)) continue;
        const touched = lakeBucketsTouched(s, lakeBuckets).filter((b) => b.account !== own);
        if (touched.length === 0) continue;
        const writer = config.ingestionWriters.find(
          (w) => w.principal === roleArn && touched.every((b) => isOwnIngestion(s, w, b.bucket)),
        );
        if (writer) continue;
        reportViolation(
          `The policy lets ${roleArn ?? "its principals"} write to lake bucket${touched.length > 1 ? "s" : ""} ` +
            `${touched.map((b) => `${b.bucket} (account ${b.account})`).join(", ")} from ${own ? `account ${own}` : "an account its provider does not pin"}. ` +
            `Only the dataset's ingestion role, in an inline role policy, may write its own prefixes. ${FIX}`,
        );
      }
    }
  },
};

/**
 * The keys the lake's bucket policy lets the role write, with its account and tags put in: none unless
 * its ARN is one the policy admits and it carries every tag the keys name; a key whose tags are not
 * known yet is left out (judged once known).
 */
function taggedReach(scope: ProducerWriteScope, roleArn: string, tags: Tags | typeof UNKNOWN): string[] {
  const account = principalAccount(roleArn);
  if (!account || tags === UNKNOWN || !arnMatches(scope.roleArnPattern, roleArn)) return [];
  const keys = scope.keyPatterns.map((k) => resolveKey(k, account, tags));
  if (keys.some((k) => k === undefined)) return [];
  return keys.filter((k): k is string => typeof k === "string");
}

/**
 * The lake buckets a statement's known resources can reach: `*`, and any S3 ARN whose bucket part
 * (wildcards included) matches the bucket, whatever key pattern follows.
 */
function lakeBucketsTouched(s: Statement, lakeBuckets: readonly LakeBucket[]): LakeBucket[] {
  return lakeBuckets.filter((b) =>
    s.resources.some((r) => {
      if (r === UNKNOWN) return false;
      if (r === "*") return true;
      const m = /^arn:aws[a-z-]*:s3:::([^/]*)/.exec(r) ?? (/^arn:\*/.test(r) ? ["", "*"] : null);
      return m !== null && arnMatches(m[1], b.bucket);
    }),
  );
}
