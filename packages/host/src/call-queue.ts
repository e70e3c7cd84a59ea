import { type DeadlineEntry, DeadlineQueue } from "@polyproc/protocol/node";
import type { CancelSignal } from "./call-signal.js";

/** Why a queued call left the queue without being run. */
export type QueueExpiry = "timeout" | "deadline" | "aborted";

/** QueueEntry is one call waiting in a CallQueue. */
export interface QueueEntry {
  /** The call's absolute deadline on performance.now()'s clock; absent: none. */
  readonly deadline?: number;
  /** Aborting it takes the call out of the queue. */
  readonly signal?: CancelSignal;
  /**
   * expire is called once when the call leaves the queue unrun: its queue timeout passed, its
   * deadline passed first, or its signal aborted. `waitedMs` is its time in the queue.
   */
  expire(why: QueueExpiry, waitedMs: number): void;
}

/** CallQueueOptions configure a CallQueue. */
export interface CallQueueOptions {
  /** The most calls that may wait; 0: none may. */
  size: number;
  /** The longest a call may wait, in ms. */
  timeoutMs: number;
  /** The clock, in ms; default performance.now. */
  now?: () => number;
}

/** Waiting is one entry in the queue, watched until it leaves by timeout or deadline (`why`). */
class Waiting<E> implements DeadlineEntry {
  deadlineIndex = -1;
  onAbort: (() => void) | undefined = undefined;

  constructor(
    readonly entry: E,
    readonly since: number,
    readonly deadline: number,
    readonly why: QueueExpiry,
  ) {}
}

/**
 * CallQueue holds the calls that wait for a free instance: first in, first out, at most `size`
 * of them, each for at most `timeoutMs` (or until its deadline or its signal, whichever comes
 * first). The pool takes entries out when capacity frees up; whatever stays too long expires.
 */
export class CallQueue<E extends QueueEntry> {
  private readonly waiting: Waiting<E>[] = [];
  private readonly now: () => number;
  // One timer for every waiting call's timeout or deadline.
  private readonly timeouts: DeadlineQueue<Waiting<E>>;

  constructor(private readonly options: CallQueueOptions) {
    const now = options.now ?? (() => performance.now());
    this.now = now;
    this.timeouts = new DeadlineQueue<Waiting<E>>({ expire: (waiting) => this.expire(waiting, waiting.why), now });
  }

  /** length is the number of calls waiting. */
  get length(): number {
    return this.waiting.length;
  }

  /** size is the most calls that may wait. */
  get size(): number {
    return this.options.size;
  }

  /**
   * push adds a call at the end; false (and nothing added) when the queue is full. A call
   * whose signal has already aborted or whose deadline has passed expires at once.
   */
  push(entry: E): boolean {
    if (this.waiting.length >= this.options.size) return false;
    const since = this.now();
    if (entry.signal?.aborted === true) {
      entry.expire("aborted", 0);
      return true;
    }
    const untilDeadline = entry.deadline === undefined ? Infinity : entry.deadline - since;
    const why: QueueExpiry = untilDeadline < this.options.timeoutMs ? "deadline" : "timeout";
    const waiting = new Waiting(entry, since, since + Math.max(0, Math.min(untilDeadline, this.options.timeoutMs)), why);
    this.timeouts.add(waiting);
    if (entry.signal !== undefined) {
      waiting.onAbort = () => this.expire(waiting, "aborted");
      entry.signal.addEventListener("abort", waiting.onAbort, { once: true });
    }
    this.waiting.push(waiting);
    return true;
  }

  /** take removes and returns the first waiting call that `accept` accepts, if any. */
  take(accept: (entry: E) => boolean): E | undefined {
    const index = this.waiting.findIndex((waiting) => accept(waiting.entry));
    if (index < 0) return undefined;
    const [waiting] = this.waiting.splice(index, 1) as [Waiting<E>];
    this.release(waiting);
    return waiting.entry;
  }

  /** peek returns the waiting calls in order, without removing them. */
  peek(): E[] {
    return this.waiting.map((waiting) => waiting.entry);
  }

  /** drain removes every waiting call and returns them in order, for the caller to fail. */
  drain(): E[] {
    const all = this.waiting.splice(0, this.waiting.length);
    for (const waiting of all) this.release(waiting);
    return all.map((waiting) => waiting.entry);
  }

  private expire(waiting: Waiting<E>, why: QueueExpiry): void {
    const index = this.waiting.indexOf(waiting);
    if (index < 0) return;
    this.waiting.splice(index, 1);
    this.release(waiting);
    waiting.entry.expire(why, this.now() - waiting.since);
  }

  private release(waiting: Waiting<E>): void {
    this.timeouts.remove(waiting);
    if (waiting.onAbort !== undefined) waiting.entry.signal?.removeEventListener("abort", waiting.onAbort);
  }
}
