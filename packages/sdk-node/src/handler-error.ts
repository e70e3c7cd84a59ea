// Turning what a handler threw into the Error of its answer (PROTOCOL.md §8.1).

import { PluginError, type ErrorInfo, type PlainValue } from "@polyproc/protocol";

/** Origin names where an error arose: the plugin and the instance (§8.1). */
export interface Origin {
  plugin: string;
  instance: string;
}

/** MAX_MESSAGE_CHARS bounds an Error's message (§8.1: SHOULD be at most 4 KiB). */
const MAX_MESSAGE_CHARS = 4000;

/**
 * handlerErrorInfo makes the Error for a handler's failure (§8.1): a PluginError keeps its
 * code, message, details and retryable flag; anything else is INTERNAL with its message, not
 * retryable. Errors that arose here get this plugin's origin; a remote PluginError (one this
 * plugin received from a call of its own) keeps its origin, empty when it arose in the host. With `debug`, the stack goes into
 * `details.stack`; without it no stack ever leaves the process.
 */
export function handlerErrorInfo(thrown: unknown, origin: Origin, debug = false): ErrorInfo {
  const error = PluginError.from(thrown);
  const info = error.toInfo();
  info.message = boundedMessage(info.message, thrown);
  if (!error.remote) {
    info.originPlugin = origin.plugin;
    info.originInstance = origin.instance;
  }
  if (debug && !error.remote) info.details = withStack(info.details, thrown);
  return info;
}

function boundedMessage(message: string, thrown: unknown): string {
  if (message === "") {
    const name = thrown instanceof Error ? thrown.name : typeof thrown;
    return `the handler threw ${name} without a message`;
  }
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}… (truncated)` : message;
}

function withStack(details: PlainValue | undefined, thrown: unknown): PlainValue | undefined {
  const stack = thrown instanceof Error ? thrown.stack : undefined;
  if (stack === undefined) return details;
  if (details === undefined || details === null) return { stack };
  if (typeof details === "object" && !Array.isArray(details) && !(details instanceof Uint8Array)) return { ...details, stack };
  return details;
}
