import type { PlainValue } from "@polyproc/protocol";
import type { QueueEntry, QueueExpiry } from "./call-queue.js";
import type { CancelSignal } from "./call-signal.js";
import type { InstanceSlot } from "./instance-slot.js";
import type { PluginInstance, StreamSink } from "./instance-types.js";

/** PoolJobInit is one call as the pool runs it. */
export interface PoolJobInit {
  fn: string;
  args: PlainValue;
  /** Absolute, on performance.now()'s clock; absent: none. */
  deadline: number | undefined;
  signal: CancelSignal | undefined;
  metadata: Record<string, string> | undefined;
  /** The slot an affinity key maps to; absent: any instance. */
  slot: number | undefined;
  /** The affinity key `slot` was computed from, to map it again in another pool (host.reload). */
  affinityKey: string | undefined;
  /** Whether a call that failed because its instance ended may run again elsewhere (§14.1.3). */
  idempotent: boolean;
  /** A streaming call (§10): where its items go, and the credit its Call grants. */
  stream: { sink: StreamSink; initialCredit: number } | undefined;
}

/** JobOwner is the pool side of a PoolJob: told when the job leaves the queue unrun, and when it settles. */
export interface JobOwner {
  expired(job: PoolJob, why: QueueExpiry, waitedMs: number): void;
  /** `now` is the pool clock's reading when the outcome arrived, if the caller has one. */
  settled(job: PoolJob, error: unknown, now: number | undefined): void;
}

/**
 * PoolJob is one application call (or stream) inside a pool, across its attempts (at most
 * two: the retry of §14.1.3). It settles exactly once, settling the promise PluginPool.call
 * or PluginPool.stream returned.
 */
export class PoolJob implements QueueEntry {
  attempt = 1;
  /** The instance of a failed first attempt, which a retry avoids. */
  avoid: PluginInstance | undefined;
  /** The failure of the first attempt, when this is a retry. */
  firstError: unknown;
  /** The slot of the running attempt and when it was sent (pool clock). */
  slot: InstanceSlot | undefined;
  sentAt = 0;
  private settled = false;

  constructor(
    readonly init: PoolJobInit,
    readonly startedAt: number,
    private owner: JobOwner,
    private readonly resolve: (value: PlainValue) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  get deadline(): number | undefined {
    return this.init.deadline;
  }

  get signal(): CancelSignal | undefined {
    return this.init.signal;
  }

  /** isSettled tells whether the job has its outcome. */
  get isSettled(): boolean {
    return this.settled;
  }

  /** transfer hands an unsettled, queued job to another pool (host.reload's switch). */
  transfer(owner: JobOwner): void {
    this.owner = owner;
  }

  expire(why: QueueExpiry, waitedMs: number): void {
    this.owner.expired(this, why, waitedMs);
  }

  /** succeed settles the job with a value (ignored once settled); `now` saves a clock reading. */
  succeed(value: PlainValue, now?: number): void {
    if (this.settled) return;
    this.settled = true;
    this.owner.settled(this, undefined, now);
    this.resolve(value);
  }

  /** fail settles the job with an error (ignored once settled); `now` saves a clock reading. */
  fail(error: unknown, now?: number): void {
    if (this.settled) return;
    this.settled = true;
    this.owner.settled(this, error, now);
    this.reject(error);
  }
}
