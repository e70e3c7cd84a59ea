// The conformance functions that call out of the plugin (spec/CONFORMANCE.md §1.2): callHost
// (feature host-calls) and callPlugin (feature plugin-calls), made in the handler's context
// so that its deadline, cancellation and trace context travel with them.

import type { PlainValue, Plugin } from "@polyproc/sdk";
import { argsMap, stringArg } from "./args.js";

/** addCallFunctions registers callHost and callPlugin. */
export function addCallFunctions(plugin: Plugin): void {
  plugin.fn("callHost", (args, ctx) => {
    const map = argsMap(args);
    return ctx.host.call(stringArg(map, "fn"), (map.args ?? null) as PlainValue);
  });
  plugin.fn("callPlugin", (args, ctx) => {
    const map = argsMap(args);
    return ctx.call(stringArg(map, "target"), stringArg(map, "fn"), (map.args ?? null) as PlainValue);
  });
}
