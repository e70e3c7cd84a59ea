import { describe, expect, it } from "vitest";
import { compileGlob, matchesAny } from "./glob.js";

describe("compileGlob", () => {
  it("matches a literal id exactly", () => {
    const glob = compileGlob("calls/add-ints");
    expect(glob.matches("calls/add-ints")).toBe(true);
    expect(glob.matches("calls/add-ints-2")).toBe(false);
    expect(glob.matches("xcalls/add-ints")).toBe(false);
  });

  it("lets * match within one segment only", () => {
    const glob = compileGlob("calls/*");
    expect(glob.matches("calls/add-ints")).toBe(true);
    expect(glob.matches("calls/")).toBe(true);
    expect(glob.matches("calls/a/b")).toBe(false);
    expect(glob.matches("streams/add")).toBe(false);
    expect(compileGlob("*/cancel-*").matches("calls/cancel-unknown")).toBe(true);
    expect(compileGlob("*/cancel-*").matches("calls/add")).toBe(false);
  });

  it("lets ** match across segments", () => {
    expect(compileGlob("**").matches("calls/add")).toBe(true);
    expect(compileGlob("**").matches("")).toBe(true);
    expect(compileGlob("c**d").matches("calls/add")).toBe(true);
    expect(compileGlob("c*d").matches("calls/add")).toBe(false);
  });

  it("treats regular-expression characters literally", () => {
    const glob = compileGlob("a.b/(c)+");
    expect(glob.matches("a.b/(c)+")).toBe(true);
    expect(glob.matches("axb/cc")).toBe(false);
    expect(compileGlob("calls/add?").matches("calls/adds")).toBe(false);
  });

  it("keeps the pattern as written", () => {
    expect(compileGlob("calls/*").pattern).toBe("calls/*");
  });
});

describe("matchesAny", () => {
  it("is true when one glob matches and false for none", () => {
    const globs = ["calls/*", "streams/big"].map(compileGlob);
    expect(matchesAny(globs, "streams/big")).toBe(true);
    expect(matchesAny(globs, "streams/small")).toBe(false);
    expect(matchesAny([], "calls/add")).toBe(false);
  });
});
