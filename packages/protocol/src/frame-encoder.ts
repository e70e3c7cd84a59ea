import { protoInt64, toBinary } from "@bufbuild/protobuf";
import { encodeHotFrame } from "./fast-encode.js";
import { setFrameValue } from "./frames.js";
import { type Frame, FrameSchema } from "./gen/polyproc/v1/frame_pb.js";
import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES } from "./limits.js";
import { ProtocolError } from "./protocol-error.js";
import { toValue } from "./value-mapping.js";
import { WireWriter } from "./wire-writer.js";

/** FrameEncoderOptions configures a FrameEncoder and encodeFrames. */
export interface FrameEncoderOptions {
  /** The largest frame body that may be sent (PROTOCOL.md §3.2). Default: 16 MiB. */
  maxFrameBytes?: number;
}

// The hand-written encoder takes int64 fields as bigints; when protobuf-es is configured for
// strings instead (BUF_BIGINT_DISABLE), every frame is encoded by protobuf-es.
const fast = protoInt64.supported;

// A batch up to this size is copied out of the encoder's buffer at flush; a larger one is
// handed out with the buffer it was written in.
const COPY_LIMIT = 64 * 1024;
const INITIAL_BATCH_BYTES = 16 * 1024;
// A buffer that grew past this for one large batch is not kept for the next ones.
const MAX_KEPT_BYTES = 1024 * 1024;

/**
 * FrameEncoder collects the frames of one batch (an event-loop turn) and turns them into
 * one buffer, so that a connection makes one write per batch (PROTOCOL.md §3.3). The frames
 * of every call (Call, Result, streams, Cancel, Ping, Publish) are written by hand straight
 * into the batch (fast-encode.ts), others by protobuf-es; the bytes are the same.
 */
export class FrameEncoder {
  private readonly maxFrameBytes: number;
  private writer = new WireWriter(INITIAL_BATCH_BYTES);

  constructor(options: FrameEncoderOptions = {}) {
    this.maxFrameBytes = checkMaxFrameBytes(options.maxFrameBytes);
  }

  /**
   * add serializes a frame into the batch. A body over the limit throws ProtocolError
   * FRAME_TOO_LARGE and leaves the batch as it was.
   */
  add(frame: Frame): void {
    const w = this.writer;
    const start = w.pos;
    w.ensure(FRAME_HEADER_BYTES);
    w.pos += FRAME_HEADER_BYTES;
    try {
      if (!fast || !encodeHot(w, frame)) w.raw(toBinary(FrameSchema, frame));
    } catch (error) {
      w.pos = start;
      throw error;
    }
    this.seal(frame, start);
  }

  /**
   * addPlain serializes a Call, Result or StreamItem frame whose Value field is unset, with
   * the Value that toValue(value, root) makes written in its place: the bytes are those of
   * add() after setting that Value, written without building it. It throws what toValue
   * throws (ProtocolError INVALID_VALUE or VALUE_TOO_DEEP naming the path from `root`) and
   * FRAME_TOO_LARGE as add() does, leaving the batch as it was.
   */
  addPlain(frame: Frame, value: unknown, root: string): void {
    const kind = frame.kind.case;
    if (kind !== "call" && kind !== "result" && kind !== "streamItem") {
      throw new TypeError(`addPlain takes a Call, Result or StreamItem frame, got a ${kind ?? "empty"} frame`);
    }
    const w = this.writer;
    const start = w.pos;
    w.ensure(FRAME_HEADER_BYTES);
    w.pos += FRAME_HEADER_BYTES;
    let written = false;
    try {
      // undefined is sent as null (as toValue maps it), and must not read as "no plain value".
      written = fast && encodeHotFrame(w, frame, value === undefined ? null : value);
    } catch {
      // FAST_PATH_MISS (a Map, invalid or unusual input): toValue maps it or names the error.
    }
    if (written) {
      this.seal(frame, start);
      return;
    }
    w.pos = start;
    setFrameValue(frame, toValue(value, root));
    this.add(frame);
  }

  // Checks the size of the frame written from start and fills in its length prefix.
  private seal(frame: Frame, start: number): void {
    const w = this.writer;
    const length = w.pos - start - FRAME_HEADER_BYTES;
    if (length > this.maxFrameBytes) {
      w.pos = start;
      throw new ProtocolError(
        "FRAME_TOO_LARGE",
        `a ${frame.kind.case ?? "empty"} frame of ${length} bytes is over the limit of ${this.maxFrameBytes} bytes; send less data per call (split it, or stream it)`,
      );
    }
    const buf = w.buf;
    buf[start] = length >>> 24;
    buf[start + 1] = length >>> 16;
    buf[start + 2] = length >>> 8;
    buf[start + 3] = length;
  }

  /** pendingBytes is the size of the buffer that flush would return. */
  get pendingBytes(): number {
    return this.writer.pos;
  }

  /** flush returns the batch as one buffer of length-prefixed frames and starts a new one. */
  flush(): Uint8Array {
    const w = this.writer;
    const size = w.pos;
    w.pos = 0;
    if (size <= COPY_LIMIT) {
      // The caller may keep the buffer (a socket until it has written it): give it a copy.
      const copy = w.buf.slice(0, size);
      if (w.buf.length > MAX_KEPT_BYTES) this.writer = new WireWriter(INITIAL_BATCH_BYTES);
      return copy;
    }
    // A large batch: hand the buffer itself out, rather than copy it, and start a new one
    // that the next batch of this size fits in.
    this.writer = new WireWriter(Math.min(w.buf.length, MAX_KEPT_BYTES));
    return w.buf.subarray(0, size);
  }
}

// Writes a hot frame by hand; false when the frame is of another kind or needs protobuf-es
// (then nothing it wrote is kept).
function encodeHot(w: WireWriter, frame: Frame): boolean {
  const start = w.pos;
  try {
    if (encodeHotFrame(w, frame)) return true;
  } catch {
    // FAST_PATH_MISS, or a frame so unusual that only toBinary knows what to do with it.
  }
  w.pos = start;
  return false;
}

/** encodeFrames returns frames as one buffer of length-prefixed frames (§3.1). */
export function encodeFrames(frames: Iterable<Frame>, options?: FrameEncoderOptions): Uint8Array {
  const encoder = new FrameEncoder(options);
  for (const frame of frames) encoder.add(frame);
  return encoder.flush();
}

/** checkMaxFrameBytes validates a frame-size limit option and applies its default. */
export function checkMaxFrameBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_FRAME_BYTES;
  if (!Number.isInteger(value) || value < 1 || value > 0xffffffff) {
    throw new RangeError(`maxFrameBytes must be an integer from 1 to 4294967295, got ${String(value)}`);
  }
  return value;
}
