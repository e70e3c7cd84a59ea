// The host's functions as a plugin sees them: `ctx.host` and `plugin.host` (PROTOCOL.md
// §4.4 host_functions, §5.4.5).

import type { FunctionInfo, JsonSchemaObject, PlainValue } from "@polyproc/protocol";
import { notConnected } from "./outgoing-errors.js";
import type { CallParent, OutgoingCalls } from "./outgoing-calls.js";
import type { OutgoingCallOptions } from "./outgoing-options.js";

/** HostFunction describes one host function this plugin may call, from Welcome.host_functions. */
export interface HostFunction {
  name: string;
  description: string;
  /** The JSON Schema of the arguments; undefined when the host sent none. */
  params: JsonSchemaObject | undefined;
  /** The JSON Schema of the result; undefined when the host sent none. */
  result: JsonSchemaObject | undefined;
  streaming: boolean;
  idempotent: boolean;
}

/**
 * HostFunctions calls the functions of the host application (§5.4.5). They need the
 * capability `host-calls`; a host that does not offer it makes every call fail with
 * FAILED_PRECONDITION naming it. A function the plugin is not allowed fails PERMISSION_DENIED,
 * one that does not exist NOT_FOUND (both from the host).
 */
export interface HostFunctions {
  /**
   * call calls the host function `name` and resolves with its value, or rejects with a
   * PluginError: the host's error (`remote` true, its origin kept), or a local one
   * (DEADLINE_EXCEEDED, CANCELLED, UNAVAILABLE when the connection is lost, §8.4).
   */
  call(name: string, args?: PlainValue, options?: OutgoingCallOptions): Promise<PlainValue>;
  /** functions are the host functions this plugin may call (Welcome.host_functions); empty before the handshake. */
  readonly functions: readonly HostFunction[];
}

/** HostAccess is the HostFunctions of a handler's context (with its `parent`) or of the plugin object. */
export class HostAccess implements HostFunctions {
  readonly #calls: () => OutgoingCalls | undefined;
  readonly #parent: CallParent | undefined;

  constructor(calls: () => OutgoingCalls | undefined, parent: CallParent | undefined) {
    this.#calls = calls;
    this.#parent = parent;
  }

  call(name: string, args: PlainValue = null, options: OutgoingCallOptions = {}): Promise<PlainValue> {
    const calls = this.#calls();
    if (calls === undefined) return Promise.reject(notConnected(`the host function ${JSON.stringify(name)}`));
    return calls.call("", name, args, options, this.#parent);
  }

  get functions(): readonly HostFunction[] {
    return this.#calls()?.hostFunctions ?? [];
  }
}

/** hostFunctionOf reads a FunctionInfo of the Welcome, its schemas parsed (a schema that is not a JSON object reads as undefined). */
export function hostFunctionOf(info: FunctionInfo): HostFunction {
  return {
    name: info.name,
    description: info.description ?? "",
    params: schemaOf(info.paramsSchema),
    result: schemaOf(info.resultSchema),
    streaming: info.streaming ?? false,
    idempotent: info.idempotent ?? false,
  };
}

function schemaOf(text: string | undefined): JsonSchemaObject | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as JsonSchemaObject) : undefined;
  } catch {
    return undefined;
  }
}
