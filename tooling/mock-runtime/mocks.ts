/**
 * Default mocks for the offline plan and the tests: every resource "creates" with its inputs as state
 * plus the identifiers AWS would assign (id, name, ARN), in the account and region of the provider it
 * was created with. Nothing here looks anything up: values derive from the inputs only.
 */
import * as pulumi from "@pulumi/pulumi";
import { GET_POLICY_DOCUMENT, getPolicyDocument } from "./policy-document";
import { unknownValue } from "./pulumi-internals";

/** The type token of `pulumi.StackReference`, which the SDK reads as a resource. */
export const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** Mocks that say which invokes they answer (the run's notices name the others). */
export interface PlanMocks extends pulumi.runtime.Mocks {
  /** True when {@link pulumi.runtime.Mocks.call} answers `token` as the provider would. */
  answers?(token: string): boolean;
}

/** What the mocks may know about the run: provider inputs by provider reference (`urn::id`). */
export interface MockContext {
  readonly providers: Map<string, Record<string, unknown>>;
}

/** Account id used for resources whose provider does not pin one (the AWS docs' example account). */
export const MOCK_DEFAULT_ACCOUNT = "123456789012";
/** Region used for resources whose provider does not set one. */
export const MOCK_DEFAULT_REGION = "us-east-1";

/** The account and region a resource lives in, read from its provider's inputs. */
export function providerPlacement(
  ctx: MockContext,
  provider: string | undefined,
): { account: string; region: string } {
  const inputs = (provider && ctx.providers.get(provider)) || {};
  const region = typeof inputs.region === "string" ? inputs.region : MOCK_DEFAULT_REGION;
  let allowed = inputs.allowedAccountIds;
  if (typeof allowed === "string" && allowed.startsWith("[")) allowed = JSON.parse(allowed);
  const account =
    Array.isArray(allowed) && typeof allowed[0] === "string" ? allowed[0] : MOCK_DEFAULT_ACCOUNT;
  return { account, region };
}

/** `aws:s3/bucket:Bucket` → `s3`; `aws:iam/role:Role` → `iam`. */
function service(type: string): string {
  return type.split(":")[1]?.split("/")[0] ?? "unknown";
}

/** `aws:lakeformation/lfTag:LfTag` → `lf-tag`. */
function kebabResource(type: string): string {
  const last = type.split(":")[2] ?? type;
  return last.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** A plausible ARN for a mocked AWS resource, following each service's ARN format where it matters. */
export function mockArn(type: string, name: string, id: string, account: string, region: string): string {
  switch (type) {
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2":
      return `arn:aws:s3:::${id}`;
    case "aws:iam/role:Role":
      return `arn:aws:iam::${account}:role/${name}`;
    case "aws:iam/policy:Policy":
      return `arn:aws:iam::${account}:policy/${name}`;
    case "aws:kms/key:Key":
      return `arn:aws:kms:${region}:${account}:key/${id}`;
    case "aws:kms/alias:Alias":
      return `arn:aws:kms:${region}:${account}:${name}`;
    case "aws:glue/catalogDatabase:CatalogDatabase":
      return `arn:aws:glue:${region}:${account}:database/${name}`;
    case "aws:kinesis/stream:Stream":
      return `arn:aws:kinesis:${region}:${account}:stream/${name}`;
    case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
      return `arn:aws:firehose:${region}:${account}:deliverystream/${name}`;
    case "aws:lambda/function:Function":
      return `arn:aws:lambda:${region}:${account}:function:${name}`;
    default:
      return `arn:aws:${service(type)}:${region}:${account}:${kebabResource(type)}/${name}`;
  }
}

/**
 * The default mocks: state = inputs + `id`, a physical `name` (or `bucket`) where the input left it to
 * auto-naming, and `arn`.
 */
export function defaultMocks(ctx: MockContext): PlanMocks {
  return {
    answers: (token) => ANSWERED_INVOKES.has(token),
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
      const { account, region } = providerPlacement(ctx, args.provider);
      const inputs = args.inputs as Record<string, unknown>;
      if (args.type === STACK_REFERENCE) {
        // Another stack's outputs cannot be read offline: unknown, as a value known only at deployment.
        const name = typeof inputs.name === "string" ? inputs.name : args.name;
        return { id: name, state: { name, outputs: unknownValue, secretOutputNames: unknownValue } };
      }
      if (args.type.startsWith("pulumi:providers:")) {
        return { id: `${args.name}-provider-id`, state: inputs };
      }
      const state: Record<string, unknown> = { ...inputs };
      let id = `${args.name}-id`;
      if (args.type === "aws:s3/bucket:Bucket" || args.type === "aws:s3/bucketV2:BucketV2") {
        id = (inputs.bucket as string | undefined) ?? args.name;
        state.bucket = id;
        state.bucketDomainName = `${id}.s3.amazonaws.com`;
        state.region = region;
      } else if (typeof inputs.name === "string") {
        id = inputs.name;
      } else if (!("name" in inputs)) {
        state.name = args.name;
      }
      const physicalName = (state.name as string | undefined) ?? args.name;
      state.arn = inputs.arn ?? mockArn(args.type, physicalName, id, account, region);
      if (args.type === "aws:kms/key:Key") state.keyId = id;
      // DMS endpoints expose their ARN as `endpointArn` (the attribute a replication's
      // target/sourceEndpointArn reads), so the writer↔table policy can follow the link.
      if (args.type === "aws:dms/s3Endpoint:S3Endpoint" || args.type === "aws:dms/endpoint:Endpoint") {
        state.endpointArn = inputs.endpointArn ?? state.arn;
      }
      if (args.type === "aws:iam/role:Role") state.uniqueId = `AROA${id.toUpperCase().slice(0, 16)}`;
      return { id, state };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
      const answer = INVOKES[args.token];
      return answer ? answer(args.inputs, providerPlacement(ctx, args.provider)) : args.inputs;
    },
  };
}

/** How {@link defaultMocks} answers an invoke: from its inputs and the account and region it runs in. */
type InvokeAnswer = (
  inputs: Record<string, unknown>,
  placement: { account: string; region: string },
) => Record<string, unknown>;

/** The invokes {@link defaultMocks} answers as the provider would, by token. */
const INVOKES: Record<string, InvokeAnswer> = {
  // The plan "deploys" as an assumed role named plan in the resource's account.
  "aws:index/getCallerIdentity:getCallerIdentity": (_inputs, { account }) => ({
    accountId: account,
    arn: `arn:aws:sts::${account}:assumed-role/plan/offline`,
    userId: "AROAPLAN:offline",
    id: account,
  }),
  "aws:iam/getSessionContext:getSessionContext": (inputs) => {
    const arn = String(inputs.arn);
    const assumed = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
    return assumed
      ? {
          arn,
          issuerArn: `arn:aws:iam::${assumed[1]}:role/${assumed[2]}`,
          issuerName: assumed[2],
          sessionName: assumed[3],
          id: arn,
        }
      : { arn, issuerArn: arn, issuerName: "", sessionName: "", id: arn };
  },
  "aws:index/getRegion:getRegion": (_inputs, { region }) => ({
    name: region,
    region,
    id: region,
    endpoint: `ec2.${region}.amazonaws.com`,
  }),
  // An alias of the resource's account: its ARN and a key id derived from the alias name.
  "aws:kms/getAlias:getAlias": (inputs, { account, region }) => {
    const name = String(inputs.name);
    const keyId = `mock-${name.replace(/^alias\//, "").replace(/[^A-Za-z0-9-]/g, "-")}`;
    return {
      name,
      arn: `arn:aws:kms:${region}:${account}:${name}`,
      targetKeyId: keyId,
      targetKeyArn: `arn:aws:kms:${region}:${account}:key/${keyId}`,
      id: `arn:aws:kms:${region}:${account}:${name}`,
    };
  },
  "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
  [GET_POLICY_DOCUMENT]: (inputs) => getPolicyDocument(inputs),
};

/**
 * The invokes {@link defaultMocks} answers as the provider would. Any other invoke gets its own inputs
 * back, and the run names it in its notices: what derives from it is not what AWS would answer.
 */
export const ANSWERED_INVOKES: ReadonlySet<string> = new Set(Object.keys(INVOKES));
