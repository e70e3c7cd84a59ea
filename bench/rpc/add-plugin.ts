// The polyproc plugin of the RPC benchmark, started by the host in polyproc.ts.
import { definePlugin } from "@polyproc/sdk";

const plugin = definePlugin({ name: "bench", version: "1.0.0" });
plugin.fn("add", ({ a, b }: { a: number; b: number }) => a + b);
await plugin.serve();
