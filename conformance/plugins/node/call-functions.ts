// The conformance functions that call out of the plugin (spec/CONFORMANCE.md §1.2): callHost
// (feature host-calls), callPlugin and streamPlugin (feature plugin-calls), made in the
// handler's context so that its deadline, cancellation and trace context travel with them.

import { PluginError, type PlainValue, type Plugin } from "@polyproc/sdk";
import { argsMap, optionalNumberArg, stringArg } from "./args.js";

/** addCallFunctions registers callHost, callPlugin and streamPlugin. */
export function addCallFunctions(plugin: Plugin): void {
  plugin.fn("callHost", (args, ctx) => {
    const map = argsMap(args);
    return ctx.host.call(stringArg(map, "fn"), (map.args ?? null) as PlainValue);
  });
  plugin.fn("callPlugin", (args, ctx) => {
    const map = argsMap(args);
    return ctx.call(stringArg(map, "target"), stringArg(map, "fn"), (map.args ?? null) as PlainValue);
  });
  plugin.fn("streamPlugin", async (args, ctx) => {
    const map = argsMap(args);
    const take = optionalNumberArg(map, "take");
    const items: PlainValue[] = [];
    try {
      for await (const item of ctx.stream(stringArg(map, "target"), stringArg(map, "fn"), (map.args ?? null) as PlainValue)) {
        items.push(item);
        if (take !== undefined && items.length >= take) break;
      }
    } catch (error) {
      const failure = PluginError.from(error);
      return { items, error: { code: failure.code, message: failure.message } };
    }
    return { items, error: null };
  });
}
