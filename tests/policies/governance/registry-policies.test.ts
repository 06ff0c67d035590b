// Governance policies that judge programs against the platform definition, given as pack config
// (the config `npm run policy-config` writes for the example platform).
import * as path from "path";
import { expect } from "chai";
import { datasetRequireRegistration } from "../../../policies/governance/policies/dataset-require-registration";
import { lakeStorageDisallowCrossAccountWrites } from "../../../policies/governance/policies/lake-storage-disallow-cross-account-writes";
import { lakeformationGrantRequireKnownPrincipal } from "../../../policies/governance/policies/lakeformation-grant-require-known-principal";
import { s3BucketPolicyDisallowCrossAccountAccess } from "../../../policies/governance/policies/s3-bucket-policy-disallow-cross-account-access";
import { packConfigFor } from "../../../tooling/plan/pack-config";
import { loadPlatform } from "../../../platform";
import { NOT_CONFIGURED } from "@acme/lakehouse-policy-lib";
import { runResourcePolicy } from "../helpers";

const platform = loadPlatform(path.join(__dirname, "..", "..", "..", "stacks", "platform.yaml"));
const config = packConfigFor(platform)["lakehouse-governance"] as Record<string, Record<string, unknown>>;

const LAKE = { region: "eu-west-1", allowedAccountIds: ["111111111111"] };
const OPS = { region: "eu-west-1", allowedAccountIds: ["333333333333"] };
const ORDERS_TAGS = {
  dataset: "orders",
  domain: "sales",
  owner: "order-management",
  "owner-email": "order-management@acme.example",
  classification: "confidential",
  source: "database",
};
const RAW = "acme-lake-111111111111-raw";
const ORDERS_ROLE = "arn:aws:iam::333333333333:role/acme-lake-orders-ingest";

/** The raw bucket's policy with one statement, judged by the cross-account rule in the lake's stack. */
const runRawBucketPolicy = (statement: Record<string, unknown>) =>
  runResourcePolicy(s3BucketPolicyDisallowCrossAccountAccess, {
    type: "aws:s3/bucketPolicy:BucketPolicy",
    props: { bucket: RAW, policy: JSON.stringify({ Statement: [statement] }) },
    provider: LAKE,
    config: config["s3-bucket-policy-disallow-cross-account-access"],
  });

