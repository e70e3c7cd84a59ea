// Runs the shared vectors of spec/vectors (PROTOCOL.md Appendix A) through the TS codec.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fromJson, toBinary } from "@bufbuild/protobuf";
import { FrameDecoder } from "./frame-decoder.js";
import { encodeFrames } from "./frame-encoder.js";
import { type Frame, FrameSchema } from "./gen/polyproc/v1/frame_pb.js";
import { ProtocolError, type ProtocolErrorKind } from "./protocol-error.js";

const vectorsDir = fileURLToPath(new URL("../../../spec/vectors/", import.meta.url));

interface ValidVector { name: string; description: string; hex: string; frame: unknown; canonical: boolean }
interface InvalidVector { name: string; description: string; hex: string; error: ProtocolErrorKind; maxFrameBytes: number }

function load<T>(kind: "valid" | "invalid"): T[] {
  const dir = `${vectorsDir}${kind}/`;
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(dir + f, "utf8")) as T);
}

const valid = load<ValidVector>("valid");
const invalid = load<InvalidVector>("invalid");
const bytesOf = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, "hex"));
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const parseJson = (v: ValidVector): Frame => fromJson(FrameSchema, v.frame as never, { recursionLimit: 1000 });
// The same frame, serialized by the same runtime without unknown fields: equal frames give equal bytes.
const normal = (f: Frame): string => hexOf(toBinary(FrameSchema, f, { writeUnknownFields: false }));

/** splitOffsets is every offset for small inputs, a spread of them for large ones (Appendix A). */
function splitOffsets(length: number): number[] {
  if (length <= 4096) return Array.from({ length: length + 1 }, (_, i) => i);
  const set = new Set<number>();
  for (let i = 0; i <= 64; i++) set.add(i).add(length - i);
  for (let i = 0; i < 256; i++) set.add(Math.floor((length * i) / 255));
  return [...set].sort((a, b) => a - b);
}

function decodeChunks(chunks: Uint8Array[], maxFrameBytes?: number): Frame[] {
  const decoder = new FrameDecoder({ maxFrameBytes });
  const frames = chunks.flatMap((c) => decoder.push(c));
  decoder.end();
  return frames;
}

function errorKindOf(fn: () => unknown): ProtocolErrorKind | "none" {
  try {
    fn();
    return "none";
  } catch (error) {
    if (ProtocolError.is(error)) return error.kind;
    throw error;
  }
}

describe("valid vectors", () => {
  it("there are at least 40", () => expect(valid.length).toBeGreaterThanOrEqual(40));

  describe.each(valid.map((v) => [v.name, v] as const))("%s", (_name, vector) => {
    const raw = bytesOf(vector.hex);

    it("decodes to the frame of its JSON", () => {
      const frames = decodeChunks([raw]);
      expect(frames).toHaveLength(1);
      expect(normal(frames[0]!)).toBe(normal(parseJson(vector)));
    });

    it.runIf(vector.canonical)("encodes its JSON frame to exactly its bytes", () => {
      expect(hexOf(encodeFrames([parseJson(vector)]))).toBe(vector.hex);
    });

    it("decodes the same when split at any offset", () => {
      const expected = normal(parseJson(vector));
      for (const at of splitOffsets(raw.length)) {
        const frames = decodeChunks([raw.slice(0, at), raw.slice(at)]);
        expect(frames.map(normal), `split at ${at}`).toEqual([expected]);
      }
    });

    it("decodes the same when fed one byte at a time", () => {
      const decoder = new FrameDecoder();
      const frames: Frame[] = [];
      for (let i = 0; i < raw.length; i++) frames.push(...decoder.push(raw.subarray(i, i + 1)));
      decoder.end();
      expect(frames.map(normal)).toEqual([normal(parseJson(vector))]);
    });
  });

  it("decode as one stream, whole and in 7-byte chunks", () => {
    const stream = new Uint8Array(Buffer.concat(valid.map((v) => bytesOf(v.hex))));
    const expected = valid.map((v) => normal(parseJson(v)));
    expect(decodeChunks([stream]).map(normal)).toEqual(expected);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i += 7) chunks.push(stream.subarray(i, i + 7));
    expect(decodeChunks(chunks).map(normal)).toEqual(expected);
  });
});

describe("invalid vectors", () => {
  it("there are at least 15", () => expect(invalid.length).toBeGreaterThanOrEqual(15));

  describe.each(invalid.map((v) => [v.name, v] as const))("%s", (_name, vector) => {
    const raw = bytesOf(vector.hex);

    it(`fails with ${vector.error}`, () => {
      expect(errorKindOf(() => decodeChunks([raw], vector.maxFrameBytes))).toBe(vector.error);
    });

    it(`fails with ${vector.error} when fed one byte at a time`, () => {
      const chunks = Array.from(raw, (_, i) => raw.subarray(i, i + 1));
      expect(errorKindOf(() => decodeChunks(chunks, vector.maxFrameBytes))).toBe(vector.error);
    });
  });
});
