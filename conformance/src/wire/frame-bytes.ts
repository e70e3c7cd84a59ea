// Bytes on the wire as cases write them: whole frames, and the malformed input a fake peer
// sends on purpose (PROTOCOL.md §3, §15).

import { toBinary } from "@bufbuild/protobuf";
import { type Frame, FrameSchema, decodeBody } from "@polyproc/protocol";
import { frameFromSpec } from "./frame-spec.js";

/** frameBytes encodes one frame with its 4-byte big-endian length (§3.1), whatever its size. */
export function frameBytes(frame: Frame): Uint8Array {
  const body = toBinary(FrameSchema, frame);
  const bytes = new Uint8Array(4 + body.length);
  new DataView(bytes.buffer).setUint32(0, body.length);
  bytes.set(body, 4);
  return bytes;
}

/**
 * bytesFromSpec makes the raw bytes a case sends, from one of:
 * `{hex: "00 00 00 04 42 02 08 11"}` (spaces ignored); `{header: N}` (a length prefix
 * announcing N body bytes, and no body); `{garbage: N}` (N bytes 0xFF); `{frame: <frame>,
 * truncate: K}` (the first K bytes of the encoded frame); `{body: "<hex>"}` (a length prefix
 * and that body, for bodies protobuf cannot make). It throws naming the problem otherwise.
 */
export function bytesFromSpec(spec: unknown): Uint8Array {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) throw new Error(`raw bytes must be an object such as {hex: "..."}; got ${JSON.stringify(spec)}`);
  const s = spec as Record<string, unknown>;
  if (typeof s.hex === "string") return hexBytes(s.hex);
  if (typeof s.header === "number") {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, s.header);
    return bytes;
  }
  if (typeof s.garbage === "number") return new Uint8Array(s.garbage).fill(0xff);
  if (typeof s.body === "string") {
    const body = hexBytes(s.body);
    const bytes = new Uint8Array(4 + body.length);
    new DataView(bytes.buffer).setUint32(0, body.length);
    bytes.set(body, 4);
    return bytes;
  }
  if (s.frame !== undefined) {
    const bytes = frameBytes(frameFromSpec(s.frame));
    return typeof s.truncate === "number" ? bytes.subarray(0, s.truncate) : bytes;
  }
  throw new Error(`raw bytes must give one of hex, header, garbage, body or frame (with truncate); got ${JSON.stringify(spec)}`);
}

/** hexBytes parses hex digits, ignoring spaces. */
export function hexBytes(hex: string): Uint8Array {
  const digits = hex.replace(/\s+/g, "");
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`${JSON.stringify(hex)} is not an even number of hex digits`);
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

/** hexOf renders bytes as spaced hex, at most `max` bytes, for traces. */
export function hexOf(bytes: Uint8Array, max = 64): string {
  const shown = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, "0")).join(" ");
  return bytes.length > max ? `${shown} … (${bytes.length} bytes)` : shown;
}

/**
 * FrameReader collects the frames a fake peer receives (§3.1), at the 16 MiB limit. `error`
 * holds the first problem (a length over the limit, a body that is not a Frame); the frames
 * before it are kept, and nothing after it is read.
 */
export class FrameReader {
  /** Every frame received so far, in order. */
  readonly frames: Frame[] = [];
  /** The first decoding error, if any. */
  error: Error | undefined;
  private buffer = new Uint8Array(0);

  constructor(private readonly maxFrameBytes = 16 * 1024 * 1024) {}

  /** push decodes a chunk and returns the frames it completed. */
  push(chunk: Uint8Array): Frame[] {
    if (this.error) return [];
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    const frames: Frame[] = [];
    let at = 0;
    while (joined.length - at >= 4) {
      const length = new DataView(joined.buffer, joined.byteOffset + at, 4).getUint32(0);
      if (length > this.maxFrameBytes) {
        this.error = new Error(`FRAME_TOO_LARGE: a frame announces ${length} bytes, over the ${this.maxFrameBytes}-byte limit`);
        break;
      }
      if (joined.length - at - 4 < length) break;
      try {
        frames.push(decodeBody(joined.slice(at + 4, at + 4 + length)));
      } catch (error) {
        this.error = error as Error;
        break;
      }
      at += 4 + length;
    }
    this.buffer = this.error ? new Uint8Array(0) : joined.slice(at);
    this.frames.push(...frames);
    return frames;
  }
}
