import { describe, expect, it } from "vitest";
import { Backoff, backoffCeiling } from "./backoff.js";

describe("backoffCeiling", () => {
  it("doubles per attempt from baseMs and stops at maxMs", () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffCeiling(attempt, 100, 3_000));
    expect(ceilings).toEqual([100, 200, 400, 800, 1_600, 3_000, 3_000]);
  });

  it("stays finite for huge attempt numbers", () => {
    expect(backoffCeiling(10_000, 100, 30_000)).toBe(30_000);
  });
});

describe("Backoff", () => {
  it("draws each delay uniformly below the attempt's ceiling (full jitter)", () => {
    const draws = [0, 0.5, 0.999_999, 0.25];
    const backoff = new Backoff({ baseMs: 100, maxMs: 1_000, random: () => draws.shift() ?? 0 });
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([0, 100, 399, 200]);
    expect(backoff.attempt).toBe(4);
  });

  it("never reaches the ceiling even when the random source misbehaves", () => {
    const backoff = new Backoff({ baseMs: 10, maxMs: 40, random: () => 1.5 });
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([9, 19, 39, 39]);
    const negative = new Backoff({ baseMs: 10, maxMs: 40, random: () => -3 });
    expect(negative.next()).toBe(0);
  });

  it("keeps Math.random's delays within [0, ceiling) over many attempts", () => {
    const backoff = new Backoff({ baseMs: 50, maxMs: 800 });
    for (let attempt = 1; attempt <= 200; attempt++) {
      const delay = backoff.next();
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(backoffCeiling(attempt, 50, 800));
    }
  });

  it("starts over from baseMs after reset", () => {
    const backoff = new Backoff({ baseMs: 100, maxMs: 10_000, random: () => 0.5 });
    backoff.next();
    backoff.next();
    expect(backoff.next()).toBe(200);
    backoff.reset();
    expect(backoff.attempt).toBe(0);
    expect(backoff.next()).toBe(50);
  });
});
