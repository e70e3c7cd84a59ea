// Test support, imported by spec files only (never by index.ts): fast-check arbitraries for
// the frames of every call and the Values they carry, built as the peer builds them (message
// literals with $typeName, no create()).
import fc from "fast-check";
import type { Cancel, Call, Result } from "./gen/polyproc/v1/call_pb.js";
import type { Ping, Pong, Publish } from "./gen/polyproc/v1/control_pb.js";
import type { Code, Error as ErrorMessage } from "./gen/polyproc/v1/error_pb.js";
import type { Frame } from "./gen/polyproc/v1/frame_pb.js";
import type { Credit, StreamEnd, StreamItem } from "./gen/polyproc/v1/stream_pb.js";
import type { MapEntry, Value } from "./gen/polyproc/v1/value_pb.js";

/** hotKinds names the frame kinds the hand-written codec handles. */
export const hotKinds = ["call", "result", "streamItem", "streamEnd", "credit", "cancel", "publish", "ping", "pong"] as const;

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** textArb gives strings: empty, ASCII, any Unicode, lone surrogates, and long ones. */
export const textArb: fc.Arbitrary<string> = fc.oneof(
  fc.constant(""),
  fc.string({ unit: "binary-ascii", maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), loneSurrogate), maxLength: 30 }),
  fc.string({ unit: fc.oneof({ weight: 5, arbitrary: fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.constantFrom("é", "€", "😀") }), minLength: 40, maxLength: 300 }),
);

/** uint64Arb gives ids: 0, small ones, and any up to 2^64 - 1. */
export const uint64Arb: fc.Arbitrary<bigint> = fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 300n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));

/** uint32Arb gives uint32 fields: 0, small ones, and any up to 2^32 - 1. */
export const uint32Arb: fc.Arbitrary<number> = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 0xffff_ffff }));

const int64Arb = fc.oneof(
  fc.bigInt({ min: -300n, max: 300n }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n, -(2n ** 53n) - 1n, 2n ** 31n, -(2n ** 31n) - 1n),
);

const bytesArb = fc.oneof(
  fc.uint8Array({ maxLength: 20 }),
  fc.integer({ min: 100, max: 17_000 }).map((n) => new Uint8Array(n).fill(n & 0xff)),
);

const value = (kind: Value["kind"]): Value => ({ $typeName: "polyproc.v1.Value", kind });

/**
 * valueArb gives valid Values (PROTOCOL.md §9): every kind set, map keys unique, shallow
 * enough, map entries with and without a value.
 */
export const valueArb: fc.Arbitrary<Value> = fc.letrec<{ value: Value; entry: MapEntry }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(value({ case: "nullValue", value: { $typeName: "polyproc.v1.Null" } })),
    fc.boolean().map((b) => value({ case: "boolValue", value: b })),
    int64Arb.map((n) => value({ case: "intValue", value: n })),
    fc.double().map((d) => value({ case: "doubleValue", value: d })),
    textArb.map((s) => value({ case: "stringValue", value: s })),
    bytesArb.map((b) => value({ case: "bytesValue", value: b })),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => value({ case: "listValue", value: { $typeName: "polyproc.v1.ListValue", items } })),
    fc
      // Unique as sent: a lone surrogate goes on the wire as U+FFFD (§9.5), so "\ud800" and
      // "\ud801" would be the same key there.
      .uniqueArray(tie("entry"), { maxLength: 4, selector: (e) => e.key.toWellFormed() })
      .map((entries) => value({ case: "mapValue", value: { $typeName: "polyproc.v1.MapValue", entries } })),
  ),
  entry: fc.tuple(textArb, fc.option(tie("value"), { freq: 4 })).map(([key, v]): MapEntry =>
    v === null ? { $typeName: "polyproc.v1.MapEntry", key } : { $typeName: "polyproc.v1.MapEntry", key, value: v },
  ),
})).value;

const metadataArb = fc.dictionary(textArb, textArb, { maxKeys: 4 });
const optionalValue = fc.option(valueArb, { freq: 4, nil: undefined });

/** errorArb gives Error messages, known and unknown codes, with and without details. */
export const errorArb: fc.Arbitrary<ErrorMessage> = fc
  .record({ code: fc.oneof(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 0x7fff_ffff })), message: textArb, details: optionalValue, originPlugin: textArb, originInstance: textArb, retryable: fc.boolean() })
  .map((e) => ({ $typeName: "polyproc.v1.Error", ...e, code: e.code as Code }));

const frame = (kind: Frame["kind"]): Frame => ({ $typeName: "polyproc.v1.Frame", kind });

const callArb = fc
  .record({ id: uint64Arb, function: textArb, target: textArb, args: optionalValue, deadlineMs: uint32Arb, metadata: metadataArb, streaming: fc.boolean(), initialCredit: uint32Arb })
  .map((c): Call => ({ $typeName: "polyproc.v1.Call", ...c }));

const resultArb = fc
  .tuple(uint64Arb, fc.oneof(valueArb.map((v) => ({ case: "value" as const, value: v })), errorArb.map((e) => ({ case: "error" as const, value: e })), fc.constant({ case: undefined })))
  .map(([id, outcome]): Result => ({ $typeName: "polyproc.v1.Result", id, outcome }));

/** hotFrameArb gives frames of every hot kind. */
export const hotFrameArb: fc.Arbitrary<Frame> = fc.oneof(
  callArb.map((value) => frame({ case: "call", value })),
  resultArb.map((value) => frame({ case: "result", value })),
  fc.tuple(uint64Arb, optionalValue).map(([id, v]) => {
    const item: StreamItem = v === undefined ? { $typeName: "polyproc.v1.StreamItem", id } : { $typeName: "polyproc.v1.StreamItem", id, value: v };
    return frame({ case: "streamItem", value: item });
  }),
  fc.tuple(uint64Arb, fc.option(errorArb, { nil: undefined })).map(([id, error]) => {
    const end: StreamEnd = { $typeName: "polyproc.v1.StreamEnd", id, error };
    return frame({ case: "streamEnd", value: end });
  }),
  fc.tuple(uint64Arb, uint32Arb).map(([id, items]) => frame({ case: "credit", value: { $typeName: "polyproc.v1.Credit", id, items } satisfies Credit })),
  fc.tuple(uint64Arb, textArb).map(([id, reason]) => frame({ case: "cancel", value: { $typeName: "polyproc.v1.Cancel", id, reason } satisfies Cancel })),
  fc
    .record({ topic: textArb, value: optionalValue, metadata: metadataArb })
    .map((p) => frame({ case: "publish", value: { $typeName: "polyproc.v1.Publish", ...p } satisfies Publish })),
  uint64Arb.map((seq) => frame({ case: "ping", value: { $typeName: "polyproc.v1.Ping", seq } satisfies Ping })),
  uint64Arb.map((seq) => frame({ case: "pong", value: { $typeName: "polyproc.v1.Pong", seq } satisfies Pong })),
);
