// Worker entry: registers tsx's TypeScript loader in this thread (workers start without the parent's
// require hooks when the parent was started by mocha), then runs the TypeScript worker.
require("tsx/cjs");
// Before @pulumi/pulumi: modules it loads eagerly and a pack never uses are loaded on first use.
require("../mock-runtime/lazy-sdk-modules.ts");
require("./pack-worker.ts");
