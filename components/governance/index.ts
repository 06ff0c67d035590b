// Governance automation: the daily validator's deployment (`lakehouse:governance`).
export { GovernanceAutomation, defaults as governanceAutomationDefaults } from "./governance-automation";
export type {
  GovernanceAutomationArgs,
  GovernanceValidatorArgs,
  ValidatorLfTagScope,
} from "./governance-automation";
