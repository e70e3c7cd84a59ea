// Calls through the Peer (PROTOCOL.md §5, §6, §7, §8.3), in both directions, driven with bytes.
import { describe, expect, it } from "vitest";
import { Code } from "./gen/polyproc/v1/error_pb.js";
import { NOW, closeOf, feed, openPair, pump, sent, wire, errorOf, callOf } from "./peer-fixtures.js";
import { PluginError } from "./plugin-error.js";

describe("Peer calls, happy paths", () => {
  it("host -> plugin: call event with args, metadata and deadline; result back with the same id", () => {
    const { host, plugin } = openPair();
    const id = host.call({ function: "add", args: { a: 1, b: 2 }, metadata: { traceparent: "00-x" }, deadline: NOW + 500 }, NOW);
    expect(id).toBe(1);
    expect(host.outgoingOpen).toBe(1);
    const [call] = pump(host, plugin, 2000);
    expect(call).toEqual({
      type: "call",
      id: 1,
      function: "add",
      target: "",
      args: { a: 1, b: 2 },
      deadline: 2500,
      metadata: { traceparent: "00-x" },
      streaming: false,
    });
    expect(plugin.incomingOpen).toBe(1);
    plugin.result(1, 3);
    expect(plugin.incomingOpen).toBe(0);
    expect(pump(plugin, host)).toEqual([{ type: "result", id: 1, value: 3, cancelled: false }]);
    expect(host.outgoingOpen).toBe(0);
  });

  it("plugin -> host (host function) and plugin -> host (routed, target set)", () => {
    const { host, plugin } = openPair();
    const a = plugin.call({ function: "log", args: "hi" }, NOW);
    const b = plugin.call({ function: "mul", target: "other" }, NOW);
    const events = pump(plugin, host);
    expect(events.map((e) => (e.type === "call" ? [e.id, e.function, e.target, e.args] : e.type))).toEqual([
      [a, "log", "", "hi"],
      [b, "mul", "other", null],
    ]);
    host.fail(b, { code: "NOT_FOUND", message: "no plugin other", retryable: false });
    host.result(a, null);
    expect(pump(host, plugin)).toEqual([
      { type: "error", id: b, error: { code: "NOT_FOUND", message: "no plugin other", details: undefined, originPlugin: "", originInstance: "", retryable: false }, cancelled: false },
      { type: "result", id: a, value: null, cancelled: false },
    ]);
  });

  it("ids are the same number in both directions without clashing (§5.2.1)", () => {
    const { host, plugin } = openPair();
    expect(host.call({ function: "add" }, NOW)).toBe(1);
    expect(plugin.call({ function: "log" }, NOW)).toBe(1);
    const toPlugin = pump(host, plugin);
    const toHost = pump(plugin, host);
    expect(toPlugin.map((e) => e.type)).toEqual(["call"]);
    expect(toHost.map((e) => e.type)).toEqual(["call"]);
    plugin.result(1, "from plugin");
    host.result(1, "from host");
    expect(pump(plugin, host)).toEqual([{ type: "result", id: 1, value: "from plugin", cancelled: false }]);
    expect(pump(host, plugin)).toEqual([{ type: "result", id: 1, value: "from host", cancelled: false }]);
  });

  it("a Result without outcome is null; error code 0 and unknown codes read as UNKNOWN keeping the rest (§8.3)", () => {
    const { host } = openPair();
    host.call({ function: "add" }, NOW);
    host.call({ function: "add" }, NOW);
    host.call({ function: "add" }, NOW);
    const events = feed(host, wire.result(1n), wire.resultError(2n, 0, "zero", { retryable: true }), wire.resultError(3n, 99, "new code", { originPlugin: "p" }));
    expect(events[0]).toEqual({ type: "result", id: 1, value: null, cancelled: false });
    expect(events[1]).toMatchObject({ type: "error", id: 2, error: { code: "UNKNOWN", message: "zero", retryable: true } });
    expect(events[2]).toMatchObject({ type: "error", id: 3, error: { code: "UNKNOWN", message: "new code", originPlugin: "p" } });
  });

  it("error details travel as values; unencodable details are left out and the message says so", () => {
    const { host, plugin } = openPair();
    host.call({ function: "add" }, NOW);
    host.call({ function: "add" }, NOW);
    pump(host, plugin);
    plugin.fail(1, { code: "INVALID_ARGUMENT", message: "bad", details: { field: "a" } });
    plugin.fail(2, { code: "INTERNAL", message: "oops", details: { when: new Date(0) } as never });
    const events = pump(plugin, host);
    expect(events[0]).toMatchObject({ error: { code: "INVALID_ARGUMENT", details: { field: "a" } } });
    expect(events[1]).toMatchObject({ error: { code: "INTERNAL", details: undefined, message: expect.stringContaining("its details were left out: INVALID_VALUE: details.when") } });
  });
});

