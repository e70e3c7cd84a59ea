import { describe, expect, it } from "vitest";
import { SubscriberBuffer, type Message } from "./subscriber-buffer.js";

const message = (n: number): Message => ({ topic: "t", value: n, metadata: {} });

/** Gate holds every delivery until opened; `seen` lists the values delivered so far. */
function gated(): { deliver: (m: Message) => Promise<void>; seen: number[]; open: () => void; next: (count: number) => Promise<void> } {
  const seen: number[] = [];
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  const waiters: { count: number; resolve: () => void }[] = [];
  return {
    seen,
    open,
    deliver: async (m) => {
      seen.push(m.value as number);
      for (const waiter of waiters.filter((w) => seen.length >= w.count)) waiter.resolve();
      await opened;
    },
    next: (count) => (seen.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
  };
}

describe("SubscriberBuffer", () => {
  it("delivers in order, one at a time, after offer returns", async () => {
    const gate = gated();
    const buffer = new SubscriberBuffer(10, "drop-oldest", gate.deliver, () => {});
    for (let i = 0; i < 5; i++) expect(buffer.offer(message(i), true)).toBeUndefined();
    expect(gate.seen).toEqual([]);
    gate.open();
    await gate.next(5);
    expect(gate.seen).toEqual([0, 1, 2, 3, 4]);
  });

  it("drop-oldest: a full buffer drops its oldest message and counts it (§12.4.4)", async () => {
    const gate = gated();
    const buffer = new SubscriberBuffer(5, "drop-oldest", gate.deliver, () => {});
    buffer.offer(message(0), true);
    await gate.next(1); // 0 is being delivered and holds the subscriber
    for (let i = 1; i < 20; i++) buffer.offer(message(i), true);
    expect(buffer.dropped).toBe(14);
    gate.open();
    await gate.next(6);
    expect(gate.seen).toEqual([0, 15, 16, 17, 18, 19]);
    expect(buffer.dropped + gate.seen.length).toBe(20);
  });

  it("block: the application's message waits for room, and nothing is dropped (§12.4.4)", async () => {
    const gate = gated();
    const buffer = new SubscriberBuffer(2, "block", gate.deliver, () => {});
    const admitted: number[] = [];
    const offers = Array.from({ length: 5 }, (_, i) => (buffer.offer(message(i), true) ?? Promise.resolve()).then(() => admitted.push(i)));
    await gate.next(1);
    await Promise.all(offers.slice(0, 3));
    expect(admitted).toEqual([0, 1, 2]);
    gate.open();
    await Promise.all(offers);
    await gate.next(5);
    expect(gate.seen).toEqual([0, 1, 2, 3, 4]);
    expect(buffer.dropped).toBe(0);
  });

  it("block: a plugin's message is never blocked on; it drops the oldest (§12.4.4)", async () => {
    const gate = gated();
    const buffer = new SubscriberBuffer(3, "block", gate.deliver, () => {});
    buffer.offer(message(0), false);
    await gate.next(1);
    for (let i = 1; i < 10; i++) expect(buffer.offer(message(i), false)).toBeUndefined();
    expect(buffer.dropped).toBe(6);
  });

  it("reports a failed delivery and goes on with the next", async () => {
    const failures: unknown[] = [];
    const seen: number[] = [];
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => (done = resolve));
    const buffer = new SubscriberBuffer(5, "drop-oldest", (m) => {
      if (m.value === 1) throw new Error("boom");
      seen.push(m.value as number);
      if (m.value === 2) done();
    }, (error) => failures.push(error));
    for (let i = 0; i < 3; i++) buffer.offer(message(i), true);
    await finished;
    expect(seen).toEqual([0, 2]);
    expect(failures).toHaveLength(1);
  });

  it("close drops what waits and releases blocked publishers", async () => {
    const gate = gated();
    const buffer = new SubscriberBuffer(1, "block", gate.deliver, () => {});
    buffer.offer(message(0), true);
    buffer.offer(message(1), true);
    const blocked = buffer.offer(message(2), true);
    expect(blocked).toBeInstanceOf(Promise);
    buffer.close();
    await blocked;
    expect(buffer.length).toBe(0);
    expect(buffer.offer(message(3), true)).toBeUndefined();
  });
});
