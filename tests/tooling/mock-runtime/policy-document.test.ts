// aws.iam.getPolicyDocument answered offline as the provider answers it. The cases are the examples of the
// data source's documentation (terraform-provider-aws website/docs/d/iam_policy_document.html.markdown,
// rendered for Pulumi at https://www.pulumi.com/registry/packages/aws/api-docs/iam/getpolicydocument/), their
// documented `json` compared as parsed JSON. The documentation predates provider v5.0.0, which stopped
// writing empty Sids (hashicorp/terraform-provider-aws#28539): its `"Sid": ""` lines are left out here.
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ProgramError, runProgram } from "../../../tooling/mock-runtime/harness";
import { getPolicyDocument, PolicyDocumentError } from "../../../tooling/mock-runtime/policy-document";
import { LoadedPack } from "../../../tooling/policy-eval/packs";

const ROOT = path.join(__dirname, "..", "..", "..");
const doc = (inputs: Parameters<typeof aws.iam.getPolicyDocument>[0]) =>
  JSON.parse(getPolicyDocument(inputs as Record<string, unknown>).json as string);
const json = (inputs: Parameters<typeof aws.iam.getPolicyDocument>[0]) =>
  getPolicyDocument(inputs as Record<string, unknown>).json as string;
const all = (sid: string | undefined, actions: string[], resources: string[], effect?: string) => ({
  ...(sid ? { sid } : {}),
  ...(effect ? { effect } : {}),
  actions,
  resources,
});

