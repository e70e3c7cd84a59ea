// Publish/subscribe through PluginHost with real plugin processes written with the SDK
// (PROTOCOL.md §12): fan-out, no echo to the publisher, permissions, restarts, slow subscribers.
import type { PlainValue } from "@polyproc/protocol";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PluginHost } from "./plugin-host.js";
import type { PluginConfig } from "./plugin-options.js";
import { fixtureCommand, recordingLogger } from "./test-support.test-fixture.js";

const command = fixtureCommand("pubsub-plugin.ts");

interface Echo {
  topic: string;
  value: { value: PlainValue; instance: string; caller: string | null };
  caller: string | undefined;
}

function plugin(name: string, subscribe: string, more: Partial<PluginConfig> = {}): PluginConfig {
  return {
    name,
    command,
    env: { PUBSUB_SUBSCRIBE: subscribe },
    heartbeat: { intervalMs: 0 },
    permissions: { publish: ["echo.>", "orders.>"], subscribe: ["orders.>", "fast.>"] },
    ...more,
  };
}

describe("PluginHost pub/sub with plugin processes", () => {
  let host: PluginHost;
  const logger = recordingLogger();
  const echoes: Echo[] = [];
  const waiters: { done: () => boolean; resolve: () => void }[] = [];

  /** echoesOf resolves with the echoes of `topic` once there are `count` of them. */
  function echoesOf(topic: string, count: number): Promise<Echo[]> {
    const of = () => echoes.filter((echo) => echo.topic === `echo.${topic}`);
    return new Promise((resolve) => {
      const waiter = { done: () => of().length >= count, resolve: () => resolve(of()) };
      if (waiter.done()) waiter.resolve();
      else waiters.push(waiter);
    });
  }

  beforeAll(async () => {
    host = await PluginHost.start({
      logger,
      plugins: [
        plugin("a", "orders.>,orders.*", { instances: 2 }),
        plugin("b", "orders.>"),
        plugin("limited", "orders.>,secret.>", { permissions: { publish: ["echo.>"], subscribe: ["orders.>"] } }),
        plugin("phoenix", "phoenix.>", { restart: { baseMs: 10, maxMs: 10 }, permissions: { publish: ["echo.>"], subscribe: ["phoenix.>"] } }),
        plugin("slow", "fast.>", { pubsub: { bufferSize: 16 } }),
      ],
    });
    host.subscribe("echo.>", (value, { topic, metadata }) => {
      echoes.push({ topic, value: value as Echo["value"], caller: metadata["polyproc-caller"] });
      for (const waiter of [...waiters]) {
        if (!waiter.done()) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  });

  afterAll(() => host.close({ graceMs: 0 }));

  it("delivers the application's message to every subscribed instance, once each (§12.4.1)", async () => {
    await host.publish("orders.1", { n: 1 });
    const seen = await echoesOf("orders.1", 4);
    expect(seen.map((echo) => echo.caller).sort()).toEqual(["a", "a", "b", "limited"]);
    expect(new Set(seen.map((echo) => echo.value.instance)).size).toBe(4);
    expect(seen.every((echo) => echo.value.caller === null && echo.value.value !== null)).toBe(true);
    // Once each although two patterns of a's instances match: a sync point shows no second echo.
    await host.publish("orders.sync1", null);
    await echoesOf("orders.sync1", 4);
    expect(echoes.filter((echo) => echo.topic === "echo.orders.1")).toHaveLength(4);
  });

  it("forwards a plugin's message to the others, not to the publishing connection, with polyproc-caller (§12.4.2, §12.4.6)", async () => {
    const publisher = (await host.call("a", "publish", { topic: "orders.2", value: 2 })) as string;
    const seen = await echoesOf("orders.2", 3);
    expect(seen.map((echo) => echo.value.instance)).not.toContain(publisher);
    expect(seen.every((echo) => echo.value.caller === "a")).toBe(true);
    await host.publish("orders.sync2", null);
    await echoesOf("orders.sync2", 4);
    expect(echoes.filter((echo) => echo.topic === "echo.orders.2")).toHaveLength(3);
  });

  it("drops and counts a plugin's message on a topic it may not publish on; ignores a refused subscription (§12.5)", async () => {
    await host.call("limited", "publish", { topic: "orders.forbidden", value: 1 });
    expect(host.stats().pubsub.plugins["limited"]).toMatchObject({ refused: 1, subscriptions: 1 });
    await logger.waitFor((entry) => entry.level === "warn" && entry.msg.includes("may not publish") && entry.fields.plugin === "limited");
    await logger.waitFor((entry) => entry.level === "warn" && entry.msg.includes("permissions do not allow") && String(entry.fields.patterns) === "secret.>");
    const before = (await host.call("limited", "received")) as number;
    await host.publish("secret.x", 1);
    await host.publish("orders.sync3", null);
    await echoesOf("orders.sync3", 4);
    expect(await host.call("limited", "received")).toBe(before + 1);
    expect(echoes.some((echo) => echo.topic === "echo.orders.forbidden")).toBe(false);
  });

  it("a restarted instance gets the subscriptions its Hello announces again (§12.3.4)", async () => {
    await host.publish("phoenix.1", 1);
    const [first] = await echoesOf("phoenix.1", 1);
    const ready = new Promise<string>((resolve) => {
      const off = host.on("instance", (event) => {
        if (event.plugin !== "phoenix" || event.state !== "ready") return;
        off();
        resolve(event.instance);
      });
    });
    await host.call("phoenix", "crash").catch(() => undefined);
    const restarted = await ready;
    expect(restarted).not.toBe(first!.value.instance);
    await host.publish("phoenix.2", 2);
    const [second] = await echoesOf("phoenix.2", 1);
    expect(second!.value.instance).toBe(restarted);
  });

  it("holds a slow plugin's messages in its bounded buffer and drops the oldest, counted (§12.4.4)", async () => {
    const hung = host.call("slow", "hang", { ms: 1_500 });
    await logger.waitFor((entry) => entry.msg === "hanging" && entry.fields.plugin === "slow");
    const data = "x".repeat(8 * 1024);
    for (let i = 0; i < 400; i++) {
      await host.publish(`fast.${i}`, data);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await hung;
    await vi.waitFor(() => {
      const stats = host.stats().pubsub.plugins["slow"]!;
      expect(stats.delivered + stats.dropped).toBe(400);
    });
    const { dropped, delivered } = host.stats().pubsub.plugins["slow"]!;
    expect(dropped).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(400);
    expect(host.stats().pubsub.dropped).toBeGreaterThanOrEqual(dropped);
  });
});
