/**
 * Redshift Serverless' rules the platform checks before anything is created: the base capacities a
 * workgroup accepts and the subnets it needs. Pure: the definition's validation and the `RedshiftSpectrum`
 * component both apply them.
 */
/**
 * Redshift Serverless base capacity: 4 RPUs, 8 to 512 in steps of 8, and 512 to 1024 in steps of 32 in
 * the regions that offer the larger sizes
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-capacity.html).
 */
export function redshiftCapacityProblem(rpus: number, region: string | undefined): string | undefined {
  const large = REDSHIFT_LARGE_CAPACITY_REGIONS as readonly string[];
  if (rpus === 4 || (rpus >= 8 && rpus <= 512 && rpus % 8 === 0)) return undefined;
  if (rpus > 512 && rpus <= 1024 && rpus % 32 === 0) {
    if (region === undefined || large.includes(region)) return undefined;
    return `${rpus} RPUs exceeds 512, the most Redshift Serverless offers in ${region} (up to 1024 only in ${large.join(", ")}); use 512 or less`;
  }
  return `${rpus} is not a Redshift Serverless base capacity: use 4, 8 to 512 in steps of 8 (8, 16, 24 ...), or 512 to 1024 in steps of 32`;
}

/** The regions whose Redshift Serverless base capacity goes beyond 512 RPUs (to 1024). */
export const REDSHIFT_LARGE_CAPACITY_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-2",
  "eu-west-1",
  "eu-central-1",
] as const;

/**
 * What keeps an account's network from hosting a Redshift Serverless workgroup: at least three subnets,
 * each with its Availability Zone named, spanning three zones — in us-west-1 (two zones) two zones, one of
 * them holding two of the subnets
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html).
 */
export function redshiftSubnetProblems(
  network: {
    readonly subnetIds: readonly string[];
    readonly availabilityZones: Readonly<Record<string, string>>;
  },
  region: string,
): { path: PropertyKey[]; message: string }[] {
  const problems: { path: PropertyKey[]; message: string }[] = [];
  const zones = network.availabilityZones;
  Object.keys(zones).forEach((subnet) => {
    if (!network.subnetIds.includes(subnet))
      problems.push({
        path: ["availabilityZones", subnet],
        message: `${subnet} is not one of network.subnetIds; name the zone of a listed subnet, or list the subnet`,
      });
  });
  const unzoned = network.subnetIds.filter((id) => zones[id] === undefined);
  if (unzoned.length > 0)
    problems.push({
      path: ["availabilityZones"],
      message:
        `Redshift Serverless needs its subnets in three Availability Zones; name the zone of ${unzoned.join(", ")}, ` +
        `e.g. availabilityZones: { ${unzoned[0]}: ${region}a }`,
    });
  const perZone = new Map<string, number>();
  for (const id of network.subnetIds)
    if (zones[id] !== undefined) perZone.set(zones[id], (perZone.get(zones[id]) ?? 0) + 1);
  const twoZoneRegion = region === "us-west-1";
  const enough =
    network.subnetIds.length >= 3 &&
    (perZone.size >= 3 || (twoZoneRegion && perZone.size === 2 && [...perZone.values()].some((n) => n >= 2)));
  if (unzoned.length === 0 && !enough)
    problems.push({
      path: ["subnetIds"],
      message:
        `Redshift Serverless needs at least three subnets in three Availability Zones` +
        (twoZoneRegion ? " (in us-west-1: two zones, one of them with two subnets)" : "") +
        `; the network has ${network.subnetIds.length} subnet(s) in ${perZone.size} zone(s) (${[...perZone.keys()].sort().join(", ") || "none"})`,
    });
  return problems;
}
