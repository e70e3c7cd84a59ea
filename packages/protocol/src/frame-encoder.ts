import { toBinary } from "@bufbuild/protobuf";
import { type Frame, FrameSchema } from "./gen/polyproc/v1/frame_pb.js";
import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES } from "./limits.js";
import { ProtocolError } from "./protocol-error.js";

/** FrameEncoderOptions configures a FrameEncoder and encodeFrames. */
export interface FrameEncoderOptions {
  /** The largest frame body that may be sent (PROTOCOL.md §3.2). Default: 16 MiB. */
  maxFrameBytes?: number;
}

/**
 * FrameEncoder collects the frames of one batch (an event-loop turn) and turns them into
 * one buffer, so that a connection makes one write per batch (PROTOCOL.md §3.3).
 */
export class FrameEncoder {
  private readonly maxFrameBytes: number;
  private bodies: Uint8Array[] = [];
  private size = 0;

  constructor(options: FrameEncoderOptions = {}) {
    this.maxFrameBytes = checkMaxFrameBytes(options.maxFrameBytes);
  }

  /**
   * add serializes a frame into the batch. A body over the limit throws ProtocolError
   * FRAME_TOO_LARGE and leaves the batch as it was.
   */
  add(frame: Frame): void {
    const body = toBinary(FrameSchema, frame);
    if (body.byteLength > this.maxFrameBytes) {
      throw new ProtocolError(
        "FRAME_TOO_LARGE",
        `a ${frame.kind.case ?? "empty"} frame of ${body.byteLength} bytes is over the limit of ${this.maxFrameBytes} bytes; send less data per call (split it, or stream it)`,
      );
    }
    this.bodies.push(body);
    this.size += FRAME_HEADER_BYTES + body.byteLength;
  }

  /** pendingBytes is the size of the buffer that flush would return. */
  get pendingBytes(): number {
    return this.size;
  }

  /** flush returns the batch as one buffer of length-prefixed frames and starts a new one. */
  flush(): Uint8Array {
    const out = new Uint8Array(this.size);
    const view = new DataView(out.buffer);
    let offset = 0;
    for (const body of this.bodies) {
      view.setUint32(offset, body.byteLength, false);
      out.set(body, offset + FRAME_HEADER_BYTES);
      offset += FRAME_HEADER_BYTES + body.byteLength;
    }
    this.bodies = [];
    this.size = 0;
    return out;
  }
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
