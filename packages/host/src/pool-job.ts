import type { PlainValue } from "@polyproc/protocol";
import type { QueueEntry, QueueExpiry } from "./call-queue.js";
import type { PluginInstance } from "./instance-types.js";

/** PoolJobInit is one call as the pool runs it. */
export interface PoolJobInit {
  fn: string;
  args: PlainValue;
  /** Absolute, on performance.now()'s clock; absent: none. */
  deadline: number | undefined;
  signal: AbortSignal | undefined;
  metadata: Record<string, string> | undefined;
  /** The slot an affinity key maps to; absent: any instance. */
  slot: number | undefined;
  /** Whether a call that failed because its instance ended may run again elsewhere (§14.1.3). */
  idempotent: boolean;
}

/**
 * PoolJob is one application call inside a pool, across its attempts (at most two: the
 * retry of §14.1.3). It settles exactly once.
 */
export class PoolJob implements QueueEntry {
  attempt = 1;
  /** The instance of a failed first attempt, which a retry avoids. */
  avoid: PluginInstance | undefined;
  /** The failure of the first attempt, when this is a retry. */
  firstError: unknown;
  private settled = false;

  constructor(
    readonly init: PoolJobInit,
    readonly startedAt: number,
    private readonly onExpire: (job: PoolJob, why: QueueExpiry, waitedMs: number) => void,
    private readonly onSettle: (job: PoolJob, value: PlainValue | undefined, error: unknown) => void,
  ) {}

  get deadline(): number | undefined {
    return this.init.deadline;
  }

  get signal(): AbortSignal | undefined {
    return this.init.signal;
  }

  /** isSettled tells whether the job has its outcome. */
  get isSettled(): boolean {
    return this.settled;
  }

  expire(why: QueueExpiry, waitedMs: number): void {
    this.onExpire(this, why, waitedMs);
  }

  /** succeed settles the job with a value (ignored once settled). */
  succeed(value: PlainValue): void {
    if (this.settled) return;
    this.settled = true;
    this.onSettle(this, value, undefined);
  }

  /** fail settles the job with an error (ignored once settled). */
  fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.onSettle(this, undefined, error);
  }
}
