import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FrameDecoder } from "./frame-decoder.js";
import { encodeFrames } from "./frame-encoder.js";
import { ProtocolError } from "./protocol-error.js";
import { fromValue, toValue, type PlainValue } from "./value-mapping.js";
import type { Value } from "./gen/polyproc/v1/value_pb.js";

function roundTrip(input: unknown): PlainValue {
  const wire = encodeFrames([
    { $typeName: "polyproc.v1.Frame", kind: { case: "streamItem", value: { $typeName: "polyproc.v1.StreamItem", id: 1n, value: toValue(input, "args") } } },
  ]);
  const [frame] = new FrameDecoder().push(wire);
  if (frame?.kind.case !== "streamItem") throw new Error("expected a stream item");
  return fromValue(frame.kind.value.value);
}

function failure(input: unknown): ProtocolError {
  try {
    toValue(input, "args");
  } catch (error) {
    if (ProtocolError.is(error)) return error;
    throw error;
  }
  throw new Error("toValue accepted the input");
}

const plainValue: fc.Arbitrary<PlainValue> = fc.letrec<{ value: PlainValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).filter((n) => n < BigInt(Number.MIN_SAFE_INTEGER) || n > BigInt(Number.MAX_SAFE_INTEGER)),
    fc.double().filter((d) => !Number.isSafeInteger(d) || Object.is(d, -0)),
    fc.string({ unit: "grapheme" }),
    fc.uint8Array(),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: "grapheme", maxLength: 6 }), tie("value"), { maxKeys: 5, noNullPrototype: true }),
  ),
})).value;

describe("toValue and fromValue", () => {
  it("round-trip every plain value through the wire (property)", () => {
    fc.assert(fc.property(plainValue, (value) => {
      expect(roundTrip(value)).toEqual(value);
    }), { numRuns: 500 });
  });

  it("keep doubles bit for bit: NaN, -0, infinities", () => {
    for (const d of [Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1, 2 ** 60]) {
      expect(Object.is(roundTrip(d), d)).toBe(true);
    }
  });

  it("map safe integers to int and give ints beyond 2^53 back as bigint", () => {
    expect(toValue(3).kind.case).toBe("intValue");
    expect(toValue(3.5).kind.case).toBe("doubleValue");
    expect(toValue(-0).kind.case).toBe("doubleValue");
    expect(roundTrip(2n ** 53n + 1n)).toBe(2n ** 53n + 1n);
    expect(roundTrip(5n)).toBe(5);
    expect(roundTrip(-(2n ** 63n))).toBe(-(2n ** 63n));
  });

  it("write map entries in code point order", () => {
    const value = toValue({ "😀": 1, "｡": 2, b: 3, a: 4 });
    const keys = value.kind.case === "mapValue" ? value.kind.value.entries.map((e) => e.key) : [];
    expect(keys).toEqual(["a", "b", "｡", "😀"]);
  });

  it("accept Maps with string keys and leave undefined members out", () => {
    expect(roundTrip(new Map([["b", 1], ["a", undefined]]))).toEqual({ b: 1 });
    expect(roundTrip({ a: undefined, b: null })).toEqual({ b: null });
  });

  it("map undefined at the top to null", () => {
    expect(roundTrip(undefined)).toBeNull();
  });

  it("define __proto__ as an own key, never as the prototype", () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const out = roundTrip(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("accept 64 levels and refuse 65 with VALUE_TOO_DEEP naming the path", () => {
    let ok: unknown = 1;
    for (let i = 1; i < 64; i++) ok = [ok];
    expect(roundTrip(ok)).toEqual(ok);
    const error = failure([ok]);
    expect(error.kind).toBe("VALUE_TOO_DEEP");
    expect(error.path).toBe(`args${"[0]".repeat(64)}`);
  });

  it("gives null for an absent Value", () => {
    expect(fromValue(undefined)).toBeNull();
    expect(fromValue({ $typeName: "polyproc.v1.Value", kind: { case: undefined } } as Value)).toBeNull();
  });
});

describe("toValue's two mappings", () => {
  // Inside a Map, toValue maps with paths and ancestors; inside a plain object it first tries
  // the mapping without them. Both must give the same Value, or the same error.
  class Thing { x = 1; }
  const odd = fc.constantFrom<unknown>(undefined, -0, 2n ** 63n, -(2n ** 63n), "a\ud800", new Date(0), new Thing(), new Map([["k", 1]]), new Set([1]), () => 0, Symbol("s"), [1, undefined]);
  const anything: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      plainValue,
      odd,
      fc.array(tie("value"), { maxLength: 3 }),
      fc.dictionary(fc.oneof(fc.string({ maxLength: 3 }), fc.constant("k\udc00")), tie("value"), { maxKeys: 3, noNullPrototype: true }),
    ),
  })).value;
  const outcome = (input: unknown): unknown => {
    try {
      const value = toValue(input, "args");
      return value.kind.case === "mapValue" ? value.kind.value.entries : value;
    } catch (error) {
      if (ProtocolError.is(error)) return { kind: error.kind, path: error.path, message: error.message };
      throw error;
    }
  };

  it("agree on every input (property)", () => {
    fc.assert(fc.property(anything, (input) => {
      expect(outcome({ x: input })).toStrictEqual(outcome(new Map([["x", input]])));
    }), { numRuns: 1000 });
  });
});

describe("toValue refuses what cannot be sent, naming the path", () => {
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = { again: cycle };
  class Point { x = 1; }
  const cases: [string, unknown, string, RegExp][] = [
    ["a function", { items: [0, 1, 2, { price: () => 1 }] }, "args.items[3].price", /function/],
    ["a symbol", [Symbol("s")], "args[0]", /symbol/],
    ["undefined in a list", [1, undefined], "args[1]", /undefined/],
    ["a hole in a list", [1, , 3], "args[1]", /undefined/], // eslint-disable-line no-sparse-arrays
    ["a cycle", cycle, "args.self.again", /cycle/],
    ["an integer beyond int64", { n: 2n ** 63n }, "args.n", /outside int64/],
    ["an integer below int64", { n: -(2n ** 63n) - 1n }, "args.n", /outside int64/],
    ["a lone surrogate", { s: "a\ud800" }, "args.s", /surrogate/],
    ["a lone surrogate in a key", { "k\udc00": 1 }, 'args["k\\udc00"]', /surrogate/],
    ["a Date", { when: new Date(0) }, "args.when", /toISOString/],
    ["a class instance", { p: new Point() }, "args.p", /Point/],
    ["a Float64Array", { f: new Float64Array(2) }, "args.f", /Uint8Array/],
    ["a Map with a number key", new Map([[1, 2]]), "args", /strings/],
    ["a Set", { s: new Set([1]) }, "args.s", /array/],
    ["a key that is not an identifier", { "a b": [() => 0] }, 'args["a b"][0]', /function/],
  ];
  it.each(cases)("%s", (_what, input, path, message) => {
    const error = failure(input);
    expect(error.kind).toBe("INVALID_VALUE");
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(path);
  });
});
