import { Backoff } from "./backoff.js";
import type { PluginInstance } from "./instance-types.js";
import { CallRecorder, type InstanceStats } from "./stats.js";

/** TrackedInstance is an instance as its pool tracks it. */
export interface TrackedInstance {
  readonly instance: PluginInstance;
  /** Calls the pool handed to it that have not settled yet. */
  dispatched: number;
  /** When it became ready (pool clock), undefined before. */
  readyAt: number | undefined;
  /** The pool asked it to stop: its exit is no crash. */
  stopping: boolean;
}

/**
 * InstanceSlot is one place in a pool: the instance filling it now, the restart delay policy
 * of the processes that fill it in turn, and their call numbers.
 */
export class InstanceSlot {
  current: TrackedInstance | undefined;
  restarts = 0;
  /** The pending restart, if the slot waits for one. */
  restartTimer: ReturnType<typeof setTimeout> | undefined;
  readonly backoff: Backoff;
  readonly recorder = new CallRecorder();

  constructor(
    readonly index: number,
    restart: { baseMs: number; maxMs: number },
    random?: () => number,
  ) {
    this.backoff = new Backoff({ baseMs: restart.baseMs, maxMs: restart.maxMs, random });
  }

  /**
   * load is the calls occupying the current instance: the larger of the calls open on its
   * connection (cancelled ones until answered, §7.4) and those the pool handed it.
   */
  get load(): number {
    const current = this.current;
    return current === undefined ? Infinity : Math.max(current.instance.inFlight, current.dispatched);
  }

  /** accepts tells whether the slot can run one more call now, on an instance other than `avoid`. */
  accepts(avoid?: PluginInstance): boolean {
    const current = this.current;
    if (current === undefined || current.instance === avoid || current.instance.state !== "ready") return false;
    return this.load < current.instance.maxConcurrency;
  }

  /** isReady tells whether the slot's instance takes calls (busy or not). */
  get isReady(): boolean {
    return this.current?.instance.state === "ready";
  }

  /** cancelRestart drops a pending restart. */
  cancelRestart(): void {
    if (this.restartTimer === undefined) return;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  /** stats returns the slot's numbers (see InstanceStats). */
  stats(): InstanceStats {
    const instance = this.current?.instance;
    return {
      id: instance?.id ?? "",
      slot: this.index,
      state: instance?.state ?? "stopped",
      pid: instance?.pid,
      inFlight: instance?.inFlight ?? 0,
      restarts: this.restarts,
      heartbeatRttMs: instance?.heartbeatRttMs,
      ...this.recorder.snapshot(),
    };
  }
}
