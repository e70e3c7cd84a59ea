import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { FrameDecoder } from "./frame-decoder.js";
import { FrameEncoder, encodeFrames } from "./frame-encoder.js";
import { FrameSchema, type Frame } from "./gen/polyproc/v1/frame_pb.js";
import { ProtocolError } from "./protocol-error.js";
import { fromValue, toValue } from "./value-mapping.js";

const item = (id: bigint, value: unknown): Frame =>
  create(FrameSchema, { kind: { case: "streamItem", value: { id, value: toValue(value) } } });

describe("FrameDecoder", () => {
  it("returns nothing until a frame is complete", () => {
    const wire = encodeFrames([item(1n, "x")]);
    const decoder = new FrameDecoder();
    expect(decoder.push(wire.subarray(0, 3))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(3);
    expect(decoder.push(wire.subarray(3, wire.length - 1))).toEqual([]);
    expect(decoder.push(wire.subarray(wire.length - 1))).toHaveLength(1);
    expect(decoder.bufferedBytes).toBe(0);
    decoder.end();
  });

  it("reports a length over the limit from the header alone, before the body arrives", () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 1024 });
    expect(() => decoder.push(new Uint8Array([0, 0, 4, 1]))).toThrow(/FRAME_TOO_LARGE.*1025 bytes.*1024/);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it("repeats its first error on every later push and end", () => {
    const decoder = new FrameDecoder();
    const first = (() => {
      try {
        decoder.push(new Uint8Array([0, 0, 0, 0]));
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(ProtocolError.is(first, "EMPTY_FRAME")).toBe(true);
    expect(() => decoder.push(encodeFrames([item(1n, 1)]))).toThrow(first as Error);
    expect(() => decoder.end()).toThrow(first as Error);
  });

  it("never overwrites the bytes of frames it has returned", () => {
    // Frames carry views into the buffers; decode many frames through a small buffer and
    // check every earlier one afterwards.
    const payloads = Array.from({ length: 200 }, (_, i) => new Uint8Array(37 + (i % 50)).fill(i));
    const wire = encodeFrames(payloads.map((p, i) => item(BigInt(i + 1), p)));
    const decoder = new FrameDecoder();
    const frames: Frame[] = [];
    for (let i = 0; i < wire.length; i += 13) frames.push(...decoder.push(wire.slice(i, i + 13)));
    decoder.end();
    expect(frames).toHaveLength(payloads.length);
    frames.forEach((frame, i) => {
      expect(frame.kind.case === "streamItem" && fromValue(frame.kind.value.value)).toEqual(payloads[i]);
    });
  });

  it("decodes a large frame arriving in many chunks without quadratic copying", () => {
    const big = new Uint8Array(8 * 1024 * 1024).fill(7);
    const wire = encodeFrames([item(1n, big)]);
    const decoder = new FrameDecoder();
    let frames: Frame[] = [];
    for (let i = 0; i < wire.length; i += 1024) frames = frames.concat(decoder.push(wire.subarray(i, i + 1024)));
    expect(frames).toHaveLength(1);
    const value = frames[0]!.kind.case === "streamItem" ? fromValue(frames[0]!.kind.value.value) : undefined;
    expect((value as Uint8Array).length).toBe(big.length);
  });

  it("validates its options", () => {
    expect(() => new FrameDecoder({ maxFrameBytes: 0 })).toThrow(/maxFrameBytes/);
    expect(() => new FrameDecoder({ maxFrameBytes: 1.5 })).toThrow(/maxFrameBytes/);
  });
});

describe("FrameEncoder", () => {
  it("writes a batch of frames as one buffer of length-prefixed frames", () => {
    const encoder = new FrameEncoder();
    encoder.add(item(1n, "a"));
    encoder.add(item(2n, "b"));
    const size = encoder.pendingBytes;
    const wire = encoder.flush();
    expect(wire.length).toBe(size);
    expect(encoder.pendingBytes).toBe(0);
    const view = new DataView(wire.buffer);
    const first = view.getUint32(0, false);
    expect(view.getUint32(4 + first, false)).toBe(wire.length - 8 - first);
    expect(new FrameDecoder().push(wire).map((f) => f.kind.case === "streamItem" && f.kind.value.id)).toEqual([1n, 2n]);
  });

  it("refuses a frame over the limit and keeps the batch intact", () => {
    const encoder = new FrameEncoder({ maxFrameBytes: 64 });
    encoder.add(item(1n, "small"));
    const before = encoder.pendingBytes;
    expect(() => encoder.add(item(2n, new Uint8Array(100)))).toThrow(/FRAME_TOO_LARGE.*over the limit of 64/);
    expect(encoder.pendingBytes).toBe(before);
    expect(new FrameDecoder().push(encoder.flush())).toHaveLength(1);
  });
});

describe("FrameDecoder memory", () => {
  it("does not allocate a large announced frame before its bytes arrive", () => {
    const decoder = new FrameDecoder();
    // 16 MiB announced, 10 bytes sent: what is buffered stays small.
    decoder.push(new Uint8Array([1, 0, 0, 0, 1, 2, 3, 4, 5, 6]));
    const buffer = (decoder as unknown as { buffer: Uint8Array }).buffer;
    expect(buffer.byteLength).toBeLessThanOrEqual(64 * 1024);
    expect(decoder.bufferedBytes).toBe(10);
  });
});
