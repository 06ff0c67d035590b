import * as path from "path";
import * as aws from "@pulumi/aws";
import type { StackValidationPolicy } from "@pulumi/policy";
import { expect } from "chai";
import { runProgram } from "../../../tooling/mock-runtime/harness";
import { LoadedPack } from "../../../tooling/policy-eval/packs";
import { athenaDatabaseEnforceEncryption } from "../../../policies/security/policies/athena-database-enforce-encryption";
import { glueRequireSecurityConfiguration } from "../../../policies/security/policies/glue-require-security-configuration";
import { runStackPolicy, StackResourceCase } from "../helpers";

const ROOT = path.join(__dirname, "..", "..", "..");
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/lake";
/** A value not known until the deployment, as `@pulumi/policy` hands it to policies in a preview. */
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const JOB = "aws:glue/job:Job";
const CRAWLER = "aws:glue/crawler:Crawler";
const SECURITY = "aws:glue/securityConfiguration:SecurityConfiguration";
const DATABASE = "aws:athena/database:Database";
const WORKGROUP = "aws:athena/workgroup:Workgroup";

interface Declared extends Omit<StackResourceCase, "dependsOn"> {
  /** Inputs set from another resource's output: input name → that resource's name. */
  readonly dependsOn?: Record<string, string>;
}

/** Runs a stack policy directly over `declared` (the shared `runStackPolicy`); its messages. */
async function runStack(
  policy: StackValidationPolicy,
  declared: Declared[],
  config?: Record<string, unknown>,
): Promise<string[]> {
  const stack = declared.map((d) => ({
    ...d,
    dependsOn: d.dependsOn && Object.fromEntries(Object.entries(d.dependsOn).map(([k, v]) => [k, [v]])),
  }));
  const found = await runStackPolicy(policy, stack, config);
  if (!found) throw new Error(`${policy.name} declared itself not applicable`);
  return found.map((v) => v.message);
}

/** A security configuration's encryptionConfiguration: every setting under KMS, overridden by `over`. */
function encryption(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: KEY },
    cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: KEY },
    jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: KEY },
    ...over,
  };
}

const job = (props: Record<string, unknown> = {}, dependsOn?: Record<string, string>): Declared => ({
  type: JOB,
  name: "orders-etl",
  props: {
    name: "orders-etl",
    roleArn: "arn:aws:iam::111111111111:role/etl",
    command: { scriptLocation: "s3://scripts/etl.py" },
    ...props,
  },
  dependsOn,
});
const crawler = (props: Record<string, unknown> = {}): Declared => ({
  type: CRAWLER,
  name: "orders-crawler",
  props: {
    name: "orders-crawler",
    databaseName: "sales",
    role: "arn:aws:iam::111111111111:role/c",
    ...props,
  },
});
const security = (name: string, encryptionConfiguration: Record<string, unknown>): Declared => ({
  type: SECURITY,
  name,
  props: { name, encryptionConfiguration },
});

