import { DEFAULT_INITIAL_CREDIT, PluginError } from "@polyproc/protocol";
import type { CancelSignal } from "./call-signal.js";

/** CallOptions are the options of PluginHost.call. */
export interface CallOptions {
  /**
   * The call's deadline, in ms from now; it travels with the call (§6) and time in the queue
   * counts. Default: the plugin's callTimeoutMs (60 000 unless configured); Infinity: none.
   */
  timeoutMs?: number;
  /** Aborting it cancels the call: it fails with CANCELLED and the plugin gets Cancel (§7). */
  signal?: AbortSignal;
  /** Metadata for the plugin (§5.5): lowercase keys `[a-z0-9][a-z0-9._-]*`, not `polyproc-*`. */
  metadata?: Record<string, string>;
  /**
   * Calls with the same key run on the same instance (a stable hash over the instance slots).
   * While that instance is busy or restarting, the call waits in the queue; if it does not
   * get its turn within queue.timeoutMs it fails with RESOURCE_EXHAUSTED (busy) or UNAVAILABLE
   * (not ready), and at once when the queue is full.
   */
  affinityKey?: string;
  /**
   * Retry the call once on another instance when its instance ends under it (UNAVAILABLE),
   * as for functions the plugin declares idempotent (§14.1.3). Default: the function's flag.
   */
  idempotent?: boolean;
}

/**
 * StreamOptions are the options of PluginHost.stream: those of a call, its deadline covering
 * the whole stream (§6.5), and the credit window. A stream is never retried: its items may
 * already have been consumed.
 */
export interface StreamOptions extends Omit<CallOptions, "idempotent"> {
  /**
   * The most items the plugin may send ahead of the consumer (§10.2, §10.6): the credit sent
   * with the Call, topped up as the consumer reads (once it has read half the window), so
   * that the host never buffers more. Default 32.
   */
  window?: number;
}

/** PoolCallOptions are CallOptions as a pool takes them: the signal may be the host's own CancelSignal (a routed call's). */
export type PoolCallOptions = Omit<CallOptions, "signal"> & { signal?: CancelSignal };

/** PoolStreamOptions are StreamOptions as a pool takes them (see PoolCallOptions). */
export type PoolStreamOptions = Omit<StreamOptions, "signal"> & { signal?: CancelSignal };

/** MAX_WINDOW is the largest credit a caller may grant (§10.2.3). */
const MAX_WINDOW = 0xffffffff;

const METADATA_KEY = /^[a-z0-9][a-z0-9._-]*$/;

/** checkCallOptions returns INVALID_ARGUMENT naming the first malformed option, or undefined. */
export function checkCallOptions(options: CallOptions): PluginError | undefined {
  if (typeof options !== "object" || options === null) return invalid("options must be an object");
  const { timeoutMs, signal, metadata, affinityKey, idempotent } = options;
  if (timeoutMs !== undefined && (typeof timeoutMs !== "number" || Number.isNaN(timeoutMs))) {
    return invalid(`options.timeoutMs must be a number of ms (or Infinity), got ${String(timeoutMs)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) return invalid("options.signal must be an AbortSignal");
  if (affinityKey !== undefined && typeof affinityKey !== "string") return invalid("options.affinityKey must be a string");
  if (idempotent !== undefined && typeof idempotent !== "boolean") return invalid("options.idempotent must be a boolean");
  if (metadata === undefined) return undefined;
  if (typeof metadata !== "object" || metadata === null) return invalid("options.metadata must be an object of strings");
  for (const [key, value] of Object.entries(metadata)) {
    if (!METADATA_KEY.test(key)) return invalid(`options.metadata key "${key}" must be lowercase, matching [a-z0-9][a-z0-9._-]* (§5.5)`);
    if (key.startsWith("polyproc-")) return invalid(`options.metadata key "${key}" is reserved for the protocol (§5.5.3); choose another`);
    if (typeof value !== "string") return invalid(`options.metadata["${key}"] must be a string`);
  }
  return undefined;
}

/** checkStreamOptions is checkCallOptions for PluginHost.stream, with `window`. */
export function checkStreamOptions(options: StreamOptions): PluginError | undefined {
  const invalidCall = checkCallOptions(options);
  if (invalidCall !== undefined) return invalidCall;
  const { window = DEFAULT_INITIAL_CREDIT } = options;
  if (!Number.isInteger(window) || window < 1 || window > MAX_WINDOW) {
    return invalid(`options.window must be an integer from 1 to ${MAX_WINDOW} (items the plugin may send ahead), got ${String(window)}`);
  }
  return undefined;
}

function invalid(message: string): PluginError {
  return new PluginError("INVALID_ARGUMENT", message);
}
