// Frame literals for the Peer: complete objects with `$typeName`, built without create() (which
// copies every field through reflection). Each builder sets every field of its message.
import type { Call, Cancel, Result } from "./gen/polyproc/v1/call_pb.js";
import type { Goodbye, Ping, Pong, Publish, Shutdown, Subscribe, Unsubscribe } from "./gen/polyproc/v1/control_pb.js";
import type { Error as WireError } from "./gen/polyproc/v1/error_pb.js";
import type { Frame } from "./gen/polyproc/v1/frame_pb.js";
import type { FunctionSpec, Hello, Reject, Welcome } from "./gen/polyproc/v1/handshake_pb.js";
import type { Credit, StreamEnd, StreamItem } from "./gen/polyproc/v1/stream_pb.js";
import type { Value } from "./gen/polyproc/v1/value_pb.js";
import type { FunctionInfo } from "./peer-types.js";
import { type ErrorInfo, codeName, codeNumber } from "./plugin-error.js";
import { type PlainValue, fromValue } from "./value-mapping.js";

/**
 * PlainFrame is a received frame as the Peer reads it (FrameDecoder.pushPlain): when `plain`
 * is set, the Value of its Call (args), Result (value) or StreamItem (value) was decoded
 * straight into what fromValue would make of it, and the Value field itself is left out.
 */
export interface PlainFrame extends Frame {
  plain?: PlainValue;
}

/** callFrame builds a Call (§5.1). */
export function callFrame(
  id: bigint,
  fn: string,
  target: string,
  args: Value | undefined,
  deadlineMs: number,
  metadata: Record<string, string>,
  streaming: boolean,
  initialCredit: number,
): Frame {
  const call: Call = { $typeName: "polyproc.v1.Call", id, function: fn, target, args, deadlineMs, metadata, streaming, initialCredit };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "call", value: call } };
}

/**
 * resultFrame builds a Result without its outcome, to be sent with FrameEncoder.addPlain,
 * which writes the value (§5.3).
 */
export function resultFrame(id: bigint): Frame {
  const result: Result = { $typeName: "polyproc.v1.Result", id, outcome: { case: undefined } };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "result", value: result } };
}

/** resultErrorFrame builds a Result carrying an Error (§5.3). */
export function resultErrorFrame(id: bigint, error: WireError): Frame {
  const result: Result = { $typeName: "polyproc.v1.Result", id, outcome: { case: "error", value: error } };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "result", value: result } };
}

/** streamItemFrame builds a StreamItem (§10); without a value for FrameEncoder.addPlain to write. */
export function streamItemFrame(id: bigint, value: Value | undefined): Frame {
  const item: StreamItem = { $typeName: "polyproc.v1.StreamItem", id, value };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "streamItem", value: item } };
}

/**
 * setFrameValue sets the Value of a Call (args), Result (value) or StreamItem (value) frame;
 * it throws TypeError for frames of other kinds.
 */
export function setFrameValue(frame: Frame, value: Value): void {
  const kind = frame.kind;
  switch (kind.case) {
    case "call":
      kind.value.args = value;
      return;
    case "result":
      kind.value.outcome = { case: "value", value };
      return;
    case "streamItem":
      kind.value.value = value;
      return;
    default:
      throw new TypeError(`a ${kind.case ?? "empty"} frame carries no call value; only Call, Result and StreamItem frames do`);
  }
}

/** streamEndFrame builds a StreamEnd, failed when `error` is given (§10.3). */
export function streamEndFrame(id: bigint, error: WireError | undefined): Frame {
  const end: StreamEnd = { $typeName: "polyproc.v1.StreamEnd", id, error };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "streamEnd", value: end } };
}

/** creditFrame builds a Credit (§10.2). */
export function creditFrame(id: bigint, items: number): Frame {
  const credit: Credit = { $typeName: "polyproc.v1.Credit", id, items };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "credit", value: credit } };
}

/** cancelFrame builds a Cancel (§7). */
export function cancelFrame(id: bigint, reason: string): Frame {
  const cancel: Cancel = { $typeName: "polyproc.v1.Cancel", id, reason };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "cancel", value: cancel } };
}

/** pingFrame builds a Ping (§11). */
export function pingFrame(seq: bigint): Frame {
  const ping: Ping = { $typeName: "polyproc.v1.Ping", seq };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "ping", value: ping } };
}

