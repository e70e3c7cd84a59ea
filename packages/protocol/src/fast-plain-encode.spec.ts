import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { encodeHotFrame } from "./fast-encode.js";
import { FrameEncoder } from "./frame-encoder.js";
import { textArb } from "./frame-fixtures.js";
import { callFrame, resultFrame, setFrameValue, streamItemFrame } from "./frames.js";
import type { Frame } from "./gen/polyproc/v1/frame_pb.js";
import { ProtocolError } from "./protocol-error.js";
import { WireWriter } from "./wire-writer.js";
import { toValue } from "./value-mapping.js";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

class Point {
  constructor(readonly x: number) {}
}

const numberArb = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 2 ** 30, -(2 ** 30), 2 ** 30 - 1, -(2 ** 30) - 1, 2 ** 31, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, -(2 ** 53), 1.5),
);
const bigintArb = fc.oneof(
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
  fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, -(2n ** 63n) - 1n, 2n ** 63n, 0n, -1n),
);
// Keys that sort differently by code point and by UTF-16, lone surrogates, __proto__, "".
const keyArb = fc.oneof(textArb, fc.constantFrom("", "a", "b", "\u{1F600}", "\uFF01", "\ud800", "__proto__", "1", "10", "2"));
const unsupportedArb = fc.constantFrom<unknown>(
  () => 1,
  Symbol("s"),
  new Date(0),
  new Set([1]),
  new Int16Array(2),
  new ArrayBuffer(2),
  new Point(1),
);

/** jsArb gives JavaScript values that toValue maps, and many that it rejects. */
const jsArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(null, undefined, true, false),
    numberArb,
    bigintArb,
    textArb,
    fc.uint8Array({ maxLength: 20 }).map((b) => (b.length % 2 === 0 ? b : Buffer.from(b))),
    unsupportedArb,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.sparseArray(tie("value"), { maxLength: 4 }),
    fc.array(fc.tuple(keyArb, tie("value")), { maxLength: 4 }).map(plainObject),
    fc.array(fc.tuple(keyArb, tie("value")), { maxLength: 4 }).map((entries) => Object.assign(Object.create(null) as object, plainObject(entries))),
    fc.array(fc.tuple(fc.oneof(keyArb, fc.integer()), tie("value")), { maxLength: 3 }).map((entries) => new Map<unknown, unknown>(entries)),
  ),
})).value;

