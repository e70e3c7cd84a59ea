// What every SDK's Hello must satisfy (PROTOCOL.md §4.1, §4.4 check 4), whatever the case
// expects besides.

import { type Hello, checkHello } from "@polyproc/protocol";
import { HOST_CAPABILITIES } from "./handshake-frames.js";

/**
 * helloProblems lists what breaks §4.1 in a Hello: a token other than the one the plugin was
 * given, a version range not 1 ≤ min ≤ max, an sdk_language that is empty or not lowercase,
 * a range without version 1, and the host's well-formedness checks (plugin name, function names unique and valid, schemas
 * valid JSON, streaming functions only with the streaming capability, subscriptions only with
 * pubsub). `token` is undefined when the case gave the plugin no token.
 */
export function helloProblems(hello: Hello, token: string | undefined): string[] {
  const problems: string[] = [];
  if (token !== undefined && hello.token !== token) problems.push(`Hello.token must be POLYPROC_TOKEN unchanged (§4.1); got ${JSON.stringify(hello.token)}`);
  if (hello.sdkLanguage !== hello.sdkLanguage.toLowerCase()) problems.push(`Hello.sdk_language must be lowercase (§4.1); got ${JSON.stringify(hello.sdkLanguage)}`);
  const check = checkHello(hello, 1, 1, HOST_CAPABILITIES);
  if (!check.ok) problems.push(`${check.message} (§4.1, §4.4)`);
  return problems;
}
