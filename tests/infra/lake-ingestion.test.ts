import { expect } from "chai";
import { generatePlatform } from "../../bench/plan-scale/generate";
import {
  producerBucketStatements,
  producerKeyStatements,
} from "../../components/shared/ingestion-statements";
import { denyInsecureTransport } from "../../components/shared/secure-bucket";
import { keyPolicy } from "../../components/storage/lake-storage";
import { ingestionStorageArgs, producerWriters } from "../../infra/lake-ingestion";
import { bucketName, lakeAccount, parsePlatform } from "../../platform";
import type { Platform } from "../../platform";
import { KEY_POLICY_MAX_BYTES } from "../../policies/security/policies/kms-key-policy-within-size-limit";
import { BUCKET_POLICY_MAX_BYTES } from "../../policies/security/policies/s3-bucket-policy-within-size-limit";

/** The lake's raw bucket policy and key policy for a platform, as the lake's program builds them. */
function documents(p: Platform): { bucket: number; key: number } {
  const args = ingestionStorageArgs(p);
  const raw = `arn:aws:s3:::${bucketName(p, "raw")}`;
  const bucket = JSON.stringify({
    Version: "2012-10-17",
    Statement: [denyInsecureTransport(raw), ...(args.bucketPolicyStatements?.raw ?? [])],
  });
  const lake = lakeAccount(p);
  const key = JSON.stringify(
    keyPolicy(
      lake.id,
      p.lake.admins,
      [],
      p.accounts.filter((a) => a.role === "consumer").map((a) => a.id),
      args.keyPolicyStatements ?? [],
    ),
  );
  return { bucket: Buffer.byteLength(bucket), key: Buffer.byteLength(key) };
}

describe("the lake's ingestion policies at scale (issue 16)", () => {
  const at = (datasets: number) =>
    parsePlatform(generatePlatform({ accounts: 100, datasets, consumers: 300 }));
  const small = at(500);
  const large = at(2000);

  it("do not grow with datasets: 500 and 2 000 datasets of the same producers make the same documents", () => {
    expect(producerWriters(large).accountIds).to.deep.equal(producerWriters(small).accountIds);
    expect(documents(large)).to.deep.equal(documents(small));
  });

  it("stay under 80% of S3's and KMS's limits at 100 accounts, 2 000 datasets and 300 teams", () => {
    const { bucket, key } = documents(large);
    expect(bucket).to.be.below(0.8 * BUCKET_POLICY_MAX_BYTES);
    expect(key).to.be.below(0.8 * KEY_POLICY_MAX_BYTES);
  });

  it("stay under 80% even if every other of the 100 accounts produced and read the catalog", () => {
    // An upper bound: 99 producer accounts in the bucket and key statements, and the same 99 accounts as
    // catalog readers (an account is one or the other in a definition).
    const others = large.accounts.filter((a) => a.role !== "lake").map((a) => a.id);
    expect(others).to.have.length(99);
    const writers = { ...producerWriters(large), accountIds: others };
    const raw = `arn:aws:s3:::${bucketName(large, "raw")}`;
    const bucket = Buffer.byteLength(
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          denyInsecureTransport(raw),
          ...producerBucketStatements(bucketName(large, "raw"), writers),
        ],
      }),
    );
    const lake = lakeAccount(large);
    const key = Buffer.byteLength(
      JSON.stringify(
        keyPolicy(lake.id, large.lake.admins, [], others, [
          ...producerKeyStatements(lake.region, writers),
          ...(ingestionStorageArgs(large).keyPolicyStatements ?? []).filter(
            (s) => s.Sid !== "IngestionRolesThroughS3AndGlue",
          ),
        ]),
      ),
    );
    expect(bucket).to.be.below(0.8 * BUCKET_POLICY_MAX_BYTES);
    expect(key).to.be.below(0.8 * KEY_POLICY_MAX_BYTES);
  });
});
