// The calls a Peer makes (PROTOCOL.md §5, §6, §7, §10 as the caller): Call, Cancel, Credit
// out; Result, StreamItem, StreamEnd in.
import type { Result } from "./gen/polyproc/v1/call_pb.js";
import type { StreamEnd, StreamItem } from "./gen/polyproc/v1/stream_pb.js";
import { callFrame, cancelFrame, creditFrame, errorInfoOf } from "./frames.js";
import { MAX_UINT32, type PeerCore, StreamRecord, UNARY, UNARY_CANCELLED, callIdOf, violation, wireIdOf } from "./peer-core.js";
import type { CallId, CallInit, PeerEvent } from "./peer-types.js";
import { PluginError } from "./plugin-error.js";
import { type PlainValue, fromValue } from "./value-mapping.js";

/** DEFAULT_INITIAL_CREDIT is the initial credit of a stream when the caller sets none (§10.6). */
export const DEFAULT_INITIAL_CREDIT = 32;

const NO_METADATA: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * startCall sends a Call (§5.1) and records it as open. Nothing is sent, and no id used,
 * when it throws.
 */
export function startCall(core: PeerCore, init: CallInit, now: number): CallId {
  if (!core.canCall) throw cannotCall(core);
  const streaming = init.streaming === true;
  const target = init.target ?? "";
  checkFeatures(core, target, streaming);
  const deadlineMs = init.deadline === undefined ? 0 : remainingMs(init.deadline, now);
  if (core.maxOutgoingCalls !== 0 && core.outgoing.size >= core.maxOutgoingCalls) {
    throw new PluginError(
      "RESOURCE_EXHAUSTED",
      `the ${core.other} takes at most ${core.maxOutgoingCalls} calls at once and ${core.outgoing.size} are open; wait for one to finish (callCapacity tells when) (§5.6)`,
      { retryable: true },
    );
  }
  if (streaming && core.maxOutgoingStreams !== 0 && core.outgoingStreams >= core.maxOutgoingStreams) {
    throw new PluginError(
      "RESOURCE_EXHAUSTED",
      `the ${core.other} takes at most ${core.maxOutgoingStreams} open streams and ${core.outgoingStreams} are open; wait for one to end (§5.6)`,
      { retryable: true },
    );
  }
  const credit = streaming ? initialCredit(init.initialCredit) : 0;
  const id = core.nextId;
  const frame = callFrame(BigInt(id), init.function, target, undefined, deadlineMs, init.metadata ?? NO_METADATA, streaming, credit);
  if (init.args === undefined || init.args === null) core.send(frame);
  else core.sendPlain(frame, init.args, "args");
  core.nextId = id + 1;
  if (streaming) {
    core.outgoing.set(id, new StreamRecord(credit));
    core.outgoingStreams++;
  } else {
    core.outgoing.set(id, UNARY);
  }
  return id;
}

function cannotCall(core: PeerCore): Error {
  switch (core.state) {
    case "handshake":
      return new Error("call() before the handshake completed; wait for the welcome event (plugin) or call welcome() first (host)");
    case "draining":
      return new PluginError("UNAVAILABLE", "the instance is shutting down (Shutdown was sent), so it takes no new calls; send the call to another instance (§13.1)", {
        retryable: true,
      });
    default:
      return new PluginError("UNAVAILABLE", `the connection is closed (${core.closeReason ?? "closed"}); the call was not sent`, { retryable: true });
  }
}

// §16.2: a Call may use only negotiated features; the host's Calls have an empty target (§5.1).
function checkFeatures(core: PeerCore, target: string, streaming: boolean): void {
  if (streaming && !core.streaming) {
    throw new Error(`a streaming call needs the capability "streaming", which the ${core.other} did not negotiate (§16.2)`);
  }
  if (core.role === "host") {
    if (target !== "") throw new Error(`the host's Calls have an empty target; CallInit.target was ${JSON.stringify(target)} (§5.1)`);
  } else if (target === "" && !core.hostCalls) {
    throw new Error('calling a host function needs the capability "host-calls", which was not negotiated (§16.2)');
  } else if (target !== "" && !core.pluginCalls) {
    throw new Error(`calling the plugin ${JSON.stringify(target)} needs the capability "plugin-calls", which was not negotiated (§16.2)`);
  }
}

// §6.1: the time left, rounded up to a whole millisecond and clamped to 2^32 - 1.
function remainingMs(deadline: number, now: number): number {
  if (Number.isNaN(deadline)) throw new TypeError("CallInit.deadline is NaN; give an absolute time on the clock of `now`, or none");
  const left = deadline - now;
  if (left <= 0) {
    throw new PluginError("DEADLINE_EXCEEDED", `the call's deadline passed ${Math.ceil(-left)} ms before it could be sent; nothing was sent (§6.1)`);
  }
  return left >= MAX_UINT32 ? MAX_UINT32 : Math.ceil(left);
}

