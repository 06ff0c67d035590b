/**
 * The AWS side of the preflight: one set of SDK v3 clients per account, as the deployment would reach it
 * (the account's `deploymentRoleArn` assumed from the caller's credentials, or the caller's own), every
 * client pointed at `--endpoint` or a per-service override when given, and the error helpers the checks
 * share.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { KMSClient } from "@aws-sdk/client-kms";
import { LakeFormationClient } from "@aws-sdk/client-lakeformation";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { QuickSightClient } from "@aws-sdk/client-quicksight";
import { S3Client } from "@aws-sdk/client-s3";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { Account } from "../../../platform";
import { describeError } from "../../../validator/aws";
import { PreflightInputError } from "./types";

/** The services the preflight calls; each may be sent to its own endpoint. */
export type PreflightService =
  | "sts"
  | "iam"
  | "s3"
  | "ec2"
  | "organizations"
  | "lakeformation"
  | "kinesis"
  | "quicksight"
  | "lambda"
  | "kms"
  | "sesv2";

/** Static credentials (the caller's, or an assumed role's). */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Where the clients send their requests. */
export interface Endpoints {
  /** Every service (moto, LocalStack); S3 then uses path-style URLs. */
  readonly endpoint?: string;
  /** Per-service endpoints, over `endpoint` (a replay server for the services moto does not answer). */
  readonly endpoints?: Partial<Record<PreflightService, string>>;
}

/** Timeouts and attempts of every preflight request: a service that does not answer is `unknown` soon. */
const HTTP = { connectionTimeout: 5_000, requestTimeout: 20_000 } as const;
const MAX_ATTEMPTS = 2;

function endpointOf(where: Endpoints, service: PreflightService): string | undefined {
  return where.endpoints?.[service] ?? where.endpoint;
}

/** Throws {@link PreflightInputError} unless every endpoint given is an http(s) URL. */
export function checkEndpoints(where: Endpoints): void {
  const all = [
    ...(where.endpoint !== undefined ? [["--endpoint", where.endpoint]] : []),
    ...Object.entries(where.endpoints ?? {}).map(([s, e]) => [`endpoints.${s}`, e as string]),
  ];
  for (const [name, value] of all) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:"))
      throw new PreflightInputError(
        `${name}: "${value}" is not an http(s) URL such as http://127.0.0.1:5000`,
      );
  }
}

function config(where: Endpoints, service: PreflightService, region: string, credentials?: Credentials) {
  const endpoint = endpointOf(where, service);
  return {
    region,
    maxAttempts: MAX_ATTEMPTS,
    // One HTTP/1.1 handler for every client: Kinesis's default is HTTP/2, which moto and most proxies
    // do not speak; DescribeLimits needs nothing of HTTP/2.
    requestHandler: new NodeHttpHandler(HTTP),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(credentials ? { credentials: { ...credentials } } : {}),
  };
}

/** The clients of one account, created when first used, all as the same principal. */
export class AccountClients {
  private readonly made = new Map<PreflightService, unknown>();

  constructor(
    readonly region: string,
    private readonly where: Endpoints,
    readonly credentials: Credentials | undefined,
  ) {}

  private get<T>(service: PreflightService, make: () => T): T {
    if (!this.made.has(service)) this.made.set(service, make());
    return this.made.get(service) as T;
  }

  private cfg(service: PreflightService, region = this.region) {
    return config(this.where, service, region, this.credentials);
  }

  get sts(): STSClient {
    return this.get("sts", () => new STSClient(this.cfg("sts")));
  }
  get iam(): IAMClient {
    return this.get("iam", () => new IAMClient(this.cfg("iam")));
  }
  get s3(): S3Client {
    return this.get(
      "s3",
      () => new S3Client({ ...this.cfg("s3"), forcePathStyle: endpointOf(this.where, "s3") !== undefined }),
    );
  }
  get ec2(): EC2Client {
    return this.get("ec2", () => new EC2Client(this.cfg("ec2")));
  }
  /** Organizations' endpoint is in us-east-1 (a global service). */
  get organizations(): OrganizationsClient {
    return this.get("organizations", () => new OrganizationsClient(this.cfg("organizations", "us-east-1")));
  }
  get lakeformation(): LakeFormationClient {
    return this.get("lakeformation", () => new LakeFormationClient(this.cfg("lakeformation")));
  }
  get kinesis(): KinesisClient {
    return this.get("kinesis", () => new KinesisClient(this.cfg("kinesis")));
  }
  get quicksight(): QuickSightClient {
    return this.get("quicksight", () => new QuickSightClient(this.cfg("quicksight")));
  }
  get lambda(): LambdaClient {
    return this.get("lambda", () => new LambdaClient(this.cfg("lambda")));
  }
  get sesv2(): SESv2Client {
    return this.get("sesv2", () => new SESv2Client(this.cfg("sesv2")));
  }
  /** KMS in `region` (a stack's secrets key may live elsewhere than the account's resources). */
  kms(region = this.region): KMSClient {
    return new KMSClient(this.cfg("kms", region));
  }
}

