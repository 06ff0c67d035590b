// Lake Formation settings, administrators and registered locations (`lakehouse:lakeformation`).
export { LakeFormation, defaults as lakeFormationDefaults } from "./lake-formation";
export type { LakeFormationArgs, LakeLocation } from "./lake-formation";
