import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { toBinary } from "@bufbuild/protobuf";
import { FrameDecoder } from "./frame-decoder.js";
import { hotFrameArb, valueArb } from "./frame-fixtures.js";
import type { PlainFrame } from "./frames.js";
import { type Frame, FrameSchema } from "./gen/polyproc/v1/frame_pb.js";
import type { MapEntry, Value } from "./gen/polyproc/v1/value_pb.js";
import { ProtocolError } from "./protocol-error.js";
import { type PlainValue, fromValue } from "./value-mapping.js";

const value = (kind: Value["kind"]): Value => ({ $typeName: "polyproc.v1.Value", kind });
const list = (items: Value[]): Value => value({ case: "listValue", value: { $typeName: "polyproc.v1.ListValue", items } });
const map = (entries: MapEntry[]): Value => value({ case: "mapValue", value: { $typeName: "polyproc.v1.MapValue", entries } });
const entry = (key: string, v?: Value): MapEntry => (v === undefined ? { $typeName: "polyproc.v1.MapEntry", key } : { $typeName: "polyproc.v1.MapEntry", key, value: v });

// Nests a Value `levels` deep in lists and maps.
function nested(levels: number, leaf: Value): Value {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = i % 2 === 0 ? list([v]) : map([entry("k", v)]);
  return v;
}

/** badValueArb gives Values that break §9: no kind, a key twice, too deep; and ones at the limit. */
const badValueArb: fc.Arbitrary<Value> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 3 }), valueArb).map(([levels, v]) => nested(levels, list([v, value({ case: undefined })]))),
  fc.tuple(fc.constantFrom("a", "__proto__", ""), valueArb, valueArb).map(([key, a, b]) => map([entry(key, a), entry("x"), entry(key, b)])),
  fc.tuple(fc.integer({ min: 60, max: 66 }), fc.constantFrom(value({ case: "boolValue", value: true }), map([entry("e")]), list([]))).map(([n, leaf]) => nested(n, leaf)),
  fc.constant(map(Array.from({ length: 12 }, (_, i) => entry(String(i % 10))))),
);

const frame = (kind: Frame["kind"]): Frame => ({ $typeName: "polyproc.v1.Frame", kind });
const anyValueArb = fc.oneof({ weight: 3, arbitrary: valueArb }, { weight: 1, arbitrary: badValueArb });

/** valueFrameArb gives Call, Result and StreamItem frames around valid and invalid Values. */
const valueFrameArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), anyValueArb).map(([id, args]) =>
    frame({ case: "call", value: { $typeName: "polyproc.v1.Call", id, function: "f", target: "", args, deadlineMs: 0, metadata: {}, streaming: false, initialCredit: 0 } }),
  ),
  fc.tuple(fc.bigInt({ min: 0n, max: 300n }), anyValueArb).map(([id, v]) => frame({ case: "result", value: { $typeName: "polyproc.v1.Result", id, outcome: { case: "value", value: v } } })),
  fc.tuple(fc.bigInt({ min: 0n, max: 300n }), anyValueArb).map(([id, v]) => frame({ case: "streamItem", value: { $typeName: "polyproc.v1.StreamItem", id, value: v } })),
);

function lengthPrefixed(bodies: Uint8Array[]): Uint8Array {
  const out: number[] = [];
  for (const body of bodies) out.push(body.length >>> 24, (body.length >>> 16) & 0xff, (body.length >>> 8) & 0xff, body.length & 0xff, ...body);
  return new Uint8Array(out);
}

/**
 * shape is a JavaScript value as a strict tree: key order kept, numbers and bigints told
 * apart, -0 and NaN kept, bytes as arrays.
 */
function shape(v: PlainValue): unknown {
  if (typeof v === "bigint") return ["bigint", String(v)];
  if (typeof v === "number") return ["number", Object.is(v, -0) ? "-0" : String(v)];
  if (v instanceof Uint8Array) return ["bytes", Array.from(v)];
  if (Array.isArray(v)) return ["list", v.map(shape)];
  if (typeof v === "object" && v !== null) {
    if (Object.getPrototypeOf(v) !== Object.prototype) return ["bad prototype"];
    return ["map", Object.keys(v).map((k) => [k, shape(v[k]!)])];
  }
  return v;
}

