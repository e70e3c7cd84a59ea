import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { FAST_PATH_MISS } from "./fast-path-miss.js";
import { WireReader } from "./wire-reader.js";
import { textArb } from "./frame-fixtures.js";

const reader = (bytes: Uint8Array | number[]): WireReader => {
  const buf = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return new WireReader(buf, 0, buf.length);
};

/** outcome runs a read and says what it gave or that it threw. */
function outcome<T>(read: () => T): { value: T } | { threw: true } {
  try {
    return { value: read() };
  } catch {
    return { threw: true };
  }
}

// Any varint of 1 to 10 bytes, minimal or not, with any bits in its last byte.
const varintBytes = fc.array(fc.integer({ min: 0, max: 0x7f }), { minLength: 1, maxLength: 10 }).map((groups) => groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));

describe("WireReader", () => {
  it("reads any varint as protobuf-es does, or misses it", () => {
    fc.assert(
      fc.property(varintBytes, (bytes) => {
        for (const method of ["uint32", "uint64", "sint64", "bool"] as const) {
          const ours = outcome(() => {
            const r = reader(bytes);
            const value = r[method]();
            return { value, pos: r.pos };
          });
          if ("threw" in ours) continue; // a miss: protobuf-es reads it on the slow path
          const b = new BinaryReader(new Uint8Array(bytes));
          expect(ours.value, `${method} of ${bytes.join(",")}`).toEqual({ value: b[method](), pos: b.pos });
        }
      }),
    );
  });

  it("handles every minimal varint, up to 5 bytes for uint32 and 10 for 64 bits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (u32, u64, s64) => {
        const r = reader(new BinaryWriter().uint32(u32).uint64(u64).sint64(s64).bool(true).finish());
        expect([r.uint32(), r.uint64(), r.sint64(), r.bool()]).toEqual([u32, u64, s64, true]);
        expect(r.pos).toBe(r.end);
      }),
    );
  });

  it("reads strings, valid UTF-8 with and without a BOM, as protobuf-es does", () => {
    fc.assert(
      fc.property(textArb, fc.boolean(), (s, bom) => {
        const bytes = new BinaryWriter().string(bom ? `\uFEFF${s}` : s).finish();
        expect(reader(bytes).string()).toBe(new BinaryReader(bytes).string(true));
      }),
    );
  });

  it("misses invalid UTF-8, truncated input and tags it does not handle", () => {
    const misses: [string, () => unknown][] = [
      ["invalid UTF-8", () => reader([2, 0xc3, 0x28]).string()],
      ["a lone surrogate in UTF-8", () => reader([3, 0xed, 0xa0, 0x80]).string()],
      ["a string past the end", () => reader([5, 0x61]).string()],
      ["a varint past the end", () => reader([0x80, 0x80]).uint64()],
      ["a 6-byte uint32", () => reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).uint32()],
      ["an 11-byte varint", () => reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).uint64()],
      ["a two-byte tag", () => reader([0x80, 0x01]).tag()],
      ["field number 0", () => reader([0x02]).tag()],
      ["wire type 6", () => reader([0x0e]).tag()],
      ["a double past the end", () => reader([1, 2, 3]).double()],
    ];
    for (const [name, read] of misses) expect(read, name).toThrow(FAST_PATH_MISS);
  });

  it("returns bytes as views into its input", () => {
    const input = new Uint8Array([3, 7, 8, 9]);
    const bytes = reader(input).bytes();
    expect(bytes).toEqual(new Uint8Array([7, 8, 9]));
    expect(bytes.buffer).toBe(input.buffer);
  });

  it("reads doubles as protobuf-es does", () => {
    fc.assert(
      fc.property(fc.double(), (d) => {
        expect(Object.is(reader(new BinaryWriter().double(d).finish()).double(), d) || Number.isNaN(d)).toBe(true);
      }),
    );
  });
});
