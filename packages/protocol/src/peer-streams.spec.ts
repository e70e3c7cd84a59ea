// Streams and credit through the Peer (PROTOCOL.md §10, §5.6.4, §15 #18-#21), driven with bytes.
import { describe, expect, it } from "vitest";
import { Code } from "./gen/polyproc/v1/error_pb.js";
import type { Frame } from "./gen/polyproc/v1/frame_pb.js";
import { NOW, closeOf, feed, kinds, openPair, pump, sent, wire } from "./peer-fixtures.js";

function endErrorOf(frame: Frame | undefined) {
  if (frame?.kind.case !== "streamEnd") throw new Error(`expected a StreamEnd, got ${frame?.kind.case}`);
  return frame.kind.value.error;
}

describe("Peer streams, happy path", () => {
  it("items within credit, Credit to continue, StreamEnd ends; the caller sees item and end events", () => {
    const { host, plugin } = openPair();
    const id = host.call({ function: "count", streaming: true, initialCredit: 2 }, NOW);
    const [call] = pump(host, plugin);
    expect(call).toMatchObject({ type: "call", id, streaming: true });
    expect(plugin.creditOf(id)).toBe(2);
    expect(plugin.item(id, 1)).toBe(true);
    expect(plugin.item(id, 2)).toBe(true);
    expect(plugin.creditOf(id)).toBe(0);
    expect(() => plugin.item(id, 3)).toThrow(/no credit; wait for a "credit" event/);
    expect(pump(plugin, host)).toEqual([
      { type: "item", id, value: 1, cancelled: false },
      { type: "item", id, value: 2, cancelled: false },
    ]);
    host.grant(id, 5);
    expect(pump(host, plugin)).toEqual([{ type: "credit", id, items: 5, credit: 5 }]);
    plugin.item(id, 3);
    plugin.endStream(id);
    expect(plugin.incomingOpen).toBe(0);
    expect(pump(plugin, host)).toEqual([
      { type: "item", id, value: 3, cancelled: false },
      { type: "end", id, error: undefined, cancelled: false },
    ]);
    expect(host.outgoingOpen).toBe(0);
  });

  it("the default initial credit is 32; StreamEnd may go with credit 0; a failed stream carries its Error", () => {
    const { host, plugin } = openPair();
    const id = host.call({ function: "count", streaming: true }, NOW);
    pump(host, plugin);
    expect(plugin.creditOf(id)).toBe(32);
    plugin.endStream(id, { code: "ABORTED", message: "stop" });
    expect(pump(plugin, host)).toMatchObject([{ type: "end", id, error: { code: "ABORTED", message: "stop" } }]);
  });

  it("fail() on a stream ends it with StreamEnd; endStream() on a non-streaming call throws", () => {
    const { host, plugin } = openPair();
    const s = host.call({ function: "count", streaming: true }, NOW);
    const u = host.call({ function: "add" }, NOW);
    pump(host, plugin);
    expect(() => plugin.endStream(u)).toThrow(/not a streaming call/);
    expect(() => plugin.item(u, 1)).toThrow(/not a streaming call/);
    plugin.fail(s, { code: "INTERNAL", message: "x" });
    expect(kinds(sent(plugin))).toEqual(["streamEnd"]);
  });

  it("a cancelled stream: items still count against credit and arrive marked cancelled; no Credit after Cancel", () => {
    const { host, plugin } = openPair();
    const id = host.call({ function: "count", streaming: true, initialCredit: 1 }, NOW);
    pump(host, plugin);
    host.cancel(id, "cancelled by caller");
    host.grant(id, 10);
    expect(pump(host, plugin)).toEqual([{ type: "cancel", id, reason: "cancelled by caller" }]);
    plugin.item(id, "late");
    plugin.endStream(id, { code: "CANCELLED", message: "cancelled" });
    expect(pump(plugin, host)).toMatchObject([
      { type: "item", value: "late", cancelled: true },
      { type: "end", cancelled: true, error: { code: "CANCELLED" } },
    ]);
  });

  it("an unencodable item ends the stream with INTERNAL naming the path; item() returns false", () => {
    const { host, plugin } = openPair();
    const id = host.call({ function: "count", streaming: true }, NOW);
    pump(host, plugin);
    expect(plugin.item(id, [new Set()] as never)).toBe(false);
    expect(plugin.incomingOpen).toBe(0);
    const error = endErrorOf(sent(plugin)[0]);
    expect(error).toMatchObject({ code: Code.INTERNAL, message: expect.stringContaining("item[0]") });
    expect(plugin.item(id, 1)).toBe(false);
    expect(plugin.takeOutput()).toBeUndefined();
  });

  it("an item too large ends the stream with RESOURCE_EXHAUSTED", () => {
    const { host, plugin } = openPair({}, { maxFrameBytes: 65_536 });
    const id = host.call({ function: "count", streaming: true }, NOW);
    pump(host, plugin);
    expect(plugin.item(id, "x".repeat(70_000))).toBe(false);
    expect(endErrorOf(sent(plugin)[0])).toMatchObject({ code: Code.RESOURCE_EXHAUSTED, retryable: false });
  });

  it("grant() checks its argument and the 2^32 - 1 bound; grant for an ended stream is ignored", () => {
    const { host } = openPair();
    const id = host.call({ function: "count", streaming: true, initialCredit: 0xfffffff0 }, NOW);
    sent(host);
    expect(() => host.grant(id, 0)).toThrow(/positive integer/);
    expect(() => host.grant(id, 16)).toThrow(/over 2\^32 - 1/);
    host.grant(id, 15);
    expect(kinds(sent(host))).toEqual(["credit"]);
    const unary = host.call({ function: "add" }, NOW);
    expect(() => host.grant(unary, 1)).toThrow(/not a streaming call/);
    feed(host, wire.end(BigInt(id)));
    host.grant(id, 1);
    expect(kinds(sent(host))).toEqual(["call"]);
  });
});

