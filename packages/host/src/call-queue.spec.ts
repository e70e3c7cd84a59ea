import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CallQueue, type QueueEntry, type QueueExpiry } from "./call-queue.js";

interface TestEntry extends QueueEntry {
  name: string;
  expired: { why: QueueExpiry; waitedMs: number } | undefined;
}

function entry(name: string, fields: { deadline?: number; signal?: AbortSignal } = {}): TestEntry {
  const made: TestEntry = {
    name,
    expired: undefined,
    ...fields,
    expire: (why, waitedMs) => {
      made.expired = { why, waitedMs };
    },
  };
  return made;
}

describe("CallQueue", () => {
  let clock = 0;
  const now = () => clock;
  const advance = (ms: number) => {
    clock += ms;
    vi.advanceTimersByTime(ms);
  };

  beforeEach(() => {
    clock = 0;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("hands calls out first in, first out", () => {
    const queue = new CallQueue<TestEntry>({ size: 3, timeoutMs: 100, now });
    for (const name of ["a", "b", "c"]) expect(queue.push(entry(name))).toBe(true);
    expect(queue.take(() => true)?.name).toBe("a");
    expect(queue.take(() => true)?.name).toBe("b");
    expect(queue.length).toBe(1);
  });

  it("refuses a call when full, and takes one again after a place frees", () => {
    const queue = new CallQueue<TestEntry>({ size: 2, timeoutMs: 100, now });
    queue.push(entry("a"));
    queue.push(entry("b"));
    expect(queue.push(entry("c"))).toBe(false);
    queue.take(() => true);
    expect(queue.push(entry("c"))).toBe(true);
    expect(queue.peek().map((waiting) => waiting.name)).toEqual(["b", "c"]);
  });

  it("takes none when its size is 0", () => {
    expect(new CallQueue<TestEntry>({ size: 0, timeoutMs: 100, now }).push(entry("a"))).toBe(false);
  });

  it("expires a call after timeoutMs, and not before", () => {
    const queue = new CallQueue<TestEntry>({ size: 2, timeoutMs: 100, now });
    const waiting = entry("a");
    queue.push(waiting);
    advance(99);
    expect(waiting.expired).toBeUndefined();
    advance(1);
    expect(waiting.expired).toEqual({ why: "timeout", waitedMs: 100 });
    expect(queue.length).toBe(0);
  });

  it("expires a call at its deadline when that comes before the queue timeout", () => {
    const queue = new CallQueue<TestEntry>({ size: 2, timeoutMs: 100, now });
    const early = entry("early", { deadline: 30 });
    const late = entry("late", { deadline: 500 });
    queue.push(early);
    queue.push(late);
    advance(30);
    expect(early.expired?.why).toBe("deadline");
    advance(70);
    expect(late.expired?.why).toBe("timeout");
  });

  it("takes a call out when its signal aborts, and at once if it already has", () => {
    const queue = new CallQueue<TestEntry>({ size: 2, timeoutMs: 100, now });
    const controller = new AbortController();
    const waiting = entry("a", { signal: controller.signal });
    queue.push(waiting);
    advance(10);
    controller.abort();
    expect(waiting.expired).toEqual({ why: "aborted", waitedMs: 10 });
    expect(queue.length).toBe(0);
    const aborted = entry("b", { signal: AbortSignal.abort() });
    expect(queue.push(aborted)).toBe(true);
    expect(aborted.expired?.why).toBe("aborted");
    expect(queue.length).toBe(0);
  });

  it("takes the first call a predicate accepts, leaving the others in order", () => {
    const queue = new CallQueue<TestEntry>({ size: 5, timeoutMs: 100, now });
    for (const name of ["x1", "y1", "x2", "y2"]) queue.push(entry(name));
    expect(queue.take((waiting) => waiting.name.startsWith("y"))?.name).toBe("y1");
    expect(queue.take((waiting) => waiting.name === "none")).toBeUndefined();
    expect(queue.peek().map((waiting) => waiting.name)).toEqual(["x1", "x2", "y2"]);
  });

  it("stops the timer and the abort listener of a call taken out", () => {
    const queue = new CallQueue<TestEntry>({ size: 2, timeoutMs: 100, now });
    const controller = new AbortController();
    const waiting = entry("a", { signal: controller.signal });
    queue.push(waiting);
    queue.take(() => true);
    controller.abort();
    advance(200);
    expect(waiting.expired).toBeUndefined();
  });

  it("drains every call in order without expiring them", () => {
    const queue = new CallQueue<TestEntry>({ size: 3, timeoutMs: 100, now });
    const all = ["a", "b", "c"].map((name) => entry(name));
    for (const waiting of all) queue.push(waiting);
    expect(queue.drain().map((waiting) => waiting.name)).toEqual(["a", "b", "c"]);
    advance(200);
    expect(all.every((waiting) => waiting.expired === undefined)).toBe(true);
    expect(queue.length).toBe(0);
  });
});
