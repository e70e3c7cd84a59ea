import { describe, expect, it } from "vitest";
import { CrashLoopBreaker } from "./crash-loop.js";

describe("CrashLoopBreaker", () => {
  it("allows maxRestarts exits within the window and trips on the next one", () => {
    const breaker = new CrashLoopBreaker({ maxRestarts: 3, windowMs: 1_000 });
    expect([breaker.recordExit(0), breaker.recordExit(100), breaker.recordExit(200)]).toEqual([false, false, false]);
    expect(breaker.recordExit(300)).toBe(true);
  });

  it("forgets exits older than the window", () => {
    const breaker = new CrashLoopBreaker({ maxRestarts: 2, windowMs: 1_000 });
    breaker.recordExit(0);
    breaker.recordExit(500);
    expect(breaker.recordExit(1_000)).toBe(false); // the exit at 0 left the window
    expect(breaker.recentExits(1_000)).toBe(2);
    expect(breaker.recordExit(1_400)).toBe(true);
  });

  it("trips on the first exit when no restart is allowed", () => {
    expect(new CrashLoopBreaker({ maxRestarts: 0, windowMs: 1_000 }).recordExit(5)).toBe(true);
  });

  it("starts counting afresh after reset", () => {
    const breaker = new CrashLoopBreaker({ maxRestarts: 1, windowMs: 1_000 });
    breaker.recordExit(0);
    breaker.reset();
    expect(breaker.recordExit(1)).toBe(false);
    expect(breaker.recordExit(2)).toBe(true);
  });
});
