// Writes spec/vectors/valid/*.json and spec/vectors/invalid/*.json (PROTOCOL.md Appendix A).
// Run with `npx nx run spec:vectors`. The valid frames are built with @polyproc/protocol's
// encoder; the non-canonical and invalid ones are written byte by byte below, so that they
// do not depend on any encoder's choices.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { create, fromJson, toJson, type MessageInitShape } from "@bufbuild/protobuf";
import {
  Code,
  FrameDecoder,
  FrameSchema,
  encodeFrames,
  toValue,
  type Frame,
  type ProtocolErrorKind,
} from "../../packages/protocol/src/index.js";

const here = dirname(fileURLToPath(import.meta.url));

interface ValidCase {
  name: string;
  description: string;
  frame?: MessageInitShape<typeof FrameSchema>;
  /** Hand-written bytes of the whole frame, header included; the case is then not canonical. */
  raw?: Uint8Array;
  canonical?: boolean;
}

interface InvalidCase {
  name: string;
  description: string;
  raw: Uint8Array;
  error: ProtocolErrorKind;
  maxFrameBytes?: number;
}

// ---- wire-format helpers for hand-written bytes -------------------------------------------

function varint(n: bigint | number): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}
const bytes = (...parts: (number[] | Uint8Array)[]): Uint8Array => new Uint8Array(parts.flatMap((p) => [...p]));
const tag = (field: number, wireType: number): number[] => varint((field << 3) | wireType);
const ld = (field: number, payload: Uint8Array | number[]): Uint8Array => bytes(tag(field, 2), varint(payload.length), [...payload]);
const vi = (field: number, n: bigint | number): Uint8Array => bytes(tag(field, 0), varint(n));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
function withHeader(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length, false);
  out.set(body, 4);
  return out;
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

// Value kinds on the wire (value.proto): 3 int (sint64), 5 string, 7 list, 8 map.
const vInt = (n: number): Uint8Array => bytes(tag(3, 0), varint(n >= 0 ? 2 * n : -2 * n - 1));
const vList = (...items: Uint8Array[]): Uint8Array => ld(7, bytes(...items.map((i) => ld(1, i))));
const vMap = (...entries: [string | Uint8Array, Uint8Array][]): Uint8Array =>
  ld(8, bytes(...entries.map(([k, v]) => ld(1, bytes(ld(1, typeof k === "string" ? utf8(k) : k), ld(2, v))))));
// Frame field 1 is call; Call field 1 is id, 2 function, 4 args.
const callWithArgs = (args: Uint8Array): Uint8Array => withHeader(ld(1, bytes(vi(1, 1), ld(2, utf8("f")), ld(4, args))));

function nestedList(levels: number): Uint8Array {
  let v = vInt(1);
  for (let i = 1; i < levels; i++) v = vList(v);
  return v;
}
function nestedMap(levels: number): Uint8Array {
  let v = vInt(1);
  for (let i = 1; i < levels; i++) v = vMap(["k", v]);
  return v;
}
function nestedNative(levels: number, wrap: (inner: unknown) => unknown): unknown {
  let v: unknown = 1;
  for (let i = 1; i < levels; i++) v = wrap(v);
  return v;
}

// ---- the cases -----------------------------------------------------------------------------

const call = (init: MessageInitShape<typeof FrameSchema>): MessageInitShape<typeof FrameSchema> => init;
const resultOf = (value: unknown, name: string) =>
  call({ kind: { case: "result", value: { id: 7n, outcome: { case: "value", value: toValue(value, name) } } } });

const schema = '{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}';
const mib = new Uint8Array(1024 * 1024).map((_, i) => (i * 31 + 7) & 0xff);

