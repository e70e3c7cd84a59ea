// Running a streaming call: the handler's items go out as StreamItems, as far as the
// caller's credit allows, then one StreamEnd (PROTOCOL.md §10).

import { PluginError, type CallEvent, type PlainValue } from "@polyproc/protocol";
import { contextOf, failureInfo, finish, invoke, track, type CallHost, type RunningCall } from "./call-host.js";
import type { RegisteredFunction } from "./plugin.js";

/**
 * runStream runs one streaming call. It asks the handler's iterator for the next item only
 * when the caller has granted credit, so a `yield` waits while the caller is behind (§10.2.2)
 * and nothing is buffered. It ends the stream with StreamEnd: without an error when the
 * iterator is done, with the handler's error (§8.1), CANCELLED after a Cancel (§10.4), or
 * DEADLINE_EXCEEDED at once when the deadline passes (§6.5).
 */
export function runStream(host: CallHost, fn: RegisteredFunction, event: CallEvent): void {
  const call = track(host, contextOf(host, event));
  void pump(host, call, fn, event.args);
}

async function pump(host: CallHost, call: RunningCall, fn: RegisteredFunction, rawArgs: PlainValue): Promise<void> {
  let iterator: AsyncIterator<unknown> | Iterator<unknown> | undefined;
  let done = false;
  try {
    const args = fn.validate === undefined ? rawArgs : await fn.validate(rawArgs);
    const items = iteratorOf(invoke(fn, args, call.ctx), fn.name);
    iterator = items;
    const span = call.ctx.span;
    for (;;) {
      if (host.peer.creditOf(call.id) === 0 && !call.ctx.aborted) await waitForCredit(call);
      if (call.answered) return;
      if (call.ctx.aborted) throw call.ctx.abortReason;
      // The generator's body runs in next(): in the span, for the spans it starts.
      const next = await (span === undefined ? items.next() : span.run(() => items.next()));
      if (call.answered) return;
      if (next.done === true) {
        done = true;
        break;
      }
      host.peer.item(call.id, (next.value === undefined ? null : next.value) as PlainValue);
      span?.item();
      host.flush();
    }
    finish(host, call);
    span?.end();
    host.peer.endStream(call.id);
    host.flush();
  } catch (error) {
    done = true;
    if (call.answered) return;
    finish(host, call);
    const info = failureInfo(host, call.ctx, error);
    call.ctx.span?.end(info);
    host.peer.endStream(call.id, info);
    host.flush();
  } finally {
    if (!done) closeIterator(iterator);
  }
}

function waitForCredit(call: RunningCall): Promise<void> {
  return new Promise((resolve) => {
    call.wake = () => {
      call.wake = undefined;
      resolve();
    };
  });
}

function iteratorOf(produced: unknown, fn: string): AsyncIterator<unknown> | Iterator<unknown> {
  if (typeof produced === "object" && produced !== null) {
    const asyncIterable = (produced as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator];
    if (typeof asyncIterable === "function") return asyncIterable.call(produced);
    const iterable = (produced as Partial<Iterable<unknown>>)[Symbol.iterator];
    if (typeof iterable === "function") return iterable.call(produced);
  }
  throw new PluginError(
    "INTERNAL",
    `the streaming function ${fn} returned ${produced === null ? "null" : typeof produced}, not an async iterable; write its handler as an async generator (async function* (args, ctx) { yield ... })`,
  );
}

/** closeIterator lets the handler's generator run its finally blocks; its errors are ignored. */
function closeIterator(iterator: AsyncIterator<unknown> | Iterator<unknown> | undefined): void {
  if (iterator?.return === undefined) return;
  try {
    void Promise.resolve(iterator.return()).catch(() => undefined);
  } catch {
    // A generator that throws while closing has nothing more to say to the caller.
  }
}
