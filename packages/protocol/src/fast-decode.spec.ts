import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { decodeHotFrame } from "./fast-decode.js";
import { decodeBody, decodeBodySlow } from "./frame-decoder.js";
import { hotFrameArb } from "./frame-fixtures.js";
import { type Frame, FrameSchema } from "./gen/polyproc/v1/frame_pb.js";
import { PROTOBUF_RECURSION_LIMIT } from "./limits.js";
import { ProtocolError, type ProtocolErrorKind } from "./protocol-error.js";

const reference = (bytes: Uint8Array): Frame => fromBinary(FrameSchema, bytes, { recursionLimit: PROTOBUF_RECURSION_LIMIT });
const fast = (bytes: Uint8Array): Frame | undefined => decodeHotFrame(bytes, 0, bytes.length);

/** attempt decodes and gives the frame, or the kind of ProtocolError thrown. */
function attempt(decode: (bytes: Uint8Array) => Frame, bytes: Uint8Array): { frame: Frame } | { error: ProtocolErrorKind } {
  try {
    return { frame: decode(bytes) };
  } catch (error) {
    if (ProtocolError.is(error)) return { error: error.kind };
    throw error;
  }
}

/** fields splits the kind message of a one-kind frame body into its fields' bytes. */
function kindFields(body: Uint8Array): { tag: number; fields: Uint8Array[] } {
  const outer = new BinaryReader(body);
  const [tag] = outer.tag();
  const kind = outer.bytes();
  const r = new BinaryReader(kind);
  const fields: Uint8Array[] = [];
  while (r.pos < r.len) {
    const start = r.pos;
    const [no, wireType] = r.tag();
    r.skip(wireType, no);
    fields.push(kind.subarray(start, r.pos));
  }
  return { tag, fields };
}

function rebuild(tag: number, fields: Uint8Array[]): Uint8Array {
  return new BinaryWriter().tag(tag, 2).bytes(new Uint8Array(Buffer.concat(fields))).finish();
}

/** Mutation is a change to a frame body: a byte changed, inserted or removed, or the body cut short. */
interface Mutation {
  op: "set" | "insert" | "delete" | "cut";
  at: number;
  byte: number;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("set" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), byte: fc.constant(0) }),
  fc.record({ op: fc.constant("cut" as const), at: fc.nat(), byte: fc.constant(0) }),
);

function mutate(body: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = [...body];
  for (const { op, at, byte } of mutations) {
    const i = bytes.length === 0 ? 0 : at % bytes.length;
    if (op === "set") bytes[i] = byte;
    else if (op === "insert") bytes.splice(i, 0, byte);
    else if (op === "delete") bytes.splice(i, 1);
    else bytes = bytes.slice(0, i);
  }
  return new Uint8Array(bytes);
}

