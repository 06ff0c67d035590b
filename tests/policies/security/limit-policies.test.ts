import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { runProgram } from "../../../tooling/mock-runtime/harness";
import { LoadedPack } from "../../../tooling/policy-eval/packs";
import { iamRoleTrustPolicyWithinSizeLimit } from "../../../policies/security/policies/iam-role-trust-policy-within-size-limit";
import { kmsKeyPolicyWithinSizeLimit } from "../../../policies/security/policies/kms-key-policy-within-size-limit";
import { resourceTagsWithinCountLimit } from "../../../policies/security/policies/resource-tags-within-count-limit";
import { UNKNOWN_SENTINELS } from "@acme/lakehouse-policy-lib";
import { runResourcePolicy } from "../helpers";

const ROOT = path.join(__dirname, "..", "..", "..");
const UNKNOWN_STRING = [...UNKNOWN_SENTINELS][0];

/** A document of `n` statements, each naming a consumer role (~170 characters each). */
function documentOf(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [...Array(n).keys()].map((i) => ({
      Sid: `Consumer${i}`,
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::333333333333:role/acme-lake-consumer-${i}` },
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
      ...extra,
    })),
  };
}

/** A string output not known until the deployment, as in a first preview. */
function unknownString(): pulumi.Output<string> {
  return pulumi.output("x").apply((): string => pulumi.unknown as never);
}

function tags(n: number, prefix = "k"): Record<string, string> {
  return Object.fromEntries([...Array(n).keys()].map((i) => [`${prefix}${i}`, "v"]));
}

async function violationsOf(
  policy: string,
  program: () => void,
): Promise<Array<{ urn: string | null; message: string }>> {
  const { resources } = await runProgram(program);
  const pack = await LoadedPack.load(path.join(ROOT, "policies", "security"));
  try {
    return (await pack.evaluate(resources))
      .filter((v) => v.policy === policy)
      .map((v) => ({ urn: v.urn?.split("::").pop() ?? null, message: v.message }));
  } finally {
    await pack.close();
  }
}

describe("lakehouse-security limits that grow with the platform", function () {
  this.timeout(120_000);

  describe("kms-key-policy-within-size-limit", () => {
    const run = (type: string, policy: unknown) =>
      runResourcePolicy(kmsKeyPolicyWithinSizeLimit, { type, props: { policy } });

    it("passes a key policy under 32 KB, pretty-printed whitespace not counted", async () => {
      expect(await run("aws:kms/key:Key", JSON.stringify(documentOf(150), null, 2))).to.deep.equal([]);
    });

    it("fails an aws.kms.Key policy over 32,768 bytes, naming the field and the fix", async () => {
      const [message] = (await run("aws:kms/key:Key", JSON.stringify(documentOf(250))))!;
      expect(message).to.match(/^policy is \d+ bytes; KMS refuses key policies over 32768 bytes/);
      expect(message).to.contain("Merge statements");
    });

    it("counts bytes, not characters: multi-byte text takes the policy over the limit", async () => {
      const doc = { ...documentOf(150), Id: "é".repeat(4000) }; // ~29,800 characters, ~33,800 bytes
      expect(JSON.stringify(doc).length).to.be.below(32768);
      const [message] = (await run("aws:kms/key:Key", doc))!;
      expect(message).to.match(/^policy is 3\d{4} bytes; KMS refuses/);
    });

    it("fails an aws.kms.KeyPolicy too, and ignores other resource types", async () => {
      expect(await run("aws:kms/keyPolicy:KeyPolicy", documentOf(250))).to.have.length(1);
      expect(await run("aws:s3/bucketPolicy:BucketPolicy", documentOf(250))).to.deep.equal([]);
    });

    it("reports no violation for a policy unknown in preview, and counts unknown parts as nothing", async () => {
      expect(await run("aws:kms/key:Key", UNKNOWN_STRING)).to.deep.equal([]);
      // 240 statements: over 32 KB only if the unknown principals were counted at their placeholder length.
      const doc = documentOf(240);
      (doc.Statement as Array<Record<string, unknown>>).forEach(
        (s) => (s.Principal = { AWS: UNKNOWN_STRING }),
      );
      expect(await run("aws:kms/key:Key", doc)).to.deep.equal([]);
      const [message] = (await run("aws:kms/key:Key", { ...documentOf(260), Id: UNKNOWN_STRING }))!;
      expect(message).to.match(/^policy is at least \d+ bytes/);
    });
  });

  describe("iam-role-trust-policy-within-size-limit", () => {
    const run = (assumeRolePolicy: unknown, config?: Record<string, unknown>) =>
      runResourcePolicy(iamRoleTrustPolicyWithinSizeLimit, {
        type: "aws:iam/role:Role",
        props: { assumeRolePolicy },
        config,
      });
    const trust = (n: number) =>
      documentOf(n, { Action: "sts:AssumeRole", Resource: undefined, Principal: undefined });

    it("passes a trust policy of at most 2,048 characters without whitespace", async () => {
      expect(await run(JSON.stringify(trust(15), null, 4))).to.deep.equal([]);
    });

    it("fails one over the default quota, saying the quota is adjustable up to 8,192", async () => {
      const [message] = (await run(JSON.stringify(documentOf(30, { Action: "sts:AssumeRole" }))))!;
      expect(message).to.match(
        /^assumeRolePolicy is \d+ characters without whitespace; IAM refuses trust policies over 2048/,
      );
      expect(message).to.contain("adjustable up to 8192");
      expect(message).to.contain("set this policy's maxCharacters");
    });

    it("judges against a raised quota set as maxCharacters", async () => {
      const doc = JSON.stringify(documentOf(30, { Action: "sts:AssumeRole" }));
      expect(await run(doc, { maxCharacters: 8192 })).to.deep.equal([]);
      const [message] = (await run(JSON.stringify(documentOf(80)), { maxCharacters: 8192 }))!;
      expect(message).to.contain("IAM refuses trust policies over 8192");
      expect(message).not.to.contain("adjustable");
    });

    it("reports no violation for a trust policy unknown in preview", async () => {
      expect(await run(UNKNOWN_STRING)).to.deep.equal([]);
    });
  });

  describe("iam-role-inline-policies-within-size-limit", () => {
    const POLICY = "iam-role-inline-policies-within-size-limit";
    const provider = () =>
      new aws.Provider("acct", { region: "eu-west-1", allowedAccountIds: ["111111111111"] });
    const assume = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    });

    it("passes a role whose inline policies total at most 10,240 characters", async () => {
      expect(
        await violationsOf(POLICY, () => {
          const p = provider();
          const role = new aws.iam.Role(
            "ingest",
            { name: "ingest", assumeRolePolicy: assume },
            { provider: p },
          );
          new aws.iam.RolePolicy(
            "ingest-a",
            { role: role.name, policy: JSON.stringify(documentOf(20)) },
            { provider: p },
          );
          new aws.iam.RolePolicy(
            "ingest-b",
            { role: role.name, policy: JSON.stringify(documentOf(20)) },
            { provider: p },
          );
        }),
      ).to.deep.equal([]);
    });

    it("fails a role whose RolePolicies and inlinePolicies together exceed 10,240 characters, on the role", async () => {
      const violations = await violationsOf(POLICY, () => {
        const p = provider();
        const role = new aws.iam.Role(
          "ingest",
          {
            name: "ingest",
            assumeRolePolicy: assume,
            inlinePolicies: [{ name: "own", policy: JSON.stringify(documentOf(25)) }],
          },
          { provider: p },
        );
        new aws.iam.RolePolicy(
          "ingest-a",
          { role: role.name, policy: JSON.stringify(documentOf(25)) },
          { provider: p },
        );
        new aws.iam.RolePolicy(
          "ingest-b",
          { role: "ingest", policy: JSON.stringify(documentOf(25)) },
          { provider: p },
        );
      });
      expect(violations).to.have.length(1);
      expect(violations[0].urn).to.equal("ingest");
      expect(violations[0].message).to.match(
        /Role ingest: its 3 inline policies \(inlinePolicies and aws.iam.RolePolicy\) total \d+ characters without whitespace; IAM refuses more than 10240 per role/,
      );
      expect(violations[0].message).to.contain("aws.iam.RolePolicyAttachment");
    });

    it("sums RolePolicies for a role outside the stack under its name", async () => {
      const violations = await violationsOf(POLICY, () => {
        const p = provider();
        for (const n of ["a", "b", "c"])
          new aws.iam.RolePolicy(
            `ext-${n}`,
            { role: "external-role", policy: JSON.stringify(documentOf(25)) },
            { provider: p },
          );
      });
      expect(violations.map((v) => v.message)).to.have.length(1);
      expect(violations[0].message).to.contain("Role external-role (outside this stack)");
    });

    it("does not sum policies whose role is not known until the deployment", async () => {
      expect(
        await violationsOf(POLICY, () => {
          const p = provider();
          const role = unknownString();
          for (const n of ["a", "b", "c"])
            new aws.iam.RolePolicy(
              `u-${n}`,
              { role, policy: JSON.stringify(documentOf(25)) },
              { provider: p },
            );
        }),
      ).to.deep.equal([]);
    });
  });

  describe("resource-tags-within-count-limit", () => {
    const run = (
      type: string,
      own: Record<string, unknown> | undefined,
      defaults?: Record<string, unknown>,
    ) =>
      runResourcePolicy(resourceTagsWithinCountLimit, {
        type,
        props: own === undefined ? {} : { tags: own },
        provider: defaults ? { defaultTags: { tags: defaults } } : undefined,
      });

    it("passes 50 user tags; aws:-prefixed keys do not count", async () => {
      expect(
        await run("aws:glue/catalogTable:CatalogTable", {
          ...tags(50),
          "aws:cloudformation:stack-name": "x",
        }),
      ).to.deep.equal([]);
    });

    it("fails 51 tags once the provider's default tags are added, naming both places to fix", async () => {
      const [message] = (await run("aws:kinesis/stream:Stream", tags(41), tags(10, "d")))!;
      expect(message).to.equal(
        "tags: the resource would carry 51 user tags (10 of them from the provider's defaultTags); AWS allows at most 50 user tags per resource. Remove tags from tags or the provider's defaultTags, and keep descriptive metadata out of tags.",
      );
    });

    it("does not count a default tag twice when the resource overrides it", async () => {
      expect(await run("aws:kinesis/stream:Stream", tags(50), tags(10))).to.deep.equal([]);
    });

    it("fails an S3 object with more than 10 tags, either object type", async () => {
      expect(await run("aws:s3/bucketObjectv2:BucketObjectv2", tags(10))).to.deep.equal([]);
      const [message] = (await run("aws:s3/bucketObjectv2:BucketObjectv2", tags(6), tags(5, "d")))!;
      expect(message).to.contain(
        "11 user tags (5 of them from the provider's defaultTags); S3 allows at most 10 tags per object",
      );
      expect(await run("aws:s3/bucketObject:BucketObject", tags(11))).to.have.length(1);
    });

    it("allows QuickSight and Scheduler resources up to 200 tags", async () => {
      expect(await run("aws:quicksight/dataSet:DataSet", tags(200))).to.deep.equal([]);
      expect(await run("aws:scheduler/scheduleGroup:ScheduleGroup", tags(200))).to.deep.equal([]);
      const [message] = (await run("aws:quicksight/dataSet:DataSet", tags(201)))!;
      expect(message).to.contain("QuickSight allows at most 200 tags per resource");
    });

    it("fails an AWS provider whose default tags alone exceed 50", async () => {
      const [message] = (await runResourcePolicy(resourceTagsWithinCountLimit, {
        type: "pulumi:providers:aws",
        props: { defaultTags: { tags: tags(51) } },
      }))!;
      expect(message).to.match(/^defaultTags.tags has 51 tags/);
    });

    it("skips resources without tags of their own and tag maps unknown in preview", async () => {
      expect(await run("aws:glue/catalogTable:CatalogTable", undefined, tags(30))).to.deep.equal([]);
      expect(
        await run("aws:glue/catalogTable:CatalogTable", UNKNOWN_STRING as never, tags(30)),
      ).to.deep.equal([]);
      expect(
        await run("aws:glue/catalogTable:CatalogTable", tags(45), UNKNOWN_STRING as never),
      ).to.deep.equal([]);
    });
  });

  describe("lakeformation-resource-lf-tags-within-count-limit", () => {
    const POLICY = "lakeformation-resource-lf-tags-within-count-limit";
    const lfTags = (from: number, n: number) =>
      [...Array(n).keys()].map((i) => ({ key: `key${from + i}`, value: "v" }));

    it("passes a table with 50 LF-tags across declarations", async () => {
      expect(
        await violationsOf(POLICY, () => {
          const table = { databaseName: "sales", name: "orders" };
          new aws.lakeformation.ResourceLfTags("a", { table, lfTags: lfTags(0, 30) });
          new aws.lakeformation.ResourceLfTags("b", { table, lfTags: lfTags(20, 30) }); // keys 20-29 repeat
        }),
      ).to.deep.equal([]);
    });

    it("fails a table assigned 51 distinct LF-tag keys across declarations, keys compared lowercase", async () => {
      const violations = await violationsOf(POLICY, () => {
        const table = { databaseName: "sales", name: "orders" };
        new aws.lakeformation.ResourceLfTags("a", { table, lfTags: lfTags(0, 30) });
        new aws.lakeformation.ResourceLfTags("b", {
          table,
          lfTags: [...lfTags(30, 21), { key: "KEY0", value: "v" }],
        });
        new aws.lakeformation.ResourceLfTags("other", {
          table: { databaseName: "sales", name: "customers" },
          lfTags: lfTags(0, 30),
        });
      });
      expect(violations).to.have.length(1);
      expect(violations[0].message).to.match(
        /The table [^ ]*:sales.orders is assigned 51 LF-tags \(lfTags across 2 declarations\); Lake Formation allows at most 50 per resource/,
      );
    });

    it("counts a column wildcard and single ResourceLfTag declarations towards each named column", async () => {
      const violations = await violationsOf(POLICY, () => {
        const columns = { databaseName: "sales", name: "orders" };
        new aws.lakeformation.ResourceLfTags("all", {
          tableWithColumns: { ...columns, wildcard: true },
          lfTags: lfTags(0, 50),
        });
        new aws.lakeformation.ResourceLfTag("email", {
          tableWithColumns: { ...columns, columnNames: ["email"] },
          lfTag: { key: "pii", value: "true" },
        });
      });
      expect(violations.map((v) => v.message)).to.have.length(1);
      expect(violations[0].message).to.contain("column ");
      expect(violations[0].message).to.contain("sales.orders.email is assigned 51 LF-tags");
    });

    it("skips declarations whose resource is not known until the deployment", async () => {
      expect(
        await violationsOf(POLICY, () => {
          const name = unknownString();
          for (const n of ["a", "b"])
            new aws.lakeformation.ResourceLfTags(n, {
              database: { name },
              lfTags: lfTags(n === "a" ? 0 : 30, 30),
            });
        }),
      ).to.deep.equal([]);
    });
  });
});
