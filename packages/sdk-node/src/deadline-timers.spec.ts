import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeadlineTimers } from "./deadline-timers.js";

interface Entry {
  name: string;
  deadline: number;
  heapIndex: number;
}

function entry(name: string, deadline: number): Entry {
  return { name, deadline, heapIndex: -1 };
}

describe("DeadlineTimers", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function timers(): { timers: DeadlineTimers<Entry>; expired: string[] } {
    const expired: string[] = [];
    return { timers: new DeadlineTimers<Entry>((e) => expired.push(e.name), () => Date.now()), expired };
  }

  it("expires each entry once, when its deadline passes, earliest first", () => {
    const { timers: t, expired } = timers();
    t.add(entry("c", 300));
    t.add(entry("a", 100));
    t.add(entry("b", 200));
    vi.advanceTimersByTime(99);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(["a"]);
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual(["a", "b", "c"]);
    expect(t.size).toBe(0);
  });

  it("never expires a removed entry, and re-arms past a removed first one", () => {
    const { timers: t, expired } = timers();
    const a = entry("a", 100);
    t.add(a);
    t.add(entry("b", 200));
    t.remove(a);
    t.remove(a);
    expect(a.heapIndex).toBe(-1);
    vi.advanceTimersByTime(150);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(expired).toEqual(["b"]);
  });

  it("uses one Node timer however many entries it holds", () => {
    const { timers: t } = timers();
    for (let i = 0; i < 1000; i++) t.add(entry(String(i), 1000 + ((i * 7919) % 1000)));
    expect(vi.getTimerCount()).toBe(1);
    t.clear();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("expires exactly the entries not removed, in deadline order, for any adds and removes", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 500 }), fc.boolean()), { maxLength: 60 }), (plan) => {
        vi.setSystemTime(0);
        const { timers: t, expired } = timers();
        const entries = plan.map(([deadline], i) => entry(String(i), deadline));
        for (const e of entries) t.add(e);
        plan.forEach(([, removed], i) => removed && t.remove(entries[i]!));
        vi.advanceTimersByTime(1000);
        const kept = entries.filter((_e, i) => !plan[i]![1]);
        expect(expired.map((name) => entries[Number(name)]!.deadline)).toEqual(kept.map((e) => e.deadline).sort((x, y) => x - y));
        expect(new Set(expired)).toEqual(new Set(kept.map((e) => e.name)));
      }),
    );
  });
});
