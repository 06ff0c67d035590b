/**
 * S3 buckets and their settings, in both forms the AWS provider (7.x) accepts: the separate settings
 * resources (public access block, encryption, versioning, logging, policy, replication; each with a
 * deprecated `...V2` twin) and the deprecated in-bucket arguments `aws.s3.Bucket` still takes
 * (`serverSideEncryptionConfiguration`, `versioning`, `logging` — `loggings` before 7.0 —, `policy`,
 * `replicationConfiguration`; `aws.s3.BucketV2` has the plural lists). A rule judges both alike.
 *
 * A settings resource belongs to the bucket its `bucket` input came from (its property dependency), or,
 * failing that, whose name it names.
 */
import type { PolicyResource } from "@pulumi/policy";
import { arr, Known, known, list, obj, str, UNKNOWN } from "./known";
import { principalIdentity } from "./account";
import { statementsOf } from "./iam";

/** Bucket resource types. */
export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** The settings resource types of each setting, current type first (the V2 types are deprecated aliases). */
export const BUCKET_SETTINGS = {
  encryption: [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  ],
  versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
  logging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
  policy: ["aws:s3/bucketPolicy:BucketPolicy"],
  publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
} as const;

const CLOUDFRONT_DISTRIBUTION = "aws:cloudfront/distribution:Distribution";

/** The bucket's physical name when known (`bucket` input, or the provider's output of it). */
export function bucketNameOf(bucket: PolicyResource): string | typeof UNKNOWN | undefined {
  return str(known(bucket.props).bucket);
}

/** The stack's buckets by their known physical name. */
function bucketsByName(resources: PolicyResource[]): Map<string, PolicyResource> {
  const byName = new Map<string, PolicyResource>();
  for (const b of resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
    const name = bucketNameOf(b);
    if (typeof name === "string") byName.set(name, b);
  }
  return byName;
}

/** The buckets of the stack a property's value came from (its property dependencies). */
function bucketDependencies(r: PolicyResource, property: string): PolicyResource[] {
  return (r.propertyDependencies?.[property] ?? []).filter((d) => BUCKET_TYPES.includes(d.type));
}

/** For each bucket, the settings resources of `settingsTypes` (one type or several) that apply to it. */
export function settingsByBucket(
  resources: PolicyResource[],
  settingsTypes: string | readonly string[],
): Map<PolicyResource, PolicyResource[]> {
  const types: readonly string[] = typeof settingsTypes === "string" ? [settingsTypes] : settingsTypes;
  const buckets = resources.filter((r) => BUCKET_TYPES.includes(r.type));
  const byName = bucketsByName(resources);
  const result = new Map<PolicyResource, PolicyResource[]>(buckets.map((b) => [b, []]));
  for (const s of resources.filter((r) => types.includes(r.type))) {
    const viaDependency = bucketDependencies(s, "bucket");
    const name = known(s.props).bucket;
    const targets =
      viaDependency.length > 0 ? viaDependency : [typeof name === "string" ? byName.get(name) : undefined];
    for (const b of targets) if (b) result.get(b)?.push(s);
  }
  return result;
}

/**
 * The default-encryption rules written on the bucket itself: `serverSideEncryptionConfiguration.rule`
 * (`aws.s3.Bucket`; `rules` too, as some providers spell it) or `serverSideEncryptionConfigurations[].rules`
 * (`aws.s3.BucketV2`). `[UNKNOWN]` when not known yet; empty when the bucket sets none.
 */
export function inlineEncryptionRules(props: { [key: string]: Known }): Known[] {
  const configs: Known[] = [
    props.serverSideEncryptionConfiguration,
    ...listOf(props.serverSideEncryptionConfigurations),
  ];
  return configs.flatMap((c): Known[] => {
    const config = obj(c);
    if (config === UNKNOWN) return [UNKNOWN];
    if (!config) return [];
    const rules = [...listOf(config.rule), ...listOf(config.rules)];
    return rules;
  });
}

