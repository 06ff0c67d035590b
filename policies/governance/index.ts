// The lakehouse-governance pack: `pulumi preview --policy-pack policies/governance`. Only assembles.
import { PolicyPack } from "@pulumi/policy";
import { governancePolicies, PACK_NAME } from "./policies";

new PolicyPack(PACK_NAME, { enforcementLevel: "mandatory", policies: governancePolicies });
