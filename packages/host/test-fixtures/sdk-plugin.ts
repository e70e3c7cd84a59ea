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

// A streaming function, read with host.stream.
plugin.fn(
  "count",
  async function* ({ n }: { n: number }) {
    for (let i = 0; i < n; i++) yield i;
  },
  { streaming: true },
);

/** What each keyed `ticks` stream did, for `produced`: items sent (yielded) and whether it was cancelled. */
const streams = new Map<string, { produced: number; cancelled: boolean }>();

interface TicksArgs {
  /** Items to send; default: no end. */
  n?: number;
  /** Records the stream under this key for `produced`. */
  key?: string;
  /** Waits this long before every item after the first. */
  delayMs?: number;
  /** Fails with DATA_LOSS after this many items. */
  failAfter?: number;
  /** Exits the process with status 7 after sending this many items. */
  crashAfter?: number;
}

// A streaming function that reports what it sent and saw: the SDK's `yield` waits for the
// host's credit (§10.2), so `produced` shows how far the host let it run ahead.
plugin.fn(
  "ticks",
  async function* ({ n = Infinity, key, delayMs = 0, failAfter, crashAfter }: TicksArgs, ctx) {
    const record = { produced: 0, cancelled: false };
    if (key !== undefined) streams.set(key, record);
    ctx.signal.addEventListener("abort", () => {
      record.cancelled = true;
      const reason: unknown = ctx.signal.reason;
      ctx.logger.info("stream cancel seen", { key, reason: reason instanceof Error ? reason.message : String(reason) });
    });
    for (let i = 0; i < n; i++) {
      if (i === failAfter) throw new PluginError("DATA_LOSS", `ticks failed after ${i} items`);
      if (i === crashAfter) {
        // Exit once stderr is written (the items sent so far are on the wire by then).
        process.stderr.write(`ticks: crashing after ${i} items\n`, () => setImmediate(() => process.exit(7)));
        await new Promise(() => {});
      }
      if (i > 0 && delayMs > 0) await sleep(delayMs, ctx.signal);
      record.produced += 1;
      yield i;
    }
  },
  { streaming: true },
);

plugin.fn("produced", ({ key }: { key: string }) => streams.get(key) ?? null);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new PluginError("CANCELLED", "ticks was cancelled"));
    });
  });
}

await plugin.serve();
