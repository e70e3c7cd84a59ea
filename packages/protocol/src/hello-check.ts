import type { Hello } from "./gen/polyproc/v1/handshake_pb.js";
import type { Capability } from "./peer-types.js";
import type { ErrorCode } from "./plugin-error.js";
import { isValidPattern } from "./topics.js";

/** HelloCheck is the outcome of checkHello: the Welcome's terms, or the Reject's. */
export type HelloCheck =
  | { ok: true; protocol: number; capabilities: Capability[] }
  | { ok: false; code: ErrorCode; message: string };

const functionName = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

/** isValidFunctionName tells whether a function name has the syntax of §4.1. */
export function isValidFunctionName(name: string): boolean {
  return functionName.test(name);
}

/**
 * checkHello makes the host's checks 2 to 4 of PROTOCOL.md §4.4 on a Hello (the token, check
 * 1, needs the host's table of awaited tokens): a well-formed version range (§4.3.1), a common
 * version (§4.3.3), and the rest of the Hello well-formed. It answers with the chosen version
 * (the highest common one, §4.3.2) and the negotiated capabilities (the Hello's that the host
 * also has, §16.2), or with the code and message for Reject.
 */
export function checkHello(hello: Hello, hostMin: number, hostMax: number, hostCapabilities: readonly Capability[]): HelloCheck {
  const { minProtocol, maxProtocol } = hello;
  if (minProtocol < 1 || minProtocol > maxProtocol) {
    return reject(
      "INVALID_ARGUMENT",
      `Hello.min_protocol ${minProtocol} and max_protocol ${maxProtocol} are not a version range: they must satisfy 1 <= min_protocol <= max_protocol (§4.3)`,
    );
  }
  const protocol = Math.min(maxProtocol, hostMax);
  if (protocol < Math.max(minProtocol, hostMin)) {
    return reject(
      "FAILED_PRECONDITION",
      `no common protocol version: the plugin speaks protocol ${minProtocol}..${maxProtocol}, the host ${hostMin}..${hostMax}; upgrade the older of the two`,
    );
  }
  const capabilities = negotiate(hello.capabilities, hostCapabilities);
  const problem = findMalformedField(hello, capabilities);
  if (problem !== undefined) return reject("INVALID_ARGUMENT", problem);
  return { ok: true, protocol, capabilities };
}

function reject(code: ErrorCode, message: string): HelloCheck {
  return { ok: false, code, message };
}

// The Hello's capabilities that the host has too, in the Hello's order, without repeats.
function negotiate(offered: readonly string[], hostCapabilities: readonly Capability[]): Capability[] {
  const out: Capability[] = [];
  for (const capability of offered) {
    if (hostCapabilities.includes(capability) && !out.includes(capability)) out.push(capability);
  }
  return out;
}

// Check 4 of §4.4: returns a message naming the first malformed field, or undefined.
function findMalformedField(hello: Hello, capabilities: readonly Capability[]): string | undefined {
  if (hello.pluginName === "") return "Hello.plugin_name is empty; give the plugin a name";
  if (hello.sdkLanguage === "") return "Hello.sdk_language is empty; it must name the SDK's language (node, python, go, ...)";
  const streaming = capabilities.includes("streaming");
  const seen = new Set<string>();
  for (let i = 0; i < hello.functions.length; i++) {
    const fn = hello.functions[i]!;
    const field = `Hello.functions[${i}]`;
    if (!isValidFunctionName(fn.name)) {
      return `${field}.name ${JSON.stringify(fn.name)} is not a valid function name: it must match [A-Za-z_][A-Za-z0-9_.-]{0,127}`;
    }
    if (seen.has(fn.name)) return `${field}.name ${JSON.stringify(fn.name)} is declared twice; function names must be unique`;
    seen.add(fn.name);
    if (!isJson(fn.paramsSchema)) return `${field}.params_schema of ${JSON.stringify(fn.name)} is not valid JSON`;
    if (!isJson(fn.resultSchema)) return `${field}.result_schema of ${JSON.stringify(fn.name)} is not valid JSON`;
    if (fn.streaming && !streaming) {
      return `${field} ${JSON.stringify(fn.name)} is streaming, but the capability "streaming" was not negotiated; declare it in Hello.capabilities`;
    }
  }
  for (let i = 0; i < hello.subscriptions.length; i++) {
    const pattern = hello.subscriptions[i]!;
    if (!isValidPattern(pattern)) {
      return `Hello.subscriptions[${i}] ${JSON.stringify(pattern)} is not a valid topic pattern (§12.2): dot-separated segments of [A-Za-z0-9_-], whole segments "*", a last segment ">"`;
    }
  }
  if (hello.subscriptions.length > 0 && !capabilities.includes("pubsub")) {
    return `Hello.subscriptions is not empty, but the capability "pubsub" was not negotiated; declare it in Hello.capabilities`;
  }
  return undefined;
}

function isJson(text: string): boolean {
  if (text === "") return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