describe("Peer calls, deadlines (§6)", () => {
  it("deadline_ms is the time left rounded up, 0 without a deadline, clamped to 2^32 - 1", () => {
    const { host } = openPair();
    host.call({ function: "add", deadline: NOW + 10.2 }, NOW);
    host.call({ function: "add", deadline: NOW + 0.001 }, NOW);
    host.call({ function: "add" }, NOW);
    host.call({ function: "add", deadline: NOW + 2 ** 40 }, NOW);
    host.call({ function: "add", deadline: Infinity }, NOW);
    expect(sent(host).map((f) => callOf(f).deadlineMs)).toEqual([11, 1, 0, 0xffffffff, 0xffffffff]);
  });

  it("a deadline that has passed (or is now) throws DEADLINE_EXCEEDED and sends nothing, using no id", () => {
    const { host } = openPair();
    for (const deadline of [NOW, NOW - 1]) {
      let caught: unknown;
      try {
        host.call({ function: "add", deadline }, NOW);
      } catch (error) {
        caught = error;
      }
      expect(PluginError.is(caught, "DEADLINE_EXCEEDED")).toBe(true);
      expect((caught as PluginError).remote).toBe(false);
    }
    expect(host.takeOutput()).toBeUndefined();
    expect(host.outgoingOpen).toBe(0);
    expect(host.call({ function: "add" }, NOW)).toBe(1);
  });

  it("the callee's deadline is its receipt time plus deadline_ms", () => {
    const { plugin } = openPair();
    const [event] = feed(plugin, wire.call(1n, "add", { deadlineMs: 250 }));
    expect(event).toMatchObject({ type: "call", deadline: NOW + 250 });
  });
});

describe("Peer calls, encoding failures (§5.3.2, §8.4.3)", () => {
  it("unencodable args throw ProtocolError INVALID_VALUE naming the path; nothing is sent, no id used", () => {
    const { host } = openPair();
    expect(() => host.call({ function: "add", args: { items: [1, () => 0] } as never }, NOW)).toThrow(
      expect.objectContaining({ kind: "INVALID_VALUE", path: "args.items[1]" }),
    );
    expect(host.takeOutput()).toBeUndefined();
    expect(host.outgoingOpen).toBe(0);
    expect(host.call({ function: "add" }, NOW)).toBe(1);
  });

  it("args nested deeper than 64 throw VALUE_TOO_DEEP", () => {
    const { host } = openPair();
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    expect(() => host.call({ function: "add", args: deep as never }, NOW)).toThrow(expect.objectContaining({ kind: "VALUE_TOO_DEEP" }));
    expect(host.takeOutput()).toBeUndefined();
  });

  it("an unencodable result is answered INTERNAL naming the path, with the plugin's origin", () => {
    const { host, plugin } = openPair({}, { pluginName: "calc" });
    host.call({ function: "add" }, NOW);
    pump(host, plugin);
    plugin.result(1, { when: new Date(0) } as never);
    const error = errorOf(sent(plugin)[0]);
    expect(error.code).toBe(Code.INTERNAL);
    expect(error.message).toContain("result.when");
    expect(error.originPlugin).toBe("calc");
    expect(error.originInstance).toBe("math-1");
    expect(plugin.incomingOpen).toBe(0);
  });

  it("a result too large for the frame-size limit is answered RESOURCE_EXHAUSTED, not retryable", () => {
    const { host, plugin } = openPair({}, { maxFrameBytes: 65_536 });
    host.call({ function: "add" }, NOW);
    pump(host, plugin);
    plugin.result(1, "x".repeat(100_000));
    const error = errorOf(sent(plugin)[0]);
    expect(error.code).toBe(Code.RESOURCE_EXHAUSTED);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("65536");
  });
});

