// A first `pulumi preview` knows no ARN, id or generated name yet. The default mocks make every value
// known; these mocks leave the state to the inputs alone, so everything a resource computes (arn, id-
// derived values) stays unknown in preview, as it does against AWS. The packs must then report no
// false violation, skip no check wholesale, and still judge the parts that are known.
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { runProgram } from "../../tooling/mock-runtime/harness";
import { defaultMocks } from "../../tooling/mock-runtime/mocks";
import { packConfigFor } from "../../tooling/plan/pack-config";
import { LoadedPack, Violation } from "../../tooling/policy-eval/packs";
import { loadPlatform } from "../../platform";
import { known, UNKNOWN, UNKNOWN_SENTINELS } from "@acme/lakehouse-policy-lib";

const ROOT = path.join(__dirname, "..", "..");
const config = packConfigFor(loadPlatform(path.join(ROOT, "stacks", "platform.yaml")));

const TAGS = {
  dataset: "shared",
  domain: "shared",
  owner: "data-platform",
  "owner-email": "data-platform@acme.example",
  classification: "restricted",
  source: "shared",
};

/** A program whose documents and principals are built from ARNs not known during preview. */
function program(): void {
  const provider = new aws.Provider("lake", { region: "eu-west-1", allowedAccountIds: ["111111111111"] });
  const key = new aws.kms.Key("key", { enableKeyRotation: true, tags: TAGS }, { provider });
  const bucket = new aws.s3.Bucket("data", { tags: TAGS }, { provider });
  const role = new aws.iam.Role("reader", { assumeRolePolicy: "{}" }, { provider });
  // Known statement, unknown resource: everyone may read.
  new aws.s3.BucketPolicy(
    "data-public",
    {
      bucket: bucket.id,
      policy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: pulumi.interpolate`${bucket.arn}/*`,
          },
        ],
      },
    },
    { provider },
  );
  // Known wildcard action on an unknown resource.
  new aws.iam.RolePolicy(
    "reader-everything",
    {
      role: role.name,
      policy: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:*", Resource: bucket.arn }],
      },
    },
    { provider },
  );
  // Encrypted with a key whose ARN is unknown: nothing to object to.
  new aws.kinesis.Stream(
    "events",
    { streamModeDetails: { streamMode: "ON_DEMAND" }, encryptionType: "KMS", kmsKeyId: key.arn, tags: TAGS },
    { provider },
  );
  // A principal not known yet: judged on its permissions alone.
  new aws.lakeformation.Permissions(
    "reader-all",
    { principal: role.arn, permissions: ["ALL"], table: { databaseName: "sales", wildcard: true } },
    { provider },
  );
  new aws.lakeformation.Permissions(
    "reader-select",
    { principal: role.arn, permissions: ["SELECT"], table: { databaseName: "sales", wildcard: true } },
    { provider },
  );
  // A tag whose value is not known yet counts as present.
  new aws.athena.Workgroup(
    "adhoc",
    {
      configuration: {
        bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: key.arn } },
      },
      tags: { ...TAGS, owner: role.name },
    },
    { provider },
  );
}

describe("policies in a preview with values not known yet", function () {
  this.timeout(120_000);
  let violations: Violation[];

  before(async () => {
    const { resources, withUnknowns } = await runProgram(program, {
      preview: true,
      mocks: (ctx) => ({
        // As in a real preview: a resource's state is its inputs; everything it computes is unknown.
        newResource: (args) => ({ id: undefined, state: args.inputs }),
        call: defaultMocks(ctx).call,
      }),
    });
    expect(withUnknowns.size, "resources with unknown inputs").to.be.greaterThan(4);
    violations = [];
    for (const dir of ["governance", "security"]) {
      const pack = await LoadedPack.load(path.join(ROOT, "policies", dir), (name) => config[name]);
      try {
        violations.push(...(await pack.evaluate(resources)));
      } finally {
        await pack.close();
      }
    }
  });

  const found = () => violations.map((v) => `${v.level} ${v.policy} ${v.urn?.split("::").pop() ?? ""}`);

  it("skips no check wholesale because of an unknown value", () => {
    expect(violations.filter((v) => v.message.includes("can't be known during preview"))).to.deep.equal([]);
  });

  it("still judges the known parts of documents and grants", () => {
    expect(found()).to.include.members([
      "mandatory s3-bucket-policy-disallow-cross-account-access data-public",
      "mandatory iam-policy-disallow-wildcard-actions reader-everything",
      "mandatory lakeformation-grant-require-known-principal reader-all",
    ]);
  });

  it("reports nothing that only an unknown value could decide", () => {
    const names = found();
    for (const resource of ["events", "reader-select", "adhoc"]) {
      expect(
        names.filter((n) => n.endsWith(` ${resource}`)),
        resource,
      ).to.deep.equal([]);
    }
  });

  it("reads inputs behind @pulumi/policy's unknown-checking proxy without tripping it", () => {
    // The sentinels are @pulumi/policy's own (pinned exactly in package.json).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const proxy = require("@pulumi/policy/proxy");
    const sentinels = Object.entries(proxy)
      .filter(([name]) => /^unknown\w+Value$/.test(name))
      .map(([, v]) => v);
    expect(new Set(sentinels)).to.deep.equal(new Set(UNKNOWN_SENTINELS));
    const wrapped = proxy.unknownCheckingProxy({ a: proxy.unknownStringValue, b: { c: 1 } });
    expect(() => wrapped.a).to.throw("can't be known during preview");
    expect(known(wrapped)).to.deep.equal({ a: UNKNOWN, b: { c: 1 } });
  });
});
