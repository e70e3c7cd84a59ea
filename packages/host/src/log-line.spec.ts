import { describe, expect, it } from "vitest";
import { parseLogLine } from "./log-line.js";

describe("parseLogLine (§2.5.3)", () => {
  it("logs a text line at info from stdout and warn from stderr", () => {
    expect(parseLogLine("hello", "stdout")).toEqual({ level: "info", msg: "hello", fields: {} });
    expect(parseLogLine("hello", "stderr")).toEqual({ level: "warn", msg: "hello", fields: {} });
  });

  it("keeps a JSON line's level, message and fields", () => {
    expect(parseLogLine('{"level":"error","msg":"disk full","free":0}', "stdout")).toEqual({
      level: "error",
      msg: "disk full",
      fields: { free: 0 },
    });
    expect(parseLogLine('{"level":"INFO","message":"started","port":1}', "stderr")).toEqual({
      level: "info",
      msg: "started",
      fields: { port: 1 },
    });
  });

  it("reads level names case-insensitively and pino's numbers", () => {
    const level = (raw: unknown) => parseLogLine(JSON.stringify({ level: raw, msg: "m" }), "stderr").level;
    expect([level("trace"), level("Debug"), level("warning"), level("FATAL"), level("critical")]).toEqual([
      "debug",
      "debug",
      "warn",
      "error",
      "error",
    ]);
    expect([level(10), level(20), level(30), level(40), level(50), level(60)]).toEqual(["debug", "debug", "info", "warn", "error", "error"]);
  });

  it("treats JSON without a known level, arrays and broken JSON as text", () => {
    for (const line of ['{"msg":"no level"}', '{"level":"loud","msg":"x"}', "[1,2]", '{"level":"info"', "42"]) {
      expect(parseLogLine(line, "stderr")).toEqual({ level: "warn", msg: line, fields: {} });
    }
  });

  it("drops the members that the host's plugin and instance tags replace", () => {
    expect(parseLogLine('{"level":"info","msg":"m","plugin":"p","instance":"i","k":1}', "stdout").fields).toEqual({ k: 1 });
  });

  it("writes a non-string message as JSON", () => {
    expect(parseLogLine('{"level":"info","msg":{"a":1}}', "stdout").msg).toBe('{"a":1}');
  });
});