/**
 * An encryption rule's default algorithm (`aws:kms`, `aws:kms:dsse`, `AES256`): its
 * `applyServerSideEncryptionByDefault`, or the first of `applyServerSideEncryptionByDefaults[]` (the list
 * `aws.s3.BucketV2` takes); UNKNOWN when not known yet, `undefined` when the rule sets none.
 */
export function ruleAlgorithm(rule: Known): Known | undefined {
  const r = obj(rule);
  if (r === UNKNOWN) return UNKNOWN;
  const [first] = listOf(r?.applyServerSideEncryptionByDefaults);
  const byDefault = obj(r?.applyServerSideEncryptionByDefault ?? first);
  return byDefault === UNKNOWN ? UNKNOWN : byDefault?.sseAlgorithm;
}

/**
 * Whether the bucket turns versioning on itself: `versioning.enabled` (`aws.s3.Bucket`) or
 * `versionings[].enabled` (`aws.s3.BucketV2`); UNKNOWN when not known yet.
 */
export function inlineVersioningEnabled(props: { [key: string]: Known }): boolean | typeof UNKNOWN {
  const configs: Known[] = [props.versioning, ...listOf(props.versionings)];
  let unknown = false;
  for (const c of configs) {
    const v = obj(c);
    if (v === UNKNOWN || v?.enabled === UNKNOWN) unknown = true;
    else if (v?.enabled === true || v?.enabled === "true") return true;
  }
  return unknown ? UNKNOWN : false;
}

/**
 * The buckets the bucket's own access logging delivers to: `logging.targetBucket` (`aws.s3.Bucket`,
 * 7.x), `loggings[].targetBucket` (`aws.s3.Bucket` before 7.0, `aws.s3.BucketV2`). UNKNOWN entries
 * where not known yet; empty when the bucket logs nowhere itself.
 */
export function inlineLoggingTargets(props: { [key: string]: Known }): (string | typeof UNKNOWN)[] {
  const configs: Known[] = [props.logging, ...listOf(props.loggings)];
  return configs.flatMap((c): (string | typeof UNKNOWN)[] => {
    const l = obj(c);
    if (l === UNKNOWN) return [UNKNOWN];
    const target = str(l?.targetBucket);
    return target === undefined ? [] : [target];
  });
}

/** The inline replication rules (`replicationConfiguration.rules`, `replicationConfigurations[].rules`). */
export function inlineReplicationRules(props: { [key: string]: Known }): Known[] {
  const configs: Known[] = [props.replicationConfiguration, ...listOf(props.replicationConfigurations)];
  return configs.flatMap((c): Known[] => {
    const config = obj(c);
    if (config === UNKNOWN) return [UNKNOWN];
    const rules = config?.rules;
    return rules === UNKNOWN ? [UNKNOWN] : list(rules);
  });
}

/**
 * Each bucket's policy documents: every `aws.s3.BucketPolicy` applying to it and its own `policy`
 * argument. Each entry is the document as given (a JSON string or object, or UNKNOWN).
 */
export function policiesByBucket(resources: PolicyResource[]): Map<PolicyResource, Known[]> {
  const result = new Map<PolicyResource, Known[]>();
  for (const [bucket, policies] of settingsByBucket(resources, BUCKET_SETTINGS.policy)) {
    const own = known(bucket.props).policy;
    const documents: Known[] = policies.map((p) => known(p.props).policy ?? null);
    if (own !== undefined && own !== null && own !== "") documents.push(own);
    result.set(bucket, documents);
  }
  return result;
}

/**
 * The bucket named by a CloudFront standard-logging bucket, `<bucket>.s3.amazonaws.com` ("The Amazon
 * S3 bucket to store the access logs in, for example, myawslogbucket.s3.amazonaws.com":
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_LoggingConfig.html); regional
 * (`.s3.<region>.amazonaws.com`) and China (`.amazonaws.com.cn`) spellings too.
 */
export function bucketOfS3Domain(domain: string): string | undefined {
  return /^(.+?)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/.exec(domain)?.[1];
}

/** Why a bucket is a log bucket: the resource that sends it logs, and what kind. */
export interface LogDelivery {
  readonly from: PolicyResource;
  readonly kind: "s3-access-logs" | "cloudfront-logs";
}

