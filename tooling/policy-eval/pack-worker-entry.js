// Worker entry: registers tsx's TypeScript loader in this thread (workers start without the parent's
// require hooks when the parent was started by mocha), then runs the TypeScript worker.
require("tsx/cjs");
require("./pack-worker.ts");
