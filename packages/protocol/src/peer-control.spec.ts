// Liveness, pub/sub, shutdown, goodbye and connection end through the Peer (PROTOCOL.md §11-§14).
import { describe, expect, it } from "vitest";
import { Code } from "./gen/polyproc/v1/error_pb.js";
import { Peer } from "./peer.js";
import { NOW, bytes, closeOf, feed, helloInit, kinds, openPair, pump, sent, wire, errorOf } from "./peer-fixtures.js";

describe("Peer liveness (§11)", () => {
  it("ping -> pong with the round trip; unansweredPings counts pings since the last answer", () => {
    const { host, plugin } = openPair();
    const first = host.ping(NOW);
    const second = host.ping(NOW + 10);
    expect([first, second]).toEqual([1n, 2n]);
    expect(host.unansweredPings).toBe(2);
    expect(pump(host, plugin)).toEqual([]);
    expect(pump(plugin, host, NOW + 25)).toEqual([
      { type: "pong", seq: 1n, rttMs: 25 },
      { type: "pong", seq: 2n, rttMs: 15 },
    ]);
    expect(host.unansweredPings).toBe(0);
  });

  it("Pings are answered in order, seq 0 included, while calls are open", () => {
    const { plugin } = openPair();
    feed(plugin, wire.call(1n, "add"));
    feed(plugin, wire.ping(5n), wire.ping(0n), wire.ping(3n));
    expect(sent(plugin).map((f) => (f.kind.case === "pong" ? f.kind.value.seq : f.kind.case))).toEqual([5n, 0n, 3n]);
  });

  it("a Pong with an unknown seq is ignored; a late Pong answers the older pings too", () => {
    const { host } = openPair();
    expect(feed(host, wire.pong(77n))).toEqual([]);
    host.ping(NOW);
    host.ping(NOW);
    host.ping(NOW);
    expect(host.unansweredPings).toBe(3);
    feed(host, wire.pong(2n));
    expect(host.unansweredPings).toBe(1);
    expect(feed(host, wire.pong(1n))).toEqual([]);
    expect(host.state).toBe("open");
  });
});

describe("Peer pub/sub (§12)", () => {
  it("publish both ways; subscribe and unsubscribe from the plugin reach the host", () => {
    const { host, plugin } = openPair();
    host.publish("prices.eur", 1.5, { traceparent: "t" });
    expect(pump(host, plugin)).toEqual([{ type: "publish", topic: "prices.eur", value: 1.5, metadata: { traceparent: "t" } }]);
    plugin.publish("logs.app", { line: "x" });
    plugin.subscribe(["logs.>", "*.eur"]);
    plugin.unsubscribe(["logs.>"]);
    expect(pump(plugin, host)).toEqual([
      { type: "publish", topic: "logs.app", value: { line: "x" }, metadata: {} },
      { type: "subscribe", patterns: ["logs.>", "*.eur"] },
      { type: "unsubscribe", patterns: ["logs.>"] },
    ]);
  });

  it("invalid topics and patterns throw before anything is sent; the host cannot subscribe", () => {
    const { host, plugin } = openPair();
    expect(() => plugin.publish("a.*", 1)).toThrow(/not a valid topic/);
    expect(() => plugin.subscribe(["ok", "logs.>.error"])).toThrow(/"logs.>.error" is not a valid pattern/);
    expect(() => host.subscribe(["a"])).toThrow(/for plugins/);
    expect(plugin.takeOutput()).toBeUndefined();
  });

  it("without pubsub: publish() throws; a Publish, Subscribe or Unsubscribe received closes", () => {
    const { plugin } = openPair({ capabilities: [] });
    expect(() => plugin.publish("a", 1)).toThrow(/"pubsub"/);
    expect(() => plugin.subscribe(["a"])).toThrow(/"pubsub"/);
    expect(closeOf(feed(plugin, wire.publish("a", 1)))?.reason).toContain('"pubsub" was not negotiated');
    for (const frame of [wire.publish("a", 1), wire.subscribe(["a"]), wire.unsubscribe(["a"])]) {
      expect(closeOf(feed(openPair({ capabilities: [] }).host, frame))?.reason).toContain('"pubsub" was not negotiated');
    }
  });
});

