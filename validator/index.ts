/**
 * The governance validator (AWS SDK v3 and the platform definition, no Pulumi): the checks, the Lambda
 * handler, and what a deployment needs from it ({@link validatorDeployment}).
 */
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
export type { PolicyStatement, ValidatorResources } from "./iam";
export { HANDLER, HANDLER_EXPORT, HANDLER_FILE, validatorDeployment } from "./deployment";
export type { ValidatorDeployment } from "./deployment";
