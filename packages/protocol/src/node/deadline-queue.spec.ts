import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type DeadlineEntry, DeadlineQueue } from "./deadline-queue.js";

class Entry implements DeadlineEntry {
  deadlineIndex = -1;
  constructor(
    readonly name: string,
    readonly deadline: number,
  ) {}
}

let expired: string[];
let queue: DeadlineQueue<Entry>;

beforeEach(() => {
  vi.useFakeTimers();
  expired = [];
  queue = new DeadlineQueue<Entry>({ expire: (entry) => expired.push(entry.name), now: () => Date.now() });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("DeadlineQueue", () => {
  it("expires entries in deadline order, each once its deadline has passed", () => {
    const start = Date.now();
    for (const [name, offset] of [["c", 30], ["a", 10], ["d", 40], ["b", 20]] as const) queue.add(new Entry(name, start + offset));
    vi.advanceTimersByTime(9);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(["a"]);
    vi.advanceTimersByTime(30);
    expect(expired).toEqual(["a", "b", "c", "d"]);
    expect(queue.size).toBe(0);
  });

  it("never expires a removed entry, and keeps the others on time", () => {
    const start = Date.now();
    const entries = [10, 20, 30, 40, 50].map((offset) => new Entry(`e${offset}`, start + offset));
    for (const entry of entries) queue.add(entry);
    queue.remove(entries[0]!);
    queue.remove(entries[2]!);
    queue.remove(entries[2]!);
    expect(entries[0]!.deadlineIndex).toBe(-1);
    expect(queue.size).toBe(3);
    vi.advanceTimersByTime(20);
    expect(expired).toEqual(["e20"]);
    vi.advanceTimersByTime(30);
    expect(expired).toEqual(["e20", "e40", "e50"]);
  });

  it("arms for an earlier deadline added after a later one", () => {
    const start = Date.now();
    queue.add(new Entry("late", start + 1_000));
    queue.add(new Entry("early", start + 5));
    vi.advanceTimersByTime(5);
    expect(expired).toEqual(["early"]);
  });

  it("uses one timer for many entries", () => {
    const start = Date.now();
    for (let index = 0; index < 1_000; index++) queue.add(new Entry(String(index), start + 60_000 + index));
    expect(vi.getTimerCount()).toBe(1);
  });

  it("keeps order through random adds and removes", () => {
    const start = Date.now();
    let seed = 7;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    const live = new Set<Entry>();
    for (let index = 0; index < 500; index++) {
      const entry = new Entry(String(index), start + 1 + Math.floor(random() * 1_000));
      queue.add(entry);
      live.add(entry);
      if (random() < 0.4) {
        const victim = [...live][Math.floor(random() * live.size)]!;
        queue.remove(victim);
        live.delete(victim);
      }
    }
    vi.advanceTimersByTime(1_001);
    const byName = new Map([...live].map((entry) => [entry.name, entry]));
    const deadlines = expired.map((name) => byName.get(name)!.deadline);
    expect(expired).toHaveLength(live.size);
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
  });

  it("lets an expiry add entries, and clear drops every entry", () => {
    const start = Date.now();
    const chained = new DeadlineQueue<Entry>({
      expire: (entry) => {
        expired.push(entry.name);
        if (entry.name === "first") chained.add(new Entry("second", Date.now() + 10));
      },
      now: () => Date.now(),
    });
    chained.add(new Entry("first", start + 10));
    vi.advanceTimersByTime(20);
    expect(expired).toEqual(["first", "second"]);
    chained.add(new Entry("dropped", Date.now() + 10));
    chained.clear();
    vi.advanceTimersByTime(20);
    expect(expired).toEqual(["first", "second"]);
    expect(chained.size).toBe(0);
  });
});

interface HeapEntry {
  name: string;
  deadline: number;
  deadlineIndex: number;
}

function entry(name: string, deadline: number): HeapEntry {
  return { name, deadline, deadlineIndex: -1 };
}

describe("DeadlineQueue, as a heap", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function timers(): { timers: DeadlineQueue<HeapEntry>; expired: string[] } {
    const expired: string[] = [];
    return { timers: new DeadlineQueue<HeapEntry>({ expire: (e) => expired.push(e.name), now: () => Date.now() }), expired };
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
    expect(a.deadlineIndex).toBe(-1);
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
