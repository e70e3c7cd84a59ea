// A queue of things that arrive while a case waits for them (frames, host events, log lines).

/**
 * Inbox keeps items in arrival order. `take` removes and returns the first item a predicate
 * accepts, waiting for one until the signal aborts; `all` lists what is there.
 */
export class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters = new Set<() => void>();

  /** push adds an item and wakes the waiters. */
  push(item: T): void {
    this.items.push(item);
    for (const wake of [...this.waiters]) wake();
  }

  /** all returns the items not yet taken. */
  all(): readonly T[] {
    return this.items;
  }

  /** shift removes and returns the first item, waiting for one; it rejects when `signal` aborts. */
  shift(signal: AbortSignal): Promise<T> {
    return this.take(() => true, signal);
  }

  /** take removes and returns the first item `accept` takes, waiting for one; it rejects when `signal` aborts. */
  take(accept: (item: T) => boolean, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const attempt = (): boolean => {
        const index = this.items.findIndex(accept);
        if (index < 0) return false;
        const [item] = this.items.splice(index, 1);
        resolve(item as T);
        return true;
      };
      if (attempt()) return;
      if (signal.aborted) return reject(signal.reason as Error);
      const wake = (): void => {
        if (attempt()) done();
      };
      const abort = (): void => {
        done();
        reject(signal.reason as Error);
      };
      const done = (): void => {
        this.waiters.delete(wake);
        signal.removeEventListener("abort", abort);
      };
      this.waiters.add(wake);
      signal.addEventListener("abort", abort, { once: true });
    });
  }
}
