import { describe, expect, it } from "vitest";
import { match, operatorNames, show } from "./match.js";

describe("match", () => {
  it("expects a subset of an object's keys, naming each difference by its path", () => {
    expect(match({ a: 1, b: { c: "x", d: true }, extra: 0 }, { a: 1, b: { c: "x" } })).toEqual([]);
    expect(match({ a: 2, b: { c: "y" } }, { a: 1, b: { c: "x" } }, "result")).toEqual(["result.a: expected 1, got 2", 'result.b.c: expected "x", got "y"']);
    expect(match({}, { a: 1 })).toEqual(["value.a: expected 1, got nothing"]);
  });

  it("refuses a non-object where an object is expected", () => {
    for (const actual of [null, 3, "s", [1], new Uint8Array(1)]) {
      expect(match(actual, { a: 1 })).toEqual([`value: expected an object like {"a":1}, got ${show(actual)}`]);
    }
  });

  it("expects arrays of the same length, element by element", () => {
    expect(match([1, { a: 2, b: 3 }], [1, { a: 2 }])).toEqual([]);
    expect(match([1, 2, 3], [1, 2])).toEqual(["value: expected 2 elements, got 3: [1,2,3]"]);
    expect(match([1, 5], [1, 2])).toEqual(["value[1]: expected 2, got 5"]);
    expect(match({ 0: 1 }, [1])).toEqual(['value: expected an array of 1, got {"0":1}']);
  });

  it("compares numbers and bigints by value", () => {
    expect(match(1n, 1)).toEqual([]);
    expect(match(1, 1n)).toEqual([]);
    expect(match(9007199254740993n, 9007199254740993n)).toEqual([]);
    expect(match(2n, 1)).toEqual(["value: expected 1, got \"2n\""]);
    expect(match(1.5, 1n)).toHaveLength(1);
    expect(match(0, -0)).toEqual([]);
    expect(match(Number.NaN, Number.NaN)).toEqual([]);
  });

  it("compares other scalars strictly", () => {
    expect(match("1", 1)).toHaveLength(1);
    expect(match(null, null)).toEqual([]);
    expect(match(undefined, null)).toEqual(["value: expected null, got nothing"]);
    expect(match(false, false)).toEqual([]);
  });

  it("$exact wants deep equality with nothing extra", () => {
    expect(match({ a: [1, { b: 2n }] }, { $exact: { a: [1, { b: 2 }] } })).toEqual([]);
    expect(match({ a: 1, b: 2 }, { $exact: { a: 1 } })).toEqual(['value: expected exactly {"a":1}, got {"a":1,"b":2}']);
    expect(match(new Uint8Array([1, 2]), { $exact: new Uint8Array([1, 2]) })).toEqual([]);
    expect(match(new Uint8Array([1, 3]), { $exact: new Uint8Array([1, 2]) })).toHaveLength(1);
    expect(match([1], { $exact: { 0: 1 } })).toHaveLength(1);
  });

  it("$exact tells -0 from 0 and matches NaN with NaN, while plain matching does not care about the sign", () => {
    expect(match(-0, { $exact: 0 })).toEqual(["value: expected exactly 0, got -0"]);
    expect(match({ d: -0 }, { $exact: { d: -0 } })).toEqual([]);
    expect(match(Number.NaN, { $exact: Number.NaN })).toEqual([]);
    expect(match(-0, 0)).toEqual([]);
    expect(match(1n, { $exact: 1 })).toEqual([]);
  });

  it("$contains finds a substring case-insensitively, or an array element that matches", () => {
    expect(match("Function NOT found: nope", { $contains: "not FOUND" })).toEqual([]);
    expect(match("abc", { $contains: "x" })).toEqual(['value: expected a string containing "x", got "abc"']);
    expect(match([{ a: 1, b: 2 }, { a: 3 }], { $contains: { a: 3 } })).toEqual([]);
    expect(match(["x"], { $contains: "y" })).toEqual(['value: expected an array with an element like "y", got ["x"]']);
    expect(match(5, { $contains: "5" })).toEqual(['value: expected a string or array containing "5", got 5']);
  });

  it("$matches tests a string against a regular expression", () => {
    expect(match("call 17 failed", { $matches: "^call \\d+ failed$" })).toEqual([]);
    expect(match("call x", { $matches: "\\d" })).toEqual(["value: expected a string matching /\\d/, got \"call x\""]);
    expect(match(17, { $matches: "17" })).toHaveLength(1);
  });

  it("$gte and $lte bound numbers and bigints", () => {
    expect(match(5, { $gte: 5 })).toEqual([]);
    expect(match(5n, { $lte: 5 })).toEqual([]);
    expect(match(4, { $gte: 5 })).toEqual(["value: expected a number ≥ 5, got 4"]);
    expect(match(6, { $lte: 5 })).toEqual(["value: expected a number ≤ 5, got 6"]);
    expect(match("9", { $gte: 1 })).toHaveLength(1);
  });

  it("$length measures strings, arrays and bytes", () => {
    expect(match("abc", { $length: 3 })).toEqual([]);
    expect(match([1, 2], { $length: 2 })).toEqual([]);
    expect(match(new Uint8Array(1024), { $length: 1024 })).toEqual([]);
    expect(match({ length: 3 }, { $length: 3 })).toEqual(['value: expected a length of 3, got {"length":3}']);
  });

  it("$absent and $any test presence", () => {
    expect(match({ a: 1 }, { b: { $absent: true } })).toEqual([]);
    expect(match({ a: 1 }, { a: { $absent: true } })).toEqual(["value.a: expected nothing, got 1"]);
    expect(match({ a: null }, { a: { $any: true } })).toEqual([]);
    expect(match({}, { a: { $any: true } })).toEqual(["value.a: expected a value, got nothing"]);
  });

  it("$oneOf accepts any of its options", () => {
    expect(match("CANCELLED", { $oneOf: ["CANCELLED", "DEADLINE_EXCEEDED"] })).toEqual([]);
    expect(match({ code: 2 }, { $oneOf: [{ code: 1 }, { code: { $gte: 2 } }] })).toEqual([]);
    expect(match("INTERNAL", { $oneOf: ["CANCELLED"] })).toEqual(['value: expected one of ["CANCELLED"], got "INTERNAL"']);
  });

  it("$type names the kind of value", () => {
    const cases: [unknown, string][] = [[new Uint8Array(0), "bytes"], ["", "string"], [1.5, "number"], [2, "integer"], [2, "number"], [2n, "bigint"], [true, "boolean"], [null, "null"], [[], "array"], [{}, "object"]];
    for (const [actual, type] of cases) expect(match(actual, { $type: type })).toEqual([]);
    expect(match(1.5, { $type: "integer" })).toEqual(["value: expected a value of type integer, got 1.5"]);
    expect(match(null, { $type: "object" })).toHaveLength(1);
  });

  it("names an unknown operator and the operators there are", () => {
    expect(match(1, { $near: 1 })).toEqual([`value: the case uses an unknown operator $near; use one of ${operatorNames.join(" ")}`]);
  });

  it("treats an object with a $ key among others as a plain subset", () => {
    expect(match({ $a: 1, b: 2 }, { $a: 1, b: 2 })).toEqual([]);
  });
});

describe("show", () => {
  it("renders values briefly, bytes by their length and bigints with n", () => {
    expect(show(undefined)).toBe("nothing");
    expect(show(new Uint8Array(3))).toBe("<3 bytes>");
    expect(show({ a: 1n, b: new Uint8Array(2) })).toBe('{"a":"1n","b":"<2 bytes>"}');
    const long = show("x".repeat(400));
    expect(long).toHaveLength(301);
    expect(long.endsWith("…")).toBe(true);
  });
});
