/** CrashLoopOptions configure a CrashLoopBreaker. */
export interface CrashLoopOptions {
  /** The restarts allowed within the window; one more exit trips the breaker. */
  maxRestarts: number;
  /** The length of the sliding window, in ms. */
  windowMs: number;
}

/**
 * CrashLoopBreaker counts a plugin's unexpected exits in a sliding window. While no more than
 * maxRestarts have happened within windowMs, each exit may be followed by a restart; the exit
 * after that is a crash loop and the plugin is to be marked failed until someone restarts it.
 */
export class CrashLoopBreaker {
  private readonly exits: number[] = [];

  constructor(private readonly options: CrashLoopOptions) {}

  /**
   * recordExit notes an exit at `now` (ms, monotonic) and tells whether it makes a crash loop:
   * true when the exits within the window, this one included, exceed maxRestarts.
   */
  recordExit(now: number): boolean {
    this.exits.push(now);
    const since = now - this.options.windowMs;
    while (this.exits.length > 0 && (this.exits[0] as number) <= since) this.exits.shift();
    return this.exits.length > this.options.maxRestarts;
  }

  /** recentExits is the number of exits within the window ending at `now`. */
  recentExits(now: number): number {
    const since = now - this.options.windowMs;
    return this.exits.filter((at) => at > since).length;
  }

  /** reset forgets every exit (after the plugin was restarted by hand). */
  reset(): void {
    this.exits.length = 0;
  }
}
