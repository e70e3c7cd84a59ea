// The conformance functions that take time or end the process (spec/CONFORMANCE.md §1.2):
// sleep, observed, concurrency, stream, hang and crash.

import { PluginError, type CallContext, type Plugin } from "@polyproc/sdk";
import { argsMap, numberArg, optionalNumberArg, optionalStringArg, stringArg } from "./args.js";
import { observationOf, observe } from "./observations.js";
import { waitFor } from "./wait.js";

let running = 0;
let peak = 0;

/** addTimingFunctions registers sleep, observed, concurrency, stream, hang and crash. */
export function addTimingFunctions(plugin: Plugin): void {
  plugin.fn("sleep", (args, ctx) => sleep(argsMap(args), ctx));
  plugin.fn("observed", (args) => ({ ...observationOf(stringArg(argsMap(args), "key")) }));
  plugin.fn("concurrency", async (args) => {
    const ms = numberArg(argsMap(args), "ms");
    running++;
    peak = Math.max(peak, running);
    try {
      await waitFor(ms);
    } finally {
      running--;
    }
    return { peak };
  });
  plugin.fn("stream", (args, ctx) => stream(argsMap(args), ctx), { streaming: true });
  plugin.fn("hang", (args) => {
    const ms = optionalNumberArg(argsMap(args), "ms");
    const end = ms === undefined ? Infinity : performance.now() + ms;
    while (performance.now() < end) {
      // Busy: the event loop reads no frame and answers no Ping (PROTOCOL.md §11).
    }
    return { hung: ms ?? null };
  });
  plugin.fn("crash", (args) => {
    process.exit(numberArg(argsMap(args), "exitCode"));
  });
}

async function sleep(args: Record<string, unknown>, ctx: CallContext): Promise<{ slept: number }> {
  const ms = numberArg(args, "ms");
  const ignoreCancel = args.ignoreCancel === true;
  const observation = observe(optionalStringArg(args, "key"), ctx);
  await waitFor(ms, ignoreCancel ? undefined : ctx.signal);
  observation.finished = true;
  return { slept: ms };
}

/** stream sends n items, waiting delayMs before each; the SDK's `yield` waits for credit (§10.2). */
async function* stream(args: Record<string, unknown>, ctx: CallContext): AsyncGenerator<{ index: number; data: string }> {
  const n = numberArg(args, "n");
  const data = "x".repeat(numberArg(args, "size", 0));
  const delayMs = numberArg(args, "delayMs", 0);
  const failAt = optionalNumberArg(args, "failAt");
  const observation = observe(optionalStringArg(args, "key"), ctx);
  for (let index = 0; index < n; index++) {
    if (delayMs > 0) await waitFor(delayMs, ctx.signal);
    ctx.signal.throwIfAborted();
    if (index === failAt) throw new PluginError("ABORTED", `failed at ${index}`);
    yield { index, data };
  }
  observation.finished = true;
}