describe("Peer calls, cancel (§7)", () => {
  it("Cancel goes out once; the answer arrives marked cancelled; the call counts until then", () => {
    const { host, plugin } = openPair();
    host.call({ function: "add" }, NOW);
    pump(host, plugin);
    host.cancel(1, "deadline");
    host.cancel(1, "deadline");
    host.cancel(99, "unknown");
    expect(host.outgoingOpen).toBe(1);
    expect(pump(host, plugin)).toEqual([{ type: "cancel", id: 1, reason: "deadline" }]);
    plugin.fail(1, { code: "CANCELLED", message: "cancelled" });
    expect(pump(plugin, host)).toMatchObject([{ type: "error", id: 1, cancelled: true, error: { code: "CANCELLED" } }]);
    expect(host.outgoingOpen).toBe(0);
    host.cancel(1, "late");
    expect(host.takeOutput()).toBeUndefined();
  });

  it("the callee ignores a Cancel for an unknown id and a second Cancel", () => {
    const { plugin } = openPair();
    expect(feed(plugin, wire.cancel(5n))).toEqual([]);
    feed(plugin, wire.call(1n, "add"));
    expect(feed(plugin, wire.cancel(1n, "a"), wire.cancel(1n, "b"))).toEqual([{ type: "cancel", id: 1, reason: "a" }]);
    expect(plugin.state).toBe("open");
    expect(plugin.takeOutput()).toBeUndefined();
  });
});

describe("Peer calls, violations (§5.2, §15 #16, #17, #21)", () => {
  it("a Result for an id that is not open closes, naming the id", () => {
    const { host } = openPair();
    expect(closeOf(feed(host, wire.result(7n, 1)))?.reason).toContain("a Result for id 7, which is not an open call");
  });

  it("a Result answered twice closes", () => {
    const { host } = openPair();
    host.call({ function: "add" }, NOW);
    const events = feed(host, wire.result(1n, 1), wire.result(1n, 2));
    expect(events.map((e) => e.type)).toEqual(["result", "close"]);
  });

  it("a Call with id 0 closes; a Call reusing an open id closes", () => {
    expect(closeOf(feed(openPair().plugin, wire.call(0n, "add")))?.reason).toContain("id 0");
    const { plugin } = openPair();
    const events = feed(plugin, wire.call(3n, "add"), wire.call(3n, "add"));
    expect(events.map((e) => e.type)).toEqual(["call", "close"]);
    expect(closeOf(events)?.reason).toContain("id 3, the id of a call still open");
  });

  it("an id is free again once answered", () => {
    const { plugin } = openPair();
    feed(plugin, wire.call(3n, "add"));
    plugin.result(3, 1);
    expect(feed(plugin, wire.call(3n, "add")).map((e) => e.type)).toEqual(["call"]);
  });

  it("host: a plugin's call to a host function without host-calls, or with a target without plugin-calls, closes", () => {
    const noHostCalls = openPair({ capabilities: ["plugin-calls"] }).host;
    expect(closeOf(feed(noHostCalls, wire.call(1n, "log")))?.reason).toContain('"host-calls"');
    const noPluginCalls = openPair({ capabilities: ["host-calls"] }).host;
    expect(closeOf(feed(noPluginCalls, wire.call(1n, "mul", { target: "other" })))?.reason).toContain('"plugin-calls"');
  });

  it("call() refuses capabilities not negotiated and a target from the host", () => {
    const { host, plugin } = openPair({ capabilities: [] });
    expect(() => plugin.call({ function: "log" }, NOW)).toThrow(/host-calls/);
    expect(() => plugin.call({ function: "mul", target: "other" }, NOW)).toThrow(/plugin-calls/);
    expect(() => host.call({ function: "count", streaming: true }, NOW)).toThrow(/streaming/);
    expect(() => host.call({ function: "add", target: "x" }, NOW)).toThrow(/empty target/);
    expect(host.takeOutput()).toBeUndefined();
    expect(plugin.takeOutput()).toBeUndefined();
  });
});
