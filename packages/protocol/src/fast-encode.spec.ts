import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { encodeHotFrame } from "./fast-encode.js";
import { FrameEncoder } from "./frame-encoder.js";
import { hotFrameArb } from "./frame-fixtures.js";
import { type Frame, FrameSchema } from "./gen/polyproc/v1/frame_pb.js";
import { toValue } from "./value-mapping.js";
import { WireWriter } from "./wire-writer.js";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

/** lengthPrefixed is what a FrameEncoder must produce for frames: toBinary with headers. */
function lengthPrefixed(frames: Frame[]): string {
  return frames
    .map((f) => {
      const body = toBinary(FrameSchema, f);
      return body.length.toString(16).padStart(8, "0") + hex(body);
    })
    .join("");
}

const callFrame = (fields: Record<string, unknown>): Frame =>
  ({
    $typeName: "polyproc.v1.Frame",
    kind: { case: "call", value: { $typeName: "polyproc.v1.Call", id: 7n, function: "add", target: "", args: toValue({ a: 1, b: 2 }), deadlineMs: 0, metadata: {}, streaming: false, initialCredit: 0, ...fields } },
  }) as Frame;

describe("encodeHotFrame", () => {
  it("writes every hot frame exactly as toBinary does, without falling back", () => {
    fc.assert(
      fc.property(hotFrameArb, (frame) => {
        const w = new WireWriter(16);
        expect(encodeHotFrame(w, frame)).toBe(true);
        expect(hex(w.buf.subarray(0, w.pos))).toBe(hex(toBinary(FrameSchema, frame)));
      }),
      { numRuns: 3000 },
    );
  });

  it("writes nothing and returns false for the other kinds", () => {
    const w = new WireWriter(16);
    const goodbye: Frame = { $typeName: "polyproc.v1.Frame", kind: { case: "goodbye", value: { $typeName: "polyproc.v1.Goodbye", reason: "done" } } };
    expect(encodeHotFrame(w, goodbye)).toBe(false);
    expect(w.pos).toBe(0);
  });
});

describe("FrameEncoder", () => {
  it("writes batches of random frames as toBinary bodies with length prefixes", () => {
    fc.assert(
      fc.property(fc.array(hotFrameArb, { minLength: 1, maxLength: 6 }), (frames) => {
        const encoder = new FrameEncoder();
        for (const frame of frames) encoder.add(frame);
        expect(hex(encoder.flush())).toBe(lengthPrefixed(frames));
      }),
      { numRuns: 300 },
    );
  });

  it("leaves frames it does not handle to toBinary, and writes the same bytes", () => {
    // Unknown fields to write back, at the frame and inside a Value.
    const withUnknown = fromBinary(FrameSchema, new BinaryWriter().tag(1, 2).bytes(new BinaryWriter().tag(1, 0).uint64(5n).tag(99, 0).uint32(1).finish()).finish());
    expect(withUnknown.$unknown).toBeUndefined();
    const call = withUnknown.kind.case === "call" ? withUnknown.kind.value : undefined;
    expect(call?.$unknown).toHaveLength(1);
    const valueWithUnknown = callFrame({});
    const args = (valueWithUnknown.kind.value as { args: { $unknown?: unknown[] } }).args;
    args.$unknown = [{ no: 50, wireType: 0, data: new Uint8Array([3]) }];
    const unusual = [
      withUnknown,
      valueWithUnknown,
      callFrame({ deadlineMs: "12" }), // a string where protobuf-es takes one too
      callFrame({ args: null }), // null is "set" for protobuf-es: an empty Value
      { $typeName: "polyproc.v1.Frame", kind: { case: "result", value: { $typeName: "polyproc.v1.Result", id: 1n, outcome: { case: "error", value: { $typeName: "polyproc.v1.Error", code: -3, message: "", originPlugin: "", originInstance: "", retryable: false } } } } } as unknown as Frame,
      create(FrameSchema, { kind: { case: "goodbye", value: { reason: "done" } } }),
    ];
    for (const frame of unusual) {
      const encoder = new FrameEncoder();
      encoder.add(frame);
      expect(hex(encoder.flush()), frame.kind.case).toBe(lengthPrefixed([frame]));
    }
  });

  it("throws what toBinary throws for an unencodable frame, and keeps the batch", () => {
    const encoder = new FrameEncoder();
    encoder.add(callFrame({}));
    const before = encoder.pendingBytes;
    for (const bad of [callFrame({ id: -1n }), callFrame({ deadlineMs: -1 }), callFrame({ deadlineMs: 1.5 })]) {
      expect(() => toBinary(FrameSchema, bad)).toThrow();
      expect(() => encoder.add(bad)).toThrow();
      expect(encoder.pendingBytes).toBe(before);
    }
    expect(hex(encoder.flush())).toBe(lengthPrefixed([callFrame({})]));
  });

  it("never writes again into a buffer it has returned", () => {
    const encoder = new FrameEncoder();
    const small = callFrame({});
    const large = callFrame({ args: toValue(new Uint8Array(100_000).fill(1)) });
    const batches: [Uint8Array, string][] = [];
    for (const frame of [small, large, small, large, large, small]) {
      encoder.add(frame);
      const out = encoder.flush();
      batches.push([out, hex(out)]);
    }
    for (const [out, copy] of batches) expect(hex(out)).toBe(copy);
    expect(batches.map(([, copy]) => copy)).toEqual([small, large, small, large, large, small].map((f) => lengthPrefixed([f])));
  });
});
