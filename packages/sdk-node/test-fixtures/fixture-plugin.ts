// A plugin for the SDK's process tests: one function per behaviour under test.

import { z } from "zod";
import { PluginError, definePlugin, isErrorCode, type CallContext } from "../src/index.js";

const plugin = definePlugin({ name: "fixture", version: "1.2.3", maxConcurrency: 8 });

function untilAborted(ctx: CallContext): Promise<unknown> {
  return new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve(ctx.signal.reason), { once: true }));
}

// gather answers only when n calls are inside it at once: calls run concurrently.
let gathered = 0;
let releaseGathered: () => void = () => undefined;
const allGathered = new Promise<void>((resolve) => (releaseGathered = resolve));

plugin
  .fn("gather", async ({ n }: { n: number }) => {
    gathered += 1;
    if (gathered === n) releaseGathered();
    await allGathered;
    return gathered;
  })
  .fn("echo", (args: unknown) => args, { description: "returns its arguments" })
  .fn("env", () => ({ token: process.env.POLYPROC_TOKEN ?? null, address: process.env.POLYPROC_ADDRESS ?? null }))
  .fn("context", (_args: unknown, ctx) => ({ instanceId: ctx.instanceId, settings: ctx.settings, metadata: ctx.metadata, fn: ctx.function, hasDeadline: ctx.deadline !== undefined }))
  .fn(
    "total",
    ({ items }) => items.reduce((sum, item) => sum + item.price * item.quantity, 0),
    {
      params: z.object({ items: z.array(z.object({ price: z.number(), quantity: z.number().int().default(1) })) }),
      result: z.number(),
      idempotent: true,
    },
  )
  .fn("square", ({ n }: { n: number }) => n * n, { params: { type: "object", properties: { n: { type: "number" } }, required: ["n"] } })
  .fn("fail", ({ code, message, retryable }: { code: string; message: string; retryable?: boolean }) => {
    if (!isErrorCode(code)) throw new PluginError("INVALID_ARGUMENT", `unknown code ${code}`);
    throw new PluginError(code, message, { retryable: retryable ?? false, details: { from: "fixture" } });
  })
  .fn("throw", ({ message }: { message: string }) => {
    throw new Error(message);
  })
  .fn("reject", async ({ message }: { message: string }) => {
    await Promise.resolve();
    throw new TypeError(message);
  })
  .fn("stray", () => {
    void Promise.reject(new Error("a stray rejection nobody handles"));
    return "still here";
  })
  .fn("explode", () => {
    setTimeout(() => {
      throw new Error("thrown from a timer, outside any handler");
    }, 0);
    return "exploding";
  })
  .fn("waitAbort", async (_args: unknown, ctx) => {
    const reason = await untilAborted(ctx);
    return { aborted: ctx.signal.aborted, reason: reason instanceof PluginError ? `${reason.code}: ${reason.message}` : String(reason) };
  })
  .fn("hang", () => new Promise(() => undefined))
  .fn("sleep", async ({ ms }: { ms: number }, ctx) => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      ctx.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(ctx.signal.reason as Error);
      });
    });
    return ms;
  })
  .fn("log", (_args: unknown, ctx) => {
    ctx.logger.info("hello from a handler", { answer: 42 });
    return null;
  })
  .fn("unsendable", () => new Date(0))
  .fn(
    "count",
    async function* ({ n }: { n: number }) {
      for (let i = 0; i < n; i++) yield i;
    },
    { streaming: true },
  )
  .fn(
    "countForever",
    async function* (_args: unknown, ctx) {
      let i = 0;
      while (!ctx.signal.aborted) yield i++;
    },
    { streaming: true },
  )
  .fn(
    "streamFail",
    async function* () {
      yield "first";
      throw new PluginError("DATA_LOSS", "the rest is gone");
    },
    { streaming: true },
  );

await plugin.serve();
