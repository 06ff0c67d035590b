// Network pieces services need in an account's VPC: DMS in a producer's, Redshift Spectrum in a consumer's (`lakehouse:network`).
export { DmsVpcEndpoints, defaults as dmsVpcEndpointsDefaults } from "./dms-vpc-endpoints";
export type { DmsVpcEndpointsArgs, S3WriteScope } from "./dms-vpc-endpoints";
export { SpectrumVpcEndpoints, defaults as spectrumVpcEndpointsDefaults } from "./spectrum-vpc-endpoints";
export type { SpectrumVpcEndpointsArgs } from "./spectrum-vpc-endpoints";
