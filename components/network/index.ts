// Network pieces ingestion needs in a producer's VPC (`lakehouse:network`).
export { DmsVpcEndpoints, defaults as dmsVpcEndpointsDefaults } from "./dms-vpc-endpoints";
export type { DmsVpcEndpointsArgs, S3WriteScope } from "./dms-vpc-endpoints";
