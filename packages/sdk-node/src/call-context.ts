// The context a handler receives with its arguments.

import type { CallId, PlainValue } from "@polyproc/protocol";
import { HostAccess, type HostFunctions } from "./host-functions.js";
import type { Logger } from "./logger.js";
import type { CallParent, OutgoingCalls } from "./outgoing-calls.js";
import type { OutgoingCallOptions, OutgoingStreamOptions } from "./outgoing-options.js";
import { routedCall, routedStream } from "./routed-calls.js";
import type { ServerSpan } from "./server-span.js";
import { publishInContext, type PublishOptions, type Publisher } from "./subscriptions.js";

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
  /**
   * host calls the host application's functions (`ctx.host.call(name, args, options)`, §5.4.5)
   * and lists them (`ctx.host.functions`). Like `call`, a call made here carries this call's
   * remaining deadline, hops, chain and trace context, and is cancelled with it.
   */
  readonly host: HostFunctions;
  /**
   * call calls the function `fn` of the plugin `plugin` through the host (§5.4) and resolves
   * with its value, or rejects with a PluginError (the callee's or the host's, `remote` true;
   * or a local DEADLINE_EXCEEDED, CANCELLED, UNAVAILABLE, §8.4). It carries at most this call's
   * remaining deadline (§6.4) and its `polyproc-hops`, `polyproc-chain`, `traceparent` and
   * `tracestate` (§5.5.5), and is cancelled when this call is (§7).
   */
  call(plugin: string, fn: string, args?: PlainValue, options?: OutgoingCallOptions): Promise<PlainValue>;
  /**
   * stream reads the streaming function `fn` of the plugin `plugin` through the host (§10):
   * `for await (const item of ctx.stream(...))`. Credit is granted as the loop reads (at most
   * `options.window` items ahead, default 32); leaving the loop cancels the stream. Deadline,
   * metadata and cancellation as for `call`.
   */
  stream(plugin: string, fn: string, args?: PlainValue, options?: OutgoingStreamOptions): AsyncIterableIterator<PlainValue>;
  /** function is the name of the function called. */
  readonly function: string;
  /** callId is the host's id of this call on the connection (for logs). */
  readonly callId: CallId;
  /**
   * publish sends `value` on `topic` (§12.4), with this call's `traceparent` and `tracestate`
   * unless options.metadata gives them. It throws a PluginError: INVALID_ARGUMENT for an
   * invalid topic (§12.3.3), FAILED_PRECONDITION when `pubsub` was not negotiated.
   */
  publish(topic: string, value: PlainValue, options?: PublishOptions): void;
}

/** ContextHost is what a CallContext reads from the plugin it runs in. */
export interface ContextHost {
  /** outgoing makes the calls of the plugin's handlers (§5.4). */
  readonly outgoing: OutgoingCalls;
  readonly logger: Logger;
  readonly instanceId: string;
  readonly settings: PlainValue;
  /** publisher publishes for the plugin (§12.4). */
  readonly publisher: Publisher;
}

/**
 * HandlerContext is the CallContext the SDK makes for each call. It allocates lazily, so a
 * call that never looks at them costs neither an AbortController nor a child logger.
 */
export class HandlerContext implements CallContext, CallParent {
  readonly callId: CallId;
  readonly function: string;
  readonly deadline: number | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  /** The call's SERVER span; undefined when tracing is off. */
  readonly span: ServerSpan | undefined;
  readonly #host: ContextHost;
  #controller: AbortController | undefined;
  #abortReason: unknown;
  #logger: Logger | undefined;
  #hostAccess: HostAccess | undefined;
  /** The calls made in this context that listen for its abort. */
  #abortListeners: Set<(reason: unknown) => void> | undefined;

  constructor(host: ContextHost, callId: CallId, fn: string, deadline: number | undefined, metadata: Readonly<Record<string, string>>, span?: ServerSpan) {
    this.#host = host;
    this.callId = callId;
    this.function = fn;
    this.deadline = deadline;
    this.metadata = metadata;
    this.span = span;
  }

  /** inherited is what the calls made in this context inherit from: the call's metadata, with its span's `traceparent` when traced (§5.5.2). */
  get inherited(): Readonly<Record<string, string>> {
    return this.span === undefined ? this.metadata : this.span.metadata;
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

  publish(topic: string, value: PlainValue, options?: PublishOptions): void {
    publishInContext(this.#host.publisher, this.inherited, topic, value, options);
  }

  get host(): HostFunctions {
    this.#hostAccess ??= new HostAccess(() => this.#host.outgoing, this);
    return this.#hostAccess;
  }

  call(plugin: string, fn: string, args: PlainValue = null, options: OutgoingCallOptions = {}): Promise<PlainValue> {
    return routedCall(this.#host.outgoing, plugin, fn, args, options, this);
  }

  stream(plugin: string, fn: string, args: PlainValue = null, options: OutgoingStreamOptions = {}): AsyncIterableIterator<PlainValue> {
    return routedStream(this.#host.outgoing, plugin, fn, args, options, this);
  }

  /** onAbort calls `listener` with the reason when the call is aborted; it returns how to stop listening. */
  onAbort(listener: (reason: unknown) => void): () => void {
    const listeners = (this.#abortListeners ??= new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
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
    if (this.#abortListeners !== undefined) for (const listener of [...this.#abortListeners]) listener(reason);
  }
}
