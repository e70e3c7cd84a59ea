// What the call runners need from the serve loop, and the bookkeeping of one running call.

import { PluginError, type CallEvent, type CallId, type ErrorInfo, type Peer } from "@polyproc/protocol";
import { HandlerContext, type ContextHost } from "./call-context.js";
import type { DeadlineEntry, DeadlineQueue } from "@polyproc/protocol/node";
import { handlerErrorInfo, type Origin } from "./handler-error.js";
import type { Logger } from "./logger.js";
import type { RegisteredFunction } from "./plugin.js";
import type { PluginTelemetry } from "./server-span.js";

/** RunningCall is a call whose handler has not finished (or whose stream is open). */
export interface RunningCall extends DeadlineEntry {
  readonly id: CallId;
  readonly ctx: HandlerContext;
  /** answered: the terminal answer was sent (the handler may still run after a deadline). */
  answered: boolean;
  /** For a stream waiting for credit: resumes it (on Credit, cancel, deadline or shutdown). */
  wake: (() => void) | undefined;
}

/**
 * CallHost is the serve loop as the call runners see it: the peer, the calls running, and
 * how to answer.
 */
export interface CallHost {
  readonly peer: Peer;
  readonly running: Map<CallId, RunningCall>;
  /** The deadlines of the running calls; expire() is their callback. */
  readonly deadlines: DeadlineQueue<RunningCall>;
  readonly context: ContextHost;
  readonly origin: Origin;
  readonly debug: boolean;
  readonly logger: Logger;
  /** The plugin's spans; undefined when tracing is off. */
  readonly telemetry: PluginTelemetry | undefined;
  /** flush writes the frames the peer queued, at the end of this event-loop turn. */
  flush(): void;
}

/** contextOf makes the context of a call the plugin serves, with its SERVER span when tracing is on. */
export function contextOf(host: CallHost, event: CallEvent): HandlerContext {
  const span = host.telemetry?.serverSpan(event, host.origin.plugin, host.origin.instance);
  return new HandlerContext(host.context, event.id, event.function, event.deadline, event.metadata, span);
}

/** invoke calls the function's handler, inside the call's span when it has one. */
export function invoke(fn: RegisteredFunction, args: unknown, ctx: HandlerContext): unknown {
  const span = ctx.span;
  return span === undefined ? fn.handler(args as never, ctx) : span.run(() => fn.handler(args as never, ctx));
}

/** track records a call whose handler runs on, with its deadline if it has one (§6.2). */
export function track(host: CallHost, ctx: HandlerContext): RunningCall {
  const deadline = ctx.deadline ?? Infinity;
  const call: RunningCall = { id: ctx.callId, ctx, answered: false, wake: undefined, deadline, deadlineIndex: -1 };
  host.running.set(call.id, call);
  if (deadline !== Infinity) host.deadlines.add(call);
  return call;
}

/** finish marks a call answered and forgets it. */
export function finish(host: CallHost, call: RunningCall): void {
  call.answered = true;
  host.running.delete(call.id);
  host.deadlines.remove(call);
  call.wake?.();
}

/**
 * expire ends a call whose deadline passed (§6.2): its signal aborts and it is answered
 * DEADLINE_EXCEEDED at once (a StreamEnd for a stream), whatever its handler does later.
 */
export function expire(host: CallHost, call: RunningCall): void {
  if (call.answered) return;
  call.ctx.abort(deadlineError(call.ctx.function));
  finish(host, call);
  const info = failureInfo(host, call.ctx, undefined);
  call.ctx.span?.end(info);
  host.peer.fail(call.id, info);
  host.flush();
}

/** abortCall aborts a running call's signal and resumes it if it waits for credit. */
export function abortCall(call: RunningCall, reason: PluginError): void {
  call.ctx.abort(reason);
  call.wake?.();
}

/** deadlineError is the reason a call's signal aborts with when its deadline passes. */
export function deadlineError(fn: string): PluginError {
  return new PluginError("DEADLINE_EXCEEDED", `the deadline of the call to ${fn} passed before it finished`);
}

/** cancelError is the reason a call's signal aborts with when it is cancelled (§7, §13.1.4). */
export function cancelError(reason: string): PluginError {
  return new PluginError("CANCELLED", `the call was cancelled: ${reason === "" ? "no reason given" : reason}`, { details: { reason } });
}

/**
 * failureInfo makes the Error that answers a failed call: the abort reason when the call was
 * aborted (cancel, deadline, shutdown), else the handler's error (§8.1). An unexpected error
 * (not a PluginError) is logged with its stack, which never goes on the wire.
 */
export function failureInfo(host: CallHost, ctx: HandlerContext, error: unknown): ErrorInfo {
  const thrown = ctx.aborted ? ctx.abortReason : error;
  if (!PluginError.is(thrown)) {
    host.logger.error(`${ctx.function} failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { fn: ctx.function, callId: ctx.callId, error: thrown });
  }
  return handlerErrorInfo(thrown, host.origin, host.debug);
}