function plainObject(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

// Nested lists and objects around a leaf, `levels` deep.
function nested(levels: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { k: value };
  return value;
}

const deepArb = fc.tuple(fc.integer({ min: 60, max: 68 }), fc.constantFrom<unknown>(1, "x", [], {}, new Map([["a", 1]]), undefined, 2n ** 70n));

function cyclic(): unknown {
  const a: Record<string, unknown> = { x: 1 };
  a.self = { list: [a] };
  return a;
}

function hasMap(value: unknown): boolean {
  if (value instanceof Map) return true;
  if (typeof value !== "object" || value === null || value instanceof Uint8Array) return false;
  return Object.values(value).some(hasMap);
}

type Kind = "call" | "result" | "streamItem";
const roots: Record<Kind, string> = { call: "args", result: "result", streamItem: "item" };

function emptyFrame(kind: Kind): Frame {
  if (kind === "call") return callFrame(9n, "fn", "", undefined, 5, { m: "v" }, false, 0);
  return kind === "result" ? resultFrame(300n) : streamItemFrame(2n ** 40n, undefined);
}

type Outcome = { bytes: string } | { error: { kind: string; message: string; path: string | undefined } };

function describeError(error: unknown): Outcome {
  if (!ProtocolError.is(error)) throw error;
  return { error: { kind: error.kind, message: error.message, path: error.path } };
}

// The reference: toValue, then the frame encoded with its Value.
function reference(kind: Kind, input: unknown, maxFrameBytes: number): Outcome {
  const encoder = new FrameEncoder({ maxFrameBytes });
  try {
    const frame = emptyFrame(kind);
    setFrameValue(frame, toValue(input, roots[kind]));
    encoder.add(frame);
  } catch (error) {
    return describeError(error);
  }
  return { bytes: hex(encoder.flush()) };
}

// The direct path, after a frame already in the batch, which a failure must leave alone.
function direct(kind: Kind, input: unknown, maxFrameBytes: number): Outcome {
  const encoder = new FrameEncoder({ maxFrameBytes });
  if (maxFrameBytes > 16) encoder.add(streamItemFrame(1n, toValue(null)));
  const kept = encoder.pendingBytes;
  try {
    encoder.addPlain(emptyFrame(kind), input, roots[kind]);
  } catch (error) {
    expect(encoder.pendingBytes).toBe(kept);
    return describeError(error);
  }
  return { bytes: hex(encoder.flush().subarray(kept)) };
}

const kindArb = fc.constantFrom<Kind>("call", "result", "streamItem");

describe("FrameEncoder.addPlain", () => {
  it("writes the bytes of toValue then add, and throws its errors, for any JavaScript value", () => {
    fc.assert(
      fc.property(kindArb, jsArb, (kind, input) => {
        expect(direct(kind, input, 0xffff_ffff)).toEqual(reference(kind, input, 0xffff_ffff));
      }),
      { numRuns: 4000 },
    );
  });

  it("writes every value toValue maps without a Map on the direct path, without falling back", () => {
    fc.assert(
      fc.property(kindArb, jsArb, (kind, input) => {
        fc.pre(input !== undefined && !hasMap(input));
        const expected = reference(kind, input, 0xffff_ffff);
        fc.pre("bytes" in expected);
        const w = new WireWriter(16);
        expect(encodeHotFrame(w, emptyFrame(kind), input)).toBe(true);
        expect(hex(w.buf.subarray(0, w.pos))).toBe(expected.bytes.slice(8));
      }),
      { numRuns: 2000 },
    );
  });

  it("matches toValue near the depth limit, past it, and on cycles", () => {
    fc.assert(
      fc.property(kindArb, deepArb, (kind, [levels, leaf]) => {
        const input = nested(levels, leaf);
        expect(direct(kind, input, 0xffff_ffff)).toEqual(reference(kind, input, 0xffff_ffff));
      }),
      { numRuns: 300 },
    );
    for (const kind of ["call", "result", "streamItem"] as const) {
      const outcome = direct(kind, cyclic(), 0xffff_ffff);
      expect(outcome).toEqual(reference(kind, cyclic(), 0xffff_ffff));
      expect("error" in outcome && outcome.error.kind).toBe("INVALID_VALUE");
    }
  });

  it("reports FRAME_TOO_LARGE as add does", () => {
    fc.assert(
      fc.property(kindArb, jsArb, fc.integer({ min: 1, max: 120 }), (kind, input, limit) => {
        expect(direct(kind, input, limit)).toEqual(reference(kind, input, limit));
      }),
      { numRuns: 1000 },
    );
  });

  it("writes common values on the direct path with the bytes of the Value path", () => {
    const input = { b: [1, -2, 2 ** 40, 1.5, -0, "é", null, true, new Uint8Array([1, 2])], a: { "\u{1F600}": 1n, "\uFF01": -(2n ** 63n) } };
    expect(direct("result", input, 0xffff_ffff)).toEqual(reference("result", input, 0xffff_ffff));
  });

  it("rejects frames of other kinds", () => {
    const encoder = new FrameEncoder();
    const cancel: Frame = { $typeName: "polyproc.v1.Frame", kind: { case: "cancel", value: { $typeName: "polyproc.v1.Cancel", id: 1n, reason: "" } } };
    expect(() => encoder.addPlain(cancel, 1, "value")).toThrow(/Call, Result or StreamItem/);
    expect(encoder.pendingBytes).toBe(0);
  });
});
