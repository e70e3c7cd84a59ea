// A well-behaved fixture plugin written with the Node SDK, as a user would write one.
import { PluginError, definePlugin } from "@polyproc/sdk";

const plugin = definePlugin({ name: "math", version: "1.0.0", maxConcurrency: 4 });

plugin.fn("add", ({ a, b }: { a: number; b: number }) => a + b, { description: "a + b", idempotent: true });

plugin.fn("slow", async ({ ms }: { ms: number }, ctx) => {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    ctx.signal.addEventListener("abort", () => {
      clearTimeout(timer);
      ctx.logger.info("cancel seen", { reason: String(ctx.signal.reason instanceof Error ? ctx.signal.reason.message : ctx.signal.reason) });
      reject(new PluginError("CANCELLED", "slow was cancelled"));
    });
  });
  return "done";
});

plugin.fn("settings", (_args: unknown, ctx) => ctx.settings);

plugin.fn("fail", () => {
  throw new PluginError("OUT_OF_RANGE", "fail always fails");
});

// A streaming function: the host loads the plugin although host.call does not stream.
plugin.fn(
  "count",
  async function* ({ n }: { n: number }) {
    for (let i = 0; i < n; i++) yield i;
  },
  { streaming: true },
);

await plugin.serve();