describe("Peer shutdown and goodbye (§13)", () => {
  it("Shutdown with calls open: calls continue, new Calls get UNAVAILABLE, Goodbye after the last answer", () => {
    const { host, plugin } = openPair();
    host.call({ function: "add" }, NOW);
    pump(host, plugin);
    host.shutdown(5000, "host closing");
    expect(host.state).toBe("draining");
    expect(() => host.call({ function: "add" }, NOW)).toThrow(expect.objectContaining({ code: "UNAVAILABLE" }));
    expect(host.callCapacity).toBe(0);
    expect(pump(host, plugin)).toEqual([{ type: "shutdown", graceMs: 5000, reason: "host closing" }]);
    expect(plugin.state).toBe("draining");

    // A Call that raced with the Shutdown is refused; the plugin may still call the host.
    expect(feed(plugin, wire.call(2n, "add"))).toEqual([]);
    expect(errorOf(sent(plugin)[0])).toMatchObject({ code: Code.UNAVAILABLE, retryable: true });
    plugin.call({ function: "log" }, NOW);
    expect(pump(plugin, host).map((e) => e.type)).toEqual(["call"]);
    host.result(1, "ok");
    pump(host, plugin);

    plugin.result(1, 3);
    expect(plugin.state).toBe("closed");
    expect(kinds(sent(plugin))).toEqual(["result", "goodbye"]);
    expect(closeOf(plugin.end(NOW))).toMatchObject({ clean: true });
  });

  it("Shutdown with no call open: Goodbye at once, own open calls cancelled first", () => {
    const { host, plugin } = openPair();
    plugin.call({ function: "log" }, NOW);
    pump(plugin, host);
    host.shutdown(0, "stop");
    expect(pump(host, plugin).map((e) => e.type)).toEqual(["shutdown"]);
    expect(plugin.state).toBe("closed");
    const out = sent(plugin);
    expect(kinds(out)).toEqual(["cancel", "goodbye"]);
    expect(out[0]?.kind.value).toMatchObject({ id: 1n, reason: "shutdown" });
  });

  it("host: Goodbye received -> goodbye event, closed, later frames ignored, clean close from end()", () => {
    const { host, plugin } = openPair();
    host.call({ function: "add" }, NOW);
    pump(host, plugin);
    plugin.goodbye("leaving");
    expect(plugin.state).toBe("closed");
    const events = host.receive(Buffer.concat([plugin.takeOutput()!, bytes(wire.result(1n, 1), wire.result(99n, 1))]), NOW);
    expect(events).toEqual([{ type: "goodbye", reason: "leaving" }]);
    expect(host.state).toBe("closed");
    expect(host.takeOutput()).toBeUndefined();
    expect(closeOf(host.end(NOW))).toEqual({ kind: undefined, clean: true, reason: "the plugin said goodbye: leaving" });
    expect(host.end(NOW)).toEqual([]);
  });

  it("plugin: a Call after its Goodbye is ignored: not run, not answered", () => {
    const { plugin } = openPair();
    plugin.goodbye("done");
    sent(plugin);
    expect(feed(plugin, wire.call(1n, "add"))).toEqual([]);
    expect(plugin.takeOutput()).toBeUndefined();
  });

  it("plugin: the host's Goodbye closes, not cleanly", () => {
    const { plugin } = openPair();
    expect(feed(plugin, wire.goodbye("grace ran out"))).toEqual([{ type: "goodbye", reason: "grace ran out" }]);
    expect(closeOf(plugin.end(NOW))).toMatchObject({ clean: false, reason: "the host said goodbye: grace ran out" });
  });

  it("plugin drain(): refuses new calls with UNAVAILABLE and leaves after its last answer", () => {
    const { plugin } = openPair();
    feed(plugin, wire.call(1n, "add"));
    plugin.drain("application stop");
    expect(plugin.state).toBe("draining");
    feed(plugin, wire.call(2n, "add"));
    plugin.result(1, 1);
    const out = sent(plugin);
    expect(kinds(out)).toEqual(["result", "result", "goodbye"]);
    expect(out[2]?.kind.value).toMatchObject({ reason: "application stop" });
  });

  it("host: after a violation on an open connection it says Goodbye naming the violation, then sends nothing", () => {
    const { host } = openPair();
    const events = feed(host, wire.result(5n, 1));
    expect(closeOf(events)?.kind).toBe("PROTOCOL_VIOLATION");
    const [goodbye] = sent(host);
    expect(goodbye?.kind.value).toMatchObject({ reason: expect.stringContaining("id 5") });
    expect(() => host.ping(NOW)).toThrow(/closed/);
    host.cancel(1, "x");
    expect(host.takeOutput()).toBeUndefined();
  });
});

describe("Peer end and close (§14, §3.4)", () => {
  it("end() mid-frame reports TRUNCATED_FRAME; the close event is delivered once", () => {
    const { host } = openPair();
    host.receive(bytes(wire.result(1n, 1)).subarray(0, 5), NOW);
    const [close] = host.end(NOW);
    expect(close).toMatchObject({ type: "close", clean: false, error: { kind: "TRUNCATED_FRAME" } });
    expect(host.end(NOW)).toEqual([]);
  });

  it("end() between frames: connection lost, not clean", () => {
    const { plugin } = openPair();
    expect(plugin.end(NOW)).toEqual([{ type: "close", clean: false, reason: "the connection to the host was lost", error: undefined }]);
  });

  it("a malformed frame closes with its decoding error; a violation's close event is not repeated by end()", () => {
    const { plugin } = openPair();
    const events = plugin.receive(new Uint8Array([0, 0, 0, 2, 0xff, 0xff]), NOW);
    expect(closeOf(events)?.kind).toBe("MALFORMED_FRAME");
    expect(plugin.end(NOW)).toEqual([]);
  });

  it("close(): closed, nothing read, commands send nothing; end() then reports the reason", () => {
    const { host } = openPair();
    host.close("instance killed");
    expect(feed(host, wire.ping(1n))).toEqual([]);
    host.cancel(1, "x");
    host.shutdown(0, "x");
    host.goodbye("x");
    expect(host.takeOutput()).toBeUndefined();
    expect(closeOf(host.end(NOW))).toEqual({ kind: undefined, clean: false, reason: "instance killed" });
  });

  it("goodbye() before the handshake only closes", () => {
    const plugin = new Peer({ role: "plugin" });
    plugin.hello(helloInit());
    sent(plugin);
    plugin.goodbye("never mind");
    expect(plugin.state).toBe("closed");
    expect(plugin.takeOutput()).toBeUndefined();
  });
});
