import type { Cancel, Call, Result } from "./gen/polyproc/v1/call_pb.js";
import type { Ping, Pong, Publish } from "./gen/polyproc/v1/control_pb.js";
import type { Code, Error as ErrorMessage } from "./gen/polyproc/v1/error_pb.js";
import type { Frame } from "./gen/polyproc/v1/frame_pb.js";
import type { Credit, StreamEnd, StreamItem } from "./gen/polyproc/v1/stream_pb.js";
import { readValue } from "./fast-value-decode.js";
import { FAST_PATH_MISS } from "./fast-path-miss.js";
import { readPlain } from "./fast-plain-decode.js";
import type { PlainFrame } from "./frames.js";
import { WireReader } from "./wire-reader.js";

// Hand-written protobuf decoding of the frames received for every call (PROTOCOL.md §3,
// §5, §7, §10-§12). It builds the same objects as protobuf-es's fromBinary (zero scalars
// present, absent messages left out, oneofs as {case, value}, bytes as views into the
// input) and checks the Values as validateFrameValues does. It handles the canonical
// encoding and the variations encoders really produce (any field order, repeated scalars,
// map entries in any order); everything else goes to protobuf-es, which decides.

/**
 * decodeHotFrame decodes the frame body in bytes[start, end) when it is a Call, Result,
 * StreamItem, StreamEnd, Credit, Cancel, Publish, Ping or Pong with valid Values, in the
 * forms this decoder handles. It returns undefined for every other input (other kinds,
 * unknown fields, invalid or unusual input): decode those with fromBinary and
 * validateFrameValues. With `plain`, the Value of a Call, Result or StreamItem is decoded
 * straight into the frame's `plain` (see PlainFrame), its Value field left out.
 */
export function decodeHotFrame(bytes: Uint8Array, start: number, end: number, plain = false): PlainFrame | undefined {
  if (start >= end) return undefined;
  const r = new WireReader(bytes, start, end);
  // Where the plain value is read into: the frame returned.
  const out: PlainFrame | undefined = plain ? { $typeName: "polyproc.v1.Frame", kind: { case: undefined } } : undefined;
  try {
    let kind: Frame["kind"];
    switch (r.tag()) {
      case 0x0a:
        kind = { case: "call", value: readCall(r, out) };
        break;
      case 0x12:
        kind = { case: "result", value: readResult(r, out) };
        break;
      case 0x1a:
        kind = { case: "streamItem", value: readStreamItem(r, out) };
        break;
      case 0x22:
        kind = { case: "streamEnd", value: readStreamEnd(r) };
        break;
      case 0x2a:
        kind = { case: "credit", value: readCredit(r) };
        break;
      case 0x32:
        kind = { case: "cancel", value: readCancel(r) };
        break;
      case 0x3a:
        kind = { case: "publish", value: readPublish(r) };
        break;
      case 0x42:
        kind = { case: "ping", value: readSeq(r, { $typeName: "polyproc.v1.Ping", seq: 0n }) };
        break;
      case 0x4a:
        kind = { case: "pong", value: readSeq(r, { $typeName: "polyproc.v1.Pong", seq: 0n }) };
        break;
      default:
        return undefined;
    }
    // One field per frame: a second kind (replaced or merged) or unknown fields go slow.
    if (r.pos !== end) return undefined;
    if (out === undefined) return { $typeName: "polyproc.v1.Frame", kind };
    out.kind = kind;
    return out;
  } catch {
    // FAST_PATH_MISS, or anything unforeseen: protobuf-es decides what the bytes mean.
    return undefined;
  }
}

// Reads the length of a nested message and returns where it ends.
function messageEnd(r: WireReader): number {
  const length = r.length();
  return r.pos + length;
}

function finish(r: WireReader, end: number): void {
  if (r.pos !== end) throw FAST_PATH_MISS;
}

// A Call, Result or StreamItem's Value: into out.plain when given, else as a Value. A second
// one is a miss (protobuf-es merges or replaces).
function readCall(r: WireReader, out: PlainFrame | undefined): Call {
  const end = messageEnd(r);
  const call: Call = { $typeName: "polyproc.v1.Call", id: 0n, function: "", target: "", deadlineMs: 0, metadata: {}, streaming: false, initialCredit: 0 };
  while (r.pos < end) {
    switch (r.tag()) {
      case 0x08:
        call.id = r.uint64();
        break;
      case 0x12:
        call.function = r.string();
        break;
      case 0x1a:
        call.target = r.string();
        break;
      case 0x22:
        if (call.args !== undefined || out?.plain !== undefined) throw FAST_PATH_MISS;
        if (out === undefined) call.args = readValue(r, 1);
        else out.plain = readPlain(r, 1);
        break;
      case 0x28:
        call.deadlineMs = r.uint32();
        break;
      case 0x32:
        readMetadataEntry(r, call.metadata);
        break;
      case 0x38:
        call.streaming = r.bool();
        break;
      case 0x40:
        call.initialCredit = r.uint32();
        break;
      default:
        throw FAST_PATH_MISS;
    }
  }
  finish(r, end);
  return call;
}

