/**
 * `@acme/lakehouse`: the lakehouse platform's Pulumi components and its platform definition, as a
 * library other teams build their own programs with.
 *
 * - **Components**: one `pulumi.ComponentResource` per capability, each with its args interface and its
 *   `defaults` (exported here as `<component>Defaults`, since every component names its own `defaults`).
 *   A component takes typed args only: it never reads stack config or the platform YAML itself.
 * - **The platform definition** (`stacks/platform.yaml`, CONTRACTS §1): {@link loadPlatform} and
 *   {@link parsePlatform} validate a definition into a typed {@link Platform}; the naming rules
 *   ({@link bucketName}, {@link databaseName}, {@link analystRoleArn}, ...) derive every physical name
 *   from it. The same module is published on its own as `@acme/lakehouse/platform`, which loads no
 *   `@pulumi` package.
 *
 * Type tokens (`lakehouse:<module>:<Name>`) and child names are part of the API: renaming one replaces
 * live resources, so a rename ships with `aliases` (see docs/compatibility.md).
 *
 * @example
 * ```ts
 * import { LakeStorage, loadPlatform, bucketName, lakeAccount } from "@acme/lakehouse";
 *
 * const platform = loadPlatform("stacks/platform.yaml");
 * const storage = new LakeStorage("lake", {
 *   accountId: lakeAccount(platform).id,
 *   bucketNames: { raw: bucketName(platform, "raw") },
 *   accessLogBucketName: bucketName(platform, "access-logs"),
 * });
 * ```
 *
 * @packageDocumentation
 */

// One module per type-token module (`lakehouse:<module>:<Name>`); each folder's index lists its exports.
export * from "./storage";
export * from "./lakeformation";
export * from "./catalog";
export * from "./streaming";
export * from "./ingestion";
export * from "./network";
export * from "./sharing";
export * from "./analytics";
export * from "./governance";

// The platform definition: schema and types, validation, naming rules.
export * from "../platform";
