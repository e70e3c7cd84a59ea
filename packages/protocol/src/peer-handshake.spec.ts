// The handshake of the Peer (PROTOCOL.md §4, §3.2, §15 #7-#10, #15), driven with bytes only.
import { describe, expect, it } from "vitest";
import { Code } from "./gen/polyproc/v1/error_pb.js";
import { Peer } from "./peer.js";
import { NOW, TOKEN, bytes, closeOf, feed, helloInit, kinds, openPair, pump, sent, welcomeInit, wire } from "./peer-fixtures.js";
import type { PeerEvent } from "./peer-types.js";

function typesOf(events: PeerEvent[]): string[] {
  return events.map((e) => e.type);
}

describe("Peer handshake, happy path", () => {
  it("plugin Hello -> host hello event -> Welcome -> both open, with the Hello's fields on the wire", () => {
    const host = new Peer({ role: "host" });
    const plugin = new Peer({ role: "plugin" });
    expect(host.state).toBe("handshake");
    plugin.hello(helloInit({ maxConcurrency: 7, pid: 42, subscriptions: ["prices.*"] }));
    const helloEvents = pump(plugin, host);
    expect(typesOf(helloEvents)).toEqual(["hello"]);
    const event = helloEvents[0]!;
    if (event.type !== "hello") throw new Error("expected hello");
    expect(event.hello.token).toBe(TOKEN);
    expect(event.hello.maxConcurrency).toBe(7);
    expect(event.hello.pid).toBe(42);
    expect(event.hello.subscriptions).toEqual(["prices.*"]);
    expect(event.functions.map((f) => [f.name, f.streaming])).toEqual([["add", false], ["count", true]]);
    expect(host.state).toBe("handshake");

    host.welcome(welcomeInit({ settings: { debug: true }, hostFunctions: [{ name: "log" }], maxCallsInFlight: 5, pluginName: "calc" }));
    expect(host.state).toBe("open");
    const welcomeEvents = pump(host, plugin);
    expect(typesOf(welcomeEvents)).toEqual(["welcome"]);
    const welcome = welcomeEvents[0]!;
    if (welcome.type !== "welcome") throw new Error("expected welcome");
    expect(welcome.settings).toEqual({ debug: true });
    expect(welcome.hostFunctions.map((f) => f.name)).toEqual(["log"]);
    expect(welcome.welcome.instanceId).toBe("math-1");
    expect(welcome.welcome.maxCallsInFlight).toBe(5);
    expect(plugin.state).toBe("open");
    expect(plugin.capabilities).toEqual(["streaming", "host-calls", "plugin-calls", "pubsub"]);
    expect(host.capabilities).toEqual(plugin.capabilities);
  });

  it("the Welcome carries only capabilities the Hello offered, and host_functions only with host-calls", () => {
    const host = new Peer({ role: "host" });
    feed(host, wire.hello({ capabilities: ["streaming", "future-thing"] }));
    host.welcome(welcomeInit({ hostFunctions: [{ name: "log" }] }));
    const [frame] = sent(host);
    if (frame?.kind.case !== "welcome") throw new Error("expected a Welcome");
    expect(frame.kind.value.capabilities).toEqual(["streaming"]);
    expect(frame.kind.value.hostFunctions).toEqual([]);
    expect(host.capabilities).toEqual(["streaming"]);
  });

  it("a Hello split into single bytes is read once complete", () => {
    const host = new Peer({ role: "host" });
    const input = bytes(wire.hello());
    const events: PeerEvent[] = [];
    for (let i = 0; i < input.byteLength; i++) events.push(...host.receive(input.subarray(i, i + 1), NOW));
    expect(typesOf(events)).toEqual(["hello"]);
  });

  it("a Welcome and a Call in one chunk: both are read", () => {
    const plugin = new Peer({ role: "plugin" });
    plugin.hello(helloInit());
    sent(plugin);
    const events = plugin.receive(bytes(wire.welcome({ capabilities: ["streaming"] }), wire.call(1n, "add", { args: [1, 2] })), NOW);
    expect(typesOf(events)).toEqual(["welcome", "call"]);
  });

  it("host reject(): Reject with the host's range goes out, state closed, the close event comes from end()", () => {
    const host = new Peer({ role: "host", minProtocol: 1, maxProtocol: 2 });
    feed(host, wire.hello());
    host.reject("UNAUTHENTICATED", "wrong token");
    expect(host.state).toBe("closed");
    const [frame] = sent(host);
    if (frame?.kind.case !== "reject") throw new Error("expected a Reject");
    expect(frame.kind.value).toMatchObject({ code: Code.UNAUTHENTICATED, message: "wrong token", minProtocol: 1, maxProtocol: 2 });
    expect(feed(host, wire.ping(1n))).toEqual([]);
    expect(closeOf(host.end(NOW))).toMatchObject({ clean: false, reason: expect.stringContaining("wrong token") });
    expect(host.end(NOW)).toEqual([]);
  });

  it("plugin receiving Reject: a reject event then a close event, state closed", () => {
    const plugin = new Peer({ role: "plugin" });
    plugin.hello(helloInit({ minProtocol: 2, maxProtocol: 3 }));
    const events = feed(plugin, wire.reject({ code: Code.FAILED_PRECONDITION, message: "no common version", minProtocol: 1, maxProtocol: 1 }));
    expect(typesOf(events)).toEqual(["reject", "close"]);
    expect(closeOf(events)?.reason).toContain("FAILED_PRECONDITION: no common version (the host speaks protocol 1..1, the plugin 2..3)");
    expect(plugin.state).toBe("closed");
    expect(plugin.end(NOW)).toEqual([]);
  });
});

