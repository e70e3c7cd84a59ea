import { describe, expect, it } from "vitest";
import { resolveInstanceOptions } from "./instance-options.js";
import { quietLogger } from "./logger.js";

const base = { plugin: "math", command: ["node", "math.js"] };

describe("resolveInstanceOptions", () => {
  it("fills in the documented defaults", () => {
    expect(resolveInstanceOptions(base, quietLogger)).toEqual({
      plugin: "math",
      command: ["node", "math.js"],
      maxConcurrency: Infinity,
      startupTimeoutMs: 10_000,
      heartbeatIntervalMs: 5_000,
      heartbeatMissLimit: 3,
      killTimeoutMs: 2_000,
      maxCallsInFlight: 1_024,
      maxOpenStreams: 256,
      logger: quietLogger,
    });
  });

  it("names the option and what it must be", () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ plugin: "my plugin" }, /plugin name "my plugin" is invalid: it must match/],
      [{ command: [] }, /command must be a non-empty array of strings/],
      [{ command: "node math.js" }, /command must be a non-empty array of strings/],
      [{ maxConcurrency: 0 }, /maxConcurrency must be at least 1/],
      [{ startupTimeoutMs: Infinity }, /startupTimeoutMs must be a positive number/],
      [{ heartbeatIntervalMs: -1 }, /heartbeatIntervalMs must be 0 \(no heartbeat\) or a positive/],
      [{ heartbeatMissLimit: 1.5 }, /heartbeatMissLimit must be an integer of at least 1/],
      [{ killTimeoutMs: Number.NaN }, /killTimeoutMs must be a number of milliseconds/],
    ];
    for (const [change, message] of bad) {
      expect(() => resolveInstanceOptions({ ...base, ...change } as typeof base, quietLogger)).toThrow(message);
    }
  });
});
