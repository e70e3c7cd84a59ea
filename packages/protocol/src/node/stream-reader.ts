import { PluginError } from "../plugin-error.js";
import type { PlainValue } from "../value-mapping.js";

/**
 * StreamSink receives the items of a streaming call (§10) from whoever runs it: a host
 * instance, or an SDK's outgoing calls. It is given `opened` once, when the Call is sent, then
 * `item` for each item in order, never more than the credit granted (initialCredit plus every
 * `grant`).
 */
export interface StreamSink {
  /** opened hands over `grant`, which sends Credit for `items` more items (§10.2); ignored once the stream ended. */
  opened(grant: (items: number) => void): void;
  /** item takes the next item of the stream. */
  item(value: PlainValue): void;
}

type Waiter = { resolve: (result: IteratorResult<PlainValue>) => void; reject: (error: unknown) => void };

const DONE: IteratorResult<PlainValue> = Object.freeze({ done: true, value: undefined });

/** Buffered items are moved down once this many have been read from the front. */
const COMPACT_AFTER = 1024;

/**
 * StreamReader is the consumer's end of a streaming call (PROTOCOL.md §10): the async
 * iterator the host's `stream` and an SDK's `ctx.stream` return. It sends the call when the first item is asked for
 * (`begin`), buffers the items that arrive ahead of the consumer, and grants credit only as
 * the consumer reads them (§10.6: once it has read half the window, it grants what it read),
 * so that the plugin never has more than `window` items unread or in flight.
 *
 * The stream's end comes through finish(): the consumer reads the buffered items, then the
 * end, or the error thrown from next(). A failure the host decided (a deadline or a cancel,
 * §6.3, §7.4) drops the buffered items and is thrown at once. return() (a `break` out of
 * `for await`) cancels the stream: `signal` aborts, which the call's owner turns into Cancel.
 */
export class StreamReader implements AsyncIterableIterator<PlainValue>, StreamSink {
  private readonly stopper = new AbortController();
  private readonly threshold: number;
  private buffer: PlainValue[] = [];
  private head = 0;
  private readonly waiters: Waiter[] = [];
  private grant: ((items: number) => void) | undefined;
  private readSinceGrant = 0;
  private started = false;
  /** The stream ended (finish was called). */
  private ended = false;
  private failure: unknown;
  /** The consumer is done: it read the end or the error, or left. */
  private closed = false;
  private unlisten: () => void = () => {};

  /**
   * `begin` sends the call, at the first next(); `userSignal` is the caller's, whose abort
   * cancels the stream.
   */
  constructor(
    readonly window: number,
    private readonly begin: (reader: StreamReader) => void,
    private readonly userSignal?: AbortSignal,
  ) {
    this.threshold = Math.ceil(window / 2);
  }

  /** signal aborts when the stream is to be cancelled: the caller's signal aborted, or the consumer left. */
  get signal(): AbortSignal {
    return this.stopper.signal;
  }

  /** buffered is the number of items received and not read yet (at most `window`). */
  get buffered(): number {
    return this.buffer.length - this.head;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<PlainValue>> {
    if (!this.started) this.start();
    if (this.buffered > 0) return Promise.resolve(this.read(this.take()));
    if (this.closed) return Promise.resolve(DONE);
    if (this.ended) {
      this.closed = true;
      return this.failure === undefined ? Promise.resolve(DONE) : Promise.reject(this.failure);
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** return stops reading: a stream still running is cancelled (§10.4) and pending next() calls end. */
  return(): Promise<IteratorResult<PlainValue>> {
    if (this.closed) return Promise.resolve(DONE);
    this.closed = true;
    this.buffer = [];
    this.head = 0;
    if (this.started && !this.ended) this.stopper.abort(new Error("the consumer stopped reading the stream"));
    this.unlisten();
    for (const waiter of this.waiters.splice(0)) waiter.resolve(DONE);
    return Promise.resolve(DONE);
  }

  opened(grant: (items: number) => void): void {
    this.grant = grant;
  }

  item(value: PlainValue): void {
    if (this.closed || this.ended) return;
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter.resolve(this.read(value));
    else this.buffer.push(value);
  }

  /** finish ends the stream: normally without `error`; the consumer gets it after the buffered items. */
  finish(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.unlisten();
    if (isLocalCancel(error)) {
      this.buffer = [];
      this.head = 0;
    }
    if (this.buffered > 0 || this.waiters.length === 0) return;
    this.closed = true;
    const [first, ...rest] = this.waiters.splice(0);
    if (error === undefined) first?.resolve(DONE);
    else first?.reject(error);
    for (const waiter of rest) waiter.resolve(DONE);
  }

  private start(): void {
    this.started = true;
    const user = this.userSignal;
    if (user !== undefined) {
      const onAbort = (): void => this.stopper.abort(user.reason);
      if (user.aborted) onAbort();
      else {
        user.addEventListener("abort", onAbort, { once: true });
        this.unlisten = () => user.removeEventListener("abort", onAbort);
      }
    }
    this.begin(this);
  }

  private take(): PlainValue {
    const value = this.buffer[this.head] as PlainValue;
    this.buffer[this.head] = null;
    this.head += 1;
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.buffer.length) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
    return value;
  }

  // §10.6: grant what the consumer read once it is half the window, restoring the window.
  private read(value: PlainValue): IteratorResult<PlainValue> {
    this.readSinceGrant += 1;
    if (this.readSinceGrant >= this.threshold && !this.ended && this.grant !== undefined) {
      this.grant(this.readSinceGrant);
      this.readSinceGrant = 0;
    }
    return { done: false, value };
  }
}

/** isLocalCancel tells whether the host itself gave the stream up: its deadline passed or it was cancelled (§6.3, §7.4). */
function isLocalCancel(error: unknown): boolean {
  return PluginError.is(error) && !error.remote && (error.code === "DEADLINE_EXCEEDED" || error.code === "CANCELLED");
}
