/**
 * What a run's program is doing, read from the SDK's own log calls: which resources it has started to
 * register, which registrations failed (with their error), what it logged. The SDK announces each
 * registration (`Registering resource: t=…, name=…`) and each failure (`RegisterResource RPC failed: t=…,
 * name=…, err=…`) through `log.debug`, which under mocks goes nowhere; the watch routes `pulumi.log` of
 * every SDK copy the program loads into the run (tests/tooling/mock-runtime/pulumi-internals.test.ts
 * pins the messages).
 *
 * With it the harness ends a run whose registration failed instead of waiting forever for the
 * resources that depend on it, and names what was still pending when a run stalls.
 */

/** A resource as the SDK announced it: its type token and logical name. */
export interface Announced {
  readonly type: string;
  readonly name: string;
}

/** A registration or read the SDK reported failed. */
export interface FailedRegistration extends Announced {
  /** The error, as the SDK formatted it (`String(err)`). */
  readonly error: string;
}

/** A run's log line (`pulumi.log.info` / `warn` / `error`). */
export interface LogLine {
  readonly severity: "info" | "warning" | "error";
  readonly message: string;
}

/** `pulumi.log` as the watch replaces it (an SDK copy's `@pulumi/pulumi/log` module). */
export type LogModule = Record<"debug" | "info" | "warn" | "error", (message: string) => Promise<void>>;

const STARTED =
  /^(?:Registering|Reading) resource: t=(\S+), name=(.*?)(?:, custom=(?:true|false), remote=(?:true|false))?$/s;
const FAILED = /^(?:RegisterResource|ReadResource) RPC failed: t=(\S+), name=(.*?), err=(.*)$/s;

const key = (type: string, name: string) => `${type}\u0000${name}`;

/** One run's watch: install before the program runs, `restore()` after. */
export class RunWatch {
  readonly logs: LogLine[] = [];
  readonly failed: FailedRegistration[] = [];
  /** Announced, not yet registered with the monitor nor failed, by `type\0name` (a count: names repeat across parents). */
  private readonly pending = new Map<string, { resource: Announced; count: number }>();
  private readonly restores: (() => void)[] = [];

  /** @param onFailure called once per failed registration (the harness stops waiting). */
  constructor(private readonly onFailure: () => void) {}

  /** Routes the given `@pulumi/pulumi/log` modules (one per SDK copy) into this run. */
  install(modules: readonly unknown[]): void {
    for (const log of new Set(modules as LogModule[])) {
      const originals = { debug: log.debug, info: log.info, warn: log.warn, error: log.error };
      log.debug = async (message: string) => this.debug(String(message));
      log.info = async (message: string) =>
        void this.logs.push({ severity: "info", message: String(message) });
      log.warn = async (message: string) =>
        void this.logs.push({ severity: "warning", message: String(message) });
      log.error = async (message: string) =>
        void this.logs.push({ severity: "error", message: String(message) });
      this.restores.push(() => Object.assign(log, originals));
    }
  }

  restore(): void {
    for (const restore of this.restores.splice(0)) restore();
  }

  /** The monitor received the registration (or read) of `type` `name`. */
  registered(type: string, name: string): void {
    this.settle(type, name);
  }

  /** Resources the program started to declare that never reached the monitor, in announcement order. */
  stillPending(): Announced[] {
    return [...this.pending.values()].flatMap((p) => Array.from({ length: p.count }, () => p.resource));
  }

  private debug(message: string): void {
    const failed = FAILED.exec(message);
    if (failed) {
      this.settle(failed[1], failed[2]);
      this.failed.push({ type: failed[1], name: failed[2], error: failed[3] });
      this.onFailure();
      return;
    }
    const started = STARTED.exec(message);
    if (started) {
      const k = key(started[1], started[2]);
      const entry = this.pending.get(k);
      if (entry) entry.count++;
      else this.pending.set(k, { resource: { type: started[1], name: started[2] }, count: 1 });
    }
  }

  private settle(type: string, name: string): void {
    const k = key(type, name);
    const entry = this.pending.get(k);
    if (!entry) return;
    if (--entry.count === 0) this.pending.delete(k);
  }
}