describe("aws.iam.getPolicyDocument, answered offline", () => {
  describe("the documentation's examples", () => {
    it("Basic Example: sets written one as a string, several reverse-sorted; &{…} written ${…}; condition values in order", () => {
      expect(
        doc({
          statements: [
            all("1", ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], ["arn:aws:s3:::*"]),
            {
              actions: ["s3:ListBucket"],
              resources: ["arn:aws:s3:::my-bucket"],
              conditions: [
                { test: "StringLike", variable: "s3:prefix", values: ["", "home/", "home/&{aws:username}/"] },
              ],
            },
            all(
              undefined,
              ["s3:*"],
              [
                "arn:aws:s3:::my-bucket/home/&{aws:username}",
                "arn:aws:s3:::my-bucket/home/&{aws:username}/*",
              ],
            ),
          ],
        }),
      ).to.deep.equal({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "1",
            Effect: "Allow",
            Action: ["s3:ListAllMyBuckets", "s3:GetBucketLocation"],
            Resource: "arn:aws:s3:::*",
          },
          {
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: "arn:aws:s3:::my-bucket",
            Condition: { StringLike: { "s3:prefix": ["", "home/", "home/${aws:username}/"] } },
          },
          {
            Effect: "Allow",
            Action: "s3:*",
            Resource: [
              "arn:aws:s3:::my-bucket/home/${aws:username}/*",
              "arn:aws:s3:::my-bucket/home/${aws:username}",
            ],
          },
        ],
      });
    });

    it("Example Multiple Condition Keys", () => {
      expect(
        doc({
          statements: [
            {
              actions: ["kms:Decrypt", "kms:GenerateDataKey"],
              resources: ["*"],
              conditions: [
                {
                  test: "ForAnyValue:StringEquals",
                  variable: "kms:EncryptionContext:service",
                  values: ["pi"],
                },
                {
                  test: "ForAnyValue:StringEquals",
                  variable: "kms:EncryptionContext:aws:pi:service",
                  values: ["rds"],
                },
              ],
            },
          ],
        }),
      ).to.deep.equal({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: "*",
            Condition: {
              "ForAnyValue:StringEquals": {
                "kms:EncryptionContext:aws:pi:service": "rds",
                "kms:EncryptionContext:service": "pi",
              },
            },
          },
        ],
      });
    });

    it("Example Assume-Role Policy with Multiple Principals: grouped by type", () => {
      expect(
        doc({
          statements: [
            {
              actions: ["sts:AssumeRole"],
              principals: [
                { type: "Service", identifiers: ["firehose.amazonaws.com"] },
                { type: "AWS", identifiers: ["arn:aws:iam::111111111111:role/trusted"] },
                {
                  type: "Federated",
                  identifiers: [
                    "arn:aws:iam::111111111111:saml-provider/corp",
                    "cognito-identity.amazonaws.com",
                  ],
                },
              ],
            },
          ],
        }).Statement[0],
      ).to.deep.equal({
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: {
          AWS: "arn:aws:iam::111111111111:role/trusted",
          Federated: ["cognito-identity.amazonaws.com", "arn:aws:iam::111111111111:saml-provider/corp"],
          Service: "firehose.amazonaws.com",
        },
      });
    });

    const source = json({
      statements: [all(undefined, ["ec2:*"], ["*"]), all("SidToOverride", ["s3:*"], ["*"])],
    });

    it("Example Using A Source Document: the document's statement replaces the source's of the same Sid", () => {
      expect(
        doc({
          sourcePolicyDocuments: [source],
          statements: [
            all("SidToOverride", ["s3:*"], ["arn:aws:s3:::somebucket", "arn:aws:s3:::somebucket/*"]),
          ],
        }),
      ).to.deep.equal({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "ec2:*", Resource: "*" },
          {
            Sid: "SidToOverride",
            Effect: "Allow",
            Action: "s3:*",
            Resource: ["arn:aws:s3:::somebucket/*", "arn:aws:s3:::somebucket"],
          },
        ],
      });
    });

    it("Example Using An Override Document: the override replaces the document's statement", () => {
      expect(
        doc({
          overridePolicyDocuments: [json({ statements: [all("SidToOverride", ["s3:*"], ["*"])] })],
          statements: [
            all(undefined, ["ec2:*"], ["*"]),
            all("SidToOverride", ["s3:*"], ["arn:aws:s3:::somebucket", "arn:aws:s3:::somebucket/*"]),
          ],
        }),
      ).to.deep.equal({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "ec2:*", Resource: "*" },
          { Sid: "SidToOverride", Effect: "Allow", Action: "s3:*", Resource: "*" },
        ],
      });
    });

    it("Example with Both Source and Override Documents", () => {
      expect(
        doc({
          sourcePolicyDocuments: [
            json({ statements: [all("OverridePlaceholder", ["ec2:DescribeAccountAttributes"], ["*"])] }),
          ],
          overridePolicyDocuments: [
            json({ statements: [all("OverridePlaceholder", ["s3:GetObject"], ["*"])] }),
          ],
        }),
      ).to.deep.equal({
        Version: "2012-10-17",
        Statement: [{ Sid: "OverridePlaceholder", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
      });
    });

    it("Example of Merging Source Documents: in order, statements without Sid kept", () => {
      const one = json({
        statements: [all(undefined, ["ec2:*"], ["*"]), all("UniqueSidOne", ["s3:*"], ["*"])],
      });
      const two = json({
        statements: [all("UniqueSidTwo", ["iam:*"], ["*"]), all(undefined, ["lambda:*"], ["*"])],
      });
      expect(doc({ sourcePolicyDocuments: [one, two] })).to.deep.equal({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "ec2:*", Resource: "*" },
          { Sid: "UniqueSidOne", Effect: "Allow", Action: "s3:*", Resource: "*" },
          { Sid: "UniqueSidTwo", Effect: "Allow", Action: "iam:*", Resource: "*" },
          { Effect: "Allow", Action: "lambda:*", Resource: "*" },
        ],
      });
    });

    it("Example of Merging Override Documents: each override replaces by Sid, in order", () => {
      const one = json({ statements: [all("OverridePlaceHolderOne", ["s3:*"], ["*"], "Allow")] });
      const two = json({
        statements: [
          all(undefined, ["ec2:*"], ["*"], "Allow"),
          all("OverridePlaceHolderTwo", ["iam:*"], ["*"], "Allow"),
        ],
      });
      const three = json({ statements: [all("OverridePlaceHolderOne", ["logs:*"], ["*"], "Deny")] });
      expect(
        doc({
          overridePolicyDocuments: [one, two, three],
          statements: [all("OverridePlaceHolderTwo", ["*"], ["*"], "Deny")],
        }),
      ).to.deep.equal({
        Version: "2012-10-17",
        Statement: [
          { Sid: "OverridePlaceHolderTwo", Effect: "Allow", Action: "iam:*", Resource: "*" },
          { Sid: "OverridePlaceHolderOne", Effect: "Deny", Action: "logs:*", Resource: "*" },
          { Effect: "Allow", Action: "ec2:*", Resource: "*" },
        ],
      });
    });
  });

  describe("the provider's other rules", () => {
    it('writes type * with identifier * alone as Principal "*", {AWS: "*"} as it is', () => {
      const principal = (type: string) =>
        doc({ statements: [{ actions: ["s3:GetObject"], principals: [{ type, identifiers: ["*"] }] }] })
          .Statement[0].Principal;
      expect(principal("*")).to.equal("*");
      expect(principal("AWS")).to.deep.equal({ AWS: "*" });
    });

    it("gives minifiedJson, a CRC-32 id of json, escapes <>& as Go does, and keeps policyId and version", () => {
      const result = getPolicyDocument({
        policyId: "p1",
        version: "2008-10-17",
        statements: [
          {
            actions: ["s3:GetObject"],
            resources: ["*"],
            conditions: [{ test: "StringEquals", variable: "aws:PrincipalTag/team", values: ["a&b"] }],
          },
        ],
      });
      expect(result.minifiedJson).to.equal(
        '{"Version":"2008-10-17","Id":"p1","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a\\u0026b"}}}]}',
      );
      expect(JSON.parse(result.json as string)).to.deep.equal(JSON.parse(result.minifiedJson as string));
      expect(result.json).to.contain('\n  "Version": "2008-10-17",\n');
      expect(result.id).to.match(/^\d+$/);
      expect(getPolicyDocument({ statements: [] }).json).to.equal('{\n  "Version": "2012-10-17"\n}');
    });

    it("refuses what the provider refuses, naming the field", () => {
      const bad: [Record<string, unknown>, RegExp][] = [
        [{ statements: [{ effect: "allow" }] }, /statements\[0\]\.effect must be Allow or Deny/],
        [{ statements: [{ sid: "a-b" }] }, /statements\[0\]\.sid must only include alphanumeric/],
        [{ statements: [{ sid: "A" }, { sid: "A" }] }, /duplicate Sid \(A\)/],
        [{ version: "2020-01-01" }, /version must be one of 2008-10-17, 2012-10-17/],
        [
          { version: "2008-10-17", statements: [{ resources: ["&{aws:username}"] }] },
          /not supported in document version 2008-10-17/,
        ],
        [{ sourcePolicyDocuments: ["{"] }, /sourcePolicyDocuments\[0\] is not valid JSON/],
        [
          {
            sourcePolicyDocuments: [
              json({ statements: [{ sid: "X" }] }),
              json({ statements: [{ sid: "X" }] }),
            ],
          },
          /merging source document 1: duplicate Sid \(X\)/,
        ],
      ];
      for (const [inputs, message] of bad) {
        expect(() => getPolicyDocument(inputs), JSON.stringify(inputs)).to.throw(
          PolicyDocumentError,
          message,
        );
      }
    });
  });

  describe("in a program", () => {
    it("answers the promise and the Output forms, so the document a resource gets is the provider's", async () => {
      const { resources, notices } = await runProgram(async () => {
        const assume = await aws.iam.getPolicyDocument({
          statements: [
            {
              actions: ["sts:AssumeRole"],
              principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
            },
          ],
        });
        const role = new aws.iam.Role("fn", { assumeRolePolicy: assume.json });
        const bucket = new aws.s3.Bucket("data");
        const policy = aws.iam.getPolicyDocumentOutput({
          statements: [{ actions: ["s3:*"], resources: [pulumi.interpolate`${bucket.arn}/*`] }],
        });
        new aws.iam.RolePolicy("fn-s3", { role: role.name, policy: policy.json });
      });
      expect(notices.filter((n) => n.includes("getPolicyDocument"))).to.deep.equal([]);
      const role = resources.find((r) => r.type === "aws:iam/role:Role")!;
      expect(JSON.parse(role.inputs.assumeRolePolicy as string)).to.deep.equal({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } },
        ],
      });
      const inline = resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy")!;
      expect(JSON.parse(inline.inputs.policy as string).Statement[0]).to.deep.equal({
        Effect: "Allow",
        Action: "s3:*",
        Resource: "arn:aws:s3:::data/*",
      });

      // The security pack judges the document, where before it saw the invoke's inputs echoed back.
      const pack = await LoadedPack.load(path.join(ROOT, "policies", "security"));
      try {
        const violations = (await pack.evaluate(resources)).filter(
          (v) => v.policy === "iam-policy-disallow-wildcard-actions",
        );
        expect(violations).to.have.length(1);
        expect(violations[0].message).to.contain(
          "\nThe policy allows s3:*; list the actions the principal needs instead.",
        );
      } finally {
        await pack.close();
      }
    });

    it("fails the program with the provider's reason for a document it refuses", async () => {
      const run = runProgram(async () => {
        await aws.iam.getPolicyDocument({ statements: [{ sid: "A" }, { sid: "A" }] });
      });
      const err = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(ProgramError);
      expect((err as ProgramError).message).to.equal(
        "invocation of aws:iam/getPolicyDocument:getPolicyDocument returned an error: " +
          "aws.iam.getPolicyDocument: duplicate Sid (A). Remove the Sid or ensure the Sid is unique.",
      );
    });

    it("names an invoke the plan does not answer in the run's notices, once", async () => {
      const { notices } = await runProgram(async () => {
        await aws.ec2.getVpc({ default: true });
        await aws.ec2.getVpc({ default: true });
        await aws.getCallerIdentity();
      });
      expect(notices).to.deep.equal([
        "invoke aws:ec2/getVpc:getVpc: a data source the offline plan does not answer; the program got its own " +
          "arguments back as the result, so what it derives from it is not what AWS would return",
      ]);
    });
  });
});
