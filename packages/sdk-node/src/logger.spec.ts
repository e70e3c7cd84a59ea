import { describe, expect, it } from "vitest";
import { JsonLogger } from "./logger.js";

function capture(): { lines: Record<string, unknown>[]; sink: (line: string) => void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

describe("JsonLogger", () => {
  it("writes one JSON object per line with level, msg, time, the base and the fields", () => {
    const { lines, sink } = capture();
    new JsonLogger({ plugin: "math", instance: "math-1" }, "info", sink).child({ fn: "add", callId: 3 }).info("adding", { a: 1 });
    expect(lines).toEqual([{ level: "info", msg: "adding", time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), plugin: "math", instance: "math-1", fn: "add", callId: 3, a: 1 }]);
  });

  it("drops lines below its level, in children too", () => {
    const { lines, sink } = capture();
    const logger = new JsonLogger({}, "warn", sink);
    logger.debug("d");
    logger.info("i");
    logger.child({ x: 1 }).info("i");
    logger.warn("w");
    logger.child({ x: 1 }).error("e");
    expect(lines.map((line) => line.level)).toEqual(["warn", "error"]);
  });

  it("writes bigints as strings, errors with their stack, bytes as their size", () => {
    const { lines, sink } = capture();
    const error = new Error("boom");
    new JsonLogger({}, "debug", sink).error("failed", { id: 2n ** 64n, error, blob: new Uint8Array(5) });
    expect(lines[0]).toMatchObject({ id: "18446744073709551616", error: { name: "Error", message: "boom", stack: error.stack }, blob: "<5 bytes>" });
  });

  it("still writes the message when the fields cannot be serialised", () => {
    const { lines, sink } = capture();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    new JsonLogger({}, "info", sink).warn("odd", { cycle });
    expect(lines[0]).toMatchObject({ level: "warn", msg: "odd", logError: expect.stringMatching(/could not be written as JSON/) });
  });
});
