/**
 * The governance validator's runtime (AWS SDK v3 only, no Pulumi): what the deploying component and other
 * tools need from it.
 */
import * as path from "path";

export { validate, ValidatorUnavailableError } from "./validator";
export type { ValidateOptions, ValidationReport } from "./validator";
export { createHandler, handler, readRegistry } from "./handler";
export type { ValidatorEvent, ValidatorResult } from "./handler";
export { createClients } from "./aws";
export type { AwsClients, AwsOptions } from "./aws";
export { findingsKey, GOVERNANCE_BUCKET_ENV, REGISTRY_KEY, VALIDATOR_DEFAULTS } from "./defaults";
export { CHECKS, SEVERITIES } from "./findings";
export type { Check, Finding, Severity } from "./findings";
export { VALIDATOR_IAM_ACTIONS, validatorPolicyStatements } from "./iam";
export type { PolicyStatement } from "./iam";

/**
 * The Lambda handler's source file (bundle it, e.g. with esbuild, into the function's `index.js`):
 * `handler.ts` in this repository, `handler.js` in the published package's compiled `dist/`.
 */
export const HANDLER_ENTRY = path.join(__dirname, `handler${path.extname(__filename)}`);
/** The handler's export name: the function's handler is `<file>.handler`. */
export const HANDLER_EXPORT = "handler";
