import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compareMapKeys } from "./map-key-order.js";

const utf8 = (s: string): Buffer => Buffer.from(s, "utf8");

describe("compareMapKeys", () => {
  it("orders by code point, which is UTF-8 byte order (property)", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
      expect(Math.sign(compareMapKeys(a, b))).toBe(Math.sign(Buffer.compare(utf8(a), utf8(b))));
    }), { numRuns: 2000 });
  });

  it("puts U+1F600 after U+FF61, unlike JavaScript's default sort", () => {
    expect(["😀", "｡"].sort()).toEqual(["😀", "｡"]);
    expect(["😀", "｡"].sort(compareMapKeys)).toEqual(["｡", "😀"]);
  });

  it("puts a prefix first", () => {
    expect(compareMapKeys("ab", "abc")).toBeLessThan(0);
    expect(compareMapKeys("", "a")).toBeLessThan(0);
    expect(compareMapKeys("x", "x")).toBe(0);
  });
});