describe("lakehouse-governance policies judged against the platform definition", () => {
  describe("dataset-require-registration", () => {
    const run = (type: string, props: Record<string, unknown>, provider: Record<string, unknown> = LAKE) =>
      runResourcePolicy(datasetRequireRegistration, {
        type,
        props,
        provider,
        config: config["dataset-require-registration"],
      });

    it("passes a resource of a registered dataset carrying its registered values, and shared resources", async () => {
      expect(await run("aws:kinesis/stream:Stream", { tags: ORDERS_TAGS }, OPS)).to.deep.equal([]);
      expect(
        await run("aws:s3/bucket:Bucket", { tags: { ...ORDERS_TAGS, dataset: "shared" } }),
      ).to.deep.equal([]);
      expect(
        await run("aws:glue/catalogTable:CatalogTable", {
          databaseName: "sales",
          name: "orders",
          parameters: ORDERS_TAGS,
        }),
      ).to.deep.equal([]);
    });

    it("fails a resource of a dataset nobody registered, naming the registered ones", async () => {
      const [message] = (await run("aws:kinesis/stream:Stream", {
        tags: { ...ORDERS_TAGS, dataset: "payroll" },
      }))!;
      expect(message).to.contain('Dataset "payroll" is not registered');
      expect(message).to.contain("clickstream, orders");
    });

    it("fails tags that differ from the registration", async () => {
      const [message] = (await run("aws:athena/workgroup:Workgroup", {
        tags: { ...ORDERS_TAGS, classification: "internal", owner: "someone-else" },
      }))!;
      expect(message).to.contain('owner is "someone-else", registered "order-management"');
      expect(message).to.contain('classification is "internal", registered "confidential"');
    });

    it("fails a second table of a dataset: renamed, or in another account's catalog", async () => {
      const [renamed] = (await run("aws:glue/catalogTable:CatalogTable", {
        databaseName: "sales",
        name: "orders_copy",
        parameters: ORDERS_TAGS,
      }))!;
      expect(renamed).to.contain(
        'Table sales.orders_copy describes dataset "orders", whose one table is sales.orders',
      );
      const [elsewhere] = (await run(
        "aws:glue/catalogTable:CatalogTable",
        { databaseName: "sales", name: "orders", parameters: ORDERS_TAGS },
        { allowedAccountIds: ["444444444444"] },
      ))!;
      expect(elsewhere).to.contain("in account 444444444444");
    });

    it("is not applicable without the definition in its config, and says how to give it", async () => {
      const result = await runResourcePolicy(datasetRequireRegistration, {
        type: "aws:kinesis/stream:Stream",
        props: { tags: ORDERS_TAGS },
      });
      expect(result).to.equal(undefined);
      expect(NOT_CONFIGURED).to.contain("npm run policy-config");
    });
  });

  describe("lakeformation-grant-require-known-principal", () => {
    const run = (props: Record<string, unknown>) =>
      runResourcePolicy(lakeformationGrantRequireKnownPrincipal, {
        type: "aws:lakeformation/permissions:Permissions",
        props,
        provider: LAKE,
        config: config["lakeformation-grant-require-known-principal"],
      });
    const analyst = "arn:aws:iam::555555555555:role/acme-lake-controlling-analyst";

    it("passes SELECT and DESCRIBE to a consumer team's analyst role, and its ingestion rights to a producer role", async () => {
      expect(await run({ principal: analyst, permissions: ["SELECT", "DESCRIBE"] })).to.deep.equal([]);
      expect(await run({ principal: ORDERS_ROLE, permissions: ["DESCRIBE"] })).to.deep.equal([]);
      expect(
        await run({
          principal: "arn:aws:iam::111111111111:role/acme-lake-governance-validator",
          permissions: ["DESCRIBE"],
        }),
      ).to.deep.equal([]);
    });

    it("fails a grant to a principal the definition does not know", async () => {
      const [message] = (await run({
        principal: "arn:aws:iam::999999999999:role/partner",
        permissions: ["SELECT"],
      }))!;
      expect(message).to.contain(
        "arn:aws:iam::999999999999:role/partner, which the platform definition does not know",
      );
      expect((await run({ principal: "IAM_ALLOWED_PRINCIPALS", permissions: ["ALL"] }))!).to.have.length(1);
    });

    it("fails permissions beyond what the principal's role needs", async () => {
      const [message] = (await run({ principal: analyst, permissions: ["SELECT", "ALTER", "DROP"] }))!;
      expect(message).to.contain("(consumer) ALTER, DROP; a consumer may have DESCRIBE, SELECT only");
      const [ingest] = (await run({ principal: ORDERS_ROLE, permissions: ["SELECT"] }))!;
      expect(ingest).to.contain("a ingestion may have DESCRIBE only");
      // Lake Formation documents cross-account data-location grants to accounts, not producer roles.
      const [location] = (await run({ principal: ORDERS_ROLE, permissions: ["DATA_LOCATION_ACCESS"] }))!;
      expect(location).to.contain("(ingestion) DATA_LOCATION_ACCESS; a ingestion may have DESCRIBE only");
    });
  });

  describe("s3-bucket-policy-disallow-cross-account-access with ingestion writers", () => {
    const run = runRawBucketPolicy;

    it("lets a dataset's ingestion role write its own prefixes", async () => {
      expect(
        await run({
          Effect: "Allow",
          Principal: { AWS: ORDERS_ROLE },
          Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
          Resource: [
            `arn:aws:s3:::${RAW}/333333333333/sales/orders/*`,
            `arn:aws:s3:::${RAW}/333333333333/_errors/sales/orders/*`,
          ],
        }),
      ).to.deep.equal([]);
      expect(
        await run({
          Effect: "Allow",
          Principal: { AWS: ORDERS_ROLE },
          Action: ["s3:GetBucketLocation", "s3:ListBucket"],
          Resource: `arn:aws:s3:::${RAW}`,
        }),
      ).to.deep.equal([]);
    });

    it("lets DMS delete and tag objects of its own prefix, as AWS documents for S3 targets", async () => {
      expect(
        await run({
          Effect: "Allow",
          Principal: { AWS: ORDERS_ROLE },
          Action: ["s3:DeleteObject", "s3:PutObjectTagging"],
          Resource: `arn:aws:s3:::${RAW}/333333333333/sales/orders/*`,
        }),
      ).to.deep.equal([]);
    });

    it("fails the ingestion role writing another dataset's prefix, or deleting outside its own", async () => {
      const [other] = (await run({
        Effect: "Allow",
        Principal: { AWS: ORDERS_ROLE },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${RAW}/222222222222/marketing/clickstream/*`,
      }))!;
      expect(other).to.contain(
        "beyond its own ingestion prefixes (333333333333/sales/orders/, 333333333333/_errors/sales/orders/",
      );
      expect(
        await run({
          Effect: "Allow",
          Principal: { AWS: ORDERS_ROLE },
          Action: "s3:DeleteObject",
          Resource: `arn:aws:s3:::${RAW}/333333333333/*`,
        }),
      ).to.have.length(1);
    });
  });

  describe("s3-bucket-policy-disallow-cross-account-access with the lake's one statement for every producer", () => {
    const ROOTS = ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"];
    const OWN = "${aws:PrincipalAccount}/${aws:PrincipalTag/domain}/${aws:PrincipalTag/dataset}/*";
    const run = runRawBucketPolicy;
    const writes = (
      principal: unknown,
      resource: unknown,
      action: unknown = ["s3:PutObject", "s3:GetObject"],
    ) => run({ Effect: "Allow", Principal: { AWS: principal }, Action: action, Resource: resource });

    it("passes the registered producer accounts writing keys bound to their own account, and listing the bucket", async () => {
      expect(await writes(ROOTS, [`arn:aws:s3:::${RAW}/${OWN}`])).to.deep.equal([]);
      expect(
        await writes(ROOTS, `arn:aws:s3:::${RAW}`, ["s3:ListBucket", "s3:GetBucketLocation"]),
      ).to.deep.equal([]);
      // An account's own prefix written out is bound too, for that account alone.
      expect(await writes(ROOTS[1], `arn:aws:s3:::${RAW}/333333333333/*`)).to.deep.equal([]);
    });

    it("fails tag-only confinement: a producer sets its own roles' tags, so keys must start with its account", async () => {
      const [tagOnly] = (await writes(ROOTS, [
        `arn:aws:s3:::${RAW}/\${aws:PrincipalTag/domain}/\${aws:PrincipalTag/dataset}/*`,
      ]))!;
      expect(tagOnly).to.contain("beyond its own account's prefix");
      expect(tagOnly).to.contain("${aws:PrincipalAccount}/ or 222222222222/");
    });

    it("fails a producer reaching the whole bucket, another producer's prefix, or more than ingestion", async () => {
      expect(await writes(ROOTS, `arn:aws:s3:::${RAW}/*`)).to.have.length(2);
      // 222222222222 may not write 333333333333's prefix; 333333333333 may.
      const found = (await writes(ROOTS, `arn:aws:s3:::${RAW}/333333333333/*`))!;
      expect(found).to.have.length(1);
      expect(found[0]).to.contain("arn:aws:iam::222222222222:root");
      expect(await writes(ROOTS, `arn:aws:s3:::${RAW}/${OWN}`, "s3:*")).to.have.length(2);
      expect(
        await writes(ROOTS, `arn:aws:s3:::${RAW}/${OWN}`, ["s3:PutObject", "s3:PutBucketPolicy"]),
      ).to.have.length(2);
      // A key that only starts with the account's digits is not below its prefix.
      expect(await writes(ROOTS[1], `arn:aws:s3:::${RAW}/\${aws:PrincipalAccount}*`)).to.have.length(1);
    });

    it("fails an account that produces nothing, even bound to its own prefix", async () => {
      for (const who of ["arn:aws:iam::444444444444:root", "arn:aws:iam::999999999999:role/x"])
        expect(await writes(who, `arn:aws:s3:::${RAW}/${OWN}`), who).to.have.length(1);
    });
  });

  describe("lake-storage-disallow-cross-account-writes", () => {
    const run = (type: string, props: Record<string, unknown>, provider: Record<string, unknown> = OPS) =>
      runResourcePolicy(lakeStorageDisallowCrossAccountWrites, {
        type,
        props,
        provider,
        config: config["lake-storage-disallow-cross-account-writes"],
      });
    const firehose = (roleArn: string, prefix: string) => ({
      destination: "extended_s3",
      extendedS3Configuration: {
        bucketArn: `arn:aws:s3:::${RAW}`,
        roleArn,
        prefix,
        errorOutputPrefix: "333333333333/_errors/sales/orders/!{firehose:error-output-type}/",
      },
    });

    it("passes the registered ingestion role writing its dataset's prefix from the producer account", async () => {
      const type = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
      expect(
        await run(type, firehose(ORDERS_ROLE, "333333333333/sales/orders/dt=!{timestamp:yyyy-MM-dd}/")),
      ).to.deep.equal([]);
      expect(
        await run("aws:dms/s3Endpoint:S3Endpoint", {
          endpointType: "target",
          bucketName: RAW,
          bucketFolder: "333333333333/sales/orders/",
          serviceAccessRoleArn: ORDERS_ROLE,
        }),
      ).to.deep.equal([]);
    });

    it("treats a DMS bucket folder as a folder, with or without its trailing slash", async () => {
      const target = (bucketFolder: string) =>
        run("aws:dms/s3Endpoint:S3Endpoint", {
          endpointType: "target",
          bucketName: RAW,
          bucketFolder,
          serviceAccessRoleArn: ORDERS_ROLE,
        });
      expect(await target("333333333333/sales/orders")).to.deep.equal([]);
      expect(await target("333333333333/sales/orders/")).to.deep.equal([]);
      expect(await target("333333333333/sales/orders-archive")).to.have.length(1);
      // The layout before account prefixes (issue 16) is outside the dataset's prefix now.
      expect(await target("sales/orders/")).to.have.length(1);
    });

    it("fails a Firehose writing the lake as another role, or outside its prefix", async () => {
      const type = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
      const [role] = (await run(
        type,
        firehose("arn:aws:iam::333333333333:role/other", "333333333333/sales/orders/"),
      ))!;
      expect(role).to.contain(
        `writes into lake bucket ${RAW} of account 111111111111 from account 333333333333`,
      );
      const [prefix] = (await run(type, firehose(ORDERS_ROLE, "222222222222/marketing/clickstream/")))!;
      expect(prefix).to.contain('"222222222222/marketing/clickstream/"');
    });

    it("fails an IAM policy granting S3 writes on a lake bucket, unless it is the ingestion role's own", async () => {
      const policy = (resource: string) =>
        JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: resource }] });
      expect(
        await run("aws:iam/rolePolicy:RolePolicy", {
          role: "acme-lake-orders-ingest",
          policy: policy(`arn:aws:s3:::${RAW}/333333333333/sales/orders/*`),
        }),
      ).to.deep.equal([]);
      const [managed] = (await run("aws:iam/policy:Policy", { policy: policy(`arn:aws:s3:::${RAW}/*`) }))!;
      expect(managed).to.contain(
        `write to lake bucket ${RAW} (account 111111111111) from account 333333333333`,
      );
      expect(await run("aws:iam/policy:Policy", { policy: policy("*") })).to.have.length(1);
      // A role policy naming a prefix of the lake bucket (not only `bucket/*`) is seen too.
      const [other] = (await run("aws:iam/rolePolicy:RolePolicy", {
        role: "acme-lake-orders-ingest",
        policy: policy(`arn:aws:s3:::${RAW}/222222222222/marketing/clickstream/*`),
      }))!;
      expect(other).to.contain(`write to lake bucket ${RAW}`);
      expect(
        await run("aws:iam/rolePolicy:RolePolicy", {
          role: "etl",
          policy: policy(`arn:aws:s3:::acme-lake-111111111111-*/sales/*`),
        }),
      ).to.have.length(1);
      // In the lake account itself, writing its own buckets is not cross-account.
      expect(
        await run("aws:iam/policy:Policy", { policy: policy(`arn:aws:s3:::${RAW}/*`) }, LAKE),
      ).to.deep.equal([]);
    });

    describe("a producer's role, by the tags the lake's bucket policy reads", () => {
      const role = (name: string, tags: Record<string, string>) =>
        run("aws:iam/role:Role", { name, assumeRolePolicy: "{}", tags });

      it("passes a dataset's ingestion role carrying its own dataset's tags", async () => {
        expect(await role("acme-lake-orders-ingest", ORDERS_TAGS)).to.deep.equal([]);
      });

      it("fails an ingestion role that tags itself with another producer's dataset", async () => {
        const [found] = (await role("acme-lake-orders-ingest", {
          ...ORDERS_TAGS,
          dataset: "clickstream",
          domain: "marketing",
        }))!;
        // Its account stays its own: it reaches 333333333333/marketing/clickstream/, never 222222222222's.
        expect(found).to.contain('lets it write "333333333333/marketing/clickstream/"');
        expect(found).to.contain("outside its own dataset's prefixes 333333333333/sales/orders/");
        expect(found).to.contain("(tags dataset=clickstream, domain=marketing)");
      });

      it("fails a role named like an ingestion role that no dataset registers, and one in another domain", async () => {
        const [unregistered] = (await role("acme-lake-shadow-ingest", ORDERS_TAGS))!;
        expect(unregistered).to.contain("no registered dataset's ingestion role");
        expect(await role("acme-lake-orders-ingest", { ...ORDERS_TAGS, domain: "marketing" })).to.have.length(
          1,
        );
      });

      it("passes roles the bucket policy does not admit: another name, or without the dataset tags", async () => {
        expect(
          await role("acme-lake-orders-flink", { ...ORDERS_TAGS, dataset: "clickstream" }),
        ).to.deep.equal([]);
        const { dataset: _, ...untagged } = ORDERS_TAGS;
        expect(await role("acme-lake-shadow-ingest", untagged)).to.deep.equal([]);
        // In the lake account, roles are not another account's writers.
        expect(
          await run(
            "aws:iam/role:Role",
            { name: "acme-lake-shadow-ingest", assumeRolePolicy: "{}", tags: ORDERS_TAGS },
            LAKE,
          ),
        ).to.deep.equal([]);
      });
    });
  });
});
