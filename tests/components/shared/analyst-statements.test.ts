import { expect } from "chai";
import { AnalystPolicySpec, analystStatements } from "../../../components/shared/analyst-statements";
import { analystPolicy } from "../../../components/sharing/consumer-access";
import { quickSightRolePolicy } from "../../../components/analytics/quicksight-analytics";

const spec: AnalystPolicySpec = {
  accountId: "333333333333",
  region: "eu-west-1",
  lake: { accountId: "111111111111", region: "eu-west-1", catalogKeyAlias: "alias/acme-lake" },
  databases: [{ database: "sales", linkName: "lake_sales" }],
  workgroupName: "growth",
  resultsBucketName: "acme-results",
  resultsKeyArn: "arn:aws:kms:eu-west-1:333333333333:key/results",
};
const ANALYST_SIDS = [
  "LakeFormationCredentials",
  "ReadCatalogThroughLinks",
  "QueryInOwnWorkgroup",
  "LocateResultsBucket",
  "ListOwnResults",
  "ReadWriteOwnResults",
  "UseResultsKey",
  "DecryptLakeCatalogMetadata",
];

describe("analyst statements (components/shared/analyst-statements)", () => {
  it("gives an analyst its workgroup, its results prefix and key, the links, and the catalog key, in that order", () => {
    expect(analystStatements(spec).map((s) => s.Sid)).to.deep.equal(ANALYST_SIDS);
    expect(
      analystStatements({ ...spec, lake: { accountId: "111111111111", region: "eu-west-1" } }).map(
        (s) => s.Sid,
      ),
    ).to.not.include("DecryptLakeCatalogMetadata");
  });

  it("is the analyst roles' whole policy, and the QuickSight role's with catalog browsing last", () => {
    expect(analystPolicy(spec)).to.deep.equal({ Version: "2012-10-17", Statement: analystStatements(spec) });
    const quickSight = quickSightRolePolicy(spec).Statement as { Sid: string }[];
    expect(quickSight.map((s) => s.Sid)).to.deep.equal([...ANALYST_SIDS, "BrowseCatalogInAthena"]);
    expect(quickSight.slice(0, -1)).to.deep.equal(analystStatements(spec));
  });
});
