// The lakehouse-security pack: `pulumi preview --policy-pack policies/security`. Only assembles.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, securityPolicies } from "./policies";

new PolicyPack(PACK_NAME, { enforcementLevel: "advisory", policies: securityPolicies });
