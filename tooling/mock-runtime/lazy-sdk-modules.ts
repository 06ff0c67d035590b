/**
 * Start-up: two modules `@pulumi/pulumi` loads eagerly but uses only for what an offline plan rarely
 * does are loaded on first use instead. Loading `@pulumi/pulumi` took ~1.7 s, of which TypeScript
 * (`typescript-shim`, for function serialisation: `aws.lambda.CallbackFunction`) ~0.6 s and
 * `@npmcli/arborist` (`runtime/closure/codePaths`, the packages a serialised function takes along)
 * ~0.5 s, in the main thread and again in the pack worker. Each is replaced in the require cache by an
 * object that loads the real module the first time anything is read from it; what it then gives is the
 * real module's, so a program that serialises a function works as before.
 *
 * Must be loaded before `@pulumi/pulumi` (the plan's CLI and the pack worker load it first).
 */
import * as path from "path";

/** Puts a stand-in for `file` in the require cache that loads the real module on first use. */
function deferModule(file: string, esModule: boolean): void {
  if (require.cache[file]) return;
  let real: Record<PropertyKey, unknown> | undefined;
  const load = (): Record<PropertyKey, unknown> => {
    if (real === undefined) {
      if (require.cache[file]?.exports === stand) delete require.cache[file];
      real = require(file) as Record<PropertyKey, unknown>; // eslint-disable-line @typescript-eslint/no-require-imports
    }
    return real;
  };
  const stand: object = new Proxy(
    {},
    {
      // `__importStar` asks for `__esModule` only to decide whether to copy the module's keys.
      get: (_t, key) => (key === "__esModule" && esModule && real === undefined ? true : load()[key]),
      has: (_t, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_t, key) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), key);
        return d && { ...d, configurable: true };
      },
      getPrototypeOf: () => Reflect.getPrototypeOf(load()),
    },
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require("module") as new (id: string) => NodeJS.Module;
  const m = new Module(file);
  m.filename = file;
  m.loaded = true;
  m.exports = stand;
  require.cache[file] = m;
}

/** Defers `@pulumi/pulumi`'s TypeScript shim and `@npmcli/arborist`, as resolved from its folder. */
export function deferHeavySdkModules(): void {
  try {
    const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    deferModule(path.join(sdk, "typescript-shim.js"), false);
    deferModule(require.resolve("@npmcli/arborist", { paths: [sdk] }), true);
  } catch {
    // Another layout of the SDK: load it as it is.
  }
}

deferHeavySdkModules();
