import type { PlainValue, SchemaOption } from "@polyproc/protocol";

/**
 * HostFunctionContext is what a host function's handler learns about the call it runs:
 * who made it, until when, and what came with it.
 */
export interface HostFunctionContext {
  /** The calling plugin's name in the host configuration. */
  readonly plugin: string;
  /** The calling instance's id, e.g. `math-3`. */
  readonly instance: string;
  /**
   * Aborts when the call is over for the caller: its Cancel (a PluginError CANCELLED whose
   * message carries the caller's reason, §7), its deadline (DEADLINE_EXCEEDED, §6.2), or its
   * disconnection (CANCELLED, `caller disconnected`). The caller has its answer by then, so
   * the handler should stop.
   */
  readonly signal: AbortSignal;
  /** The call's deadline as a `performance.now()` time; undefined when it has none (§6.2). */
  readonly deadline: number | undefined;
  /** The metadata the caller sent (§5.5): `traceparent`, the `polyproc-*` keys, its own. */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * HostFunctionHandler runs one call of a host function: it returns the result (or a promise
 * of it), or for a streaming function an async iterable of the items. It throws a
 * PluginError to choose the code the plugin sees; anything else thrown reaches the plugin as
 * INTERNAL with its message.
 */
export type HostFunctionHandler = (
  args: any, // eslint-disable-line @typescript-eslint/no-explicit-any -- validated by `params` when given
  ctx: HostFunctionContext,
) => PlainValue | Promise<PlainValue> | AsyncIterable<PlainValue>;

/** HostFunctionOptions describe a host function to the plugins that may call it (Welcome.host_functions, §4.4). */
export interface HostFunctionOptions {
  /** What the function does, for plugin authors and tools. */
  description?: string;
  /**
   * The arguments' schema: a JSON Schema object or a Standard Schema (zod, valibot, arktype).
   * Calls whose arguments fail it are answered INVALID_ARGUMENT naming the path, before the
   * handler runs; a Standard Schema's output is what the handler gets.
   */
  params?: SchemaOption;
  /** The result's schema (for a streaming function: one item's), sent to plugins; results are not checked. */
  result?: SchemaOption;
  /** Calling it twice with the same arguments is safe (FunctionSpec.idempotent). Default false. */
  idempotent?: boolean;
  /** The handler returns an async iterable whose items the plugin reads as a stream (§10). Default false. */
  streaming?: boolean;
}

/** HostFunction is a host function as PluginHostOptions.hostFunctions gives it: its handler and options. */
export interface HostFunction extends HostFunctionOptions {
  handler: HostFunctionHandler;
}
