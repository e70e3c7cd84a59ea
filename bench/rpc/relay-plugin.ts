// The front plugin of the chain scenario (chain.ts): `relay` calls `add` of the plugin
// "bench" through the host with the same arguments and answers its result.
import { definePlugin } from "@polyproc/sdk";

const plugin = definePlugin({ name: "bench-relay", version: "1.0.0" });
plugin.fn("relay", (args: { a: number; b: number }, ctx) => ctx.call("bench", "add", args));
await plugin.serve();
