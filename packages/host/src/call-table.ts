import { type CallId, type CallInit, type ErrorEvent, type PlainValue, PluginError, type ResultEvent } from "@polyproc/protocol";
import { type DeadlineEntry, DeadlineQueue } from "@polyproc/protocol/node";
import type { InstanceCallOptions } from "./instance-types.js";

/** CallChannel is what a CallTable sends through: the instance's Peer and its connection. */
export interface CallChannel {
  /** Sends a Call and returns its id; throws (PluginError, ProtocolError) when it cannot. */
  call(init: CallInit): CallId;
  /** Sends Cancel for an open call. */
  cancel(id: CallId, reason: string): void;
  /** The clock of deadlines: performance.now(). */
  now(): number;
}

/** PendingCall is one call waiting for its answer. */
class PendingCall implements DeadlineEntry {
  deadlineIndex = -1;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;

  constructor(
    readonly id: CallId,
    readonly fn: string,
    readonly deadline: number,
    readonly resolve: (value: PlainValue) => void,
    readonly reject: (error: unknown) => void,
  ) {}
}

/**
 * CallTable holds the calls the host has made on one connection until each settles, exactly
 * once: with the plugin's answer; with DEADLINE_EXCEEDED when the deadline passes first
 * (§6.3) or CANCELLED when the caller's signal aborts (§7.4), sending Cancel in both cases;
 * or with the error given to failAll when the connection ends (§14.1).
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

  /** start sends a call and returns the promise of its outcome. */
  start(fn: string, args: PlainValue, options: InstanceCallOptions = {}): Promise<PlainValue> {
    const { deadline, metadata, signal } = options;
    if (signal?.aborted === true) return Promise.reject(cancelledError(fn, signal));
    let id: CallId;
    try {
      id = this.channel.call({ function: fn, args, deadline, metadata });
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const call = new PendingCall(id, fn, deadline ?? Infinity, resolve, reject);
      this.calls.set(id, call);
      if (deadline !== undefined) this.deadlines.add(call);
      if (signal !== undefined) this.watch(call, signal);
    });
  }

  /** answer settles a call with the plugin's Result or Error; answers to cancelled calls are discarded (§7.4). */
  answer(event: ResultEvent | ErrorEvent): void {
    const call = this.take(event.id);
    if (call === undefined) return;
    if (event.type === "result") call.resolve(event.value);
    else call.reject(PluginError.fromInfo(event.error, true));
  }

  /** failAll fails every pending call with `error`. */
  failAll(error: PluginError): void {
    for (const id of [...this.calls.keys()]) this.take(id)?.reject(error);
  }

  private watch(call: PendingCall, signal: AbortSignal): void {
    call.signal = signal;
    call.onAbort = () => this.abort(call.id, signal);
    signal.addEventListener("abort", call.onAbort, { once: true });
  }

  // §6.3: fail at once, locally, and tell the plugin.
  private expire(id: CallId): void {
    const call = this.take(id);
    if (call === undefined) return;
    call.reject(new PluginError("DEADLINE_EXCEEDED", `call to ${call.fn} passed its deadline before the plugin answered; give it a longer timeout if it needs more time`));
    this.channel.cancel(id, "deadline");
  }

  // §7.4: the caller gave up the call.
  private abort(id: CallId, signal: AbortSignal): void {
    const call = this.take(id);
    if (call === undefined) return;
    call.reject(cancelledError(call.fn, signal));
    this.channel.cancel(id, "cancelled by caller");
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

function cancelledError(fn: string, signal: AbortSignal): PluginError {
  const reason: unknown = signal.reason;
  const why = reason instanceof Error ? reason.message : typeof reason === "string" ? reason : "the caller's signal aborted";
  return new PluginError("CANCELLED", `call to ${fn} was cancelled: ${why}`, { cause: reason });
}
