// The streaming plugin of the RPC benchmark, started by the host in stream.ts: `items`
// yields small items (the numbers 0, 1, 2, ...) until the host leaves the stream.
import { definePlugin } from "@polyproc/sdk";

const plugin = definePlugin({ name: "bench-stream", version: "1.0.0" });
plugin.stream("items", async function* (_args: unknown, ctx) {
  for (let i = 0; !ctx.signal.aborted; i++) yield i;
});
await plugin.serve();