/**
 * The IAM role ARN behind an STS identity: `arn:aws:sts::<id>:assumed-role/<role>/<session>` becomes
 * `arn:aws:iam::<id>:role/<role>` (the session ARN drops the role's path); other ARNs are returned as
 * they are. GetCallerIdentity returns the assumed-role ARN for role sessions:
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export function roleArnOf(callerArn: string): string {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : callerArn;
}

/** The role name of an IAM role ARN (its last path segment), or undefined for a user ARN. */
export function roleNameOf(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m?.[1];
}

/** The account id of an ARN. */
export function accountOf(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(arn)?.[1];
}

/** The error's AWS name (`NoSuchEntityException`, `AccessDenied`, `NotFound`...). */
export function errorName(err: unknown): string {
  const e = err as { name?: string; Code?: string; code?: string } | undefined;
  return e?.name ?? e?.Code ?? e?.code ?? "Error";
}

/** The HTTP status of an SDK error, when the service answered. */
export function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

const DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "AuthorizationError",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
]);

/** True when the service refused the caller (IAM, SCP, or a credential it does not know). */
export function isAccessDenied(err: unknown): boolean {
  return DENIED.has(errorName(err));
}

/** True when no response came: connection refused, DNS, timeout (the SDK sets no HTTP status). */
export function noAnswer(err: unknown): boolean {
  return httpStatus(err) === undefined && !isAccessDenied(err);
}

/** Why a check is `unknown`, from the error of its call. */
export function unknownBecause(operation: string, err: unknown): string {
  const why = describeError(err).split("\n")[0];
  if (noAnswer(err)) return `${operation}: the service did not answer (${why}); run the preflight again`;
  if (isAccessDenied(err))
    return `${operation} was denied (${why}): the deployment role needs read access to check this`;
  // An endpoint that does not serve the service (an emulator without it) answers 404 with a page, not
  // the service's JSON: the SDK then reports a parse error.
  if (httpStatus(err) === 404 && errorName(err) === "SyntaxError")
    return `${operation}: the endpoint does not serve this service (HTTP 404, not an AWS answer)`;
  return `${operation} failed: ${why}`;
}

/** The caller's identity: no credentials at all, or STS not answering, means the preflight cannot run. */
export async function callerIdentity(
  sts: STSClient,
): Promise<{ account: string; arn: string; roleArn: string }> {
  try {
    const me = await sts.send(new GetCallerIdentityCommand({}));
    return { account: me.Account ?? "", arn: me.Arn ?? "", roleArn: roleArnOf(me.Arn ?? "") };
  } catch (err) {
    if (errorName(err) === "CredentialsProviderError")
      throw new PreflightInputError(
        "no AWS credentials: set AWS_PROFILE (aws sso login) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, " +
          "credentials that may assume each account's deploymentRoleArn",
      );
    throw new PreflightInputError(`sts GetCallerIdentity: ${describeError(err)}`);
  }
}

/** The caller's STS client (its own credentials, or the SDK's default chain). */
export function callerSts(where: Endpoints, region: string, credentials?: Credentials): STSClient {
  return new STSClient(config(where, "sts", region, credentials));
}

/**
 * Assumes the account's deployment role from the caller's credentials (sts AssumeRole): what Pulumi's
 * AWS provider does with `assumeRoles` (infra/provider.ts).
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export async function assumeDeploymentRole(
  sts: STSClient,
  account: Account,
  stack: string,
): Promise<Credentials> {
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: account.deploymentRoleArn,
      // Session names: 2-64 characters of [\w+=,.@-].
      RoleSessionName: `lakehouse-preflight-${stack}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64),
    }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey)
    throw new Error(`sts AssumeRole ${account.deploymentRoleArn} returned no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}
