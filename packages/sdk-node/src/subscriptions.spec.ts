// Publish/subscribe in a plugin (PROTOCOL.md §12): the pub/sub fixture plugin runs as a real
// process against the fake host, which publishes to it and records what it publishes.

import { create, encodeFrames, FrameSchema, PublishSchema, toValue, type ErrorEvent, type PeerEvent, type PublishEvent, type SubscribeEvent } from "@polyproc/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeHost, fixturePath } from "../test-fixtures/fake-host.js";
import { Subscriptions } from "./subscriptions.js";

const fixture = fixturePath("pubsub-plugin.ts");

/** published waits for the next Publish from the plugin on `topic` that no earlier wait took. */
function publishedOn(host: FakeHost, topic: string, taken: Set<PeerEvent>): Promise<PublishEvent> {
  return host.next((event) => event.type === "publish" && event.topic === topic && !taken.has(event)).then((event) => {
    taken.add(event);
    return event as PublishEvent;
  });
}

function publishToPlugin(host: FakeHost, topic: string, value: Parameters<FakeHost["peer"]["publish"]>[1], metadata?: Record<string, string>): void {
  host.peer.publish(topic, value, metadata);
  host.flush();
}

describe("a plugin's subscriptions and publishes", () => {
  let host: FakeHost;
  const taken = new Set<PeerEvent>();

  beforeAll(async () => {
    host = await FakeHost.start(fixture);
    await host.hello;
  });

  afterAll(() => host.kill());

  it("announces the patterns subscribed before serve in Hello, with the pubsub capability (§4.1, §12.3)", async () => {
    const { hello } = await host.hello;
    expect(hello.capabilities).toContain("pubsub");
    expect(hello.subscriptions).toEqual(["news.>", "faulty.*"]);
  });

  it("hands a matching message to its handler, which can publish (§12.4)", async () => {
    const echo = publishedOn(host, "echo.a", taken);
    publishToPlugin(host, "news.a", { n: 1 }, { "polyproc-caller": "other" });
    expect(await echo).toMatchObject({ value: { value: { n: 1 }, caller: "other" } });
  });

  it("runs a subscription's handler on one message at a time, in order (§12.4.5)", async () => {
    const echoes = Array.from({ length: 10 }, (_, i) => publishedOn(host, `echo.order.${i}`, taken));
    for (let i = 0; i < 10; i++) publishToPlugin(host, `news.order.${i}`, { delayMs: (10 - i) * 3 });
    const order: number[] = [];
    await Promise.all(echoes.map((echo, i) => echo.then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const indices = host.events.filter((event): event is PublishEvent => event.type === "publish" && event.topic.startsWith("echo.order.")).map((event) => event.topic);
    expect(indices).toEqual(Array.from({ length: 10 }, (_, i) => `echo.order.${i}`));
  });

  it("ignores a message none of its patterns match, and one on an invalid topic (§12.4.1, §12.5)", async () => {
    publishToPlugin(host, "weather.today", "ignored");
    host.socket!.write(encodeFrames([create(FrameSchema, { kind: { case: "publish", value: create(PublishSchema, { topic: "news..bad", value: toValue("bad", "value") }) } })]));
    const echo = publishedOn(host, "echo.after", taken);
    publishToPlugin(host, "news.after", "after");
    expect(await echo).toMatchObject({ value: { value: "after" } });
    expect(await host.stderrLine("invalid topic")).toContain("news..bad");
    expect(host.events.some((event) => event.type === "publish" && event.topic.includes("weather"))).toBe(false);
  });

  it("logs a handler's failure and goes on with the next message", async () => {
    const echo = publishedOn(host, "echo.faulty", taken);
    publishToPlugin(host, "faulty.x", "throw");
    publishToPlugin(host, "faulty.x", "fine");
    expect((await echo).value).toBe("fine");
    expect(await host.stderrLine("failed on purpose")).toContain("faulty.*");
  });

  it("subscribes and unsubscribes after serve with Subscribe and Unsubscribe frames (§12.3)", async () => {
    const subscribed = host.next((event) => event.type === "subscribe");
    expect((await host.answer(host.call("subscribe", { pattern: "live.*" }))).type).toBe("result");
    expect(((await subscribed) as SubscribeEvent).patterns).toEqual(["live.*"]);
    const echo = publishedOn(host, "echo.dynamic", taken);
    publishToPlugin(host, "live.x", 7);
    expect((await echo).value).toEqual({ topic: "live.x", value: 7 });
    const unsubscribed = host.next((event) => event.type === "unsubscribe");
    await host.answer(host.call("unsubscribe", { pattern: "live.*" }));
    expect(((await unsubscribed) as SubscribeEvent).patterns).toEqual(["live.*"]);
  });

  it("ctx.publish sends the call's traceparent along with the given metadata (§12.4.6)", async () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const sent = publishedOn(host, "out.traced", taken);
    await host.answer(host.call("publish", { topic: "out.traced", value: 1, metadata: { tenant: "t1" } }, { metadata: { traceparent } }));
    expect((await sent).metadata).toEqual({ tenant: "t1", traceparent });
  });

  it("refuses an invalid topic or reserved metadata with INVALID_ARGUMENT (§12.3.3, §5.5)", async () => {
    const badTopic = (await host.answer(host.call("publish", { topic: "out.*", value: 1 }))) as ErrorEvent;
    expect(badTopic.error).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("not a valid topic") });
    const reserved = (await host.answer(host.call("publish", { topic: "out.x", value: 1, metadata: { "polyproc-caller": "me" } }))) as ErrorEvent;
    expect(reserved.error).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("reserved") });
  });
});

describe("a plugin whose host did not negotiate pubsub", () => {
  let host: FakeHost;

  beforeAll(async () => {
    host = await FakeHost.start(fixture, { welcome: { capabilities: ["streaming"] } });
    await host.hello;
  });

  afterAll(() => host.kill());

  it("fails ctx.publish and a late subscribe with FAILED_PRECONDITION naming the capability (§16.2)", async () => {
    const publish = (await host.answer(host.call("publish", { topic: "out.x", value: 1 }))) as ErrorEvent;
    expect(publish.error).toMatchObject({ code: "FAILED_PRECONDITION", message: expect.stringContaining('"pubsub"') });
    const subscribe = (await host.answer(host.call("subscribe", { pattern: "live.*" }))) as ErrorEvent;
    expect(subscribe.error).toMatchObject({ code: "FAILED_PRECONDITION", message: expect.stringContaining('"pubsub"') });
  });
});

describe("Subscriptions before a connection", () => {
  it("refuses an invalid pattern with a TypeError naming it (§12.3.3)", () => {
    const subscriptions = new Subscriptions();
    for (const pattern of ["logs.>.error", "logs.err*", "logs..error", ""]) {
      expect(() => subscriptions.add(pattern, () => undefined)).toThrow(/not a valid topic pattern/);
    }
  });

  it("announces in Hello the patterns in use, each once", () => {
    const subscriptions = new Subscriptions();
    subscriptions.add("a.*", () => undefined);
    subscriptions.add("a.*", () => undefined);
    subscriptions.add("b.>", () => undefined)();
    expect(subscriptions.helloPatterns()).toEqual(["a.*"]);
  });

  it("refuses to publish before the host welcomed the plugin", () => {
    expect(() => new Subscriptions().publish("a.b", 1)).toThrow(/not connected to a host yet/);
  });
});
