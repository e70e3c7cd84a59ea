import type { Cancel, Call, Result } from "./gen/polyproc/v1/call_pb.js";
import type { Ping, Pong, Publish } from "./gen/polyproc/v1/control_pb.js";
import type { Error as ErrorMessage } from "./gen/polyproc/v1/error_pb.js";
import type { Frame } from "./gen/polyproc/v1/frame_pb.js";
import type { Credit, StreamEnd, StreamItem } from "./gen/polyproc/v1/stream_pb.js";
import type { Value } from "./gen/polyproc/v1/value_pb.js";
import { checkMessage, checkNoUnknown, putValue } from "./fast-value-encode.js";
import { FAST_PATH_MISS } from "./fast-path-miss.js";
import { putPlain } from "./fast-plain-encode.js";
import type { WireWriter } from "./wire-writer.js";

// Hand-written protobuf encoding of the frames sent for every call (PROTOCOL.md §3, §5, §7,
// §10-§12). Each function writes the fields in field-number order and skips the ones
// protobuf-es leaves out (zero scalars, absent messages, empty maps), so that the bytes
// equal toBinary's. Anything unusual (a value of the wrong type, unknown fields to write
// back) throws FAST_PATH_MISS, and the caller encodes the frame with toBinary instead.

/** NO_PLAIN is the `plain` argument of encodeHotFrame when the frame carries its own Values. */
export const NO_PLAIN: unique symbol = Symbol("no plain value");

/**
 * encodeHotFrame writes the body of a Call, Result, StreamItem, StreamEnd, Credit, Cancel,
 * Publish, Ping or Pong frame and returns true; for other kinds it writes nothing and returns
 * false. Given `plain`, a JavaScript value other than undefined (toValue maps undefined to
 * null: pass null), it writes the Value toValue makes of it as the Call's args, the Result's
 * value or the StreamItem's value, whose field must be unset; other kinds ignore it. It
 * throws FAST_PATH_MISS, having written part of the frame, when the frame needs protobuf-es
 * or the plain value needs toValue.
 */
export function encodeHotFrame(w: WireWriter, frame: Frame, plain: unknown = NO_PLAIN): boolean {
  const kind = frame.kind;
  if (typeof kind !== "object" || kind === null) return false;
  switch (kind.case) {
    case "call":
      begin(w, frame, 0x0a);
      putCall(w, kind.value, plain);
      break;
    case "result":
      begin(w, frame, 0x12);
      putResult(w, kind.value, plain);
      break;
    case "streamItem":
      begin(w, frame, 0x1a);
      putStreamItem(w, kind.value, plain);
      break;
    case "streamEnd":
      begin(w, frame, 0x22);
      putStreamEnd(w, kind.value);
      break;
    case "credit":
      begin(w, frame, 0x2a);
      putCredit(w, kind.value);
      break;
    case "cancel":
      begin(w, frame, 0x32);
      putCancel(w, kind.value);
      break;
    case "publish":
      begin(w, frame, 0x3a);
      putPublish(w, kind.value);
      break;
    case "ping":
      begin(w, frame, 0x42);
      putSeq(w, kind.value, "polyproc.v1.Ping");
      break;
    case "pong":
      begin(w, frame, 0x4a);
      putSeq(w, kind.value, "polyproc.v1.Pong");
      break;
    default:
      return false;
  }
  return true;
}

// Checks the frame itself and writes the tag of its kind; each put function then writes the
// kind's message, its length back-patched.
function begin(w: WireWriter, frame: Frame, tag: number): void {
  if (frame.$typeName !== "polyproc.v1.Frame") throw FAST_PATH_MISS;
  checkNoUnknown(frame);
  w.byte(tag);
}

function putCall(w: WireWriter, call: Call, plain: unknown): void {
  checkMessage(call, "polyproc.v1.Call");
  const mark = w.begin();
  putUint64(w, 0x08, call.id);
  putString(w, 0x12, call.function);
  putString(w, 0x1a, call.target);
  if (plain !== NO_PLAIN) putPlainField(w, 0x22, plain, isSetMessage(call, "args"));
  else if (isSetMessage(call, "args")) putValueField(w, 0x22, call.args!);
  putUint32(w, 0x28, call.deadlineMs);
  putMetadata(w, 0x32, call.metadata);
  putBool(w, 0x38, call.streaming);
  putUint32(w, 0x40, call.initialCredit);
  w.end(mark);
}

function putResult(w: WireWriter, result: Result, plain: unknown): void {
  checkMessage(result, "polyproc.v1.Result");
  const mark = w.begin();
  putUint64(w, 0x08, result.id);
  const outcome = result.outcome;
  if (plain !== NO_PLAIN) putPlainField(w, 0x12, plain, outcome.case !== undefined);
  else if (outcome.case === "value") putValueField(w, 0x12, outcome.value);
  else if (outcome.case === "error") putError(w, 0x1a, outcome.value);
  w.end(mark);
}