function readResult(r: WireReader, out: PlainFrame | undefined): Result {
  const end = messageEnd(r);
  const result: Result = { $typeName: "polyproc.v1.Result", id: 0n, outcome: { case: undefined } };
  while (r.pos < end) {
    const tag = r.tag();
    const open = result.outcome.case === undefined && out?.plain === undefined;
    if (tag === 0x08) {
      result.id = r.uint64();
    } else if (tag === 0x12 && open) {
      if (out === undefined) result.outcome = { case: "value", value: readValue(r, 1) };
      else out.plain = readPlain(r, 1);
    } else if (tag === 0x1a && open) {
      result.outcome = { case: "error", value: readError(r) };
    } else {
      throw FAST_PATH_MISS;
    }
  }
  finish(r, end);
  return result;
}

function readStreamItem(r: WireReader, out: PlainFrame | undefined): StreamItem {
  const end = messageEnd(r);
  const item: StreamItem = { $typeName: "polyproc.v1.StreamItem", id: 0n };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 0x08) {
      item.id = r.uint64();
    } else if (tag === 0x12 && item.value === undefined && out?.plain === undefined) {
      if (out === undefined) item.value = readValue(r, 1);
      else out.plain = readPlain(r, 1);
    } else {
      throw FAST_PATH_MISS;
    }
  }
  finish(r, end);
  return item;
}

function readStreamEnd(r: WireReader): StreamEnd {
  const end = messageEnd(r);
  const streamEnd: StreamEnd = { $typeName: "polyproc.v1.StreamEnd", id: 0n };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 0x08) streamEnd.id = r.uint64();
    else if (tag === 0x12 && streamEnd.error === undefined) streamEnd.error = readError(r);
    else throw FAST_PATH_MISS;
  }
  finish(r, end);
  return streamEnd;
}

function readCredit(r: WireReader): Credit {
  const end = messageEnd(r);
  const credit: Credit = { $typeName: "polyproc.v1.Credit", id: 0n, items: 0 };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 0x08) credit.id = r.uint64();
    else if (tag === 0x10) credit.items = r.uint32();
    else throw FAST_PATH_MISS;
  }
  finish(r, end);
  return credit;
}

function readCancel(r: WireReader): Cancel {
  const end = messageEnd(r);
  const cancel: Cancel = { $typeName: "polyproc.v1.Cancel", id: 0n, reason: "" };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 0x08) cancel.id = r.uint64();
    else if (tag === 0x12) cancel.reason = r.string();
    else throw FAST_PATH_MISS;
  }
  finish(r, end);
  return cancel;
}

function readPublish(r: WireReader): Publish {
  const end = messageEnd(r);
  const publish: Publish = { $typeName: "polyproc.v1.Publish", topic: "", metadata: {} };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 0x0a) publish.topic = r.string();
    else if (tag === 0x12 && publish.value === undefined) publish.value = readValue(r, 1);
    else if (tag === 0x1a) readMetadataEntry(r, publish.metadata);
    else throw FAST_PATH_MISS;
  }
  finish(r, end);
  return publish;
}

function readSeq<T extends Ping | Pong>(r: WireReader, message: T): T {
  const end = messageEnd(r);
  while (r.pos < end) {
    if (r.tag() !== 0x08) throw FAST_PATH_MISS;
    message.seq = r.uint64();
  }
  finish(r, end);
  return message;
}

function readError(r: WireReader): ErrorMessage {
  const end = messageEnd(r);
  const error: ErrorMessage = { $typeName: "polyproc.v1.Error", code: 0, message: "", originPlugin: "", originInstance: "", retryable: false };
  while (r.pos < end) {
    switch (r.tag()) {
      case 0x08:
        error.code = (r.uint32() | 0) as Code; // an open enum: any int32 is kept
        break;
      case 0x12:
        error.message = r.string();
        break;
      case 0x1a:
        if (error.details !== undefined) throw FAST_PATH_MISS;
        error.details = readValue(r, 1);
        break;
      case 0x22:
        error.originPlugin = r.string();
        break;
      case 0x2a:
        error.originInstance = r.string();
        break;
      case 0x30:
        error.retryable = r.bool();
        break;
      default:
        throw FAST_PATH_MISS;
    }
  }
  finish(r, end);
  return error;
}

// One entry of a map<string, string>: key and value in any order, each optional, the last
// occurrence winning; assigned as protobuf-es assigns it (a later duplicate key overwrites).
function readMetadataEntry(r: WireReader, map: { [key: string]: string }): void {
  const end = messageEnd(r);
  let key = "";
  let value = "";
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 0x0a) key = r.string();
    else if (tag === 0x12) value = r.string();
    else throw FAST_PATH_MISS;
  }
  finish(r, end);
  map[key] = value;
}
