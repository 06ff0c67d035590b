/**
 * The account program (Pulumi.yaml `main`): `pulumi up` runs it once per AWS account. Exported as a
 * function, as the Pulumi Node.js language host expects for an async program: it reads only its stack
 * config, so any stack can be deployed or planned on its own.
 */
import { lakehouseProgram } from "./program";

export = lakehouseProgram;
