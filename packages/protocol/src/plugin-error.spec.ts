// PluginError and the code names of PROTOCOL.md §8.
import { describe, expect, it } from "vitest";
import { Code } from "./gen/polyproc/v1/error_pb.js";
import { PluginError, codeName, codeNumber, errorCodes, isErrorCode } from "./plugin-error.js";

describe("codes (§8.2, §8.3)", () => {
  it("every code name maps to its gRPC number and back", () => {
    expect(errorCodes).toHaveLength(16);
    for (const name of errorCodes) expect(codeName(codeNumber(name))).toBe(name);
    expect(codeNumber("UNAVAILABLE")).toBe(Code.UNAVAILABLE);
    expect(codeNumber("UNAUTHENTICATED")).toBe(16);
  });

  it("0 and unknown numbers read as UNKNOWN", () => {
    expect(codeName(0)).toBe("UNKNOWN");
    expect(codeName(17)).toBe("UNKNOWN");
    expect(codeName(-1)).toBe("UNKNOWN");
  });

  it("isErrorCode accepts the names only", () => {
    expect(isErrorCode("INTERNAL")).toBe(true);
    expect(isErrorCode("UNSPECIFIED")).toBe(false);
    expect(isErrorCode(13)).toBe(false);
  });
});

describe("PluginError", () => {
  it("carries code, message, details, origin and flags; defaults are local and not retryable", () => {
    const error = new PluginError("NOT_FOUND", "no such function");
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "PluginError", code: "NOT_FOUND", message: "no such function", retryable: false, remote: false, originPlugin: "", originInstance: "" });
    expect(error.details).toBeUndefined();
  });

  it("is() recognises a PluginError by brand, also from another copy, and by code", () => {
    const error = new PluginError("UNAVAILABLE", "gone", { retryable: true });
    expect(PluginError.is(error)).toBe(true);
    expect(PluginError.is(error, "UNAVAILABLE")).toBe(true);
    expect(PluginError.is(error, "INTERNAL")).toBe(false);
    const foreign = Object.defineProperty({ code: "INTERNAL" }, Symbol.for("@polyproc/protocol/PluginError"), { value: true });
    expect(PluginError.is(foreign, "INTERNAL")).toBe(true);
    expect(PluginError.is(new Error("x"))).toBe(false);
    expect(PluginError.is(null)).toBe(false);
  });

  it("from() keeps a PluginError and turns anything else into INTERNAL with the cause", () => {
    const original = new PluginError("ABORTED", "conflict");
    expect(PluginError.from(original)).toBe(original);
    const cause = new TypeError("boom");
    expect(PluginError.from(cause)).toMatchObject({ code: "INTERNAL", message: "boom", cause, retryable: false });
    expect(PluginError.from("text")).toMatchObject({ code: "INTERNAL", message: "text" });
    expect(PluginError.from({ a: 1 }).message).toBe('non-error thrown: {"a":1}');
  });

  it("fromInfo() makes a remote error; toInfo() gives back the wire fields", () => {
    const info = { code: "INVALID_ARGUMENT" as const, message: "bad", details: { path: "args.a" }, originPlugin: "math", originInstance: "math-1", retryable: false };
    const error = PluginError.fromInfo(info);
    expect(error.remote).toBe(true);
    expect(error.toInfo()).toEqual(info);
    expect(PluginError.fromInfo(info, false).remote).toBe(false);
    expect(new PluginError("INTERNAL", "x").toInfo()).toEqual({ code: "INTERNAL", message: "x", retryable: false });
  });
});
