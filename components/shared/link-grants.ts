import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { SharedDatabase } from "./consumer-args";

/** What {@link describeLinks} grants. */
export interface DescribeLinksSpec {
  /** This account: the catalog the resource links are in. */
  readonly accountId: string;
  /** The role granted DESCRIBE (an Input, so a role created alongside carries the dependency). */
  readonly principal: pulumi.Input<string>;
  /** The links, by the lake database each points to. */
  readonly databases: readonly SharedDatabase[];
  /** What the grants must wait for: the account's data lake settings and the links. */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/**
 * DESCRIBE on each resource link of this account for a role that reads the lake through them, one
 * `<name>-describe-<link>` child each under `parent`: DESCRIBE on the link only, since what the role reads
 * behind it is the lake's grant to it ("The administrator grants Describe permissions on the resource link
 * with the required permissions on the original shared resource",
 * https://docs.aws.amazon.com/lake-formation/latest/dg/cross-data-sharing-lf.html).
 */
export function describeLinks(
  name: string,
  parent: pulumi.Resource,
  spec: DescribeLinksSpec,
): aws.lakeformation.Permissions[] {
  return spec.databases.map(
    (db) =>
      new aws.lakeformation.Permissions(
        `${name}-describe-${db.linkName}`,
        {
          catalogId: spec.accountId,
          principal: spec.principal,
          permissions: ["DESCRIBE"],
          database: { catalogId: spec.accountId, name: db.linkName },
        },
        { parent, dependsOn: [...(spec.dependsOn ?? [])] },
      ),
  );
}