function initialCredit(value: number | undefined): number {
  if (value === undefined) return DEFAULT_INITIAL_CREDIT;
  if (!Number.isInteger(value) || value < 0 || value > MAX_UINT32) {
    throw new RangeError(`CallInit.initialCredit must be an integer from 0 to ${MAX_UINT32}, got ${value}`);
  }
  return value;
}

/** cancelCall sends Cancel for an open outgoing call, once (§7); other ids are ignored. */
export function cancelCall(core: PeerCore, id: CallId, reason: string): void {
  if (!core.isOpen) return;
  const call = core.outgoing.get(id);
  if (call === undefined || call === UNARY_CANCELLED || (call !== UNARY && call.cancelled)) return;
  core.send(cancelFrame(wireIdOf(id), reason));
  if (call === UNARY) core.outgoing.set(id, UNARY_CANCELLED);
  else call.cancelled = true;
}

/**
 * grantCredit sends Credit for an open outgoing stream (§10.2). An id that is no longer open,
 * or a cancelled stream (§10.4), is ignored.
 */
export function grantCredit(core: PeerCore, id: CallId, items: number): void {
  if (!core.isOpen) return;
  const call = core.outgoing.get(id);
  if (call === undefined) return;
  if (typeof call === "number") throw new Error(`grant(): call ${id} is not a streaming call; only streams take credit (§10)`);
  if (call.cancelled) return;
  if (!Number.isInteger(items) || items < 1) throw new RangeError(`grant(): items must be a positive integer, got ${items} (§10.2.3)`);
  if (call.credit + items > MAX_UINT32) {
    throw new RangeError(`grant(): ${items} more items would make ${call.credit + items} granted and not yet received, over 2^32 - 1 (§10.2.3)`);
  }
  core.send(creditFrame(wireIdOf(id), items));
  call.credit += items;
}

/**
 * receiveResult ends an open non-streaming call (§5.3); `plain` is its value when the decoder
 * decoded it straight to JavaScript (PlainFrame).
 */
export function receiveResult(core: PeerCore, result: Result, plain: PlainValue | undefined, events: PeerEvent[]): void {
  const id = callIdOf(result.id);
  const call = core.outgoing.get(id);
  if (call === undefined) throw notOpen(core, "a Result", id);
  if (typeof call !== "number") {
    throw violation(`the ${core.other} sent a Result for id ${id}, a streaming call; a stream ends with StreamEnd (§10.5, §15 #18)`);
  }
  core.outgoing.delete(id);
  const cancelled = call === UNARY_CANCELLED;
  const outcome = result.outcome;
  if (outcome.case === "error") {
    events.push({ type: "error", id, error: errorInfoOf(outcome.value), cancelled });
  } else {
    const value = plain !== undefined ? plain : outcome.case === "value" ? fromValue(outcome.value) : null;
    events.push({ type: "result", id, value, cancelled });
  }
}

/**
 * receiveStreamItem delivers one item of an open outgoing stream, within its credit (§10.2);
 * `plain` is its value when the decoder decoded it straight to JavaScript (PlainFrame).
 */
export function receiveStreamItem(core: PeerCore, item: StreamItem, plain: PlainValue | undefined, events: PeerEvent[]): void {
  const id = callIdOf(item.id);
  const call = openStream(core, "a StreamItem", id);
  if (call.credit === 0) {
    throw violation(`the ${core.other} sent a StreamItem for id ${id} beyond the credit granted (§10.5, §15 #19)`);
  }
  call.credit--;
  events.push({ type: "item", id, value: plain !== undefined ? plain : fromValue(item.value), cancelled: call.cancelled });
}

/** receiveStreamEnd ends an open outgoing stream (§10.3). */
export function receiveStreamEnd(core: PeerCore, end: StreamEnd, events: PeerEvent[]): void {
  const id = callIdOf(end.id);
  const call = openStream(core, "a StreamEnd", id);
  core.outgoing.delete(id);
  core.outgoingStreams--;
  events.push({ type: "end", id, error: end.error === undefined ? undefined : errorInfoOf(end.error), cancelled: call.cancelled });
}

function openStream(core: PeerCore, what: string, id: CallId): StreamRecord {
  if (!core.streaming) {
    throw violation(`the ${core.other} sent ${what}, but the capability "streaming" was not negotiated (§16.2, §15 #21)`);
  }
  const call = core.outgoing.get(id);
  if (call === undefined) throw notOpen(core, what, id);
  if (typeof call === "number") {
    throw violation(`the ${core.other} sent ${what} for id ${id}, a non-streaming call; it must be answered with a Result (§10.5, §15 #18)`);
  }
  return call;
}

function notOpen(core: PeerCore, what: string, id: CallId): Error {
  return violation(`the ${core.other} sent ${what} for id ${id}, which is not an open call of this side (§5.2.5, §15 #17)`);
}
