/**
 * The preflight's test bed: moto (IAM, S3, EC2, STS, Organizations, Lake Formation, Kinesis, KMS) and a
 * replay server for what moto does not answer (Lambda GetAccountSettings, SES v2, QuickSight).
 *
 * moto's accounts: every request is made in the account of its credentials. The dummy credentials
 * (MOTO_CREDENTIALS) are moto's default account 123456789012; sts AssumeRole into
 * `arn:aws:iam::<id>:role/<name>` answers for any 12-digit id, without the role having to exist (moto
 * does not enforce IAM), with credentials that moto maps to account <id>: GetCallerIdentity then says
 * `arn:aws:sts::<id>:assumed-role/<name>/<session>`, and IAM, EC2, Lake Formation, KMS, Kinesis and
 * ListBuckets see only that account's resources. S3 bucket names are global, as in AWS: a bucket created
 * by one account answers HeadBucket for every other. So the example definition is used as it is
 * (accounts 111111111111..555555555555, deploymentRoleArn pulumi-deploy), and the tests seed each
 * account's resources through {@link asAccount}.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { CORE_SCHEMA, dump, load } from "js-yaml";
import { loadPlatform } from "../../../platform";
import type { Platform } from "../../../platform";
import type { Credentials } from "../../../tooling/deploy/preflight";
import { MOTO_CREDENTIALS } from "../../integration/moto";

export const EXAMPLE = path.join(__dirname, "..", "..", "..", "stacks", "platform.yaml");
export const ACCOUNTS = {
  lake: "111111111111",
  web: "222222222222",
  ops: "333333333333",
  analytics: "444444444444",
  finance: "555555555555",
} as const;
export const REGION = "eu-west-1";

/** Credentials in moto account `id` (what the preflight gets by assuming the deployment role). */
export async function asAccount(endpoint: string, id: string): Promise<Credentials> {
  const sts = new STSClient({ region: REGION, endpoint, credentials: MOTO_CREDENTIALS });
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${id}:role/pulumi-deploy`, RoleSessionName: "seed" }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
}

/** The SDK client config of moto account `id`. */
export async function motoConfig(endpoint: string, id: string) {
  return { region: REGION, endpoint, credentials: await asAccount(endpoint, id) };
}

/** A temp folder with a definition (the example, changed by `edit`) and stack files. */
export interface Workspace {
  readonly dir: string;
  readonly platformFile: string;
  readonly stacksDir: string;
  readonly platform: Platform;
}

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Writes the example definition, after `edit`, and one stack file per account (with `secretsProvider`
 * on the stacks it names), and loads it.
 */
export function workspace(
  edit: (doc: Doc) => void = () => {},
  secretsProvider: Record<string, string> = {},
): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-"));
  const doc = load(fs.readFileSync(EXAMPLE, "utf8"), { schema: CORE_SCHEMA }) as Doc;
  edit(doc);
  const platformFile = path.join(dir, "platform.yaml");
  fs.writeFileSync(platformFile, dump(doc));
  const stacksDir = path.join(dir, "stacks");
  fs.mkdirSync(stacksDir);
  for (const a of doc.accounts as { name: string }[])
    fs.writeFileSync(
      path.join(stacksDir, `Pulumi.${a.name}.yaml`),
      dump({
        ...(secretsProvider[a.name] ? { secretsprovider: secretsProvider[a.name] } : {}),
        config: { "lakehouse:account": a.name },
      }),
    );
  return { dir, platformFile, stacksDir, platform: loadPlatform(platformFile) };
}
