import { PluginError } from "../plugin-error.js";
import type { PlainValue } from "../value-mapping.js";
import { describe, expect, it } from "vitest";
import { StreamReader } from "./stream-reader.js";

/** open makes a reader whose begin opens the stream at once, recording the grants. */
function open(window: number, signal?: AbortSignal): { reader: StreamReader; grants: number[]; begun: () => number } {
  const grants: number[] = [];
  let begun = 0;
  const reader = new StreamReader(
    window,
    (started) => {
      begun += 1;
      started.opened((items) => grants.push(items));
    },
    signal,
  );
  return { reader, grants, begun: () => begun };
}

async function drain(reader: AsyncIterable<PlainValue>): Promise<PlainValue[]> {
  const items: PlainValue[] = [];
  for await (const item of reader) items.push(item);
  return items;
}

describe("StreamReader", () => {
  it("sends the call at the first next(), not before", () => {
    const { reader, begun } = open(4);
    expect(begun()).toBe(0);
    void reader.next();
    void reader.next();
    expect(begun()).toBe(1);
  });

  it("yields the items in order, then ends", async () => {
    const { reader } = open(4);
    const read = drain(reader);
    for (const item of [1, 2, 3]) reader.item(item);
    reader.finish();
    expect(await read).toEqual([1, 2, 3]);
  });

  it("grants credit only as the consumer reads: what it read, once that is half the window (§10.6)", async () => {
    const { reader, grants } = open(4);
    const first = reader.next();
    for (const item of [0, 1, 2, 3]) reader.item(item);
    expect(await first).toEqual({ done: false, value: 0 });
    expect(reader.buffered).toBe(3);
    expect(grants).toEqual([]);
    await reader.next();
    expect(grants).toEqual([2]);
    await reader.next();
    await reader.next();
    expect(grants).toEqual([2, 2]);
    expect(reader.buffered).toBe(0);
  });

  it("grants one item at a time with a window of 1", async () => {
    const { reader, grants } = open(1);
    const first = reader.next();
    reader.item("a");
    await first;
    expect(grants).toEqual([1]);
  });

  it("throws the error that ended the stream after the items before it", async () => {
    const { reader } = open(8);
    void reader.next().then(() => undefined);
    reader.item(0);
    reader.item(1);
    reader.item(2);
    const error = new PluginError("ABORTED", "failed at 3", { remote: true });
    reader.finish(error);
    expect(await reader.next()).toEqual({ done: false, value: 1 });
    expect(await reader.next()).toEqual({ done: false, value: 2 });
    await expect(reader.next()).rejects.toBe(error);
    expect(await reader.next()).toEqual({ done: true, value: undefined });
  });

  it("rejects a pending next() when the stream fails while the consumer waits", async () => {
    const { reader } = open(8);
    const waiting = reader.next();
    const error = new PluginError("UNAVAILABLE", "the instance exited", { retryable: true });
    reader.finish(error);
    await expect(waiting).rejects.toBe(error);
  });

  it("drops the buffered items when the host itself gave the stream up (deadline, cancel)", async () => {
    const { reader } = open(8);
    void reader.next();
    reader.item(0);
    reader.item(1);
    reader.finish(new PluginError("DEADLINE_EXCEEDED", "stream count passed its deadline"));
    await expect(reader.next()).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
  });

  it("return() aborts its signal once started, ends pending reads, and ignores later items", async () => {
    const { reader } = open(4);
    const pending = reader.next();
    const second = reader.next();
    reader.item("a");
    await pending;
    await reader.return();
    expect(reader.signal.aborted).toBe(true);
    expect((reader.signal.reason as Error).message).toBe("the consumer stopped reading the stream");
    expect(await second).toEqual({ done: true, value: undefined });
    reader.item("late");
    expect(reader.buffered).toBe(0);
    expect(await reader.next()).toEqual({ done: true, value: undefined });
  });

  it("breaking out of for await cancels; return() before any read sends nothing", async () => {
    const { reader } = open(4);
    const loop = (async () => {
      for await (const item of reader) if (item === 1) break;
    })();
    reader.item(0);
    reader.item(1);
    await loop;
    expect(reader.signal.aborted).toBe(true);
    const untouched = open(4);
    await untouched.reader.return();
    expect(untouched.begun()).toBe(0);
    expect(untouched.reader.signal.aborted).toBe(false);
  });

  it("aborts its signal with the caller's reason when the caller's signal aborts, once started", () => {
    const controller = new AbortController();
    const { reader } = open(4, controller.signal);
    controller.abort("not started");
    expect(reader.signal.aborted).toBe(false);
    void reader.next();
    expect(reader.signal.reason).toBe("not started");
    const later = new AbortController();
    const second = open(4, later.signal);
    void second.reader.next();
    later.abort(new Error("user pressed stop"));
    expect((second.reader.signal.reason as Error).message).toBe("user pressed stop");
  });
});
