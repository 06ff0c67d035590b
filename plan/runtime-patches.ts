/**
 * Speed patches for running Pulumi programs in-process under mocks. Both replace debugging aids of
 * `@pulumi/pulumi` (pinned exactly) whose cost grows with every resource and that a mocked run does not
 * need; neither changes what is registered or the errors a program raises.
 *
 * - `debuggablePromise` formats a stack trace (`new Error().stack`, source-mapped) for every runtime
 *   promise, only to print it if the promise leaks. Set `PULUMI_DEBUG_PROMISE_LEAKS=1` to keep it.
 * - `Resource.callsites` formats an unbounded stack trace for every resource to find its source
 *   position, which the engine shows in diagnostics. We keep the source position but capture only the
 *   frames it can use.
 *
 * Errors thrown by a program keep their own, full, source-mapped stacks: they point at the user's line.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const debuggable = require("@pulumi/pulumi/runtime/debuggable");
const resourceModule = require("@pulumi/pulumi/resource");
/* eslint-enable @typescript-eslint/no-require-imports */

/** Frames kept when locating a resource's source position (constructor chain + the user's frame). */
const CALLSITE_FRAMES = 24;

let applied = false;

/** Applies the patches once per process; safe to call before every run. */
export function applyRuntimePatches(): void {
  if (applied) return;
  applied = true;
  if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
    debuggable.debuggablePromise = <T>(p: Promise<T>): Promise<T> => p;
  }
  const Resource = resourceModule.Resource;
  const framePosition: RegExp = Resource.framePositionRegExp;
  // Same parsing as Resource.callsites() in @pulumi/pulumi, with a bounded number of frames.
  Resource.callsites = function boundedCallsites(): { file?: string; line?: number; column?: number }[] {
    const limit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = CALLSITE_FRAMES;
      const trace = new Error().stack ?? "";
      return trace
        .split("\n")
        .slice(1)
        .map((frame) => {
          const { file, line, column } = framePosition.exec(frame)?.groups ?? {};
          if (!file || !line || !column || file.startsWith("node:")) return {};
          const lineNum = parseInt(line, 10);
          const colNum = parseInt(column, 10);
          return Number.isNaN(lineNum) || Number.isNaN(colNum) ? {} : { file, line: lineNum, column: colNum };
        });
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
}
