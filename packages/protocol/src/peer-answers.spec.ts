// Answers and refusals of received calls through the Peer (PROTOCOL.md §5.6-§5.8), driven with bytes.
import { describe, expect, it } from "vitest";
import { Code } from "./gen/polyproc/v1/error_pb.js";
import { Peer } from "./peer.js";
import { NOW, feed, helloInit, kinds, openPair, pump, sent, welcomeInit, wire, resultOf, errorOf } from "./peer-fixtures.js";

describe("Peer calls, refusals the peer answers itself (§5.6, §5.7, §5.8)", () => {
  it("plugin: a call beyond its max_concurrency is answered RESOURCE_EXHAUSTED, retryable; the connection stays", () => {
    const plugin = new Peer({ role: "plugin" });
    plugin.hello(helloInit({ maxConcurrency: 1 }));
    feed(plugin, wire.welcome());
    sent(plugin);
    const events = feed(plugin, wire.call(1n, "add"), wire.call(2n, "add"));
    expect(events.map((e) => e.type)).toEqual(["call"]);
    const error = errorOf(sent(plugin)[0]);
    expect(error).toMatchObject({ code: Code.RESOURCE_EXHAUSTED, retryable: true, originPlugin: "math" });
    expect(plugin.state).toBe("open");
    plugin.result(1, 1);
    expect(feed(plugin, wire.call(2n, "add")).map((e) => e.type)).toEqual(["call"]);
  });

  it("host: a plugin's call beyond Welcome.max_calls_in_flight is answered RESOURCE_EXHAUSTED", () => {
    const { host } = openPair({}, { maxCallsInFlight: 1 });
    expect(feed(host, wire.call(1n, "log"), wire.call(2n, "log")).map((e) => e.type)).toEqual(["call"]);
    const [frame] = sent(host);
    expect(resultOf(frame).id).toBe(2n);
    expect(errorOf(frame)).toMatchObject({ code: Code.RESOURCE_EXHAUSTED, retryable: true, originPlugin: "" });
  });

  it("host: call() beyond the plugin's max_concurrency throws RESOURCE_EXHAUSTED; callCapacity tells beforehand", () => {
    const { host } = openPair({ maxConcurrency: 2 });
    expect(host.callCapacity).toBe(2);
    host.call({ function: "add" }, NOW);
    host.call({ function: "add" }, NOW);
    expect(host.callCapacity).toBe(0);
    expect(() => host.call({ function: "add" }, NOW)).toThrow(expect.objectContaining({ code: "RESOURCE_EXHAUSTED", retryable: true }));
    expect(kinds(sent(host))).toEqual(["call", "call"]);
    feed(host, wire.result(1n, 1));
    expect(host.callCapacity).toBe(1);
  });

  it("plugin: call() beyond Welcome.max_calls_in_flight throws RESOURCE_EXHAUSTED; unlimited is Infinity", () => {
    const { plugin } = openPair({}, { maxCallsInFlight: 1 });
    expect(plugin.callCapacity).toBe(1);
    plugin.call({ function: "log" }, NOW);
    expect(() => plugin.call({ function: "log" }, NOW)).toThrow(expect.objectContaining({ code: "RESOURCE_EXHAUSTED" }));
    expect(openPair().plugin.callCapacity).toBe(Infinity);
  });

  it("plugin: NOT_FOUND names the function and lists some it serves; UNIMPLEMENTED for a mode mismatch", () => {
    const { plugin } = openPair();
    expect(feed(plugin, wire.call(1n, "sub"), wire.call(2n, "count"))).toEqual([]);
    const [notFound, mismatch] = sent(plugin);
    expect(errorOf(notFound)).toMatchObject({ code: Code.NOT_FOUND, message: expect.stringMatching(/"sub".*"add", "count"/) });
    expect(errorOf(mismatch)).toMatchObject({ code: Code.UNIMPLEMENTED, message: expect.stringContaining("streaming call") });
    expect(plugin.incomingOpen).toBe(0);
  });

  it("plugin: a Call with a target set is answered INVALID_ARGUMENT (§5.4.6)", () => {
    const { plugin } = openPair();
    expect(feed(plugin, wire.call(1n, "add", { target: "other" }))).toEqual([]);
    expect(errorOf(sent(plugin)[0])).toMatchObject({ code: Code.INVALID_ARGUMENT });
  });

  it("answering an id that is not open sends nothing; result() on a stream throws", () => {
    const { plugin } = openPair();
    plugin.result(42, 1);
    plugin.fail(42, { code: "INTERNAL", message: "x" });
    expect(plugin.takeOutput()).toBeUndefined();
    feed(plugin, wire.call(1n, "count", { streaming: true, initialCredit: 1 }));
    expect(() => plugin.result(1, 1)).toThrow(/streaming call/);
  });

  it("an unencodable result is answered INTERNAL naming the path; the call ends", () => {
    const { host, plugin } = openPair();
    host.call({ function: "add" }, NOW);
    pump(host, plugin);
    plugin.result(1, { total: [1, new Date(0)] } as never);
    expect(errorOf(sent(plugin)[0])).toMatchObject({ code: Code.INTERNAL, retryable: false, message: expect.stringContaining("result.total[1]: a Date") });
    expect(plugin.incomingOpen).toBe(0);
  });

  it("args and results go both ways as toValue and fromValue map them, Maps and bigints included", () => {
    const { host, plugin } = openPair();
    host.call({ function: "add", args: { b: [1, -0, 2n ** 60n], a: new Map([["y", undefined], ["x", "é"]]) } as never }, NOW);
    const [call] = pump(host, plugin);
    expect(call).toMatchObject({ type: "call", args: { a: { x: "é" }, b: [1, -0, 2n ** 60n] } });
    expect(Object.keys((call as { args: object }).args)).toEqual(["a", "b"]);
    plugin.result(1, undefined as never);
    expect(pump(plugin, host)).toEqual([{ type: "result", id: 1, value: null, cancelled: false }]);
  });

  it("fail() with a code that is not a code name throws", () => {
    const { plugin } = openPair();
    feed(plugin, wire.call(1n, "add"));
    expect(() => plugin.fail(1, { code: "NOPE" as never, message: "x" })).toThrow(/code name/);
  });
});

describe("Peer calls after close", () => {
  it("call() on a closed connection throws UNAVAILABLE, retryable", () => {
    const { host } = openPair();
    host.close("killed");
    expect(() => host.call({ function: "add" }, NOW)).toThrow(expect.objectContaining({ code: "UNAVAILABLE", retryable: true }));
    expect(host.callCapacity).toBe(0);
  });

  it("welcome settings and a plugin without functions: NOT_FOUND says it serves none", () => {
    const host = new Peer({ role: "host" });
    const plugin = new Peer({ role: "plugin" });
    plugin.hello(helloInit({ functions: [] }));
    pump(plugin, host);
    host.welcome(welcomeInit());
    pump(host, plugin);
    host.call({ function: "add" }, NOW);
    pump(host, plugin);
    expect(errorOf(sent(plugin)[0]).message).toContain("serves no functions");
  });
});
