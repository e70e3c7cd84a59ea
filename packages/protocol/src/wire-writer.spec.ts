import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { WireWriter, varintSize } from "./wire-writer.js";
import { textArb } from "./frame-fixtures.js";

const written = (w: WireWriter): Uint8Array => w.buf.slice(0, w.pos);

describe("WireWriter", () => {
  it("writes uint32, uint64 and sint64 varints as protobuf-es does", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (u32, u64, s64) => {
        const w = new WireWriter(1);
        w.uint32(u32);
        w.uint64(u64);
        w.sint64(s64);
        expect(written(w)).toEqual(new BinaryWriter().uint32(u32).uint64(u64).sint64(s64).finish());
      }),
    );
  });

  it("writes the int64 extremes and the boundaries of the fast ranges", () => {
    const edges = [0n, 1n, -1n, 2n ** 30n - 1n, -(2n ** 30n), 2n ** 30n, -(2n ** 30n) - 1n, 2n ** 31n, 2n ** 63n - 1n, -(2n ** 63n)];
    for (const n of edges) {
      const w = new WireWriter(1);
      w.sint64(n);
      if (n >= 0n) w.uint64(n);
      const expected = new BinaryWriter().sint64(n);
      if (n >= 0n) expected.uint64(n);
      expect(written(w), String(n)).toEqual(expected.finish());
    }
  });

  it("writes doubles, NaN, infinities and -0 included, as protobuf-es does", () => {
    fc.assert(
      fc.property(fc.double(), (d) => {
        const w = new WireWriter(4);
        w.double(d);
        expect(written(w)).toEqual(new BinaryWriter().double(d).finish());
      }),
    );
  });

  it("writes strings as TextEncoder encodes them, lone surrogates becoming U+FFFD", () => {
    fc.assert(
      fc.property(textArb, (s) => {
        const w = new WireWriter(2);
        w.string(s);
        expect(written(w)).toEqual(new BinaryWriter().string(s).finish());
      }),
    );
  });

  it("moves a long string when its UTF-8 length needs a longer varint than its UTF-16 length", () => {
    // 100 units of 2 bytes each: 100 needs a 1-byte varint, 200 bytes a 2-byte one.
    const s = "é".repeat(100);
    const w = new WireWriter(8);
    w.string(s);
    expect(written(w)).toEqual(new BinaryWriter().string(s).finish());
  });

  it("back-patches nested lengths at every varint size boundary", () => {
    for (const size of [0, 1, 126, 127, 128, 129, 16_382, 16_383, 16_384, 2_097_152]) {
      const payload = new Uint8Array(size).fill(size & 0xff);
      const w = new WireWriter(1);
      w.byte(0x0a);
      const outer = w.begin();
      w.byte(0x12);
      const inner = w.begin();
      w.raw(payload);
      w.end(inner);
      w.byte(0x18);
      w.byte(1);
      w.end(outer);
      const innerBytes = new BinaryWriter().tag(2, 2).bytes(payload).tag(3, 0).uint32(1).finish();
      const expected = new BinaryWriter().tag(1, 2).bytes(innerBytes).finish();
      expect(Buffer.compare(written(w), expected), `size ${size}`).toBe(0);
    }
  });

  it("computes varint sizes", () => {
    expect([0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455, 268_435_456, 0xffff_ffff].map(varintSize)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });
});