// What the Peer reads of a frame: the frame without its call Value, and that Value in JavaScript.
function peerView(f: PlainFrame): unknown {
  const kind = f.kind;
  switch (kind.case) {
    case "call": {
      const { args, ...rest } = kind.value;
      return ["call", rest, shape(f.plain !== undefined ? f.plain : fromValue(args))];
    }
    case "result": {
      const outcome = kind.value.outcome;
      const v = f.plain !== undefined ? f.plain : outcome.case === "value" ? fromValue(outcome.value) : null;
      return ["result", kind.value.id, outcome.case === "error" ? outcome.value : shape(v)];
    }
    case "streamItem":
      return ["streamItem", kind.value.id, shape(f.plain !== undefined ? f.plain : fromValue(kind.value.value))];
    default:
      expect(f.plain).toBeUndefined();
      return f;
  }
}

type Outcome = { frames: unknown[] } | { error: string };

function decodeWith(bytes: Uint8Array, plain: boolean, split: number): Outcome {
  const decoder = new FrameDecoder();
  try {
    const cut = Math.min(split, bytes.length);
    const first = plain ? decoder.pushPlain(bytes.subarray(0, cut)) : decoder.push(bytes.subarray(0, cut));
    const second = plain ? decoder.pushPlain(bytes.subarray(cut)) : decoder.push(bytes.subarray(cut));
    return { frames: [...first, ...second].map(peerView) };
  } catch (error) {
    if (!ProtocolError.is(error)) throw error;
    return { error: error.message };
  }
}

describe("FrameDecoder.pushPlain", () => {
  it("gives what push and fromValue give, and the same errors, for valid and invalid Values", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(valueFrameArb, hotFrameArb), { minLength: 1, maxLength: 3 }), fc.nat(), (frames, split) => {
        const bytes = lengthPrefixed(frames.map((f) => toBinary(FrameSchema, f)));
        expect(decodeWith(bytes, true, split)).toEqual(decodeWith(bytes, false, split));
      }),
      { numRuns: 2000 },
    );
  });

  it("gives what push gives for damaged frames", () => {
    fc.assert(
      fc.property(valueFrameArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), (f, edits) => {
        const body = toBinary(FrameSchema, f);
        for (const [at, byte] of edits) if (body.length > 0) body[at % body.length] = byte;
        const bytes = lengthPrefixed([body]);
        expect(decodeWith(bytes, true, bytes.length)).toEqual(decodeWith(bytes, false, bytes.length));
      }),
      { numRuns: 3000 },
    );
  });

  it("decodes valid Values straight to JavaScript on the fast path", () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        const item = frame({ case: "streamItem", value: { $typeName: "polyproc.v1.StreamItem", id: 3n, value: v } });
        const bytes = lengthPrefixed([toBinary(FrameSchema, item)]);
        const [decoded] = new FrameDecoder().pushPlain(bytes);
        const [reference] = new FrameDecoder().push(bytes);
        expect(decoded!.plain).not.toBeUndefined();
        expect(reference!.kind.case).toBe("streamItem");
        expect(shape(decoded!.plain!)).toEqual(shape(fromValue(reference!.kind.case === "streamItem" ? reference!.kind.value.value : undefined)));
        expect(decoded!.kind.case === "streamItem" && decoded!.kind.value.value).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });

  it("reads ints as fromValue does at the edges of the safe range", () => {
    for (const n of [0n, -1n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n), 2n ** 31n, -(2n ** 31n)]) {
      const v = value({ case: "intValue", value: n });
      const item = frame({ case: "streamItem", value: { $typeName: "polyproc.v1.StreamItem", id: 1n, value: v } });
      const [decoded] = new FrameDecoder().pushPlain(lengthPrefixed([toBinary(FrameSchema, item)]));
      expect(shape(decoded!.plain!)).toEqual(shape(fromValue(v)));
    }
  });
});
