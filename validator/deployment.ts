/**
 * Everything a deployment needs to know about the validator, as plain data (no `@pulumi/*`): the
 * handler's entry in the bundled artefact, where the registry is published, the environment variable
 * naming the governance bucket, and the role's statements for the bucket actually used. A Pulumi program
 * passes the result to `GovernanceAutomation`'s `validator` argument as it is.
 */
import type { Platform } from "../platform";
import { GOVERNANCE_BUCKET_ENV, REGISTRY_KEY } from "./defaults";
import { PolicyStatement, validatorPolicyStatements, ValidatorResources } from "./iam";

/** The file the build step writes the bundled handler to, at the root of the function's archive. */
export const HANDLER_FILE = "index.js";
/** The handler's export name in {@link HANDLER_FILE}: `handler.ts`'s `handler`. */
export const HANDLER_EXPORT = "handler";
/** The function's handler setting: `<file without .js>.<export>`. */
export const HANDLER = `${HANDLER_FILE.replace(/\.js$/, "")}.${HANDLER_EXPORT}`;

/** What {@link validatorDeployment} returns: the shape of `GovernanceAutomation`'s `validator` argument. */
export interface ValidatorDeployment<K = string> {
  /** The function's handler setting (`index.handler`). */
  readonly handler: string;
  /** The governance bucket key to publish the platform definition at, as JSON. */
  readonly registryKey: string;
  /** The environment variable the handler reads the governance bucket's name from. */
  readonly bucketEnvironmentVariable: string;
  /** The execution role's statements, for the bucket and key given. */
  readonly statements: PolicyStatement<string | K>[];
}

/** The validator's needs for a deployment of `p` using `resources` (the governance bucket, the lake key). */
export function validatorDeployment<K = string>(
  p: Platform,
  resources: ValidatorResources<K>,
): ValidatorDeployment<K> {
  return {
    handler: HANDLER,
    registryKey: REGISTRY_KEY,
    bucketEnvironmentVariable: GOVERNANCE_BUCKET_ENV,
    statements: validatorPolicyStatements(p, resources),
  };
}