describe("decodeHotFrame", () => {
  it("decodes every hot frame toBinary writes to exactly what fromBinary builds", () => {
    fc.assert(
      fc.property(hotFrameArb, (frame) => {
        const body = toBinary(FrameSchema, frame);
        const decoded = fast(body);
        expect(decoded).toBeDefined();
        expect(decoded).toStrictEqual(reference(body));
      }),
      { numRuns: 3000 },
    );
  });

  it("decodes a body inside a larger buffer, bytes fields as views into it", () => {
    const body = new BinaryWriter().tag(3, 2).bytes(new BinaryWriter().tag(1, 0).uint64(9n).tag(2, 2).bytes(new BinaryWriter().tag(6, 2).bytes(new Uint8Array([1, 2, 3])).finish()).finish()).finish();
    const chunk = new Uint8Array([0xff, 0xff, ...body, 0xff]);
    const frame = decodeHotFrame(chunk, 2, 2 + body.length);
    expect(frame).toStrictEqual(reference(body));
    const value = frame?.kind.case === "streamItem" ? frame.kind.value.value?.kind : undefined;
    expect(value?.case === "bytesValue" && value.value.buffer).toBe(chunk.buffer);
  });

  it("decodes fields in any order and repeated scalar fields (the last wins), as fromBinary does", () => {
    fc.assert(
      fc.property(hotFrameArb, fc.array(fc.nat(), { minLength: 32, maxLength: 32 }), fc.option(fc.nat()), (frame, keys, repeat) => {
        const { tag, fields } = kindFields(toBinary(FrameSchema, frame));
        const order = fields.map((field, i) => ({ field, key: keys[i % keys.length]! })).sort((a, b) => a.key - b.key);
        const shuffled = order.map((o) => o.field);
        if (repeat !== null && fields.length > 0) shuffled.push(fields[repeat % fields.length]!);
        const body = rebuild(tag, shuffled);
        expect(attempt(decodeBody, body)).toStrictEqual(attempt(decodeBodySlow, body));
        if (repeat === null) expect(fast(body)).toBeDefined();
      }),
      { numRuns: 1000 },
    );
  });

  it("gives the same frame or the same error kind as protobuf-es for mutated bodies", () => {
    fc.assert(
      fc.property(hotFrameArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (frame, mutations) => {
        const body = mutate(toBinary(FrameSchema, frame), mutations);
        expect(attempt(decodeBody, body)).toStrictEqual(attempt(decodeBodySlow, body));
      }),
      { numRuns: 3000 },
    );
  });

  it("accepts metadata entries value first, key or value absent, and a key twice", () => {
    const entry = (...parts: [number, string][]): Uint8Array => {
      const w = new BinaryWriter();
      for (const [no, text] of parts) w.tag(no, 2).string(text);
      return w.finish();
    };
    const call = new BinaryWriter()
      .tag(1, 0)
      .uint64(1n)
      .tag(6, 2)
      .bytes(entry([2, "v1"], [1, "k"]))
      .tag(6, 2)
      .bytes(entry([1, "only-key"]))
      .tag(6, 2)
      .bytes(entry([2, "only-value"]))
      .tag(6, 2)
      .bytes(entry([1, "k"], [2, "v2"], [2, "v3"]))
      .finish();
    const body = new BinaryWriter().tag(1, 2).bytes(call).finish();
    const frame = fast(body);
    expect(frame).toStrictEqual(reference(body));
    expect(frame?.kind.case === "call" && frame.kind.value.metadata).toEqual({ k: "v3", "only-key": "", "": "only-value" });
  });

  it("leaves unknown fields, merged messages and unusual encodings to protobuf-es", () => {
    const callWith = (extra: (w: BinaryWriter) => BinaryWriter): Uint8Array =>
      new BinaryWriter().tag(1, 2).bytes(extra(new BinaryWriter().tag(1, 0).uint64(1n)).finish()).finish();
    const nullValue = new BinaryWriter().tag(1, 2).bytes(new Uint8Array(0)).finish();
    const list = (...items: Uint8Array[]): Uint8Array => items.reduce((w, item) => w.tag(1, 2).bytes(item), new BinaryWriter()).finish();
    const twoLists = new BinaryWriter().tag(7, 2).bytes(list(nullValue)).tag(7, 2).bytes(list(nullValue, nullValue)).finish();
    const intThenString = new BinaryWriter().tag(3, 0).sint64(5n).tag(5, 2).string("x").finish();
    const cases: [string, Uint8Array][] = [
      ["an unknown field", callWith((w) => w.tag(99, 0).uint32(5))],
      ["a field of a known number with another wire type", callWith((w) => w.tag(2, 0).uint32(5))],
      ["args twice (merged)", callWith((w) => w.tag(4, 2).bytes(nullValue).tag(4, 2).bytes(nullValue))],
      ["a Value with two lists (merged)", callWith((w) => w.tag(4, 2).bytes(twoLists))],
      ["a Value with two kinds (the last wins)", callWith((w) => w.tag(4, 2).bytes(intThenString))],
      ["a two-byte tag for field 1", new BinaryWriter().raw(new Uint8Array([0x8a, 0x00, 0x00])).finish()],
      ["two kinds", new BinaryWriter().tag(8, 2).bytes(new Uint8Array(0)).tag(9, 2).bytes(new Uint8Array(0)).finish()],
      ["a cold kind", new BinaryWriter().tag(16, 2).bytes(new Uint8Array(0)).finish()],
    ];
    for (const [name, body] of cases) {
      expect(fast(body), name).toBeUndefined();
      expect(attempt(decodeBody, body), name).toStrictEqual(attempt(decodeBodySlow, body));
    }
    const unknown = decodeBody(cases[0]![1]);
    expect(unknown.kind.case === "call" && unknown.kind.value.$unknown).toHaveLength(1);
  });

  it("leaves invalid Values to the path that reports them", () => {
    const message = (build: (w: BinaryWriter) => BinaryWriter): Uint8Array => build(new BinaryWriter()).finish();
    const callWithArgs = (args: Uint8Array): Uint8Array => message((w) => w.tag(1, 2).bytes(message((c) => c.tag(1, 0).uint64(1n).tag(4, 2).bytes(args))));
    const trueValue = message((w) => w.tag(2, 0).bool(true));
    const entry = (key: string): Uint8Array => message((w) => w.tag(1, 2).string(key).tag(2, 2).bytes(trueValue));
    const mapOf = (...entries: Uint8Array[]): Uint8Array => message((w) => w.tag(8, 2).bytes(message((m) => entries.reduce((acc, e) => acc.tag(1, 2).bytes(e), m))));
    const nest = (levels: number): Uint8Array => {
      let v = trueValue;
      for (let i = 1; i < levels; i++) {
        const inner = v;
        v = message((w) => w.tag(7, 2).bytes(message((l) => l.tag(1, 2).bytes(inner))));
      }
      return v;
    };
    const cases: [string, Uint8Array, ProtocolErrorKind][] = [
      ["a Value without a kind", callWithArgs(new Uint8Array(0)), "INVALID_VALUE"],
      ["a map key twice", callWithArgs(mapOf(entry("a"), entry("a"))), "INVALID_VALUE"],
      ["65 levels", callWithArgs(nest(65)), "VALUE_TOO_DEEP"],
      ["invalid UTF-8", callWithArgs(message((w) => w.tag(5, 2).bytes(new Uint8Array([0xc3, 0x28])))), "MALFORMED_FRAME"],
    ];
    for (const [name, body, kind] of cases) {
      expect(fast(body), name).toBeUndefined();
      expect(attempt(decodeBody, body), name).toEqual({ error: kind });
    }
    expect(fast(callWithArgs(nest(64)))).toStrictEqual(reference(callWithArgs(nest(64))));
    expect(fast(callWithArgs(mapOf(entry("a"), entry("b"))))).toStrictEqual(reference(callWithArgs(mapOf(entry("a"), entry("b")))));
  });

  it("finds a map key twice among many entries", () => {
    const message = (build: (w: BinaryWriter) => BinaryWriter): Uint8Array => build(new BinaryWriter()).finish();
    const itemWithMap = (keys: string[]): Uint8Array => {
      const map = message((m) => keys.reduce((acc, key) => acc.tag(1, 2).bytes(message((e) => e.tag(1, 2).string(key))), m));
      return message((w) => w.tag(3, 2).bytes(message((i) => i.tag(2, 2).bytes(message((v) => v.tag(8, 2).bytes(map))))));
    };
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    expect(fast(itemWithMap(keys.concat("k13")))).toBeUndefined();
    expect(attempt(decodeBody, itemWithMap(keys.concat("k13")))).toEqual({ error: "INVALID_VALUE" });
    expect(fast(itemWithMap(keys))).toStrictEqual(reference(itemWithMap(keys)));
  });
});
