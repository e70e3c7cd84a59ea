import { type CallId, type CallInit, type EndEvent, type ErrorEvent, type ItemEvent, type PlainValue, PluginError, type ResultEvent } from "@polyproc/protocol";
import { type DeadlineEntry, DeadlineQueue } from "@polyproc/protocol/node";
import type { CancelSignal } from "./call-signal.js";
import { cancelReasonOf } from "./cancel-reason.js";
import type { InstanceStreamOptions, StreamSink } from "./instance-types.js";

/** CallChannel is what a CallTable sends through: the instance's Peer and its connection. */
export interface CallChannel {
  /** Sends a Call and returns its id; throws (PluginError, ProtocolError) when it cannot. */
  call(init: CallInit): CallId;
  /** Sends Cancel for an open call. */
  cancel(id: CallId, reason: string): void;
  /** Sends Credit for an open stream (§10.2). */
  grant(id: CallId, items: number): void;
  /** The clock of deadlines: performance.now(). */
  now(): number;
}

/** PendingCall is one call waiting for its answer; a streaming one has its sink. */
class PendingCall implements DeadlineEntry {
  deadlineIndex = -1;
  signal: CancelSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;

  constructor(
    readonly id: CallId,
    readonly fn: string,
    readonly deadline: number,
    readonly resolve: (value: PlainValue) => void,
    readonly reject: (error: unknown) => void,
    readonly sink: StreamSink | undefined,
  ) {}

  /** what names the call in messages. */
  get what(): string {
    return this.sink === undefined ? `call to ${this.fn}` : `stream ${this.fn}`;
  }
}

/**
 * CallTable holds the calls the host has made on one connection, streams included (§10.1.3),
 * until each settles, exactly once: with the plugin's answer (a Result, or a StreamEnd after
 * the stream's items); with DEADLINE_EXCEEDED when the deadline passes first (§6.3; for a
 * stream it covers the whole stream, §6.5) or CANCELLED when the caller's signal aborts
 * (§7.4), sending Cancel in both cases; or with the error given to failAll when the
 * connection ends (§14.1).
 */
export class CallTable {
  private readonly calls = new Map<CallId, PendingCall>();
  // §6.3: one timer for every deadline of the connection.
  private readonly deadlines: DeadlineQueue<PendingCall>;

  constructor(private readonly channel: CallChannel) {
    this.deadlines = new DeadlineQueue<PendingCall>({ expire: (call) => this.expire(call.id), now: () => channel.now() });
  }

  /** pending is the number of calls not yet settled (cancelled ones not included). */
  get pending(): number {
    return this.calls.size;
  }

  /**
   * start sends a call and returns the promise of its outcome. With a sink, the call is a
   * stream (§10.1): its items go to the sink and the promise resolves with null at its end.
   */
  start(fn: string, args: PlainValue, options: InstanceStreamOptions = {}, sink?: StreamSink): Promise<PlainValue> {
    const { deadline, metadata, signal } = options;
    if (signal?.aborted === true) return Promise.reject(cancelledError(sink === undefined ? `call to ${fn}` : `stream ${fn}`, signal));
    const init: CallInit =
      sink === undefined ? { function: fn, args, deadline, metadata } : { function: fn, args, deadline, metadata, streaming: true, initialCredit: options.initialCredit };
    let id: CallId;
    try {
      id = this.channel.call(init);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const call = new PendingCall(id, fn, deadline ?? Infinity, resolve, reject, sink);
      this.calls.set(id, call);
      if (deadline !== undefined) this.deadlines.add(call);
      if (signal !== undefined) this.watch(call, signal);
      sink?.opened((items) => {
        if (this.calls.get(id) === call) this.channel.grant(id, items);
      });
    });
  }

  /** item passes one item to its stream's sink; items of a stream given up are discarded (§10.4). */
  item(event: ItemEvent): void {
    if (event.cancelled) return;
    this.calls.get(event.id)?.sink?.item(event.value);
  }

  /**
   * answer settles a call with the plugin's Result or Error, or a stream with its StreamEnd;
   * answers to cancelled calls are discarded (§7.4).
   */
  answer(event: ResultEvent | ErrorEvent | EndEvent): void {
    const call = this.take(event.id);
    if (call === undefined) return;
    if (event.type === "result") call.resolve(event.value);
    else if (event.error === undefined) call.resolve(null);
    else call.reject(PluginError.fromInfo(event.error, true));
  }

  /** failAll fails every pending call with `error`. */
  failAll(error: PluginError): void {
    for (const id of [...this.calls.keys()]) this.take(id)?.reject(error);
  }

  private watch(call: PendingCall, signal: CancelSignal): void {
    call.signal = signal;
    call.onAbort = () => this.abort(call.id, signal);
    signal.addEventListener("abort", call.onAbort, { once: true });
  }

  // §6.3: fail at once, locally, and tell the plugin.
  private expire(id: CallId): void {
    const call = this.take(id);
    if (call === undefined) return;
    const late = call.sink === undefined ? "before the plugin answered" : "before the stream ended (its deadline covers the whole stream, §6.5)";
    call.reject(new PluginError("DEADLINE_EXCEEDED", `${call.what} passed its deadline ${late}; give it a longer timeout if it needs more time`));
    this.channel.cancel(id, "deadline");
  }

  // §7.4: the caller gave up the call.
  private abort(id: CallId, signal: CancelSignal): void {
    const call = this.take(id);
    if (call === undefined) return;
    call.reject(cancelledError(call.what, signal));
    this.channel.cancel(id, cancelReasonOf(signal));
  }

  private take(id: CallId): PendingCall | undefined {
    const call = this.calls.get(id);
    if (call === undefined) return undefined;
    this.calls.delete(id);
    this.deadlines.remove(call);
    if (call.onAbort !== undefined) call.signal?.removeEventListener("abort", call.onAbort);
    return call;
  }
}

function cancelledError(what: string, signal: CancelSignal): PluginError {
  const reason: unknown = signal.reason;
  const why = reason instanceof Error ? reason.message : typeof reason === "string" ? reason : "the caller's signal aborted";
  return new PluginError("CANCELLED", `${what} was cancelled: ${why}`, { cause: reason });
}
