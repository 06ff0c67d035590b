import { expect } from "chai";
import { IngestionGrants } from "../../../components/ingestion/ingestion-grants";
import { ACCOUNT, childCounts, expectWiredUnder, named, rejection, withProvider } from "../helpers";

const ROLE = "arn:aws:iam::222222222222:role/acme-orders-ingest";

describe("IngestionGrants", () => {
  const plan = (writers = [{ dataset: "orders", roleArn: ROLE, database: "sales", table: "orders" }]) =>
    withProvider((provider) => new IngestionGrants("ingest", { catalogId: ACCOUNT, writers }, { provider }));

  it("grants each role DESCRIBE on its table only, no grant option", async () => {
    const r = await plan();
    expect(childCounts(r, "lakehouse:ingestion:IngestionGrants")).to.deep.equal({
      "aws:lakeformation/permissions:Permissions": 1,
    });
    expectWiredUnder(r, "lakehouse:ingestion:IngestionGrants", "ingest");
    expect(named(r, "ingest-orders-table").inputs).to.deep.equal({
      catalogId: ACCOUNT,
      principal: ROLE,
      permissions: ["DESCRIBE"],
      table: { catalogId: ACCOUNT, databaseName: "sales", name: "orders" },
    });
  });

  it("grants no cross-account DATA_LOCATION_ACCESS: the roles write S3 through IAM and the bucket policy", async () => {
    const r = await plan([
      { dataset: "orders", roleArn: ROLE, database: "sales", table: "orders" },
      {
        dataset: "clickstream",
        roleArn: "arn:aws:iam::444444444444:role/acme-clickstream-ingest",
        database: "marketing",
        table: "clickstream",
      },
    ]);
    const grants = r.resources.filter((g) => g.type === "aws:lakeformation/permissions:Permissions");
    expect(grants).to.have.length(2);
    for (const g of grants) {
      expect(g.inputs.dataLocation, g.name).to.equal(undefined);
      expect(g.inputs.permissions, g.name).to.not.include("DATA_LOCATION_ACCESS");
    }
  });

  it("refuses a dataset listed twice", async () => {
    const w = { dataset: "orders", roleArn: ROLE, database: "sales", table: "orders" };
    expect((await rejection(plan([w, w]))).message).to.contain("listed twice");
  });
});
