import { describe, expect, it } from "vitest";
import { createConsoleLogger, quietLogger } from "./logger.js";

describe("createConsoleLogger", () => {
  it("writes one JSON object per line with level, time, message, child fields and record fields", () => {
    const lines: string[] = [];
    const logger = createConsoleLogger({ write: (line) => lines.push(line), now: () => 1000 });
    logger.child({ plugin: "math" }).child({ instance: "math-1" }).warn("slow", { ms: 12, big: 2n ** 70n, error: new TypeError("bad") });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith("\n")).toBe(true);
    expect(JSON.parse(lines[0] ?? "")).toEqual({
      level: "warn",
      time: 1000,
      msg: "slow",
      plugin: "math",
      instance: "math-1",
      ms: 12,
      big: (2n ** 70n).toString(),
      error: { name: "TypeError", message: "bad" },
    });
  });

  it("drops records below its level (default info)", () => {
    const lines: string[] = [];
    const logger = createConsoleLogger({ write: (line) => lines.push(line) });
    logger.debug("hidden");
    logger.info("shown");
    createConsoleLogger({ level: "error", write: (line) => lines.push(line) }).warn("hidden too");
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(["shown"]);
  });
});

describe("quietLogger", () => {
  it("accepts every call and its children are quiet too", () => {
    expect(() => quietLogger.child({ a: 1 }).error("nothing", { b: 2 })).not.toThrow();
    expect(quietLogger.child({})).toBe(quietLogger);
  });
});
