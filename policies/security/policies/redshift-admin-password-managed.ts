import { ResourceValidationPolicy } from "@pulumi/policy";
import { known, UNKNOWN, type Known } from "@acme/lakehouse-policy-lib";

const NAMESPACE = "aws:redshiftserverless/namespace:Namespace";
const CLUSTER = "aws:redshift/cluster:Cluster";

/** The input names of each resource type (@pulumi/aws 7.48). */
const FIELDS = {
  [NAMESPACE]: {
    what: "namespace",
    user: "adminUsername",
    passwords: ["adminUserPassword", "adminUserPasswordWo"],
    manage: "manageAdminPassword",
  },
  [CLUSTER]: {
    what: "cluster",
    user: "masterUsername",
    passwords: ["masterPassword", "masterPasswordWo"],
    manage: "manageMasterPassword",
  },
} as const;

/** True for a value that is set (a non-empty string, or anything else but null); false when unknown. */
function isSet(value: Known | undefined): boolean {
  return value !== undefined && value !== null && value !== UNKNOWN && value !== "";
}

/**
 * The Redshift admin password — of a Serverless namespace or a provisioned cluster, so that any team's
 * warehouse is judged — is generated and kept by AWS Secrets Manager (`manageAdminPassword: true`,
 * `manageMasterPassword: true`; rotated every 30 days by default), never written in the program, its
 * config or its state. A password input fails even as its write-only variant (`...Wo`), which keeps it
 * out of the state but not out of the program and its config; an admin user without the managed
 * password fails too. A namespace with no admin user and no password passes: there is no password to
 * leak. Secrets Manager integration:
 * https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-secrets-manager-integration.html
 *
 * A value unknown in a preview is never reported: a password input that is unknown (a random password
 * not created yet) is reported by the next preview or by the update, once it is known.
 */
export const redshiftAdminPasswordManaged: ResourceValidationPolicy = {
  name: "redshift-admin-password-managed",
  description:
    "Redshift Serverless namespaces and provisioned clusters keep their admin password in Secrets Manager.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, reportViolation) => {
    if (args.type !== NAMESPACE && args.type !== CLUSTER) return;
    const fields = FIELDS[args.type];
    const props = known(args.props);
    const passwords = fields.passwords.filter((p) => isSet(props[p]));
    if (passwords.length > 0) {
      reportViolation(
        `The ${fields.what} sets its admin password in ${passwords.join(" and ")}, so it lives in the program ` +
          `and its config${passwords.every((p) => p.endsWith("Wo")) ? "" : " and the state"}; ` +
          `remove ${passwords.join(" and ")} and set ${fields.manage}: true to have Secrets Manager generate and rotate it.`,
      );
      return;
    }
    // An unknown password is judged once known: not as a missing one meanwhile.
    if (fields.passwords.some((p) => props[p] === UNKNOWN)) return;
    const manage = props[fields.manage];
    if (manage === UNKNOWN || manage === true) return;
    if (isSet(props[fields.user])) {
      reportViolation(
        `The ${fields.what} has an admin user (${fields.user}) whose password Secrets Manager does not manage ` +
          `(${fields.manage} is ${manage === undefined ? "not set" : String(manage)}); set ${fields.manage}: true.`,
      );
    }
  },
};
