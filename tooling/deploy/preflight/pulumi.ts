/**
 * What Pulumi itself needs before the first `up`: the state backend's bucket (a self-managed `s3://`
 * backend) and the stack's KMS secrets key (`secretsprovider: awskms://...`).
 */
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { errorName, httpStatus, unknownBecause } from "./aws";
import { CheckContext, Finding, missing, ok, unknown } from "./context";

/**
 * The state backend of `PULUMI_BACKEND_URL` (lake account's credentials): an `s3://<bucket>[/<prefix>]`
 * backend's bucket must exist (HeadBucket 200; 404 is no such bucket:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html). Other backends (Pulumi Cloud,
 * file://, azblob://, gs://) are not checked here.
 */
export async function stateBackend(ctx: CheckContext, backendUrl: string | undefined): Promise<Finding[]> {
  const check = "pulumi-backend";
  if (backendUrl === undefined || backendUrl === "")
    return [
      unknown(
        check,
        "PULUMI_BACKEND_URL is not set: the backend of `pulumi login` is used, not checked here",
      ),
    ];
  const m = /^s3:\/\/([^/?]+)/.exec(backendUrl);
  if (!m)
    return [
      ok(check, `the backend ${backendUrl.replace(/\?.*$/, "")} is not an s3:// bucket: not checked here`),
    ];
  const bucket = m[1];
  try {
    await ctx.clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return [ok(check, `the state bucket ${bucket} exists`)];
  } catch (err) {
    if (httpStatus(err) === 404)
      return [
        missing(
          check,
          `the state bucket ${bucket} of PULUMI_BACKEND_URL does not exist: create it (aws s3api create-bucket --bucket ${bucket} ` +
            `--region ${ctx.account.region} --create-bucket-configuration LocationConstraint=${ctx.account.region}, with versioning on), ` +
            `or point PULUMI_BACKEND_URL at the existing one`,
        ),
      ];
    return [unknown(check, `state bucket ${bucket}: ${unknownBecause("s3 HeadBucket", err)}`)];
  }
}

/**
 * The key of `secretsprovider: awskms://<key id, ARN or alias/...>[?region=<r>]`
 * (https://www.pulumi.com/docs/iac/cli/commands/pulumi_stack_change-secrets-provider/) exists and is
 * enabled: kms DescribeKey's `KeyMetadata.KeyState` is `Enabled`; NotFoundException when there is none
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html).
 */
export async function secretsProvider(ctx: CheckContext): Promise<Finding[]> {
  const check = "pulumi-secrets-provider";
  const provider = ctx.secretsProvider;
  if (provider === undefined || provider === "" || provider === "default")
    return [ok(check, "the stack uses the backend's default secrets provider: nothing to check")];
  if (!provider.startsWith("awskms://"))
    return [ok(check, `the stack's secrets provider is ${provider.split("://")[0]}: not checked here`)];
  const url = provider.slice("awskms://".length);
  const [rawKey, query = ""] = url.split("?");
  const keyId = decodeURIComponent(rawKey.replace(/^\/+/, ""));
  const region =
    new URLSearchParams(query).get("region") ??
    /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(keyId)?.[1] ??
    ctx.account.region;
  try {
    const out = await ctx.clients.kms(region).send(new DescribeKeyCommand({ KeyId: keyId }));
    const state = out.KeyMetadata?.KeyState;
    if (state === "Enabled") return [ok(check, `the secrets key ${keyId} (${region}) is enabled`)];
    return [
      missing(
        check,
        `the secrets key ${keyId} (${region}) is ${state}: enable it (aws kms enable-key --key-id ${out.KeyMetadata?.KeyId ?? keyId} --region ${region}` +
          `${state === "PendingDeletion" ? `, after aws kms cancel-key-deletion` : ""}), or change the stack's secrets provider`,
      ),
    ];
  } catch (err) {
    if (errorName(err) === "NotFoundException")
      return [
        missing(
          check,
          `the secrets key ${keyId} does not exist in ${region} (account ${ctx.account.id}): create it ` +
            `(aws kms create-key --region ${region}${keyId.startsWith("alias/") ? ` && aws kms create-alias --alias-name ${keyId} --target-key-id <key id>` : ""}), ` +
            `or set the stack's secretsprovider to an existing key`,
        ),
      ];
    return [unknown(check, `secrets key ${keyId}: ${unknownBecause("kms DescribeKey", err)}`)];
  }
}