describe("Peer handshake, frame-size limit (§3.2)", () => {
  it("after Welcome both sides apply max_frame_bytes to what they send and read", () => {
    const { host, plugin } = openPair({}, { maxFrameBytes: 65_536 });
    const big = "x".repeat(70_000);
    expect(() => host.call({ function: "add", args: big }, NOW)).toThrow(/FRAME_TOO_LARGE/);
    expect(() => plugin.call({ function: "log", args: big }, NOW)).toThrow(/FRAME_TOO_LARGE/);
    // A frame over the limit coming in is FRAME_TOO_LARGE on either side.
    const fromHost = feed(plugin, wire.call(1n, "add", { args: big }));
    expect(closeOf(fromHost)?.kind).toBe("FRAME_TOO_LARGE");
    const other = openPair({}, { maxFrameBytes: 65_536 });
    expect(closeOf(feed(other.host, wire.call(1n, "log", { args: big })))?.kind).toBe("FRAME_TOO_LARGE");
  });

  it("a Welcome and a Call queued in one turn come out in order, in one buffer", () => {
    const host = new Peer({ role: "host" });
    feed(host, wire.hello());
    host.welcome(welcomeInit({ maxFrameBytes: 65_536 }));
    host.call({ function: "add", args: 1 }, NOW);
    expect(kinds(sent(host))).toEqual(["welcome", "call"]);
    expect(host.hasOutput).toBe(false);
  });

  it("frames up to 16 MiB pass before the Welcome and when max_frame_bytes is 0", () => {
    const { host, plugin } = openPair({}, { maxFrameBytes: 0 });
    const big = "x".repeat(1_000_000);
    host.call({ function: "add", args: big }, NOW);
    expect(typesOf(pump(host, plugin))).toEqual(["call"]);
  });

  it("the Hello is bounded by the pre-handshake limit: a length over it is FRAME_TOO_LARGE at once", () => {
    const host = new Peer({ role: "host" });
    const events = host.receive(new Uint8Array([0x01, 0x00, 0x00, 0x01]), NOW);
    expect(closeOf(events)?.kind).toBe("FRAME_TOO_LARGE");
  });

  it("welcome() refuses a max_frame_bytes under 65536 and a protocol outside the Hello's range", () => {
    const host = new Peer({ role: "host" });
    feed(host, wire.hello());
    expect(() => host.welcome(welcomeInit({ maxFrameBytes: 1000 }))).toThrow(/at least 65536/);
    expect(() => host.welcome(welcomeInit({ protocol: 2 }))).toThrow(/outside the plugin's range/);
    expect(host.state).toBe("handshake");
    expect(host.takeOutput()).toBeUndefined();
  });
});

describe("Peer handshake, violations (§15 #7-#10, #15)", () => {
  it("host: a first frame that is not Hello closes, without a Reject", () => {
    const host = new Peer({ role: "host" });
    const events = feed(host, wire.ping(1n));
    expect(closeOf(events)).toMatchObject({ kind: "PROTOCOL_VIOLATION", reason: expect.stringContaining("not a Hello") });
    expect(host.state).toBe("closed");
    expect(host.takeOutput()).toBeUndefined();
  });

  it("host: data after the Hello before the answer closes (same chunk, and a later chunk)", () => {
    const sameChunk = new Peer({ role: "host" });
    const events = feed(sameChunk, wire.hello(), wire.ping(1n));
    expect(typesOf(events)).toEqual(["hello", "close"]);
    expect(closeOf(events)?.reason).toContain("after its Hello before the host answered");
    expect(sameChunk.takeOutput()).toBeUndefined();

    const laterChunk = new Peer({ role: "host" });
    feed(laterChunk, wire.hello());
    expect(closeOf(feed(laterChunk, wire.call(1n, "log")))?.kind).toBe("PROTOCOL_VIOLATION");
  });

  it("plugin: data from the host before the Hello closes", () => {
    const plugin = new Peer({ role: "plugin" });
    expect(closeOf(feed(plugin, wire.welcome()))?.reason).toContain("before the plugin's Hello");
  });

  it("plugin: a first frame from the host that is neither Welcome nor Reject closes", () => {
    const plugin = new Peer({ role: "plugin" });
    plugin.hello(helloInit());
    expect(closeOf(feed(plugin, wire.call(1n, "add")))?.reason).toContain("not Welcome or Reject");
  });

  it("host: a second Hello closes with a Goodbye naming the rule", () => {
    const { host } = openPair();
    const events = feed(host, wire.hello());
    expect(closeOf(events)?.reason).toContain("second Hello");
    const out = sent(host);
    expect(kinds(out)).toEqual(["goodbye"]);
  });

  it("plugin: Welcome or Reject after the handshake closes", () => {
    expect(closeOf(feed(openPair().plugin, wire.welcome()))?.reason).toContain("Welcome after the handshake");
    expect(closeOf(feed(openPair().plugin, wire.reject()))?.reason).toContain("Reject after the handshake");
  });

  it("wrong direction: Hello, Subscribe, Unsubscribe to a plugin; Welcome, Reject, Shutdown to the host", () => {
    const toPlugin = [wire.hello(), wire.subscribe(["a"]), wire.unsubscribe(["a"])];
    for (const frame of toPlugin) expect(closeOf(feed(openPair().plugin, frame))?.reason).toMatch(/only a plugin sends .*§15 #10/);
    const toHost = [wire.welcome(), wire.reject(), wire.shutdown(10)];
    for (const frame of toHost) expect(closeOf(feed(openPair().host, frame))?.reason).toMatch(/only the host sends .*§15 #10/);
  });

  it("plugin: a Welcome with a protocol outside its range closes", () => {
    const plugin = new Peer({ role: "plugin" });
    plugin.hello(helloInit({ minProtocol: 1, maxProtocol: 2 }));
    expect(closeOf(feed(plugin, wire.welcome({ protocol: 3 })))?.reason).toContain("protocol 3, outside the plugin's range 1..2");
  });

  it("plugin: a Welcome with max_frame_bytes below 65536 (and not 0) closes", () => {
    const plugin = new Peer({ role: "plugin" });
    plugin.hello(helloInit());
    expect(closeOf(feed(plugin, wire.welcome({ maxFrameBytes: 65_535 })))?.reason).toContain("max_frame_bytes 65535");
    const ok = new Peer({ role: "plugin" });
    ok.hello(helloInit());
    expect(typesOf(feed(ok, wire.welcome({ maxFrameBytes: 65_536 })))).toEqual(["welcome"]);
  });

  it("commands out of turn throw and send nothing", () => {
    const host = new Peer({ role: "host" });
    const plugin = new Peer({ role: "plugin" });
    expect(() => host.hello(helloInit())).toThrow(/plugin's first frame/);
    expect(() => host.welcome(welcomeInit())).toThrow(/after the "hello" event/);
    expect(() => plugin.welcome(welcomeInit())).toThrow(/host's answer/);
    expect(() => plugin.reject("INTERNAL", "x")).toThrow(/host's answer/);
    expect(() => host.call({ function: "add" }, NOW)).toThrow(/before the handshake/);
    expect(() => host.ping(NOW)).toThrow(/past its handshake/);
    plugin.hello(helloInit());
    expect(() => plugin.hello(helloInit())).toThrow(/twice/);
    expect(host.takeOutput()).toBeUndefined();
  });

  it("end() during the handshake: a close event; mid-frame it is TRUNCATED_FRAME", () => {
    const host = new Peer({ role: "host" });
    host.receive(bytes(wire.hello()).subarray(0, 6), NOW);
    expect(closeOf(host.end(NOW))?.kind).toBe("TRUNCATED_FRAME");
    const idle = new Peer({ role: "host" });
    expect(closeOf(idle.end(NOW, "socket reset"))).toEqual({ kind: undefined, reason: "socket reset", clean: false });
  });
});
