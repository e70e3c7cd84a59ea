import { fromBinary, protoInt64 } from "@bufbuild/protobuf";
import { type Frame, FrameSchema } from "./gen/polyproc/v1/frame_pb.js";
import { decodeHotFrame } from "./fast-decode.js";
import type { PlainFrame } from "./frames.js";
import { checkMaxFrameBytes } from "./frame-encoder.js";
import { FRAME_HEADER_BYTES, PROTOBUF_RECURSION_LIMIT } from "./limits.js";
import { ProtocolError } from "./protocol-error.js";
import { validateFrameValues } from "./value-validate.js";

/** FrameDecoderOptions configures a FrameDecoder. */
export interface FrameDecoderOptions {
  /** The largest frame body accepted (PROTOCOL.md §3.2). Default: 16 MiB. */
  maxFrameBytes?: number;
}

const EMPTY = new Uint8Array(0);

// The hand-written decoder builds int64 fields as bigints; when protobuf-es is configured
// for strings instead (BUF_BIGINT_DISABLE), every frame is decoded by protobuf-es.
const fast = protoInt64.supported;

/**
 * FrameDecoder turns bytes, in chunks of any size, into frames (PROTOCOL.md §3). Too few
 * bytes is "nothing yet"; a malformed frame throws ProtocolError, after which the decoder
 * repeats that error, since the connection must be closed.
 *
 * Decoded frames may share memory with the chunks given to push (bytes fields are views),
 * so callers must not reuse a chunk's memory after pushing it. The decoder itself never
 * writes into memory it has handed out.
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  // Bytes received and not yet decoded: buffer[head, tail). Space after `tail` is free; the
  // region before `head` may be referenced by frames already returned, so it is never
  // written again: when space runs out a new buffer is allocated.
  private buffer: Uint8Array = EMPTY;
  private head = 0;
  private tail = 0;
  private failure: ProtocolError | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = checkMaxFrameBytes(options.maxFrameBytes);
  }

  /** bufferedBytes is the number of bytes received that do not yet form a frame. */
  get bufferedBytes(): number {
    return this.tail - this.head;
  }

  /** push adds received bytes and returns the frames they complete, in order. */
  push(chunk: Uint8Array): Frame[] {
    return this.decode(chunk, false);
  }

  /**
   * pushPlain is push for the Peer: the Value of a Call, Result or StreamItem decoded by the
   * hand-written decoder is decoded straight into the JavaScript value fromValue would make
   * of it, as the frame's `plain` (PlainFrame). Frames decoded by protobuf-es carry their Values.
   */
  pushPlain(chunk: Uint8Array): PlainFrame[] {
    return this.decode(chunk, true);
  }

  private decode(chunk: Uint8Array, plain: boolean): PlainFrame[] {
    if (this.failure) throw this.failure;
    const frames: PlainFrame[] = [];
    try {
      if (this.head === this.tail) {
        // Nothing buffered: decode straight from the chunk, keep only its incomplete tail.
        const used = this.decodeFrom(chunk, 0, chunk.byteLength, frames, plain);
        if (used < chunk.byteLength) this.append(chunk.subarray(used));
      } else {
        this.append(chunk);
        this.head = this.decodeFrom(this.buffer, this.head, this.tail, frames, plain);
        if (this.head === this.tail) {
          this.buffer = EMPTY;
          this.head = this.tail = 0;
        }
      }
    } catch (error) {
      this.failure = ProtocolError.is(error) ? error : new ProtocolError("MALFORMED_FRAME", String(error), { cause: error });
      throw this.failure;
    }
    return frames;
  }

  /**
   * end says that no more bytes will come. It throws ProtocolError TRUNCATED_FRAME when the
   * input stopped inside a frame.
   */
  end(): void {
    if (this.failure) throw this.failure;
    const left = this.tail - this.head;
    if (left === 0) return;
    const what =
      left < FRAME_HEADER_BYTES
        ? `${left} of the 4 length bytes`
        : `${left - FRAME_HEADER_BYTES} of the ${readLength(this.buffer, this.head)} body bytes`;
    this.failure = new ProtocolError("TRUNCATED_FRAME", `the input ended inside a frame after ${what}; the peer closed the connection mid-frame`);
    throw this.failure;
  }

  // Decodes every complete frame in bytes[from, to) and returns the offset after the last.
  private decodeFrom(bytes: Uint8Array, from: number, to: number, frames: PlainFrame[], plain: boolean): number {
    let offset = from;
    while (to - offset >= FRAME_HEADER_BYTES) {
      const length = readLength(bytes, offset);
      if (length > this.maxFrameBytes) {
        throw new ProtocolError(
          "FRAME_TOO_LARGE",
          `the peer announced a frame of ${length} bytes, over the limit of ${this.maxFrameBytes} bytes; it is buggy or hostile, or the limits differ`,
        );
      }
      const bodyStart = offset + FRAME_HEADER_BYTES;
      if (to - bodyStart < length) {
        this.neededBytes = FRAME_HEADER_BYTES + length;
        break;
      }
      const bodyEnd = bodyStart + length;
      frames.push((fast && decodeHotFrame(bytes, bodyStart, bodyEnd, plain)) || decodeBodySlow(bytes.subarray(bodyStart, bodyEnd)));
      offset = bodyStart + length;
    }
    return offset;
  }

  // The size of the incomplete frame at the head, so that append allocates room for all of it.
  private neededBytes = 0;

  private append(chunk: Uint8Array): void {
    const pending = this.tail - this.head;
    if (this.buffer.byteLength - this.tail >= chunk.byteLength) {
      this.buffer.set(chunk, this.tail);
      this.tail += chunk.byteLength;
      return;
    }
    // Grow by doubling towards the size of the frame being received, but do not trust a
    // length prefix with a large allocation before its bytes arrive.
    const have = pending + chunk.byteLength;
    const size = Math.max(have, Math.min(this.neededBytes, Math.max(2 * have, 64 * 1024)), 2 * pending, 4096);
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(this.head, this.tail), 0);
    next.set(chunk, pending);
    this.buffer = next;
    this.head = 0;
    this.tail = pending + chunk.byteLength;
  }
}