function putStreamItem(w: WireWriter, item: StreamItem, plain: unknown): void {
  checkMessage(item, "polyproc.v1.StreamItem");
  const mark = w.begin();
  putUint64(w, 0x08, item.id);
  if (plain !== NO_PLAIN) putPlainField(w, 0x12, plain, isSetMessage(item, "value"));
  else if (isSetMessage(item, "value")) putValueField(w, 0x12, item.value!);
  w.end(mark);
}

function putStreamEnd(w: WireWriter, end: StreamEnd): void {
  checkMessage(end, "polyproc.v1.StreamEnd");
  const mark = w.begin();
  putUint64(w, 0x08, end.id);
  if (isSetMessage(end, "error")) putError(w, 0x12, end.error!);
  w.end(mark);
}

function putCredit(w: WireWriter, credit: Credit): void {
  checkMessage(credit, "polyproc.v1.Credit");
  const mark = w.begin();
  putUint64(w, 0x08, credit.id);
  putUint32(w, 0x10, credit.items);
  w.end(mark);
}

function putCancel(w: WireWriter, cancel: Cancel): void {
  checkMessage(cancel, "polyproc.v1.Cancel");
  const mark = w.begin();
  putUint64(w, 0x08, cancel.id);
  putString(w, 0x12, cancel.reason);
  w.end(mark);
}

function putPublish(w: WireWriter, publish: Publish): void {
  checkMessage(publish, "polyproc.v1.Publish");
  const mark = w.begin();
  putString(w, 0x0a, publish.topic);
  if (isSetMessage(publish, "value")) putValueField(w, 0x12, publish.value!);
  putMetadata(w, 0x1a, publish.metadata);
  w.end(mark);
}

function putSeq(w: WireWriter, message: Ping | Pong, typeName: string): void {
  checkMessage(message, typeName);
  const mark = w.begin();
  putUint64(w, 0x08, message.seq);
  w.end(mark);
}

function putError(w: WireWriter, tag: number, error: ErrorMessage): void {
  checkMessage(error, "polyproc.v1.Error");
  w.byte(tag);
  const mark = w.begin();
  const code = error.code as unknown;
  if (code !== 0) {
    if (typeof code !== "number" || (code | 0) !== code || code < 0) throw FAST_PATH_MISS;
    w.byte(0x08);
    w.uint32(code);
  }
  putString(w, 0x12, error.message);
  if (isSetMessage(error, "details")) putValueField(w, 0x1a, error.details!);
  putString(w, 0x22, error.originPlugin);
  putString(w, 0x2a, error.originInstance);
  putBool(w, 0x30, error.retryable);
  w.end(mark);
}

// A message field is set when it is an own property that is not undefined (protobuf-es).
function isSetMessage(message: object, name: string): boolean {
  return (message as Record<string, unknown>)[name] !== undefined && Object.hasOwn(message, name);
}

function putValueField(w: WireWriter, tag: number, value: Value): void {
  w.byte(tag);
  const mark = w.begin();
  putValue(w, value, 1);
  w.end(mark);
}

// Writes a JavaScript value as the Value toValue makes of it; the frame's own Value must be unset.
function putPlainField(w: WireWriter, tag: number, plain: unknown, valueSet: boolean): void {
  if (valueSet) throw FAST_PATH_MISS;
  w.byte(tag);
  const mark = w.begin();
  putPlain(w, plain, 1);
  w.end(mark);
}

const U64_MAX = 0xffff_ffff_ffff_ffffn;

function putUint64(w: WireWriter, tag: number, value: bigint): void {
  if (typeof value !== "bigint" || value < 0n || value > U64_MAX) throw FAST_PATH_MISS;
  if (value === 0n) return;
  w.byte(tag);
  w.uint64(value);
}

function putUint32(w: WireWriter, tag: number, value: number): void {
  if (typeof value !== "number" || value >>> 0 !== value) throw FAST_PATH_MISS;
  if (value === 0) return;
  w.byte(tag);
  w.uint32(value);
}

function putString(w: WireWriter, tag: number, value: string): void {
  if (typeof value !== "string") throw FAST_PATH_MISS;
  if (value === "") return;
  w.byte(tag);
  w.string(value);
}

function putBool(w: WireWriter, tag: number, value: boolean): void {
  if (value === false) return;
  if (value !== true) throw FAST_PATH_MISS;
  w.byte(tag);
  w.byte(1);
}

// A map<string, string> field: one entry per own key, in Object.keys order, key and value
// always written (as protobuf-es writes map entries).
function putMetadata(w: WireWriter, tag: number, map: { [key: string]: string }): void {
  if (typeof map !== "object" || map === null) throw FAST_PATH_MISS;
  if (isEmpty(map)) return;
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (typeof value !== "string") throw FAST_PATH_MISS;
    w.byte(tag);
    const mark = w.begin();
    w.byte(0x0a);
    w.string(key);
    w.byte(0x12);
    w.string(value);
    w.end(mark);
  }
}

function isEmpty(map: object): boolean {
  for (const key in map) if (Object.hasOwn(map, key)) return false;
  return true;
}