describe("glue-require-security-configuration", function () {
  this.timeout(60_000);
  const run = (declared: Declared[]) => runStack(glueRequireSecurityConfiguration, declared);

  it("fails a job and a crawler without securityConfiguration, naming each, the field and the fix", async () => {
    const [forJob, forCrawler] = await run([job(), crawler()]);
    expect(forJob).to.contain("Glue job orders-etl sets no securityConfiguration");
    expect(forJob).to.contain("its S3 targets, CloudWatch logs and job bookmarks");
    expect(forJob).to.contain('s3Encryption { s3EncryptionMode: "SSE-KMS", kmsKeyArn }');
    expect(forJob).to.contain("set securityConfiguration to its name");
    expect(forCrawler).to.contain("Glue crawler orders-crawler sets no securityConfiguration");
    expect(forCrawler).to.contain("its CloudWatch logs");
    expect(await run([job({ securityConfiguration: "" })])).to.have.length(1);
  });

  it("passes a job whose configuration of the stack encrypts S3, logs and bookmarks under a customer-managed key", async () => {
    expect(
      await run([security("lake-etl", encryption()), job({ securityConfiguration: "lake-etl" })]),
    ).to.deep.equal([]);
  });

  it("fails a job whose configuration leaves S3 at SSE-S3 and bookmarks disabled, listing both", async () => {
    const [message] = await run([
      security(
        "weak",
        encryption({
          s3Encryption: { s3EncryptionMode: "SSE-S3" },
          jobBookmarksEncryption: { jobBookmarksEncryptionMode: "DISABLED" },
        }),
      ),
      job({ securityConfiguration: "weak" }),
    ]);
    expect(message).to.contain("Glue job orders-etl runs with security configuration weak");
    expect(message).to.contain(
      "encryptionConfiguration.s3Encryption.s3EncryptionMode is SSE-S3, so the S3 data it writes are not encrypted",
    );
    expect(message).to.contain(
      "encryptionConfiguration.jobBookmarksEncryption.jobBookmarksEncryptionMode is DISABLED",
    );
    expect(message).to.not.contain("cloudwatchEncryption.cloudwatchEncryptionMode is");
  });

  it("judges a crawler on its logs only: S3 and bookmarks disabled pass, logs disabled fail", async () => {
    const logsOnly = encryption({
      s3Encryption: { s3EncryptionMode: "DISABLED" },
      jobBookmarksEncryption: { jobBookmarksEncryptionMode: "DISABLED" },
    });
    expect(await run([security("logs", logsOnly), crawler({ securityConfiguration: "logs" })])).to.deep.equal(
      [],
    );
    const [message] = await run([
      security("nologs", encryption({ cloudwatchEncryption: { cloudwatchEncryptionMode: "DISABLED" } })),
      crawler({ securityConfiguration: "nologs" }),
    ]);
    expect(message).to.contain("Glue crawler orders-crawler runs with security configuration nologs");
    expect(message).to.contain("cloudwatchEncryption.cloudwatchEncryptionMode is DISABLED");
    // The same configuration for a job: its S3 and bookmarks count too.
    expect((await run([security("logs", logsOnly), job({ securityConfiguration: "logs" })]))[0]).to.contain(
      "s3Encryption.s3EncryptionMode is DISABLED",
    );
  });

  it("fails KMS modes without a key or with an AWS managed key", async () => {
    const [message] = await run([
      security(
        "aws-keys",
        encryption({
          s3Encryption: {
            s3EncryptionMode: "SSE-KMS",
            kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:alias/aws/s3",
          },
          cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS" },
        }),
      ),
      job({ securityConfiguration: "aws-keys" }),
    ]);
    expect(message).to.contain(
      "s3Encryption.kmsKeyArn is arn:aws:kms:eu-west-1:111111111111:alias/aws/s3, not a customer-managed key",
    );
    expect(message).to.contain("cloudwatchEncryption.kmsKeyArn is unset");
  });

  it("finds the configuration through the input's dependency when its name is not known yet", async () => {
    const weak = security("weak", encryption({ s3Encryption: { s3EncryptionMode: "DISABLED" } }));
    const [message] = await run([
      { ...weak, props: { ...weak.props, name: UNKNOWN_VALUE } },
      job({ securityConfiguration: UNKNOWN_VALUE }, { securityConfiguration: "weak" }),
    ]);
    expect(message).to.contain("s3Encryption.s3EncryptionMode is DISABLED");
  });

  it("takes another stack's configuration as named, skips unknown values and exempts Ray jobs", async () => {
    expect(await run([job({ securityConfiguration: "central-etl" })])).to.deep.equal([]);
    expect(await run([job({ securityConfiguration: UNKNOWN_VALUE })])).to.deep.equal([]);
    expect(
      await run([
        security("later", {
          s3Encryption: UNKNOWN_VALUE,
          cloudwatchEncryption: UNKNOWN_VALUE,
          jobBookmarksEncryption: UNKNOWN_VALUE,
        }),
        job({ securityConfiguration: "later" }),
      ]),
    ).to.deep.equal([]);
    expect(
      await run([job({ command: { name: "glueray", scriptLocation: "s3://scripts/ray.py" } })]),
    ).to.deep.equal([]);
  });

  it("reports, through the pack, a job set from a weak configuration's name output on the job", async () => {
    const { resources } = await runProgram(() => {
      const provider = new aws.Provider("team", { region: "eu-west-1", allowedAccountIds: ["111111111111"] });
      const config = new aws.glue.SecurityConfiguration(
        "etl-security",
        {
          encryptionConfiguration: {
            s3Encryption: { s3EncryptionMode: "SSE-S3" },
            cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: KEY },
            jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: KEY },
          },
        },
        { provider },
      );
      new aws.glue.Job(
        "orders-etl",
        {
          roleArn: "arn:aws:iam::111111111111:role/etl",
          command: { scriptLocation: "s3://scripts/etl.py" },
          securityConfiguration: config.name,
        },
        { provider },
      );
      new aws.glue.Job(
        "bare-etl",
        { roleArn: "arn:aws:iam::111111111111:role/etl", command: { scriptLocation: "s3://scripts/etl.py" } },
        { provider },
      );
    });
    const pack = await LoadedPack.load(path.join(ROOT, "policies", "security"));
    try {
      const found = (await pack.evaluate(resources)).filter(
        (v) => v.policy === "glue-require-security-configuration",
      );
      expect(found.map((v) => [v.level, v.urn?.split("::").pop()]).sort()).to.deep.equal([
        ["mandatory", "bare-etl"],
        ["mandatory", "orders-etl"],
      ]);
      expect(found.find((v) => v.urn?.endsWith("::orders-etl"))!.message).to.contain(
        "s3Encryption.s3EncryptionMode is SSE-S3",
      );
    } finally {
      await pack.close();
    }
  });
});

