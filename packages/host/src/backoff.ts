/** BackoffOptions configure a Backoff. */
export interface BackoffOptions {
  /** The ceiling of the first delay, in ms. */
  baseMs: number;
  /** The largest ceiling, in ms: the ceiling doubles per attempt up to it. */
  maxMs: number;
  /** A source of numbers in [0, 1); default Math.random. Tests inject their own. */
  random?: () => number;
}

/**
 * backoffCeiling is the largest delay of one attempt (1 for the first): baseMs doubled per
 * earlier attempt, at most maxMs.
 */
export function backoffCeiling(attempt: number, baseMs: number, maxMs: number): number {
  const doublings = Math.min(Math.max(attempt - 1, 0), 52);
  return Math.min(maxMs, baseMs * 2 ** doublings);
}

/**
 * Backoff chooses the delays before successive restarts: exponential growth with full jitter
 * (each delay uniform in [0, ceiling), the ceiling doubling per attempt up to maxMs), so that
 * instances that crash together do not restart together. reset() starts over after a run that
 * lasted.
 */
export class Backoff {
  private attempts = 0;
  private readonly random: () => number;

  constructor(private readonly options: BackoffOptions) {
    this.random = options.random ?? Math.random;
  }

  /** attempt is the number of delays handed out since the last reset. */
  get attempt(): number {
    return this.attempts;
  }

  /** next counts one more attempt and returns its delay in whole ms. */
  next(): number {
    this.attempts += 1;
    const ceiling = backoffCeiling(this.attempts, this.options.baseMs, this.options.maxMs);
    const draw = Math.min(Math.max(this.random(), 0), 1);
    return Math.min(Math.floor(draw * ceiling), Math.max(ceiling - 1, 0));
  }

  /** reset makes the next delay a first one again. */
  reset(): void {
    this.attempts = 0;
  }
}
