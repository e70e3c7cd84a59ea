import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Heartbeat } from "./heartbeat.js";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function target() {
  const t = { pings: 0, unanswered: 0, hung: 0 };
  return {
    t,
    target: {
      ping: () => {
        t.pings++;
        t.unanswered++;
      },
      unansweredPings: () => t.unanswered,
      hung: () => t.hung++,
    },
  };
}

describe("Heartbeat (§11.4)", () => {
  it("pings every interval and calls hung once after missLimit unanswered Pings", () => {
    const { t, target: tgt } = target();
    const heartbeat = new Heartbeat(50, 3, tgt);
    heartbeat.start();
    vi.advanceTimersByTime(150);
    expect(t).toEqual({ pings: 3, unanswered: 3, hung: 0 });
    vi.advanceTimersByTime(50);
    expect(t.hung).toBe(1);
    vi.advanceTimersByTime(500);
    expect(t).toEqual({ pings: 3, unanswered: 3, hung: 1 });
  });

  it("is not hung while Pongs keep coming", () => {
    const { t, target: tgt } = target();
    const heartbeat = new Heartbeat(50, 2, tgt);
    heartbeat.start();
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(50);
      t.unanswered = 0;
    }
    expect(t.pings).toBe(20);
    expect(t.hung).toBe(0);
    heartbeat.stop();
    vi.advanceTimersByTime(500);
    expect(t.pings).toBe(20);
  });

  it("does nothing with an interval of 0 (§11.5)", () => {
    const { t, target: tgt } = target();
    new Heartbeat(0, 3, tgt).start();
    vi.advanceTimersByTime(10_000);
    expect(t.pings).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
