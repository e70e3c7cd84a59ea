import { type CallEvent, type CallId, type ErrorInfo, type PlainValue, PluginError } from "@polyproc/protocol";
import { CallSignal } from "./call-signal.js";

/** AnswerChannel is how the answers of a plugin's calls reach its connection; it ignores answers once the connection closed. */
export interface AnswerChannel {
  /** Ends an open non-streaming call with its value (§5.3). */
  result(id: CallId, value: PlainValue): void;
  /** Ends an open call with an Error: a Result, or a StreamEnd for a stream (§8). */
  fail(id: CallId, error: ErrorInfo): void;
  /** Sends one item of an open stream; only while credit(id) > 0 (§10.2). */
  item(id: CallId, value: PlainValue): void;
  /** The items the stream may send now. */
  credit(id: CallId): number;
  /** Ends an open stream normally (§10.3). */
  end(id: CallId): void;
}

interface QueuedItem {
  value: PlainValue;
  sent: () => void;
}

/**
 * InboundCall is one call a plugin made to the host (PROTOCOL.md §5.4): to a host function
 * (`target` empty) or to be routed to another plugin. It answers exactly once (§5.2.6);
 * later answers are ignored. Its signal aborts when the caller sends Cancel or disconnects,
 * with a CancelReason naming why. A stream's items wait for the caller's credit (§10.2).
 */
export class InboundCall {
  /** signal aborts when the caller cancels or disconnects (its reason is a CancelReason). */
  readonly signal = new CallSignal();
  private readonly queue: QueuedItem[] = [];
  private answered = false;
  /** onCredit, when set, hears every Credit the caller grants (a routed stream relays it, §5.4.3). */
  onCredit: ((items: number) => void) | undefined = undefined;

  constructor(
    readonly event: CallEvent,
    /** The stream's credit at receipt: the Call's initial_credit (§10.2); 0 for a unary call. */
    readonly initialCredit: number,
    private readonly channel: AnswerChannel,
    private readonly done: (call: InboundCall) => void,
  ) {}

  /** isAnswered tells whether the terminal answer was given. */
  get isAnswered(): boolean {
    return this.answered;
  }

  /** abort aborts the signal, once; the answer is still owed. */
  abort(reason: Error): void {
    this.signal.abort(reason);
  }

  /** succeed answers a unary call with its value, or ends a stream normally. */
  succeed(value: PlainValue = null): void {
    if (!this.finish()) return;
    if (this.event.streaming) this.channel.end(this.event.id);
    else this.channel.result(this.event.id, value);
  }

  /** failWith answers with the Error `error` stands for: a PluginError as it is, anything else INTERNAL (§8.1). */
  failWith(error: unknown): void {
    if (!this.finish()) return;
    this.channel.fail(this.event.id, PluginError.from(error).toInfo());
  }

  /**
   * push sends one item of a stream as soon as the caller's credit allows it (§10.2); the
   * promise resolves when it was sent, or dropped because the call was answered.
   */
  push(value: PlainValue): Promise<void> {
    if (this.answered) return Promise.resolve();
    if (this.queue.length === 0 && this.channel.credit(this.event.id) > 0) {
      this.channel.item(this.event.id, value);
      return Promise.resolve();
    }
    return new Promise((sent) => this.queue.push({ value, sent }));
  }

  /** credit takes the caller's Credit: queued items go out, and onCredit hears it. */
  credit(items: number): void {
    while (this.queue.length > 0 && this.channel.credit(this.event.id) > 0) {
      const next = this.queue.shift() as QueuedItem;
      this.channel.item(this.event.id, next.value);
      next.sent();
    }
    this.onCredit?.(items);
  }

  private finish(): boolean {
    if (this.answered) return false;
    this.answered = true;
    for (const waiting of this.queue.splice(0)) waiting.sent();
    this.done(this);
    return true;
  }
}