function readLength(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

/**
 * decodeBody parses one frame body and checks it (PROTOCOL.md §3.4): protobuf, a kind, the
 * Values. It throws ProtocolError MALFORMED_FRAME, VALUE_TOO_DEEP, EMPTY_FRAME or INVALID_VALUE.
 * The frames of every call (Call, Result, streams, Cancel, Ping, Publish) are decoded by
 * hand (fast-decode.ts); others, and any input that path does not handle, by protobuf-es.
 */
export function decodeBody(body: Uint8Array): Frame {
  return (fast && decodeHotFrame(body, 0, body.byteLength)) || decodeBodySlow(body);
}

/**
 * decodeBodySlow is decodeBody through protobuf-es alone (fromBinary, then validateFrameValues):
 * the path of every frame the hand-written decoder does not handle, and the reference it is
 * tested against.
 */
export function decodeBodySlow(body: Uint8Array): Frame {
  let frame: Frame;
  try {
    frame = fromBinary(FrameSchema, body, { recursionLimit: PROTOBUF_RECURSION_LIMIT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.includes("maximum recursion depth") || message.includes("call stack")) {
      throw new ProtocolError("VALUE_TOO_DEEP", "the frame nests deeper than any valid Value (64 levels) allows", { cause: error });
    }
    throw new ProtocolError("MALFORMED_FRAME", `the frame body is not a valid polyproc.v1.Frame (${message})`, { cause: error });
  }
  if (frame.kind.case === undefined) {
    throw new ProtocolError("EMPTY_FRAME", "the frame carries no message kind known to protocol v1; the peer may speak a newer version without negotiating it");
  }
  validateFrameValues(frame);
  return frame;
}
