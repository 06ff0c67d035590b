import * as path from "path";
import { expect } from "chai";
import { bucketName, lakeAccount, loadPlatform } from "../../platform";
import { GOVERNANCE_BUCKET_ENV, REGISTRY_KEY } from "../../validator/defaults";
import { HANDLER, HANDLER_EXPORT, validatorDeployment } from "../../validator/deployment";
import * as handlerModule from "../../validator/handler";

const p = loadPlatform(path.join(__dirname, "..", "..", "stacks", "platform.yaml"));
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/k";

describe("validatorDeployment (what a deployment needs from the validator)", () => {
  it("names the bundled handler's entry, the registry key and the bucket's environment variable", () => {
    const d = validatorDeployment(p, { kmsKeyArn: KEY });
    expect(d).to.deep.include({
      handler: "index.handler",
      registryKey: REGISTRY_KEY,
      bucketEnvironmentVariable: GOVERNANCE_BUCKET_ENV,
    });
    expect(HANDLER).to.equal(`index.${HANDLER_EXPORT}`);
    expect(handlerModule[HANDLER_EXPORT as keyof typeof handlerModule]).to.be.a("function");
  });

  it("scopes every governance-bucket statement to the bucket it is given, not the definition's", () => {
    const given = "acme-existing-governance";
    const statements = validatorDeployment(p, { governanceBucket: given, kmsKeyArn: KEY }).statements;
    const resources = statements.flatMap((s) => s.Resource);
    expect(resources).to.include.members([
      `arn:aws:s3:::${given}`,
      `arn:aws:s3:::${given}/${REGISTRY_KEY}`,
      `arn:aws:s3:::${given}/findings/*`,
      `arn:aws:s3:::${given}/locks/*`,
    ]);
    expect(JSON.stringify(statements)).to.not.contain(bucketName(p, "governance"));
  });

  it("defaults to the definition's governance bucket and the lake account's region", () => {
    const statements = validatorDeployment(p, { kmsKeyArn: KEY }).statements;
    const lake = lakeAccount(p);
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.ReadRegistry.Resource).to.deep.equal([
      `arn:aws:s3:::${bucketName(p, "governance")}/${REGISTRY_KEY}`,
    ]);
    expect(bySid.ReadCatalog.Resource[0]).to.equal(`arn:aws:glue:${lake.region}:${lake.id}:catalog`);
  });

  it("keeps the key as given, whatever its type (a Pulumi program passes an Output)", () => {
    const key = { deferred: "key" };
    const statements = validatorDeployment(p, { kmsKeyArn: key }).statements;
    const use = statements.find((s) => s.Sid === "UseLakeKey")!;
    expect(use.Resource).to.have.length(1);
    expect(use.Resource[0]).to.equal(key);
  });
});
