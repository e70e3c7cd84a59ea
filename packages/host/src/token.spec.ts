import { describe, expect, it } from "vitest";
import { TokenTable, isWellFormedToken, newToken } from "./token.js";

describe("newToken", () => {
  it("makes 64 lowercase hex digits, new each time (§2.4)", () => {
    const tokens = new Set(Array.from({ length: 100 }, newToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("isWellFormedToken", () => {
  it("accepts only 64 lowercase hex digits", () => {
    expect(isWellFormedToken("a".repeat(64))).toBe(true);
    expect(isWellFormedToken("A".repeat(64))).toBe(false);
    expect(isWellFormedToken("a".repeat(63))).toBe(false);
    expect(isWellFormedToken("a".repeat(65))).toBe(false);
    expect(isWellFormedToken(`${"a".repeat(63)}g`)).toBe(false);
    expect(isWellFormedToken("")).toBe(false);
  });
});

describe("TokenTable", () => {
  it("finds the value of an awaited token once, then the token is void (§4.2.1)", () => {
    const table = new TokenTable<string>();
    const first = newToken();
    const second = newToken();
    table.add(first, "one");
    table.add(second, "two");
    expect(table.take(second)).toBe("two");
    expect(table.take(second)).toBeUndefined();
    expect(table.size).toBe(1);
    expect(table.take(first)).toBe("one");
    expect(table.size).toBe(0);
  });

  it("finds nothing for a wrong, nearly right or malformed token (§4.2.2)", () => {
    const table = new TokenTable<string>();
    const token = newToken();
    table.add(token, "one");
    const lastDigit = token.endsWith("0") ? "1" : "0";
    expect(table.take(`${token.slice(0, 63)}${lastDigit}`)).toBeUndefined();
    expect(table.take(token.toUpperCase())).toBeUndefined();
    expect(table.take(token.slice(0, 32))).toBeUndefined();
    expect(table.take(`${token}0`)).toBeUndefined();
    expect(table.size).toBe(1);
  });

  it("forgets a removed token", () => {
    const table = new TokenTable<string>();
    const token = newToken();
    table.add(token, "one");
    table.remove(token);
    table.remove(newToken());
    expect(table.take(token)).toBeUndefined();
  });

  it("refuses to await a malformed token", () => {
    expect(() => new TokenTable<string>().add("secret", "one")).toThrow(/64 lowercase hex digits/);
  });
});
