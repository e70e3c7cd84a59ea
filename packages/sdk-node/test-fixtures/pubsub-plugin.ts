// A plugin for the SDK's pub/sub process tests (PROTOCOL.md §12): it subscribes before serve
// and from handlers, echoes what it receives, and publishes from handlers.

import { definePlugin, type PlainValue } from "../src/index.js";

const plugin = definePlugin({ name: "pubsub-fixture", version: "1.0.0" });

/** Unsubscribe functions of the subscriptions made by `subscribe`, by pattern. */
const dynamic = new Map<string, () => void>();

// news.<rest> is echoed on echo.<rest>; a value {delayMs} makes the handler take that long,
// to show that the next message waits for it (order per subscription, §12.4.5).
plugin.subscribe("news.>", async (value, { topic, metadata }) => {
  const delayMs = typeof value === "object" && value !== null && "delayMs" in value ? Number(value.delayMs) : 0;
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  plugin.publish(`echo.${topic.slice("news.".length)}`, { value, caller: metadata["polyproc-caller"] ?? null });
});

// A handler that fails: the failure is logged and the subscription goes on.
plugin.subscribe("faulty.*", (value) => {
  if (value === "throw") throw new Error("the faulty handler failed on purpose");
  plugin.publish("echo.faulty", value);
});

// Subscribed and unsubscribed before serve: not in Hello.
plugin.subscribe("gone.>", () => undefined)();

plugin
  .fn("publish", ({ topic, value, metadata }: { topic: string; value: PlainValue; metadata?: Record<string, string> }, ctx) => {
    ctx.publish(topic, value, metadata === undefined ? undefined : { metadata });
    return null;
  })
  .fn("subscribe", ({ pattern }: { pattern: string }) => {
    dynamic.set(pattern, plugin.subscribe(pattern, (value, { topic }) => plugin.publish("echo.dynamic", { topic, value })));
    return null;
  })
  .fn("unsubscribe", ({ pattern }: { pattern: string }) => {
    dynamic.get(pattern)?.();
    dynamic.delete(pattern);
    return null;
  });

await plugin.serve();
