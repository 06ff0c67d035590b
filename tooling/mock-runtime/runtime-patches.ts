/**
 * Speed patches for running Pulumi programs in-process under mocks. The first two replace debugging
 * aids of `@pulumi/pulumi` (pinned exactly) whose cost grows with every resource and that nothing in a
 * mocked run reads; none changes what is registered or the errors a program raises.
 *
 * - `debuggablePromise` formats a stack trace (`new Error().stack`, source-mapped) for every runtime
 *   promise, only to print it if the promise leaks. Set `PULUMI_DEBUG_PROMISE_LEAKS=1` to keep it.
 * - `Resource.callsites` formats an unbounded stack trace for every resource to find its source
 *   position, which only the engine's diagnostics show. The plan reports no source positions, so
 *   resources are registered without one.
 * - `runtime/dependsOn`'s gatherers, whose cost grew with dependencies × dependents (a thousand grants
 *   each waiting for a thousand tables made millions of promise chains): the same URNs in the same
 *   order, each resolved URN read once (see `speedUpDependencyGathering`). Registrations then finish
 *   in fewer ticks, so resources may reach the monitor in a slightly different order.
 *
 * Errors thrown by a program keep their own, full, source-mapped stacks: they point at the user's line.
 */
import {
  disablePromiseLeakTracking,
  disableResourceCallsites,
  speedUpDependencyGathering,
} from "./pulumi-internals";

let applied = false;

/** Applies the patches once per process; safe to call before every run. */
export function applyRuntimePatches(): void {
  if (applied) return;
  applied = true;
  if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
    disablePromiseLeakTracking();
  }
  // No callsites: Resource.stackTrace() then yields no source position (what a program without stack
  // information would send).
  disableResourceCallsites();
  speedUpDependencyGathering();
}