describe("Peer streams, violations (§10.5)", () => {
  it("an item beyond the credit granted closes", () => {
    const { host } = openPair();
    host.call({ function: "count", streaming: true, initialCredit: 1 }, NOW);
    const events = feed(host, wire.item(1n, "a"), wire.item(1n, "b"));
    expect(events.map((e) => e.type)).toEqual(["item", "close"]);
    expect(closeOf(events)?.reason).toContain("beyond the credit granted");
  });

  it("an item after the stream ended closes; a StreamEnd for an unknown id closes", () => {
    const { host } = openPair();
    host.call({ function: "count", streaming: true }, NOW);
    const events = feed(host, wire.end(1n), wire.item(1n, "late"));
    expect(events.map((e) => e.type)).toEqual(["end", "close"]);
    expect(closeOf(events)?.reason).toContain("a StreamItem for id 1, which is not an open call");
    expect(closeOf(feed(openPair().host, wire.end(9n)))?.reason).toContain("a StreamEnd for id 9");
  });

  it("a Result for a streaming call, a StreamItem or StreamEnd for a non-streaming call close", () => {
    const a = openPair().host;
    a.call({ function: "count", streaming: true }, NOW);
    expect(closeOf(feed(a, wire.result(1n, 1)))?.reason).toContain("a streaming call");
    const b = openPair().host;
    b.call({ function: "add" }, NOW);
    expect(closeOf(feed(b, wire.item(1n, 1)))?.reason).toContain("a non-streaming call");
    const c = openPair().host;
    c.call({ function: "add" }, NOW);
    expect(closeOf(feed(c, wire.end(1n)))?.reason).toContain("a non-streaming call");
  });

  it("callee: a Credit of 0, one overflowing 2^32 - 1, one for a non-streaming call close", () => {
    const zero = openPair().plugin;
    feed(zero, wire.call(1n, "count", { streaming: true }));
    expect(closeOf(feed(zero, wire.credit(1n, 0)))?.reason).toContain("Credit of 0 items");
    const overflow = openPair().plugin;
    feed(overflow, wire.call(1n, "count", { streaming: true, initialCredit: 0xffffffff }));
    expect(closeOf(feed(overflow, wire.credit(1n, 1)))?.reason).toContain("over 2^32 - 1");
    const unary = openPair().plugin;
    feed(unary, wire.call(1n, "add"));
    expect(closeOf(feed(unary, wire.credit(1n, 1)))?.reason).toContain("a non-streaming call");
  });

  it("callee: a Credit for an unknown or finished id is ignored", () => {
    const { plugin } = openPair();
    expect(feed(plugin, wire.credit(4n, 1))).toEqual([]);
    feed(plugin, wire.call(1n, "count", { streaming: true }));
    plugin.endStream(1);
    expect(feed(plugin, wire.credit(1n, 3))).toEqual([]);
    expect(plugin.state).toBe("open");
  });

  it("without the streaming capability: a streaming Call, StreamItem, StreamEnd or Credit closes", () => {
    const frames = [wire.call(1n, "count", { streaming: true }), wire.item(1n, 1), wire.end(1n), wire.credit(1n, 1)];
    for (const frame of frames) {
      const { plugin } = openPair({ capabilities: [] });
      expect(closeOf(feed(plugin, frame))?.reason).toContain('"streaming" was not negotiated');
    }
  });
});

describe("Peer streams, limits (§5.6.4)", () => {
  it("host: a streaming Call beyond max_open_streams is answered by StreamEnd RESOURCE_EXHAUSTED", () => {
    const { host } = openPair({}, { maxOpenStreams: 1 });
    const events = feed(host, wire.call(1n, "watch", { streaming: true }), wire.call(2n, "watch", { streaming: true }), wire.call(3n, "log"));
    expect(events.map((e) => (e.type === "call" ? e.id : e.type))).toEqual([1, 3]);
    const [refusal] = sent(host);
    expect(endErrorOf(refusal)).toMatchObject({ code: Code.RESOURCE_EXHAUSTED, retryable: true });
  });

  it("plugin: call() of a stream beyond Welcome.max_open_streams throws; streamCapacity tells", () => {
    const { plugin } = openPair({}, { maxOpenStreams: 1 });
    expect(plugin.streamCapacity).toBe(1);
    plugin.call({ function: "watch", streaming: true }, NOW);
    expect(plugin.streamCapacity).toBe(0);
    expect(() => plugin.call({ function: "watch", streaming: true }, NOW)).toThrow(expect.objectContaining({ code: "RESOURCE_EXHAUSTED" }));
    expect(plugin.call({ function: "log" }, NOW)).toBe(2);
  });
});
