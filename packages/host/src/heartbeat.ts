/** HeartbeatTarget is what a Heartbeat pings: the instance's Peer and its connection. */
export interface HeartbeatTarget {
  /** Sends one Ping. */
  ping(): void;
  /** Pings sent since the last Pong. */
  unansweredPings(): number;
  /** Called once, when `missLimit` Pings in a row went unanswered. */
  hung(): void;
}

/**
 * Heartbeat pings an instance every `intervalMs` (PROTOCOL.md §11.4). A Ping is missed when
 * no Pong has come one interval after it was sent; when `missLimit` Pings in a row are
 * missed, the instance is hung and `hung()` is called (about missLimit × interval without
 * a Pong). The timer does not keep the host's process alive.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly missLimit: number,
    private readonly target: HeartbeatTarget,
  ) {}

  /** start begins pinging; with an interval of 0 it does nothing (§11.5). */
  start(): void {
    if (this.intervalMs <= 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** stop ends the pinging. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    // Every unanswered Ping was sent at least one interval ago, so each one counts as missed.
    if (this.target.unansweredPings() >= this.missLimit) {
      this.stop();
      this.target.hung();
      return;
    }
    this.target.ping();
  }
}
