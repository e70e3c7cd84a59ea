// A signal for "until the case's signal aborts or `ms` pass". Not AbortSignal.any with
// AbortSignal.timeout: in Node 20 the timeout signal inside can be garbage-collected before
// it fires (nodejs/node#57736), and the wait then never ends.

/** AbortAfter is a signal with its own timer, and the function that releases both. */
export interface AbortAfter {
  signal: AbortSignal;
  /** dispose clears the timer and stops following the parent; call it when the wait is over. */
  dispose(): void;
}

/**
 * abortAfter returns a signal that aborts with the parent's reason when `parent` aborts, or
 * with a TimeoutError after `ms`. Its timer is held strongly until dispose() or it fires.
 */
export function abortAfter(parent: AbortSignal, ms: number): AbortAfter {
  const controller = new AbortController();
  const follow = (): void => controller.abort(parent.reason);
  const timer = setTimeout(() => controller.abort(new DOMException(`the wait of ${ms} ms ran out`, "TimeoutError")), ms);
  if (parent.aborted) follow();
  else parent.addEventListener("abort", follow, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      parent.removeEventListener("abort", follow);
    },
  };
}