const valid: ValidCase[] = [
  { name: "hello-minimal", description: "The smallest useful Hello: token, protocol range 1..1, SDK and plugin names.", frame: { kind: { case: "hello", value: { token: "a".repeat(64), minProtocol: 1, maxProtocol: 1, sdkLanguage: "node", sdkVersion: "0.1.0", pluginName: "math", pluginVersion: "1.0.0" } } } },
  { name: "hello-full", description: "A Hello with every field set: functions with schemas, subscriptions, concurrency, pid, capabilities.", frame: { kind: { case: "hello", value: { token: "0123456789abcdef".repeat(4), minProtocol: 1, maxProtocol: 3, sdkLanguage: "python", sdkVersion: "0.1.0", pluginName: "text", pluginVersion: "2.3.4", functions: [{ name: "add", description: "Adds two numbers.", paramsSchema: schema, resultSchema: '{"type":"number"}', idempotent: true }, { name: "tail", description: "Streams lines.", streaming: true }], subscriptions: ["prices.*", "logs.>"], maxConcurrency: 8, pid: 4242, capabilities: ["streaming", "pubsub"] } } } },
  { name: "welcome-minimal", description: "A Welcome choosing protocol 1 with an instance id.", frame: { kind: { case: "welcome", value: { protocol: 1, instanceId: "math-1" } } } },
  { name: "welcome-full", description: "A Welcome with heartbeat, frame limit, settings, host functions, capabilities and a call limit.", frame: { kind: { case: "welcome", value: { protocol: 1, instanceId: "text-2", heartbeatIntervalMs: 5000, maxFrameBytes: 16777216, settings: toValue({ locale: "de-CH", retries: 3, verbose: false }, "settings"), hostFunctions: [{ name: "kv.get", description: "Reads a key.", paramsSchema: '{"type":"object"}' }], capabilities: ["streaming"], maxCallsInFlight: 100, pluginName: "text", maxOpenStreams: 64 } } } },
  { name: "reject-unauthenticated", description: "Reject for a wrong token.", frame: { kind: { case: "reject", value: { code: Code.UNAUTHENTICATED, message: "the token does not match", minProtocol: 1, maxProtocol: 1 } } } },
  { name: "reject-version", description: "Reject when no protocol version is shared.", frame: { kind: { case: "reject", value: { code: Code.FAILED_PRECONDITION, message: "the plugin speaks protocol 2..3, the host 1..1", minProtocol: 1, maxProtocol: 1 } } } },
  { name: "call-minimal", description: "A Call with only an id and a function: no arguments (null), no deadline.", frame: { kind: { case: "call", value: { id: 1n, function: "ping" } } } },
  { name: "call-add", description: "The small Call of the codec benchmark: add with three short arguments and a deadline.", frame: { kind: { case: "call", value: { id: 42n, function: "add", args: toValue({ a: 1, b: 2, op: "sum" }, "args"), deadlineMs: 500 } } } },
  { name: "call-metadata-one", description: "A Call with one metadata entry (a W3C traceparent).", frame: { kind: { case: "call", value: { id: 3n, function: "add", metadata: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" } } } } },
  { name: "call-routed", description: "A plugin's Call to another plugin, routed by the host through target.", frame: { kind: { case: "call", value: { id: 9n, function: "reverse", target: "text", args: toValue({ text: "abc" }, "args"), deadlineMs: 1000 } } } },
  { name: "call-streaming", description: "A streaming Call with an initial credit of 16 items.", frame: { kind: { case: "call", value: { id: 5n, function: "tail", args: toValue({ n: 10 }, "args"), streaming: true, initialCredit: 16 } } } },
  { name: "call-max-id", description: "The largest call id, 2^64 - 1, and the largest deadline, 2^32 - 1 ms.", frame: { kind: { case: "call", value: { id: 0xffffffffffffffffn, function: "f", deadlineMs: 0xffffffff } } } },
  { name: "result-value", description: "A Result carrying a number.", frame: { kind: { case: "result", value: { id: 42n, outcome: { case: "value", value: toValue(3, "result") } } } } },
  { name: "result-error", description: "A Result carrying an Error with every field.", frame: { kind: { case: "result", value: { id: 42n, outcome: { case: "error", value: { code: Code.INVALID_ARGUMENT, message: "args.a must be a number", details: toValue({ path: "args.a" }, "details"), originPlugin: "math", originInstance: "math-1", retryable: false } } } } } },
  { name: "result-error-retryable", description: "A Result carrying a retryable UNAVAILABLE error.", frame: { kind: { case: "result", value: { id: 1n, outcome: { case: "error", value: { code: Code.UNAVAILABLE, message: "instance math-1 exited with code 1", retryable: true } } } } } },
  { name: "result-error-unknown-code", description: "An Error with a code number this version does not know (99); the frame is valid and the code reads as UNKNOWN.", frame: { kind: { case: "result", value: { id: 1n, outcome: { case: "error", value: { code: 99 as Code, message: "from the future" } } } } } },
  { name: "result-empty", description: "A Result with neither value nor error: the value is null (PROTOCOL.md §5.3).", frame: { kind: { case: "result", value: { id: 8n } } } },
  { name: "stream-item", description: "One item of a stream.", frame: { kind: { case: "streamItem", value: { id: 5n, value: toValue("line 1", "item") } } } },
  { name: "stream-end", description: "The normal end of a stream.", frame: { kind: { case: "streamEnd", value: { id: 5n } } } },
  { name: "stream-end-error", description: "A stream ended by an error.", frame: { kind: { case: "streamEnd", value: { id: 5n, error: { code: Code.CANCELLED, message: "cancelled by the caller" } } } } },
  { name: "credit", description: "A grant of 32 more stream items.", frame: { kind: { case: "credit", value: { id: 5n, items: 32 } } } },
  { name: "cancel", description: "A Cancel with a reason.", frame: { kind: { case: "cancel", value: { id: 42n, reason: "deadline" } } } },
  { name: "ping-zero", description: "A Ping with sequence 0: an empty message, still a Ping.", frame: { kind: { case: "ping", value: {} } } },
  { name: "ping", description: "A Ping with a sequence number.", frame: { kind: { case: "ping", value: { seq: 17n } } } },
  { name: "pong", description: "A Pong answering Ping 17.", frame: { kind: { case: "pong", value: { seq: 17n } } } },
  { name: "publish", description: "A Publish on a topic with a map value.", frame: { kind: { case: "publish", value: { topic: "prices.eur", value: toValue({ bid: 1.08, ask: 1.09 }, "value") } } } },
  { name: "publish-metadata", description: "A Publish carrying one metadata entry (a W3C traceparent).", frame: { kind: { case: "publish", value: { topic: "logs.app.error", value: toValue("disk full", "value"), metadata: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" } } } } },
  { name: "subscribe", description: "A Subscribe with two patterns.", frame: { kind: { case: "subscribe", value: { patterns: ["prices.*", "logs.>"] } } } },
  { name: "unsubscribe", description: "An Unsubscribe with one pattern.", frame: { kind: { case: "unsubscribe", value: { patterns: ["prices.*"] } } } },
  { name: "shutdown", description: "A Shutdown with a grace of 5 s.", frame: { kind: { case: "shutdown", value: { graceMs: 5000, reason: "host closing" } } } },
  { name: "goodbye", description: "A Goodbye.", frame: { kind: { case: "goodbye", value: { reason: "shutdown" } } } },
  { name: "value-null", description: "A null value.", frame: resultOf(null, "value") },
  { name: "value-true", description: "The boolean true.", frame: resultOf(true, "value") },
  { name: "value-false", description: "The boolean false: a oneof member, so written although it is the default.", frame: resultOf(false, "value") },
  { name: "value-int-zero", description: "The integer 0, written although it is the default.", frame: resultOf(0, "value") },
  { name: "value-int-minus-one", description: "The integer -1 (zigzag: 1).", frame: resultOf(-1, "value") },
  { name: "value-int64-min", description: "The smallest int64, -2^63.", frame: resultOf(-(2n ** 63n), "value") },
  { name: "value-int64-max", description: "The largest int64, 2^63 - 1.", frame: resultOf(2n ** 63n - 1n, "value") },
  { name: "value-int-safe-max", description: "2^53 - 1, the largest integer a JavaScript number holds exactly.", frame: resultOf(Number.MAX_SAFE_INTEGER, "value") },
  { name: "value-int-beyond-safe", description: "2^53 + 1, which a JavaScript decoder gives as a bigint.", frame: resultOf(2n ** 53n + 1n, "value") },
  { name: "value-double-fraction", description: "The double 0.1.", frame: resultOf(0.1, "value") },
  { name: "value-double-negative-zero", description: "The double -0.0, sign kept.", frame: resultOf(-0, "value") },
  { name: "value-double-nan", description: "NaN, written as the quiet NaN 0x7FF8000000000000.", frame: resultOf(Number.NaN, "value") },
  { name: "value-double-infinity", description: "+Infinity.", frame: resultOf(Number.POSITIVE_INFINITY, "value") },
  { name: "value-double-negative-infinity", description: "-Infinity.", frame: resultOf(Number.NEGATIVE_INFINITY, "value") },
  { name: "value-double-max", description: "The largest finite double.", frame: resultOf(Number.MAX_VALUE, "value") },
  { name: "value-double-min-subnormal", description: "The smallest positive subnormal double, 5e-324.", frame: resultOf(Number.MIN_VALUE, "value") },
  { name: "value-double-large-integral", description: "2^60 as a double: integral but beyond 2^53, so a JavaScript number maps it to double.", frame: resultOf(2 ** 60, "value") },
  { name: "value-string-empty", description: "The empty string, written although it is the default.", frame: resultOf("", "value") },
  { name: "value-string-unicode", description: "Text outside ASCII: accents, CJK, an emoji (a surrogate pair in UTF-16), a NUL.", frame: resultOf("grüße 日本 😀 \u0000 end", "value") },
  { name: "value-bytes-empty", description: "Empty bytes.", frame: resultOf(new Uint8Array(0), "value") },
  { name: "value-bytes-all", description: "The 256 byte values.", frame: resultOf(new Uint8Array(256).map((_, i) => i), "value") },
  { name: "value-bytes-1mib", description: "1 MiB of bytes.", frame: resultOf(mib, "value") },
  { name: "value-list-empty", description: "An empty list.", frame: resultOf([], "value") },
  { name: "value-map-empty", description: "An empty map.", frame: resultOf({}, "value") },
  { name: "value-list-mixed", description: "A list holding every kind.", frame: resultOf([null, true, -7, 2.5, "s", new Uint8Array([1, 2]), [1], { k: "v" }], "value") },
  { name: "value-map-key-order", description: "Map keys sorted by code point: ASCII, Latin-1, CJK, U+FF61, then an emoji (U+1F600), which JavaScript's UTF-16 sort would put before U+FF61.", frame: resultOf({ "😀": 5, "｡": 4, "日本": 3, é: 2, z: 1, "": 0 }, "value") },
  { name: "value-map-nested", description: "Maps and lists within maps.", frame: resultOf({ user: { name: "Ada", roles: ["admin", "dev"], id: 2n ** 62n }, tags: [] }, "value") },
  { name: "value-depth-64-list", description: "Lists nested to the limit: 64 levels.", frame: resultOf(nestedNative(64, (v) => [v]), "value") },
  { name: "value-depth-64-map", description: "Maps nested to the limit: 64 levels (three protobuf levels each).", frame: resultOf(nestedNative(64, (v) => ({ k: v })), "value") },
  { name: "call-metadata-many", description: "A Call with three metadata entries; map order on the wire is not fixed, so not canonical.", raw: withHeader(ld(1, bytes(vi(1, 3), ld(2, utf8("add")), ld(6, bytes(ld(1, utf8("b")), ld(2, utf8("2")))), ld(6, bytes(ld(1, utf8("a")), ld(2, utf8("1")))), ld(6, bytes(ld(1, utf8("c")), ld(2, utf8("3"))))))) },
  { name: "value-map-unsorted", description: "Map entries out of order (b before a): decoders accept any order.", raw: callWithArgs(vMap(["b", vInt(2)], ["a", vInt(1)])) },
  { name: "call-fields-reversed", description: "A Call whose fields come in reverse field-number order: decoders accept any order.", raw: withHeader(ld(1, bytes(vi(5, 100), ld(4, vInt(1)), ld(2, utf8("f")), vi(1, 2)))) },
  { name: "unknown-fields", description: "A Ping with an unknown field 99 and a Frame with an unknown field 100: both ignored.", raw: withHeader(bytes(ld(8, bytes(vi(1, 1), vi(99, 5))), ld(100, utf8("future")))) },
  { name: "int-non-minimal-varint", description: "A Call id written as a non-minimal varint (0x81 0x00 = 1): decoders accept it.", raw: withHeader(ld(1, bytes(tag(1, 0), [0x81, 0x00], ld(2, utf8("f"))))) },
];

const invalid: InvalidCase[] = [
  { name: "length-over-default-limit", description: "A length of 2^31 - 1, over the default 16 MiB limit; reported before any body byte.", raw: unhex("7fffffff"), error: "FRAME_TOO_LARGE" },
  { name: "length-max-u32", description: "A length of 2^32 - 1.", raw: unhex("ffffffff"), error: "FRAME_TOO_LARGE" },
  { name: "length-over-small-limit", description: "A whole, well-formed Ping of 4 body bytes against a limit of 3.", raw: withHeader(ld(8, vi(1, 17))), error: "FRAME_TOO_LARGE", maxFrameBytes: 3 },
  { name: "length-one-over-limit", description: "A length of 16 MiB + 1 with the default limit.", raw: unhex("01000001"), error: "FRAME_TOO_LARGE" },
  { name: "truncated-length", description: "Two of the four length bytes, then the end of input.", raw: unhex("0000"), error: "TRUNCATED_FRAME" },
  { name: "truncated-length-three", description: "Three of the four length bytes, then the end of input.", raw: unhex("000000"), error: "TRUNCATED_FRAME" },
  { name: "truncated-body", description: "A length of 10 and only 2 body bytes, then the end of input.", raw: unhex("0000000a4200"), error: "TRUNCATED_FRAME" },
  { name: "truncated-second-frame", description: "A whole Ping, then a second frame cut short.", raw: bytes(withHeader(ld(8, [])), unhex("00000005420011")), error: "TRUNCATED_FRAME" },
  { name: "zero-length", description: "A frame of length 0: an empty Frame with no kind.", raw: unhex("00000000"), error: "EMPTY_FRAME" },
  { name: "only-unknown-field", description: "A Frame holding only an unknown field (number 100): no kind this version knows.", raw: withHeader(ld(100, utf8("future"))), error: "EMPTY_FRAME" },
  { name: "not-protobuf", description: "Body bytes that are not protobuf (0xff... is an invalid tag).", raw: withHeader(unhex("ffffffffffffffffffff")), error: "MALFORMED_FRAME" },
  { name: "submessage-overruns-frame", description: "A Call claiming 50 bytes inside a 3-byte body.", raw: withHeader(bytes(tag(1, 2), varint(50), [8, 1])), error: "MALFORMED_FRAME" },
  { name: "truncated-varint", description: "A Ping's seq varint with its continuation bit set at the end of the body.", raw: withHeader(ld(8, [0x08, 0x80])), error: "MALFORMED_FRAME" },
  { name: "invalid-utf8-function", description: "A Call whose function name is not UTF-8 (0xff 0xfe).", raw: withHeader(ld(1, bytes(vi(1, 1), ld(2, [0xff, 0xfe])))), error: "MALFORMED_FRAME" },
  { name: "invalid-utf8-map-key", description: "A map key that is not UTF-8 (a lone continuation byte 0x80).", raw: callWithArgs(vMap([new Uint8Array([0x61, 0x80]), vInt(1)])), error: "MALFORMED_FRAME" },
  { name: "invalid-utf8-surrogate", description: "A string holding an encoded surrogate (ED A0 80), which UTF-8 forbids.", raw: callWithArgs(ld(5, [0xed, 0xa0, 0x80])), error: "MALFORMED_FRAME" },
  { name: "garbage-after-valid-frame", description: "A whole Ping, then a frame whose body is not protobuf.", raw: bytes(withHeader(ld(8, [])), withHeader(unhex("ffff"))), error: "MALFORMED_FRAME" },
  { name: "value-no-kind", description: "Call.args present but with no kind set.", raw: withHeader(ld(1, bytes(vi(1, 1), ld(2, utf8("f")), ld(4, [])))), error: "INVALID_VALUE" },
  { name: "list-item-no-kind", description: "A list whose second item has no kind.", raw: callWithArgs(ld(7, bytes(ld(1, vInt(1)), ld(1, [])))), error: "INVALID_VALUE" },
  { name: "map-duplicate-key", description: "A map with the key \"a\" twice.", raw: callWithArgs(vMap(["a", vInt(1)], ["a", vInt(2)])), error: "INVALID_VALUE" },
  { name: "stream-item-no-kind", description: "A StreamItem whose value has no kind.", raw: withHeader(ld(3, bytes(vi(1, 5), ld(2, [])))), error: "INVALID_VALUE" },
  { name: "error-details-no-kind", description: "A Result error whose details have no kind.", raw: withHeader(ld(2, bytes(vi(1, 1), ld(3, bytes(vi(1, 13), ld(3, [])))))), error: "INVALID_VALUE" },
  { name: "value-depth-65-list", description: "Lists nested 65 levels, one over the limit.", raw: callWithArgs(nestedList(65)), error: "VALUE_TOO_DEEP" },
  { name: "value-depth-65-map", description: "Maps nested 65 levels, one over the limit.", raw: callWithArgs(nestedMap(65)), error: "VALUE_TOO_DEEP" },
  { name: "value-depth-65-absent-entry", description: "Maps nested 64 levels whose innermost entry has no value: that null is the 65th level.", raw: callWithArgs((() => { let v = ld(8, ld(1, ld(1, utf8("k")))); for (let i = 1; i < 64; i++) v = vMap(["k", v]); return v; })()), error: "VALUE_TOO_DEEP" },
  { name: "value-depth-200", description: "Lists nested 200 levels: past the protobuf parsers' recursion limits too.", raw: callWithArgs(nestedList(200)), error: "VALUE_TOO_DEEP" },
  { name: "value-depth-5000", description: "Lists nested 5000 levels: a hostile frame that must not crash the decoder.", raw: callWithArgs(nestedList(5000)), error: "VALUE_TOO_DEEP" },
];

// ---- output ---------------------------------------------------------------------------------

// Canonical proto3 JSON, except that -0 is written as -0.0 (JSON.stringify would drop the sign).
function stringify(value: unknown): string {
  const marker = "\u0000negative-zero\u0000";
  const text = JSON.stringify(value, (_key, v: unknown) => (Object.is(v, -0) ? marker : v), 2);
  return text.replaceAll(JSON.stringify(marker), "-0.0");
}

function frameJson(frame: Frame): unknown {
  return toJson(FrameSchema, frame);
}

function writeAll(dir: string, files: Map<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (name.endsWith(".json")) rmSync(join(dir, name));
  for (const [name, content] of files) writeFileSync(join(dir, `${name}.json`), `${stringify(content)}\n`);
}

const validFiles = new Map<string, unknown>();
for (const c of valid) {
  let raw: Uint8Array;
  let frame: Frame;
  if (c.frame !== undefined) {
    frame = create(FrameSchema, c.frame);
    raw = encodeFrames([frame]);
    // Self-check: the JSON form must carry exactly the same frame.
    const again = encodeFrames([fromJson(FrameSchema, frameJson(frame) as never, { recursionLimit: 1000 })]);
    if (hex(again) !== hex(raw)) throw new Error(`${c.name}: the JSON form does not round-trip`);
  } else if (c.raw !== undefined) {
    raw = c.raw;
    const frames = new FrameDecoder().push(raw);
    if (frames.length !== 1) throw new Error(`${c.name}: expected one frame`);
    frame = frames[0]!;
  } else {
    throw new Error(`${c.name}: needs frame or raw`);
  }
  if (validFiles.has(c.name)) throw new Error(`duplicate vector ${c.name}`);
  validFiles.set(c.name, { name: c.name, description: c.description, hex: hex(raw), frame: frameJson(frame), canonical: c.raw === undefined && c.canonical !== false });
}

const invalidFiles = new Map<string, unknown>();
for (const c of invalid) {
  if (invalidFiles.has(c.name)) throw new Error(`duplicate vector ${c.name}`);
  invalidFiles.set(c.name, { name: c.name, description: c.description, hex: hex(c.raw), error: c.error, maxFrameBytes: c.maxFrameBytes ?? 16 * 1024 * 1024 });
}

writeAll(join(here, "valid"), validFiles);
writeAll(join(here, "invalid"), invalidFiles);
console.log(`wrote ${validFiles.size} valid and ${invalidFiles.size} invalid vectors to ${here}`);
