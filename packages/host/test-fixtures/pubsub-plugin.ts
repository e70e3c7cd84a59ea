// A fixture plugin for the host's pub/sub tests, written with the Node SDK: it subscribes
// from the start to the patterns of PUBSUB_SUBSCRIBE (comma-separated) and echoes every
// message it receives on `echo.<topic>` with its instance id.
import { definePlugin, type PlainValue } from "@polyproc/sdk";

const plugin = definePlugin({ name: "pubsub", version: "1.0.0" });

const patterns = (process.env.PUBSUB_SUBSCRIBE ?? "orders.>").split(",").filter((pattern) => pattern !== "");
let received = 0;
for (const [index, pattern] of patterns.entries()) {
  // Only the first pattern echoes: a message matching several patterns must still arrive once.
  plugin.subscribe(pattern, (value, { topic, metadata }) => {
    received += 1;
    if (index === 0) plugin.publish(`echo.${topic}`, { value, instance: plugin.instanceId, caller: metadata["polyproc-caller"] ?? null });
  });
}

plugin
  .fn("publish", ({ topic, value }: { topic: string; value: PlainValue }, ctx) => {
    ctx.publish(topic, value);
    return ctx.instanceId;
  })
  .fn("received", () => received)
  .fn("hang", ({ ms }: { ms: number }) => {
    // Blocks the event loop, so that the connection is not read (a slow subscriber).
    process.stderr.write("hanging\n");
    const until = Date.now() + ms;
    while (Date.now() < until);
    return null;
  })
  .fn("crash", () => process.exit(3));

await plugin.serve();
