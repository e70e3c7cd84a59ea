import { PluginError } from "@polyproc/protocol";
import { describe, expect, it } from "vitest";
import { handlerErrorInfo } from "./handler-error.js";

const origin = { plugin: "math", instance: "math-1" };

describe("handlerErrorInfo", () => {
  it("keeps a PluginError's code, message, details and retryable flag, with this plugin's origin", () => {
    const error = new PluginError("NOT_FOUND", "no such order", { details: { id: 7 }, retryable: true });
    expect(handlerErrorInfo(error, origin)).toEqual({
      code: "NOT_FOUND",
      message: "no such order",
      details: { id: 7 },
      retryable: true,
      originPlugin: "math",
      originInstance: "math-1",
    });
  });

  it("turns any other throw into INTERNAL with its message, not retryable, no stack", () => {
    const info = handlerErrorInfo(new TypeError("x is not a function"), origin);
    expect(info).toEqual({ code: "INTERNAL", message: "x is not a function", retryable: false, originPlugin: "math", originInstance: "math-1" });
    expect(handlerErrorInfo("plain string", origin).message).toBe("plain string");
    expect(handlerErrorInfo({ odd: 1 }, origin).message).toBe('non-error thrown: {"odd":1}');
  });

  it("keeps the empty origin of a remote error that arose in the host (§8.1)", () => {
    const fromHost = new PluginError("ABORTED", "host says no", { remote: true });
    const info = handlerErrorInfo(fromHost, origin);
    expect(info).toMatchObject({ code: "ABORTED", message: "host says no" });
    expect(info.originPlugin ?? "").toBe("");
    expect(info.originInstance ?? "").toBe("");
  });

  it("keeps the origin of a remote error it passes on (§8.1.2)", () => {
    const remote = new PluginError("UNAVAILABLE", "down", { originPlugin: "db", originInstance: "db-3", remote: true });
    expect(handlerErrorInfo(remote, origin)).toMatchObject({ code: "UNAVAILABLE", originPlugin: "db", originInstance: "db-3" });
  });

  it("says so when an error has no message, and bounds long ones", () => {
    expect(handlerErrorInfo(new RangeError(""), origin).message).toBe("the handler threw RangeError without a message");
    const long = handlerErrorInfo(new Error("x".repeat(10_000)), origin).message;
    expect(long.length).toBeLessThan(4100);
    expect(long.endsWith("(truncated)")).toBe(true);
  });

  it("puts the stack into details only with debug", () => {
    const error = new Error("boom");
    expect(handlerErrorInfo(error, origin).details).toBeUndefined();
    expect(handlerErrorInfo(error, origin, true).details).toEqual({ stack: error.stack });
    const coded = new PluginError("ABORTED", "conflict", { details: { row: 1 } });
    expect(handlerErrorInfo(coded, origin, true).details).toEqual({ row: 1, stack: coded.stack });
  });
});
