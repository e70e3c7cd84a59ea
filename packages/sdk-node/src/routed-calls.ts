// Calls to other plugins through the host, as `ctx.call`, `ctx.stream`, `plugin.call` and
// `plugin.streamFrom` make them (PROTOCOL.md §5.4, §10).

import { PluginError, type PlainValue } from "@polyproc/protocol";
import { StreamReader } from "@polyproc/protocol/node";
import { notConnected } from "./outgoing-errors.js";
import type { CallParent, OutgoingCalls } from "./outgoing-calls.js";
import type { OutgoingCallOptions, OutgoingStreamOptions } from "./outgoing-options.js";

/**
 * routedCall calls `fn` of the plugin `target` through the host (capability `plugin-calls`)
 * and resolves with its value; `calls` is undefined before the plugin is connected.
 */
export function routedCall(calls: OutgoingCalls | undefined, target: string, fn: string, args: PlainValue, options: OutgoingCallOptions, parent: CallParent | undefined): Promise<PlainValue> {
  const refused = refusal(calls, target, fn);
  if (refused !== undefined) return Promise.reject(refused);
  return calls!.call(target, fn, args, options, parent);
}

/**
 * routedStream reads the streaming function `fn` of the plugin `target` through the host
 * (capabilities `plugin-calls` and `streaming`); a refusal is thrown by the first next().
 */
export function routedStream(calls: OutgoingCalls | undefined, target: string, fn: string, args: PlainValue, options: OutgoingStreamOptions, parent: CallParent | undefined): AsyncIterableIterator<PlainValue> {
  const refused = refusal(calls, target, fn);
  if (refused === undefined) return calls!.stream(target, fn, args, options, parent);
  return new StreamReader(1, (reader) => reader.finish(refused));
}

function refusal(calls: OutgoingCalls | undefined, target: string, fn: string): PluginError | undefined {
  if (typeof target !== "string" || target === "") {
    return new PluginError("INVALID_ARGUMENT", `the plugin to call must be named (a non-empty string), got ${JSON.stringify(target)}; call host functions with host.call(name, args)`);
  }
  return calls === undefined ? notConnected(`${target}.${fn}`) : undefined;
}
