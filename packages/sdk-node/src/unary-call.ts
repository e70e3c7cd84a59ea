// Running a non-streaming call: validate, run the handler, answer with its Result
// (PROTOCOL.md §5.3, §5.8 check 8, §6, §7, §8.1).

import { isPromiseLike, type CallEvent, type CallId, type PlainValue } from "@polyproc/protocol";
import type { HandlerContext } from "./call-context.js";
import { contextOf, failureInfo, finish, invoke, track, type CallHost } from "./call-host.js";
import type { RegisteredFunction } from "./plugin.js";

/**
 * runUnary runs one call. A handler that returns synchronously is answered at once, with no
 * promise and no bookkeeping; one that returns a promise is tracked until it settles, so that
 * Cancel and the deadline reach it. After its deadline the call is answered DEADLINE_EXCEEDED
 * at once (§6.2); after a Cancel it is answered when the handler settles: its value, or
 * CANCELLED if it failed (§7.3).
 */
export function runUnary(host: CallHost, fn: RegisteredFunction, event: CallEvent): void {
  const ctx = contextOf(host, event);
  let outcome: unknown;
  try {
    const args = fn.validate === undefined ? event.args : fn.validate(event.args);
    outcome = isPromiseLike(args) ? args.then((valid) => invoke(fn, valid, ctx)) : invoke(fn, args, ctx);
  } catch (error) {
    fail(host, ctx, event.id, error);
    return;
  }
  if (!isPromiseLike(outcome)) {
    ctx.span?.end();
    host.peer.result(event.id, resultValue(outcome));
    host.flush();
    return;
  }
  const call = track(host, ctx);
  outcome.then(
    (value) => {
      if (call.answered) return;
      finish(host, call);
      ctx.span?.end();
      host.peer.result(call.id, resultValue(value));
      host.flush();
    },
    (error: unknown) => {
      if (call.answered) return;
      finish(host, call);
      fail(host, ctx, call.id, error);
    },
  );
}

function fail(host: CallHost, ctx: HandlerContext, id: CallId, error: unknown): void {
  const info = failureInfo(host, ctx, error);
  ctx.span?.end(info);
  host.peer.fail(id, info);
  host.flush();
}

/** resultValue maps a handler's return value to the Result's: undefined (a void handler) is null. */
function resultValue(value: unknown): PlainValue {
  return (value === undefined ? null : value) as PlainValue;
}
