import { type CallId, type CallInit, type PlainValue, PluginError } from "@polyproc/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type CallChannel, CallTable } from "./call-table.js";
import type { StreamSink } from "./instance-types.js";

class FakeChannel implements CallChannel {
  sent: CallInit[] = [];
  cancels: [CallId, string][] = [];
  grants: [CallId, number][] = [];
  next = 1;
  refuse: unknown = undefined;
  call(init: CallInit): CallId {
    if (this.refuse !== undefined) throw this.refuse;
    this.sent.push(init);
    return this.next++;
  }
  cancel(id: CallId, reason: string): void {
    this.cancels.push([id, reason]);
  }
  grant(id: CallId, items: number): void {
    this.grants.push([id, items]);
  }
  now(): number {
    return Date.now();
  }
}

/** RecordingSink keeps a stream's items and the grant function the table gave it. */
class RecordingSink implements StreamSink {
  items: PlainValue[] = [];
  grant: (items: number) => void = () => {
    throw new Error("not opened");
  };
  opened(grant: (items: number) => void): void {
    this.grant = grant;
  }
  item(value: PlainValue): void {
    this.items.push(value);
  }
}

let channel: FakeChannel;
let table: CallTable;

beforeEach(() => {
  vi.useFakeTimers();
  channel = new FakeChannel();
  table = new CallTable(channel);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("CallTable", () => {
  it("sends the call and settles it with the plugin's value", async () => {
    const call = table.start("add", { a: 1 }, { metadata: { k: "v" } });
    expect(channel.sent).toEqual([{ function: "add", args: { a: 1 }, deadline: undefined, metadata: { k: "v" } }]);
    expect(table.pending).toBe(1);
    table.answer({ type: "result", id: 1, value: 3, cancelled: false });
    await expect(call).resolves.toBe(3);
    expect(table.pending).toBe(0);
  });

  it("settles with the plugin's Error as a remote PluginError", async () => {
    const call = table.start("add", null);
    table.answer({ type: "error", id: 1, error: { code: "NOT_FOUND", message: "no add", originInstance: "m-1" }, cancelled: false });
    const error = await call.catch((e: unknown) => e);
    expect(PluginError.is(error, "NOT_FOUND")).toBe(true);
    expect(error).toMatchObject({ remote: true, originInstance: "m-1" });
  });

  it("fails with DEADLINE_EXCEEDED when the deadline passes, sends Cancel(deadline), and discards the late answer (§6.3, §7.4)", async () => {
    const call = table.start("slow", null, { deadline: Date.now() + 100 });
    expect(channel.sent[0]?.deadline).toBe(Date.now() + 100);
    vi.advanceTimersByTime(99);
    expect(channel.cancels).toEqual([]);
    vi.advanceTimersByTime(1);
    await expect(call).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED", remote: false });
    expect(channel.cancels).toEqual([[1, "deadline"]]);
    table.answer({ type: "result", id: 1, value: "late", cancelled: true });
    expect(table.pending).toBe(0);
  });

  it("waits for a deadline further away than one timer can (2^31 ms)", async () => {
    const call = table.start("slow", null, { deadline: Date.now() + 2 ** 31 + 1000 });
    vi.advanceTimersByTime(2 ** 31);
    expect(channel.cancels).toEqual([]);
    vi.advanceTimersByTime(1000);
    await expect(call).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
  });

  it("fails with CANCELLED when the signal aborts and sends Cancel(cancelled by caller) (§7.4)", async () => {
    const controller = new AbortController();
    const call = table.start("slow", null, { signal: controller.signal });
    controller.abort(new Error("user pressed stop"));
    await expect(call).rejects.toMatchObject({ code: "CANCELLED", message: expect.stringContaining("user pressed stop") });
    expect(channel.cancels).toEqual([[1, "cancelled by caller"]]);
  });

  it("fails a call whose signal has already aborted without sending it", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(table.start("add", null, { signal: controller.signal })).rejects.toMatchObject({ code: "CANCELLED" });
    expect(channel.sent).toEqual([]);
  });

  it("fails with what the channel throws when the call cannot be sent", async () => {
    channel.refuse = new PluginError("RESOURCE_EXHAUSTED", "too many calls");
    await expect(table.start("add", null)).rejects.toBe(channel.refuse);
    expect(table.pending).toBe(0);
  });

  it("failAll fails every pending call, which then ignores its timers and signals", async () => {
    const controller = new AbortController();
    const first = table.start("a", null, { deadline: Date.now() + 50, signal: controller.signal });
    const second = table.start("b", null);
    const error = new PluginError("UNAVAILABLE", "gone", { retryable: true });
    table.failAll(error);
    await expect(first).rejects.toBe(error);
    await expect(second).rejects.toBe(error);
    controller.abort();
    vi.advanceTimersByTime(100);
    expect(channel.cancels).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  describe("streams (§10)", () => {
    it("sends a streaming Call with its credit, passes the items on in order, and resolves with null at StreamEnd", async () => {
      const sink = new RecordingSink();
      const stream = table.start("count", { n: 2 }, { initialCredit: 4 }, sink);
      expect(channel.sent).toEqual([{ function: "count", args: { n: 2 }, deadline: undefined, metadata: undefined, streaming: true, initialCredit: 4 }]);
      table.item({ type: "item", id: 1, value: 0, cancelled: false });
      table.item({ type: "item", id: 1, value: 1, cancelled: false });
      sink.grant(2);
      expect(channel.grants).toEqual([[1, 2]]);
      table.answer({ type: "end", id: 1, cancelled: false });
      await expect(stream).resolves.toBeNull();
      expect(sink.items).toEqual([0, 1]);
      sink.grant(2);
      expect(channel.grants).toEqual([[1, 2]]);
    });

    it("rejects with the plugin's StreamEnd error as a remote PluginError", async () => {
      const stream = table.start("count", null, {}, new RecordingSink());
      table.answer({ type: "end", id: 1, error: { code: "ABORTED", message: "failed at 2" }, cancelled: false });
      await expect(stream).rejects.toMatchObject({ code: "ABORTED", message: "failed at 2", remote: true });
    });

    it("fails a stream past its deadline, sends Cancel(deadline), and drops the items that still arrive (§6.5, §10.4)", async () => {
      const sink = new RecordingSink();
      const stream = table.start("count", null, { deadline: Date.now() + 100 }, sink);
      vi.advanceTimersByTime(100);
      await expect(stream).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED", message: expect.stringContaining("stream count passed its deadline") });
      expect(channel.cancels).toEqual([[1, "deadline"]]);
      table.item({ type: "item", id: 1, value: "late", cancelled: true });
      expect(sink.items).toEqual([]);
      sink.grant(1);
      expect(channel.grants).toEqual([]);
    });

    it("cancels a stream when its signal aborts", async () => {
      const controller = new AbortController();
      const stream = table.start("count", null, { signal: controller.signal }, new RecordingSink());
      controller.abort(new Error("the consumer stopped reading the stream"));
      await expect(stream).rejects.toMatchObject({ code: "CANCELLED", message: "stream count was cancelled: the consumer stopped reading the stream" });
      expect(channel.cancels).toEqual([[1, "cancelled by caller"]]);
    });
  });
});
