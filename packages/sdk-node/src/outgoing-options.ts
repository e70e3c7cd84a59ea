// The options of the calls a plugin makes, and the metadata they carry (PROTOCOL.md §5.5,
// §6.4).

import { DEFAULT_INITIAL_CREDIT, PluginError } from "@polyproc/protocol";

/** OutgoingCallOptions are the options of `ctx.host.call`, `ctx.call` and their plugin-level forms. */
export interface OutgoingCallOptions {
  /**
   * timeoutMs is the call's deadline in ms from now; it travels with the call (§6). In a
   * handler the call never gets more than the handler's own time left (§6.4). Default: none
   * of its own (a handler's remaining deadline still applies).
   */
  timeoutMs?: number;
  /** signal: aborting it cancels the call, which fails with CANCELLED and is cancelled on the wire (§7). */
  signal?: AbortSignal;
  /**
   * metadata for the callee (§5.5): lowercase keys `[a-z0-9][a-z0-9._-]*`, none starting with
   * `polyproc-`. A `traceparent`/`tracestate` given here replaces the handler's.
   */
  metadata?: Record<string, string>;
}

/** OutgoingStreamOptions are the options of `ctx.stream`: those of a call, the deadline covering the whole stream (§6.5), and the window. */
export interface OutgoingStreamOptions extends OutgoingCallOptions {
  /**
   * window is the most items the producer may send ahead of the consumer (§10.2, §10.6): the
   * initial credit, topped up as the consumer reads (once it has read half the window).
   * Default 32.
   */
  window?: number;
}

/** MAX_WINDOW is the largest credit a caller may grant (§10.2.3). */
const MAX_WINDOW = 0xffffffff;

const METADATA_KEY = /^[a-z0-9][a-z0-9._-]*$/;

/** The keys a call made in a handler's context takes from the handler's call (§5.4.7, §5.5.2, §5.5.5). */
const INHERITED_KEYS = ["polyproc-hops", "polyproc-chain", "traceparent", "tracestate"] as const;

/** checkOutgoingOptions throws INVALID_ARGUMENT naming the first malformed option. */
export function checkOutgoingOptions(options: OutgoingStreamOptions, what: string): void {
  if (typeof options !== "object" || options === null) throw invalid(`${what}: options must be an object`);
  const { timeoutMs, signal, metadata, window } = options;
  if (timeoutMs !== undefined && (typeof timeoutMs !== "number" || !(timeoutMs > 0))) {
    throw invalid(`${what}: options.timeoutMs must be a number of ms > 0 (or Infinity), got ${String(timeoutMs)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalid(`${what}: options.signal must be an AbortSignal`);
  if (window !== undefined && !(Number.isInteger(window) && window >= 1 && window <= MAX_WINDOW)) {
    throw invalid(`${what}: options.window must be an integer from 1 to ${MAX_WINDOW} (items the producer may send ahead), got ${String(window)}`);
  }
  if (metadata === undefined) return;
  if (typeof metadata !== "object" || metadata === null) throw invalid(`${what}: options.metadata must be an object of strings`);
  for (const [key, value] of Object.entries(metadata)) {
    if (!METADATA_KEY.test(key)) throw invalid(`${what}: options.metadata key "${key}" must be lowercase, matching [a-z0-9][a-z0-9._-]* (§5.5.1)`);
    if (key.startsWith("polyproc-")) throw invalid(`${what}: options.metadata key "${key}" is reserved for the protocol (§5.5.4); choose another`);
    if (typeof value !== "string") throw invalid(`${what}: options.metadata["${key}"] must be a string`);
  }
}

/** windowOf is the stream's window: the option, or 32 (§10.6.1). */
export function windowOf(options: OutgoingStreamOptions): number {
  return options.window ?? DEFAULT_INITIAL_CREDIT;
}

/**
 * outgoingMetadata is the metadata of a call: the handler's `polyproc-hops`, `polyproc-chain`
 * and trace context when made in a handler's context (§5.5.5), then the caller's own keys
 * (checked: never reserved ones). It returns undefined when there is none.
 */
export function outgoingMetadata(inherited: Readonly<Record<string, string>> | undefined, own: Record<string, string> | undefined): Record<string, string> | undefined {
  let metadata: Record<string, string> | undefined;
  if (inherited !== undefined) {
    for (const key of INHERITED_KEYS) {
      const value = inherited[key];
      if (value !== undefined) (metadata ??= {})[key] = value;
    }
  }
  if (own === undefined) return metadata;
  return metadata === undefined ? own : { ...metadata, ...own };
}

function invalid(message: string): PluginError {
  return new PluginError("INVALID_ARGUMENT", message);
}
