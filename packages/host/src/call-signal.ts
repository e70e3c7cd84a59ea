/**
 * CancelSignal is what the pool, its queue and an instance's call table need of a call's
 * signal: whether and why it aborted, and a listener for the moment it does. An AbortSignal
 * is one; so is a CallSignal.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/**
 * CallSignal is the host's own CancelSignal for the calls plugins make (one per call, so
 * it must be cheap): an AbortSignal costs an EventTarget, and its listeners a registry,
 * on the path of every routed call. It aborts once; its listeners run once each, in the
 * order they were added, and must not throw. A listener added after the abort never runs,
 * as with an AbortSignal.
 */
export class CallSignal implements CancelSignal {
  private abortedWith: { reason: unknown } | undefined = undefined;
  private listeners: (() => void)[] | undefined = undefined;

  get aborted(): boolean {
    return this.abortedWith !== undefined;
  }

  get reason(): unknown {
    return this.abortedWith?.reason;
  }

  addEventListener(_type: "abort", listener: () => void, _options?: { once?: boolean }): void {
    if (this.abortedWith !== undefined) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const at = this.listeners?.indexOf(listener) ?? -1;
    if (at >= 0) this.listeners?.splice(at, 1);
  }

  /** abort aborts the signal with `reason` and runs its listeners; later aborts do nothing. */
  abort(reason: unknown): void {
    if (this.abortedWith !== undefined) return;
    this.abortedWith = { reason };
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }
}
