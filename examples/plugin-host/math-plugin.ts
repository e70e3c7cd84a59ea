// The demo's plugin: a "math" plugin served by @polyproc/sdk. The host (host.ts) starts it
// as separate processes; run by hand, it prints how to run it under a host and exits.

import { PluginError, definePlugin } from "@polyproc/sdk";
import { z } from "zod";

const plugin = definePlugin({ name: "math", version: "1.0.0", maxConcurrency: 64 });

const pair = z.object({ a: z.number(), b: z.number() });

plugin.fn("add", ({ a, b }) => a + b, {
  description: "a + b",
  params: pair,
  result: z.number(),
  idempotent: true,
});

plugin.fn(
  "divide",
  ({ a, b }) => {
    if (b === 0) throw new PluginError("INVALID_ARGUMENT", `cannot divide ${a} by zero; pass a non-zero b`, { details: { a, b } });
    return a / b;
  },
  { description: "a / b; b must not be 0", params: pair, result: z.number(), idempotent: true },
);

plugin.fn(
  "slow",
  async ({ ms }, ctx) => {
    // Honour the signal: it aborts on the caller's cancel and on the call's deadline.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      ctx.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        ctx.logger.info("slow: stopped early", { ms, reason: String(ctx.signal.reason) });
        reject(ctx.signal.reason as Error);
      });
    });
    return { sleptMs: ms, instance: ctx.instanceId };
  },
  { description: "waits ms milliseconds, then answers", params: z.object({ ms: z.number().int().min(0) }) },
);

plugin.fn("whoami", (_args: unknown, ctx) => ({ instance: ctx.instanceId, pid: process.pid }), {
  description: "the instance and process that answered",
});

plugin.fn(
  "crash",
  (_args: unknown, ctx) => {
    ctx.logger.warn("crash: exiting with status 1 on purpose");
    process.exit(1);
  },
  { description: "ends its process at once, to show that the host survives and restarts it" },
);

await plugin.serve();
