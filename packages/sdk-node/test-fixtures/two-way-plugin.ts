// A plugin for the SDK's process tests of the calls a plugin makes: to host functions, to
// other plugins through the host, and streams read from them.

import { definePlugin, type PlainValue } from "../src/index.js";

const plugin = definePlugin({ name: "two-way", version: "1.0.0" });

interface Relay {
  target: string;
  fn: string;
  args?: PlainValue;
}

plugin
  .fn("askHost", ({ fn, args }: Relay, ctx) => ctx.host.call(fn, args ?? null))
  .fn("hostFunctions", (_args: unknown, ctx) => ctx.host.functions.map((fn) => ({ name: fn.name, params: fn.params ?? null })))
  .fn("relay", ({ target, fn, args }: Relay, ctx) => ctx.call(target, fn, args ?? null))
  .fn("gather", async ({ target, fn, args, window, take }: Relay & { window: number; take: number }, ctx) => {
    const items: PlainValue[] = [];
    for await (const item of ctx.stream(target, fn, args ?? null, { window })) {
      items.push(item);
      if (items.length === take) break;
    }
    return items;
  })
  .stream("count", async function* ({ n }: { n: number }) {
    for (let i = 0; i < n; i++) yield i;
  });

// Outside handlers: once welcomed, tell the host which host functions the plugin was given.
void plugin.ready.then(() =>
  plugin.host.call("started", { functions: plugin.host.functions.map((fn) => fn.name) }).catch((error: unknown) => {
    plugin.logger.warn(`started failed: ${error instanceof Error ? error.message : String(error)}`);
  }),
);

await plugin.serve();