/** pongFrame builds a Pong (§11). */
export function pongFrame(seq: bigint): Frame {
  const pong: Pong = { $typeName: "polyproc.v1.Pong", seq };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "pong", value: pong } };
}

/** publishFrame builds a Publish (§12). */
export function publishFrame(topic: string, value: Value, metadata: Record<string, string>): Frame {
  const publish: Publish = { $typeName: "polyproc.v1.Publish", topic, value, metadata };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "publish", value: publish } };
}

/** subscribeFrame builds a Subscribe (§12.3). */
export function subscribeFrame(patterns: string[]): Frame {
  const subscribe: Subscribe = { $typeName: "polyproc.v1.Subscribe", patterns };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "subscribe", value: subscribe } };
}

/** unsubscribeFrame builds an Unsubscribe (§12.3). */
export function unsubscribeFrame(patterns: string[]): Frame {
  const unsubscribe: Unsubscribe = { $typeName: "polyproc.v1.Unsubscribe", patterns };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "unsubscribe", value: unsubscribe } };
}

/** shutdownFrame builds a Shutdown (§13.1). */
export function shutdownFrame(graceMs: number, reason: string): Frame {
  const shutdown: Shutdown = { $typeName: "polyproc.v1.Shutdown", graceMs, reason };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "shutdown", value: shutdown } };
}

/** goodbyeFrame builds a Goodbye (§13.2). */
export function goodbyeFrame(reason: string): Frame {
  const goodbye: Goodbye = { $typeName: "polyproc.v1.Goodbye", reason };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "goodbye", value: goodbye } };
}

/** helloFrame wraps a Hello (§4.1). */
export function helloFrame(hello: Hello): Frame {
  return { $typeName: "polyproc.v1.Frame", kind: { case: "hello", value: hello } };
}

/** welcomeFrame wraps a Welcome (§4.4). */
export function welcomeFrame(welcome: Welcome): Frame {
  return { $typeName: "polyproc.v1.Frame", kind: { case: "welcome", value: welcome } };
}

/** rejectFrame builds a Reject (§4.4). */
export function rejectFrame(code: number, message: string, minProtocol: number, maxProtocol: number): Frame {
  const reject: Reject = { $typeName: "polyproc.v1.Reject", code, message, minProtocol, maxProtocol };
  return { $typeName: "polyproc.v1.Frame", kind: { case: "reject", value: reject } };
}

/**
 * wireError builds the wire's Error from an ErrorInfo whose details are already a Value
 * (§8.1). UNKNOWN stays UNKNOWN; no code name maps to UNSPECIFIED.
 */
export function wireError(info: ErrorInfo, details: Value | undefined): WireError {
  return {
    $typeName: "polyproc.v1.Error",
    code: codeNumber(info.code),
    message: info.message,
    details,
    originPlugin: info.originPlugin ?? "",
    originInstance: info.originInstance ?? "",
    retryable: info.retryable ?? false,
  };
}

/** errorInfoOf reads a received Error; code 0 and unknown codes read as UNKNOWN (§8.3). */
export function errorInfoOf(error: WireError): ErrorInfo {
  return {
    code: codeName(error.code),
    message: error.message,
    details: error.details === undefined ? undefined : fromValue(error.details),
    originPlugin: error.originPlugin,
    originInstance: error.originInstance,
    retryable: error.retryable,
  };
}

/** functionSpec builds the wire's FunctionSpec from a FunctionInfo (§4.1). */
export function functionSpec(info: FunctionInfo): FunctionSpec {
  return {
    $typeName: "polyproc.v1.FunctionSpec",
    name: info.name,
    description: info.description ?? "",
    paramsSchema: info.paramsSchema ?? "",
    resultSchema: info.resultSchema ?? "",
    streaming: info.streaming ?? false,
    idempotent: info.idempotent ?? false,
  };
}

/** functionInfo reads a FunctionSpec as a FunctionInfo. */
export function functionInfo(spec: FunctionSpec): FunctionInfo {
  return {
    name: spec.name,
    description: spec.description,
    paramsSchema: spec.paramsSchema,
    resultSchema: spec.resultSchema,
    streaming: spec.streaming,
    idempotent: spec.idempotent,
  };
}
