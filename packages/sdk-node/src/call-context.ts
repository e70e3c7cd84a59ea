// The context a handler receives with its arguments.

import type { CallId, PlainValue } from "@polyproc/protocol";
import type { Logger } from "./logger.js";

/**
 * CallContext is a handler's second argument: how to know it should stop (`signal`,
 * `deadline`), what the caller passed along (`metadata`), where to log, and what the host
 * gave the plugin.
 */
export interface CallContext {
  /**
   * signal aborts when the handler should stop: the caller cancelled (reason a PluginError
   * CANCELLED whose message carries the caller's reason, §7), the deadline passed (a
   * PluginError DEADLINE_EXCEEDED, §6), or the plugin is shutting down and the grace ran out
   * (CANCELLED, reason `shutdown`, §13.1). Pass it on to fetch, timers and child processes;
   * `signal.throwIfAborted()` throws the reason, which becomes the call's error.
   */
  readonly signal: AbortSignal;
  /** deadline is the call's deadline as a `performance.now()` time, undefined when none (§6.2). */
  readonly deadline: number | undefined;
  /** metadata is what the caller sent along (§5.5): `traceparent`, `polyproc-caller`, ... */
  readonly metadata: Readonly<Record<string, string>>;
  /** logger writes JSON lines on stderr with the plugin, instance, function and call id. */
  readonly logger: Logger;
  /** instanceId is this process's instance id from the host (for example `math-2`). */
  readonly instanceId: string;
  /** settings are the plugin's settings from the host configuration (null when none). */
  readonly settings: PlainValue;
  /** function is the name of the function called. */
  readonly function: string;
  /** callId is the host's id of this call on the connection (for logs). */
  readonly callId: CallId;
}

/** ContextHost is what a CallContext reads from the plugin it runs in. */
export interface ContextHost {
  readonly logger: Logger;
  readonly instanceId: string;
  readonly settings: PlainValue;
}

/**
 * HandlerContext is the CallContext the SDK makes for each call. It allocates lazily, so a
 * call that never looks at them costs neither an AbortController nor a child logger.
 */
export class HandlerContext implements CallContext {
  readonly callId: CallId;
  readonly function: string;
  readonly deadline: number | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  readonly #host: ContextHost;
  #controller: AbortController | undefined;
  #abortReason: unknown;
  #logger: Logger | undefined;

  constructor(host: ContextHost, callId: CallId, fn: string, deadline: number | undefined, metadata: Readonly<Record<string, string>>) {
    this.#host = host;
    this.callId = callId;
    this.function = fn;
    this.deadline = deadline;
    this.metadata = metadata;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#abortReason !== undefined) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  get logger(): Logger {
    this.#logger ??= this.#host.logger.child({ fn: this.function, callId: this.callId });
    return this.#logger;
  }

  get instanceId(): string {
    return this.#host.instanceId;
  }

  get settings(): PlainValue {
    return this.#host.settings;
  }

  /** aborted tells whether abort was called; abortReason is its reason. */
  get aborted(): boolean {
    return this.#abortReason !== undefined;
  }

  get abortReason(): unknown {
    return this.#abortReason;
  }

  /** abort aborts the signal with a reason; later calls are ignored (the first reason wins). */
  abort(reason: Error): void {
    if (this.#abortReason !== undefined) return;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
  }
}
