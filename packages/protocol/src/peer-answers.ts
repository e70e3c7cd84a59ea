// The calls a Peer answers (PROTOCOL.md §5, §7, §10 as the callee): Call, Cancel, Credit
// in; Result, StreamItem, StreamEnd out, with the refusals of §5.8 that the peer makes itself.
import type { Call, Cancel } from "./gen/polyproc/v1/call_pb.js";
import type { Error as WireError } from "./gen/polyproc/v1/error_pb.js";
import type { Frame } from "./gen/polyproc/v1/frame_pb.js";
import type { Credit } from "./gen/polyproc/v1/stream_pb.js";
import { resultErrorFrame, resultFrame, streamEndFrame, streamItemFrame, wireError } from "./frames.js";
import { MAX_UINT32, type OpenCall, type PeerCore, StreamRecord, UNARY, UNARY_CANCELLED, callIdOf, violation, wireIdOf } from "./peer-core.js";
import type { CallId, PeerEvent } from "./peer-types.js";
import { type ErrorCode, type ErrorInfo, isErrorCode } from "./plugin-error.js";
import { ProtocolError } from "./protocol-error.js";
import { type PlainValue, fromValue, toValue } from "./value-mapping.js";

const SHOWN_FUNCTIONS = 10;

/**
 * receiveCall makes the checks 1 to 4 of §5.8 (and 5 to 7 on the plugin) on a received Call:
 * a violation closes, a refusal is answered here; a call that passes becomes a "call" event.
 */
export function receiveCall(core: PeerCore, call: Call, plain: PlainValue | undefined, now: number, events: PeerEvent[]): void {
  const id = callIdOf(call.id);
  const streaming = call.streaming;
  if (id === 0) throw violation(`the ${core.other} sent a Call with id 0; call ids are non-zero (§5.2.4, §15 #16)`);
  if (core.incoming.has(id)) throw violation(`the ${core.other} sent a Call with id ${id}, the id of a call still open (§5.2.4, §15 #16)`);
  if (streaming && !core.streaming) {
    throw violation(`the ${core.other} sent a streaming Call (id ${id}), but the capability "streaming" was not negotiated (§16.2, §15 #21)`);
  }
  if (core.role === "host") {
    if (call.target === "" ? !core.hostCalls : !core.pluginCalls) {
      const needed = call.target === "" ? "host-calls" : "plugin-calls";
      throw violation(`the plugin sent a Call (id ${id}) that needs the capability "${needed}", which was not negotiated (§5.8, §16.2, §15 #21)`);
    }
  } else if (core.state === "draining") {
    return refuse(core, id, streaming, "UNAVAILABLE", "the plugin is shutting down and takes no new calls; retry on another instance (§13.1)", true);
  }
  if (core.maxIncomingCalls !== 0 && core.incoming.size >= core.maxIncomingCalls) {
    return refuse(core, id, streaming, "RESOURCE_EXHAUSTED", `too many calls in flight: the limit is ${core.maxIncomingCalls} (§5.6.3)`, true);
  }
  if (streaming && core.maxIncomingStreams !== 0 && core.incomingStreams >= core.maxIncomingStreams) {
    return refuse(core, id, streaming, "RESOURCE_EXHAUSTED", `too many open streams: the limit is ${core.maxIncomingStreams} (§5.6.4)`, true);
  }
  if (core.role === "plugin" && refusedByPlugin(core, id, call)) return;
  if (streaming) {
    core.incoming.set(id, new StreamRecord(call.initialCredit));
    core.incomingStreams++;
  } else {
    core.incoming.set(id, UNARY);
  }
  events.push({
    type: "call",
    id,
    function: call.function,
    target: call.target,
    args: plain !== undefined ? plain : fromValue(call.args),
    deadline: call.deadlineMs === 0 ? undefined : now + call.deadlineMs,
    metadata: call.metadata,
    streaming,
  });
}

