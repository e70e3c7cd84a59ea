import { type PlainValue, PluginError, isPromiseLike } from "@polyproc/protocol";
import type { CallSpan } from "./call-span.js";
import type { HostFunctionContext } from "./host-function-types.js";
import type { RegisteredHostFunction } from "./host-functions.js";
import type { InboundCall } from "./inbound-call.js";
import type { Caller } from "./inbound-calls.js";

/**
 * runHostFunction runs one call of a host function that the caller may call (PROTOCOL.md
 * §5.4.5, §5.8 checks 7 and 8): the mode must match (UNIMPLEMENTED) and the arguments its
 * `params` (INVALID_ARGUMENT), then the handler runs with a context whose signal aborts on the
 * caller's Cancel, its deadline or its disconnection (§6.2, §7). The call is answered at once
 * then (CANCELLED, DEADLINE_EXCEEDED), or with the handler's outcome: its value or items, its
 * PluginError as it is, anything else thrown as INTERNAL. With telemetry, the call has a
 * SERVER span, the child of the caller's `traceparent`, in which the handler runs.
 */
export function runHostFunction(fn: RegisteredHostFunction, caller: Caller, call: InboundCall): void {
  const { event } = call;
  const span = fn.telemetry?.hostFunction(caller, fn.name, event.metadata, event.streaming);
  if (fn.streaming !== event.streaming) return answerFailure(call, span, modeError(fn));
  const controller = new AbortController();
  const stop = watch(call, fn.name, controller, span);
  const ctx: HostFunctionContext = {
    plugin: caller.plugin,
    instance: caller.instance,
    signal: controller.signal,
    deadline: event.deadline,
    metadata: event.metadata,
  };
  const running = span === undefined ? run(fn, call, ctx, undefined) : span.run(() => run(fn, call, ctx, span));
  running.then(
    () => {
      stop();
      span?.end();
    },
    (error: unknown) => {
      stop();
      answerFailure(call, span, PluginError.is(error) ? error : new PluginError("INTERNAL", `host function ${fn.name} failed: ${messageOf(error)}`, { cause: error }));
    },
  );
}

async function run(fn: RegisteredHostFunction, call: InboundCall, ctx: HostFunctionContext, span: CallSpan | undefined): Promise<void> {
  const checked = fn.validate === undefined ? call.event.args : fn.validate(call.event.args);
  const args = isPromiseLike(checked) ? await checked : checked;
  if (ctx.signal.aborted) return;
  const outcome = fn.handler(args, ctx);
  if (!fn.streaming) return call.succeed(await (outcome as PlainValue | Promise<PlainValue>));
  if (!isAsyncIterable(outcome)) throw new PluginError("INTERNAL", `host function ${fn.name} is streaming, but its handler returned no async iterable; make it an async generator`);
  for await (const item of outcome) {
    if (call.isAnswered) return;
    span?.item();
    await call.push(item);
  }
  call.succeed();
}

/** answerFailure answers the call with `error` and ends its span (a span ended already, by a Cancel or the deadline, stays as it is). */
function answerFailure(call: InboundCall, span: CallSpan | undefined, error: PluginError): void {
  span?.end(error);
  call.failWith(error);
}

// §6.2, §7: the context's signal aborts on the caller's Cancel or disconnection, or at the
// deadline; the caller is answered at once. Returns the function that stops watching.
function watch(call: InboundCall, name: string, controller: AbortController, span: CallSpan | undefined): () => void {
  const stopWith = (error: PluginError) => {
    controller.abort(error);
    answerFailure(call, span, error);
  };
  const onCancel = () => {
    const reason: unknown = call.signal.reason;
    stopWith(new PluginError("CANCELLED", `host function ${name} was cancelled: ${reason instanceof Error ? reason.message : "cancelled by caller"}`));
  };
  call.signal.addEventListener("abort", onCancel, { once: true });
  const { deadline } = call.event;
  const timer =
    deadline === undefined
      ? undefined
      : setTimeout(() => stopWith(new PluginError("DEADLINE_EXCEEDED", `host function ${name} passed the call's deadline before it finished`)), Math.max(0, deadline - performance.now()));
  return () => {
    clearTimeout(timer);
    call.signal.removeEventListener("abort", onCancel);
  };
}

function modeError(fn: RegisteredHostFunction): PluginError {
  const how = fn.streaming ? "a streaming function: read it as a stream" : "not a streaming function: call it without streaming";
  return new PluginError("UNIMPLEMENTED", `host function ${fn.name} is ${how} (§5.8 check 7)`);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<PlainValue> {
  return typeof value === "object" && value !== null && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === "function";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