describe("athena-database-enforce-encryption", function () {
  this.timeout(60_000);
  const database = (props: Record<string, unknown>, dependsOn?: Record<string, string>): Declared => ({
    type: DATABASE,
    name: "scratch",
    props: { name: "scratch", bucket: "analysts-results", ...props },
    dependsOn,
  });
  const workgroup = (name: string, configuration: Record<string, unknown>): Declared => ({
    type: WORKGROUP,
    name,
    props: { name, configuration },
  });
  const run = (declared: Declared[], config?: Record<string, unknown>) =>
    runStack(athenaDatabaseEnforceEncryption, declared, config);

  it("passes SSE_KMS or CSE_KMS with a key", async () => {
    for (const encryptionOption of ["SSE_KMS", "CSE_KMS"])
      expect(
        await run([database({ encryptionConfiguration: { encryptionOption, kmsKey: KEY } })]),
      ).to.deep.equal([]);
  });

  it("fails no encryption, SSE_S3 and a KMS option without key, naming the database, the field and the fix", async () => {
    const [none] = await run([database({})]);
    expect(none).to.contain("Athena database scratch writes the results of its CREATE/DROP DATABASE queries");
    expect(none).to.contain("to s3://analysts-results/ not encrypted (no encryptionConfiguration)");
    expect(none).to.contain('Set encryptionConfiguration { encryptionOption: "SSE_KMS", kmsKey:');
    expect(
      (await run([database({ encryptionConfiguration: { encryptionOption: "SSE_S3" } })]))[0],
    ).to.contain("encrypted with SSE_S3.");
    expect(
      (await run([database({ encryptionConfiguration: { encryptionOption: "SSE_KMS" } })]))[0],
    ).to.contain("encrypted with SSE_KMS and no kmsKey");
  });

  it("accepts SSE_S3 only with requireKms: false", async () => {
    const sseS3 = [database({ encryptionConfiguration: { encryptionOption: "SSE_S3" } })];
    expect(await run(sseS3, { requireKms: false })).to.deep.equal([]);
    expect((await run([database({})], { requireKms: false }))[0]).to.contain('(or "SSE_S3")');
  });

  it("takes the encryption of a workgroup of the stack that enforces its configuration (the default)", async () => {
    const enforcing = workgroup("analysts", { resultConfiguration: { outputLocation: "s3://r/" } });
    expect(await run([enforcing, database({ workgroup: "analysts" })])).to.deep.equal([]);
    expect(
      await run([
        { ...enforcing, props: { ...enforcing.props, name: UNKNOWN_VALUE } },
        database({ workgroup: UNKNOWN_VALUE }, { workgroup: "analysts" }),
      ]),
    ).to.deep.equal([]);
    const [message] = await run([
      workgroup("lax", { enforceWorkgroupConfiguration: false }),
      database({ workgroup: "lax" }),
    ]);
    expect(message).to.contain("Workgroup lax does not enforce its configuration");
    // A workgroup of another stack (primary) is not known to enforce anything.
    expect(await run([database({ workgroup: "primary" })])).to.have.length(1);
  });

  it("skips what is not known yet", async () => {
    expect(await run([database({ encryptionConfiguration: UNKNOWN_VALUE })])).to.deep.equal([]);
    expect(await run([database({ workgroup: UNKNOWN_VALUE })])).to.deep.equal([]);
  });

  it("reports, through the pack, a database in a workgroup that lets clients override it", async () => {
    const { resources } = await runProgram(() => {
      const provider = new aws.Provider("team", { region: "eu-west-1", allowedAccountIds: ["111111111111"] });
      const lax = new aws.athena.Workgroup(
        "lax",
        { name: "lax", configuration: { enforceWorkgroupConfiguration: false } },
        { provider },
      );
      const strict = new aws.athena.Workgroup("strict", { name: "strict" }, { provider });
      new aws.athena.Database("scratch", { name: "scratch", bucket: "r", workgroup: lax.name }, { provider });
      new aws.athena.Database("reports", { name: "reports", workgroup: strict.name }, { provider });
    });
    const pack = await LoadedPack.load(path.join(ROOT, "policies", "security"));
    try {
      const found = (await pack.evaluate(resources)).filter(
        (v) => v.policy === "athena-database-enforce-encryption",
      );
      expect(found.map((v) => [v.level, v.urn?.split("::").pop()])).to.deep.equal([["mandatory", "scratch"]]);
    } finally {
      await pack.close();
    }
  });
});
