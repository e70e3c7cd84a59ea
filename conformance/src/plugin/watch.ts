// Waiting for what a plugin does, without sleeping: every change of the fake host's state
// (a frame, the end of the connection, the exit, a line of output) notifies a Watch, and the
// waiters re-check their condition.

/** Waited is the outcome of Watch.until: the condition's value, or the end of the wait limit. */
export type Waited<T> = { ok: true; value: T } | { ok: false };

/** WaitOptions bound a wait. */
export interface WaitOptions {
  /** Stop waiting after this many ms (the outcome is then `{ok: false}`). Default: no limit but the signal. */
  withinMs?: number;
  /** Aborted when the case's time is up: the wait rejects with an Error saying so. */
  signal: AbortSignal;
}

/** Watch lets steps wait for a condition on state that changes when notify() is called. */
export class Watch {
  readonly #waiters = new Set<() => void>();

  /** notify tells every waiter to check its condition again. */
  notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  /**
   * until resolves with `{ok: true, value}` as soon as `check` returns something other than
   * undefined, with `{ok: false}` when `withinMs` passes first, and rejects when the signal
   * aborts (the case ran out of time).
   */
  until<T>(check: () => T | undefined, options: WaitOptions): Promise<Waited<T>> {
    const { signal, withinMs } = options;
    return new Promise<Waited<T>>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (settle: () => void) => {
        this.#waiters.delete(waiter);
        signal.removeEventListener("abort", onAbort);
        clearTimeout(timer);
        settle();
      };
      const waiter = () => {
        let value: T | undefined;
        try {
          value = check();
        } catch (error) {
          finish(() => reject(error as Error));
          return;
        }
        if (value !== undefined) finish(() => resolve({ ok: true, value }));
      };
      const onAbort = () => finish(() => reject(abortError(signal)));
      if (signal.aborted) return onAbort();
      this.#waiters.add(waiter);
      signal.addEventListener("abort", onAbort);
      if (withinMs !== undefined) timer = setTimeout(() => finish(() => resolve({ ok: false })), withinMs);
      waiter();
    });
  }
}

/** abortError is the error a wait rejects with when the case's signal aborts. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  const detail = reason instanceof Error ? reason.message : reason === undefined ? "" : String(reason);
  return new Error(`the case was stopped while waiting${detail === "" ? "" : `: ${detail}`}`, { cause: reason });
}