/**
 * The stack's log buckets: those that receive logs, whatever they are called. A bucket receives logs
 * when an `aws.s3.BucketLogging(V2)` names it as `targetBucket`, when a bucket's own `logging` /
 * `loggings[]` names it, or when a CloudFront distribution's `loggingConfig.bucket` is its
 * `<bucket>.s3.amazonaws.com` domain (each matched through the property's dependency on the bucket,
 * else by the bucket's known name).
 */
export function logBuckets(resources: PolicyResource[]): Map<PolicyResource, LogDelivery[]> {
  const byName = bucketsByName(resources);
  const result = new Map<PolicyResource, LogDelivery[]>();
  const add = (target: PolicyResource | undefined, delivery: LogDelivery) => {
    if (!target) return;
    result.set(target, [...(result.get(target) ?? []), delivery]);
  };
  const byNames = (names: (string | typeof UNKNOWN | undefined)[]) =>
    names.map((n) => (typeof n === "string" ? byName.get(n) : undefined));
  for (const r of resources) {
    const props = known(r.props);
    let targets: (PolicyResource | undefined)[] = [];
    let kind: LogDelivery["kind"] = "s3-access-logs";
    if ((BUCKET_SETTINGS.logging as readonly string[]).includes(r.type)) {
      const deps = bucketDependencies(r, "targetBucket");
      targets = deps.length > 0 ? deps : byNames([str(props.targetBucket)]);
    } else if (BUCKET_TYPES.includes(r.type)) {
      const names = inlineLoggingTargets(props);
      if (names.length === 0) continue;
      const deps = [...bucketDependencies(r, "logging"), ...bucketDependencies(r, "loggings")];
      targets = deps.length > 0 ? deps : byNames(names);
    } else if (r.type === CLOUDFRONT_DISTRIBUTION) {
      kind = "cloudfront-logs";
      const config = obj(props.loggingConfig);
      if (config === UNKNOWN || !config) continue;
      const deps = bucketDependencies(r, "loggingConfig");
      const domain = str(config.bucket);
      targets =
        deps.length > 0 ? deps : byNames([typeof domain === "string" ? bucketOfS3Domain(domain) : undefined]);
    } else {
      continue;
    }
    for (const t of targets) add(t, { from: r, kind });
  }
  return result;
}

/** A value that may be one item, a list, or a JSON list string, as a list (UNKNOWN kept). */
function listOf(value: Known | undefined): Known[] {
  const a = arr(value);
  if (a === UNKNOWN) return [UNKNOWN];
  if (a) return a;
  return list(value);
}

/**
 * The buckets CloudFront reads through an origin access identity: a bucket policy (`aws.s3.BucketPolicy`
 * of the bucket) whose `policy` is built from an `aws.cloudfront.OriginAccessIdentity` (its `iamArn`, a
 * property dependency), or names an OAI principal (`arn:aws:iam::cloudfront:user/CloudFront Origin Access
 * Identity <id>`). An OAI cannot read SSE-KMS objects; origin access control can ("We recommend that you
 * use OAC instead because it supports ... Amazon S3 server-side encryption with AWS KMS (SSE-KMS) ... OAI
 * doesn't support these features":
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html).
 */
export function bucketsServedByOai(resources: PolicyResource[]): Set<PolicyResource> {
  const served = new Set<PolicyResource>();
  const documents = policiesByBucket(resources);
  for (const [bucket, policies] of settingsByBucket(resources, BUCKET_SETTINGS.policy)) {
    const fromOai = policies.some((p) =>
      (p.propertyDependencies?.policy ?? []).some(
        (d) => d.type === "aws:cloudfront/originAccessIdentity:OriginAccessIdentity",
      ),
    );
    const namesOai = (documents.get(bucket) ?? []).some((d) => {
      const statements = statementsOf(d);
      return (
        Array.isArray(statements) &&
        statements.some((st) =>
          st.awsPrincipals.some(
            (p) => typeof p === "string" && principalIdentity(p).kind === "cloudfront-oai",
          ),
        )
      );
    });
    if (fromOai || namesOai) served.add(bucket);
  }
  return served;
}
