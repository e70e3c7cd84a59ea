// A subscriber of the fan-out scenario (fanout.ts): it counts the messages it receives on
// `bench.>` and answers the count with `received`.
import { definePlugin } from "@polyproc/sdk";

const plugin = definePlugin({ name: "bench-fanout", version: "1.0.0" });
let received = 0;
plugin.subscribe("bench.>", () => {
  received += 1;
});
plugin.fn("received", () => received);
await plugin.serve();
