// The Hello a `hello` or `handshake` step sends: a valid one by default, with the step's
// overrides (PROTOCOL.md §4.1).

import { PLUGIN_NAME } from "./host-session.js";

/** helloKeys are the overrides a hello step takes, with `trailing` (bytes sent in the same write). */
export const helloKeys = new Set([
  "token", "minProtocol", "maxProtocol", "sdkLanguage", "sdkVersion", "pluginName", "pluginVersion",
  "functions", "subscriptions", "maxConcurrency", "pid", "capabilities", "trailing",
]);

/** HelloSource is what a Hello's defaults come from: the relay's report and the tokens seen before. */
export interface HelloSource {
  token: string;
  previousToken: string | undefined;
  pid: number;
}

/**
 * helloSpec returns the frame spec of the Hello: token from the relay's environment (or the
 * override; `$previous` is the token of the instance before), protocol 1..1, language
 * `conformance`, the plugin's configured name, the function `echo`, the `streaming`
 * capability. `functions` may list names or FunctionSpec objects.
 */
export function helloSpec(overrides: Record<string, unknown>, source: HelloSource): { hello: Record<string, unknown> } {
  const { trailing: _trailing, ...fields } = overrides;
  const hello: Record<string, unknown> = {
    token: source.token,
    minProtocol: 1,
    maxProtocol: 1,
    sdkLanguage: "conformance",
    sdkVersion: "1.0.0",
    pluginName: PLUGIN_NAME,
    pluginVersion: "1.0.0",
    functions: ["echo"],
    maxConcurrency: 0,
    pid: source.pid,
    capabilities: ["streaming"],
    ...fields,
  };
  if (hello.token === "$previous") {
    if (source.previousToken === undefined) throw new Error('token "$previous" needs an instance before this one (use it after nextInstance)');
    hello.token = source.previousToken;
  }
  if (Array.isArray(hello.functions)) hello.functions = hello.functions.map((fn: unknown) => (typeof fn === "string" ? { name: fn } : fn));
  return { hello };
}
