// Running a streaming call: the handler's items go out as StreamItems, as far as the
// caller's credit allows, then one StreamEnd (PROTOCOL.md §10).

import { PluginError, type CallEvent, type PlainValue } from "@polyproc/protocol";
import { HandlerContext } from "./call-context.js";
import { failureInfo, finish, track, type CallHost, type RunningCall } from "./call-host.js";
import type { RegisteredFunction } from "./plugin.js";

/**
 * runStream runs one streaming call. It asks the handler's iterator for the next item only
 * when the caller has granted credit, so a `yield` waits while the caller is behind (§10.2.2)
 * and nothing is buffered. It ends the stream with StreamEnd: without an error when the
 * iterator is done, with the handler's error (§8.1), CANCELLED after a Cancel (§10.4), or
 * DEADLINE_EXCEEDED at once when the deadline passes (§6.5).
 */
export function runStream(host: CallHost, fn: RegisteredFunction, event: CallEvent): void {
  const ctx = new HandlerContext(host.context, event.id, event.function, event.deadline, event.metadata);
  const call = track(host, ctx);
  void pump(host, call, fn, event.args);
}

async function pump(host: CallHost, call: RunningCall, fn: RegisteredFunction, rawArgs: PlainValue): Promise<void> {
  let iterator: AsyncIterator<unknown> | Iterator<unknown> | undefined;
  let done = false;
  try {
    const args = fn.validate === undefined ? rawArgs : await fn.validate(rawArgs);
    iterator = iteratorOf(fn.handler(args as never, call.ctx), fn.name);
    for (;;) {
      if (host.peer.creditOf(call.id) === 0 && !call.ctx.aborted) await waitForCredit(call);
      if (call.answered) return;
      if (call.ctx.aborted) throw call.ctx.abortReason;
      const next = await iterator.next();
      if (call.answered) return;
      if (next.done === true) {
        done = true;
        break;
      }
      host.peer.item(call.id, (next.value === undefined ? null : next.value) as PlainValue);
      host.flush();
    }
    finish(host, call);
    host.peer.endStream(call.id);
    host.flush();
  } catch (error) {
    done = true;
    if (call.answered) return;
    finish(host, call);
    host.peer.endStream(call.id, failureInfo(host, call.ctx, error));
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
