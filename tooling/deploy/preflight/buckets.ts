/**
 * Every bucket name the stack creates is free, or already the account's own (an earlier deployment):
 * S3 bucket names are global, so one taken by another account stops the deployment.
 */
import { HeadBucketCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import {
  accessLogBucketName,
  artifactsBucketName,
  athenaResultsBucketName,
  bucketName,
  lakeDataBuckets,
} from "../../../platform";
import type { Platform, Account } from "../../../platform";
import { httpStatus, unknownBecause } from "./aws";
import { CheckContext, Finding, missing, ok, unknown } from "./context";

/**
 * The buckets an account's stack creates (infra/*.ts): the lake its storage zones, its access-log bucket
 * and the governance bucket (infra/lake.ts); a consumer its Athena results and access-log buckets
 * (ConsumerAccess, infra/consumer.ts); a producer its artifacts and access-log buckets where a dataset's
 * Flink application has built code (infra/producer.ts).
 */
export function bucketsOf(p: Platform, account: Account): string[] {
  switch (account.role) {
    case "lake":
      return [...lakeDataBuckets(p), bucketName(p, "access-logs"), bucketName(p, "governance")];
    case "consumer":
      return [athenaResultsBucketName(p, account), accessLogBucketName(p, account)];
    case "producer": {
      const flink = p.datasets.some(
        (d) =>
          d.producer === account.name &&
          d.ingestion.type === "firehose" &&
          typeof d.ingestion.flink === "object",
      );
      return flink ? [artifactsBucketName(p, account), accessLogBucketName(p, account)] : [];
    }
  }
}

/**
 * HeadBucket answers 200 when the bucket exists and the caller may list it, and "a generic 400 Bad
 * Request, 403 Forbidden or 404 Not Found" otherwise
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html): 404 is a free name; 200, 301
 * (another region) and 403 an existing bucket, the account's own when ListBuckets lists it
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html).
 */
export async function bucketNames(ctx: CheckContext): Promise<Finding[]> {
  const names = bucketsOf(ctx.platform, ctx.account);
  if (names.length === 0) return [];
  const check = "bucket-name";
  let owned: Promise<Set<string>> | undefined;
  const ours = () =>
    (owned ??= (async () => {
      const all = new Set<string>();
      let token: string | undefined;
      do {
        const page = await ctx.clients.s3.send(new ListBucketsCommand({ ContinuationToken: token }));
        for (const b of page.Buckets ?? []) if (b.Name) all.add(b.Name);
        token = page.ContinuationToken;
      } while (token);
      return all;
    })());
  return Promise.all(
    names.map(async (name): Promise<Finding> => {
      let status: number | undefined;
      try {
        await ctx.clients.s3.send(new HeadBucketCommand({ Bucket: name }));
        status = 200;
      } catch (err) {
        status = httpStatus(err);
        if (status === 404) return ok(check, `${name} is free`);
        if (status !== 301 && status !== 403)
          return unknown(check, `${name}: ${unknownBecause("s3 HeadBucket", err)}`);
      }
      try {
        if ((await ours()).has(name))
          return ok(check, `${name} exists and is this account's (deployed before)`);
      } catch (err) {
        return unknown(
          check,
          `${name} exists: ${unknownBecause("s3 ListBuckets", err)} to tell whether it is this account's`,
        );
      }
      return missing(
        check,
        `${name} is taken by another AWS account (bucket names are global): choose another platform name ` +
          `(name: in the platform definition, now "${ctx.platform.name}")`,
      );
    }),
  );
}
