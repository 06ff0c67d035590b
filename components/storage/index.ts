// The lake's S3 zones, their KMS key and access logging (`lakehouse:storage`).
export { LakeStorage, defaults as lakeStorageDefaults } from "./lake-storage";
export type { LakeStorageArgs, ZoneLifecycle } from "./lake-storage";