// §5.8 checks 5 to 7 on the plugin: an empty target, a function it serves, in its mode.
function refusedByPlugin(core: PeerCore, id: CallId, call: Call): boolean {
  const streaming = call.streaming;
  if (call.target !== "") {
    refuse(core, id, streaming, "INVALID_ARGUMENT", `a Call to a plugin must have an empty target, got ${JSON.stringify(call.target)} (§5.4.6)`, false);
    return true;
  }
  const functionStreams = core.functions.get(call.function);
  if (functionStreams === undefined) {
    refuse(core, id, streaming, "NOT_FOUND", `no function ${JSON.stringify(call.function)} in plugin ${JSON.stringify(core.originPlugin)}; ${served(core)} (§5.7)`, false);
    return true;
  }
  if (functionStreams !== streaming) {
    const message = functionStreams
      ? `the function ${JSON.stringify(call.function)} answers with a stream; call it as a streaming call (§5.8)`
      : `the function ${JSON.stringify(call.function)} does not stream; call it without streaming (§5.8)`;
    refuse(core, id, streaming, "UNIMPLEMENTED", message, false);
    return true;
  }
  return false;
}

function served(core: PeerCore): string {
  if (core.functions.size === 0) return "it serves no functions";
  const names = [...core.functions.keys()].slice(0, SHOWN_FUNCTIONS).map((name) => JSON.stringify(name));
  const more = core.functions.size - names.length;
  return `it serves ${names.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

function refuse(core: PeerCore, id: CallId, streaming: boolean, code: ErrorCode, message: string, retryable: boolean): void {
  const error = core.localError(code, message, retryable);
  core.send(streaming ? streamEndFrame(wireIdOf(id), error) : resultErrorFrame(wireIdOf(id), error));
}

/** receiveCancel reports the first Cancel of an open incoming call; others are ignored (§7.5). */
export function receiveCancel(core: PeerCore, cancel: Cancel, events: PeerEvent[]): void {
  const id = callIdOf(cancel.id);
  const call = core.incoming.get(id);
  if (call === undefined || call === UNARY_CANCELLED) return;
  if (call === UNARY) {
    core.incoming.set(id, UNARY_CANCELLED);
  } else {
    if (call.cancelled) return;
    call.cancelled = true;
  }
  events.push({ type: "cancel", id, reason: cancel.reason });
}

/** receiveCredit adds credit to an open incoming stream (§10.2), closing on §10.5's violations. */
export function receiveCredit(core: PeerCore, credit: Credit, events: PeerEvent[]): void {
  const id = callIdOf(credit.id);
  if (!core.streaming) throw violation(`the ${core.other} sent a Credit, but the capability "streaming" was not negotiated (§16.2, §15 #21)`);
  if (credit.items === 0) throw violation(`the ${core.other} sent a Credit of 0 items for id ${id}; Credit.items must be at least 1 (§10.2.3, §15 #20)`);
  const call = core.incoming.get(id);
  if (call === undefined) return;
  if (typeof call === "number") throw violation(`the ${core.other} sent a Credit for id ${id}, a non-streaming call (§10.5, §15 #20)`);
  if (call.credit + credit.items > MAX_UINT32) {
    throw violation(`the ${core.other} sent a Credit of ${credit.items} items for id ${id}, making its credit ${call.credit + credit.items}, over 2^32 - 1 (§10.2.3, §15 #20)`);
  }
  call.credit += credit.items;
  events.push({ type: "credit", id, items: credit.items, credit: call.credit });
}

/**
 * answerResult sends the Result of an open incoming call (§5.3); an unencodable value is
 * answered with INTERNAL naming the path, a value too large with RESOURCE_EXHAUSTED.
 */
export function answerResult(core: PeerCore, id: CallId, value: unknown): void {
  const call = openIncoming(core, id);
  if (call === undefined) return;
  if (typeof call !== "number") throw new Error(`result(): call ${id} is a streaming call; answer it with item() and endStream() (§10.1.2)`);
  const wireId = wireIdOf(id);
  try {
    core.sendPlain(resultFrame(wireId), value, "result");
  } catch (error) {
    if (!ProtocolError.is(error)) throw error;
    if (error.kind === "FRAME_TOO_LARGE") {
      sendTooLarge(core, error, wireId, false, "result");
    } else {
      const internal = core.localError("INTERNAL", `the function's result cannot be sent: ${error.message}`, false);
      sendAnswer(core, resultErrorFrame(wireId, internal), wireId, false, "result");
    }
  }
  finish(core, id, false);
}

/** answerError ends an open incoming call with an Error: a Result, or a StreamEnd for a stream. */
export function answerError(core: PeerCore, id: CallId, info: ErrorInfo): void {
  const call = openIncoming(core, id);
  if (call === undefined) return;
  const streaming = typeof call !== "number";
  const wireId = wireIdOf(id);
  const error = toWireError(info);
  sendAnswer(core, streaming ? streamEndFrame(wireId, error) : resultErrorFrame(wireId, error), wireId, streaming, "error");
  finish(core, id, streaming);
}

/**
 * sendItem sends one item of an open incoming stream (§10.2). It returns false, sending
 * nothing, when the id is not open, and false when the item could not be encoded or was too
 * large: the stream is then ended with INTERNAL or RESOURCE_EXHAUSTED (§10.3.2).
 */
export function sendItem(core: PeerCore, id: CallId, value: unknown): boolean {
  const call = openIncoming(core, id);
  if (call === undefined) return false;
  if (typeof call === "number") throw new Error(`item(): call ${id} is not a streaming call; answer it with result() or fail()`);
  if (call.credit === 0) throw new Error(`item(): stream ${id} has no credit; wait for a "credit" event (creditOf(id) > 0) before sending (§10.2.2)`);
  const wireId = wireIdOf(id);
  let error: WireError;
  try {
    core.sendPlain(streamItemFrame(wireId, undefined), value, "item");
    call.credit--;
    return true;
  } catch (thrown) {
    if (!ProtocolError.is(thrown)) throw thrown;
    error = thrown.kind === "FRAME_TOO_LARGE"
      ? core.localError("RESOURCE_EXHAUSTED", `a stream item is too large to send: ${thrown.message}`, false)
      : core.localError("INTERNAL", `a stream item cannot be sent: ${thrown.message}`, false);
  }
  core.send(streamEndFrame(wireId, error));
  finish(core, id, true);
  return false;
}

/** endStream ends an open incoming stream, failed when `error` is given (§10.3). */
export function endStream(core: PeerCore, id: CallId, info: ErrorInfo | undefined): void {
  const call = openIncoming(core, id);
  if (call === undefined) return;
  if (typeof call === "number") throw new Error(`endStream(): call ${id} is not a streaming call; answer it with result() or fail()`);
  const wireId = wireIdOf(id);
  sendAnswer(core, streamEndFrame(wireId, info === undefined ? undefined : toWireError(info)), wireId, true, "error");
  finish(core, id, true);
}

/** creditOf is the credit of an open incoming stream; 0 for any other id. */
export function creditOf(core: PeerCore, id: CallId): number {
  const call = core.incoming.get(id);
  return call instanceof StreamRecord ? call.credit : 0;
}

// An open incoming call that may still be answered; answers to other ids are ignored.
function openIncoming(core: PeerCore, id: CallId): OpenCall | undefined {
  return core.isOpen ? core.incoming.get(id) : undefined;
}

// Sends a terminal answer; one too large for the frame-size limit becomes RESOURCE_EXHAUSTED (§5.3.2).
function sendAnswer(core: PeerCore, frame: Frame, wireId: bigint, streaming: boolean, what: string): void {
  try {
    core.send(frame);
  } catch (error) {
    if (!ProtocolError.is(error, "FRAME_TOO_LARGE")) throw error;
    sendTooLarge(core, error, wireId, streaming, what);
  }
}

// Answers with RESOURCE_EXHAUSTED when the answer did not fit the frame-size limit (§5.3.2).
function sendTooLarge(core: PeerCore, error: ProtocolError, wireId: bigint, streaming: boolean, what: string): void {
  const tooLarge = core.localError("RESOURCE_EXHAUSTED", `the ${what} is too large to send: ${error.message}`, false);
  core.send(streaming ? streamEndFrame(wireId, tooLarge) : resultErrorFrame(wireId, tooLarge));
}

// The wire Error of an ErrorInfo; details that cannot be encoded are left out, and the message says so.
function toWireError(info: ErrorInfo): WireError {
  if (!isErrorCode(info.code)) throw new TypeError(`ErrorInfo.code must be a code name such as "INTERNAL", got ${JSON.stringify(info.code)}`);
  if (info.details === undefined) return wireError(info, undefined);
  try {
    return wireError(info, toValue(info.details, "details"));
  } catch (error) {
    if (!ProtocolError.is(error)) throw error;
    return wireError({ ...info, message: `${info.message} (its details were left out: ${error.message})` }, undefined);
  }
}

// The call is answered: it is no longer open. A draining plugin leaves after its last answer (§13.1.3).
function finish(core: PeerCore, id: CallId, streaming: boolean): void {
  core.incoming.delete(id);
  if (streaming) core.incomingStreams--;
  if (core.state === "draining" && core.role === "plugin" && core.incoming.size === 0) core.sendGoodbye(core.drainReason);
}
