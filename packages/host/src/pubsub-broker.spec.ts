// The broker with stand-in plugin connections: what each connection is sent, what is refused
// and counted (PROTOCOL.md §12.3-§12.5).
import type { PeerConnection } from "@polyproc/protocol/node";
import { describe, expect, it } from "vitest";
import type { PlainValue } from "@polyproc/protocol";
import { Grants, type PluginPermissions } from "./permissions.js";
import { PubsubBroker } from "./pubsub-broker.js";
import { pubsubDefaults, type PubsubOptions } from "./pubsub-options.js";
import { recordingLogger } from "./test-support.test-fixture.js";

interface Sent {
  topic: string;
  value: PlainValue;
  metadata: Record<string, string>;
}

/** fakeConnection records the Publishes the broker writes; `sent` resolves once `count` arrived. */
function fakeConnection(): { connection: PeerConnection; sent: Sent[]; after: (count: number) => Promise<Sent[]> } {
  const sent: Sent[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const peer = {
    state: "open",
    publish(topic: string, value: PlainValue, metadata: Record<string, string>) {
      sent.push({ topic, value, metadata });
      for (const waiter of waiters.filter((w) => sent.length >= w.count)) waiter.resolve();
    },
  };
  const connection = { peer, flushSoon() {}, writeBacklog: 0, drained: () => Promise.resolve() } as unknown as PeerConnection;
  const after = (count: number) => (sent.length >= count ? Promise.resolve(sent) : new Promise<Sent[]>((resolve) => waiters.push({ count, resolve: () => resolve(sent) })));
  return { connection, sent, after };
}

function broker(permissions: PluginPermissions, pubsub: PubsubOptions = {}) {
  const logger = recordingLogger();
  const grants = new Grants("app", permissions, "plugins[0].permissions");
  const instance = new PubsubBroker([{ name: "app", grants, pubsub: { ...pubsubDefaults, ...pubsub } }], pubsubDefaults, logger);
  const join = (subscriptions: string[], instanceId = "app-1") => {
    const fake = fakeConnection();
    const subscriber = instance.attach({ plugin: "app", instanceId, connection: fake.connection, subscriptions, logger: logger.child({ instance: instanceId }) });
    return { ...fake, subscriber };
  };
  return { broker: instance, logger, join };
}

const all: PluginPermissions = { publish: [">"], subscribe: [">"] };

describe("PubsubBroker", () => {
  it("sends a connection each matching message once, however many patterns match (§12.4.1)", async () => {
    const { broker: hub, join } = broker(all);
    const a = join(["orders.>", "orders.*"]);
    await hub.publish("other.x", 0);
    await hub.publish("orders.eu", 1, { metadata: { tenant: "t" } });
    expect(await a.after(1)).toEqual([{ topic: "orders.eu", value: 1, metadata: { tenant: "t" } }]);
  });

  it("forwards a plugin's Publish to every subscriber but the publishing connection, with polyproc-caller (§12.4.2, §12.4.6)", async () => {
    const { broker: hub, join } = broker(all);
    const a = join(["news.>"], "app-1");
    const b = join(["news.>"], "app-2");
    const seen: { value: PlainValue; metadata: Readonly<Record<string, string>> }[] = [];
    hub.subscribe("news.*", (value, { metadata }) => void seen.push({ value, metadata }));
    a.subscriber.receive({ type: "publish", topic: "news.x", value: 1, metadata: { "polyproc-caller": "forged", "Bad Key": "x", traceparent: "t" } });
    const [forwarded] = await b.after(1);
    expect(forwarded).toEqual({ topic: "news.x", value: 1, metadata: { traceparent: "t", "polyproc-caller": "app" } });
    await hub.publish("news.y", 2);
    expect(a.sent.map((m) => m.topic)).toEqual(["news.y"]);
    expect(seen).toEqual([
      { value: 1, metadata: { traceparent: "t", "polyproc-caller": "app" } },
      { value: 2, metadata: {} },
    ]);
    expect(hub.stats()).toMatchObject({ published: 2, refused: 0, plugins: { app: { published: 1, subscriptions: 2 } }, host: { published: 1, subscriptions: 1 } });
  });

  it("drops and counts a Publish on a topic the plugin may not publish on, and an invalid topic, with warnings (§12.5)", async () => {
    const { broker: hub, join, logger } = broker({ publish: ["allowed.>"], subscribe: [">"] });
    const a = join([]);
    const seen: string[] = [];
    hub.subscribe(">", (_value, { topic }) => void seen.push(topic));
    a.subscriber.receive({ type: "publish", topic: "secret.x", value: 1, metadata: {} });
    a.subscriber.receive({ type: "publish", topic: "secret.y", value: 1, metadata: {} });
    a.subscriber.receive({ type: "publish", topic: "bad..topic", value: 1, metadata: {} });
    a.subscriber.receive({ type: "publish", topic: "allowed.x", value: 1, metadata: {} });
    await hub.publish("sync.point", null);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(["allowed.x", "sync.point"]);
    expect(hub.stats()).toMatchObject({ refused: 3, plugins: { app: { refused: 3, published: 1 } } });
    const refusals = logger.entries.filter((entry) => entry.msg.includes("may not publish"));
    expect(refusals).toHaveLength(1); // rate-limited
    expect(refusals[0]!.msg).toContain("permissions.publish");
    expect(logger.entries.some((entry) => entry.msg.includes("invalid topic") && entry.fields.topic === "bad..topic" && entry.fields.instance === "app-1")).toBe(true);
  });

  it("ignores invalid, refused and excess patterns with warnings; the others apply (§12.5)", async () => {
    const { broker: hub, join, logger } = broker({ publish: [], subscribe: ["ok.>"] }, { maxSubscriptions: 2 });
    const a = join(["ok.a"]);
    a.subscriber.receive({ type: "subscribe", patterns: ["ok.b", "logs.>.error", "no.x", "ok.c"] });
    expect([...a.subscriber.patterns]).toEqual(["ok.a", "ok.b"]);
    for (const words of ["invalid patterns", "permissions do not allow", "beyond its 2 subscriptions"]) {
      expect(logger.entries.some((entry) => entry.level === "warn" && entry.msg.includes(words))).toBe(true);
    }
    a.subscriber.receive({ type: "unsubscribe", patterns: ["ok.a", "a..b"] });
    expect([...a.subscriber.patterns]).toEqual(["ok.b"]);
    await hub.publish("ok.a", 1);
    await hub.publish("ok.b", 2);
    expect((await a.after(1)).map((m) => m.value)).toEqual([2]);
  });

  it("sends nothing a connection unsubscribed from while it waited in the buffer (§12.4.1)", async () => {
    const { broker: hub, join } = broker(all);
    const a = join(["x.*"]);
    void hub.publish("x.1", 1); // buffered: delivery starts on a later microtask
    a.subscriber.receive({ type: "unsubscribe", patterns: ["x.*"] });
    a.subscriber.receive({ type: "subscribe", patterns: ["y.*"] });
    await hub.publish("y.1", 2);
    expect((await a.after(1)).map((m) => m.value)).toEqual([2]);
  });

  it("stops delivering to a detached connection and keeps its counts", async () => {
    const { broker: hub, join } = broker(all, { bufferSize: 1 });
    const a = join(["x.*"]);
    for (let i = 0; i < 3; i++) void hub.publish("x.y", i);
    a.subscriber.detach();
    await hub.publish("x.y", 9);
    expect(hub.stats().plugins.app).toMatchObject({ dropped: 2, subscriptions: 0 });
    expect(hub.stats().dropped).toBe(2);
  });

  it("refuses invalid arguments of publish and subscribe", async () => {
    const { broker: hub } = broker(all);
    await expect(hub.publish("a.*", 1)).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("not a valid topic") });
    await expect(hub.publish("a.b", (() => 1) as unknown as PlainValue)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(hub.publish("a.b", 1, { metadata: { "polyproc-caller": "x" } })).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("reserved") });
    expect(() => hub.subscribe("logs.err*", () => {})).toThrow(TypeError);
    expect(() => hub.subscribe("a.b", () => {}, { policy: "wait" as "block" })).toThrow(/policy must be "drop-oldest" or "block"/);
  });
});
