// The state of one running sdk case: the host, the calls started and their labels, the
// host's events and log records, and the waits every step makes, each bounded by a limit
// and by the case's abort signal.

import type { PluginConfig, PluginHost } from "@polyproc/host";
import { type CaseContext, type ConformanceCase, CaseFailure } from "../case-types.js";
import type { CallOutcome } from "./call-outcome.js";
import type { LogRecord } from "./recording-logger.js";

/** RunningCall is a call a case started, by its label. */
export interface RunningCall {
  fn: string;
  startedAt: number;
  controller: AbortController;
  outcome: Promise<CallOutcome>;
}

/** HostEventRecord is one event the host emitted: its name and payload. */
export interface HostEventRecord extends Record<string, unknown> {
  event: string;
}

/** Session holds what the steps of one sdk case share. */
export class Session {
  host: PluginHost | undefined;
  /** The config the case's plugin was started with, for steps that reload it. */
  pluginConfig: PluginConfig | undefined;
  /** The calls by label (`as`), to await, cancel or read a value from. */
  readonly calls = new Map<string, RunningCall>();
  /** The settled outcomes by label, for steps that read a value (processGone). */
  readonly outcomes = new Map<string, CallOutcome>();
  readonly events: HostEventRecord[] = [];
  /** The events `waitEvent` steps have already matched; each matches one event once. */
  readonly eventsTaken = new Set<HostEventRecord>();
  readonly logs: LogRecord[] = [];
  readonly #deadline: number;
  #waiters = new Set<() => void>();

  constructor(
    readonly testCase: ConformanceCase,
    readonly ctx: CaseContext,
    readonly pluginName: string,
  ) {
    this.#deadline = performance.now() + testCase.timeoutMs;
  }

  /** running returns the running host. */
  get running(): PluginHost {
    if (this.host === undefined) throw new Error("the host is not running");
    return this.host;
  }

  /** trace writes one line to the case's trace. */
  trace(line: string): void {
    this.ctx.trace(line);
  }

  /** changed wakes the steps waiting for an event, a log record or a call. */
  changed(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  /** remainingMs is the time left before the case's timeout. */
  remainingMs(): number {
    return Math.max(0, this.#deadline - performance.now());
  }

  /**
   * settle waits for `promise` at most `limitMs` (default: the case's remaining time): it
   * rejects with a CaseFailure naming `what` when the limit passes first, and with an Error
   * when the case is aborted.
   */
  settle<T>(promise: Promise<T>, what: string, limitMs = this.remainingMs()): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const signal = this.ctx.signal;
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
      };
      const onAbort = (): void => {
        done();
        reject(new Error(`the case was aborted while waiting for ${what}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new CaseFailure(`${what}: nothing within ${Math.round(limitMs)} ms`));
      }, limitMs);
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      promise.then(
        (value) => (done(), resolve(value)),
        (error: unknown) => (done(), reject(error)),
      );
    });
  }

  /**
   * until re-evaluates `check` on every change (event, log record) until it returns a value
   * other than undefined, waiting at most `limitMs`; the CaseFailure then says `what` and
   * the last `explain()`.
   */
  async until<T>(check: () => T | undefined, what: string, limitMs: number, explain: () => string): Promise<T> {
    let wake: () => void = () => {};
    const changed = () => new Promise<void>((resolve) => (wake = resolve));
    const waiter = (): void => wake();
    this.#waiters.add(waiter);
    let stop = (): void => {};
    const limit = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new CaseFailure(`${what}: not within ${Math.round(limitMs)} ms; ${explain()}`)), limitMs);
      this.ctx.signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
      stop = () => clearTimeout(timer);
    });
    limit.catch(() => {});
    try {
      for (;;) {
        const found = check();
        if (found !== undefined) return found;
        await this.settle(Promise.race([changed(), limit]), what);
      }
    } finally {
      stop();
      this.#waiters.delete(waiter);
    }
  }
}
