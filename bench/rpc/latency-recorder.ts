/**
 * LatencyRecorder keeps every latency sample of a run, in microseconds, and answers
 * percentiles. A run of a few seconds has at most a few million samples: 8 bytes each.
 */
export class LatencyRecorder {
  private samples = new Float64Array(1 << 16);
  private size = 0;
  private sorted: Float64Array | undefined;

  /** record adds one latency, in microseconds. */
  record(us: number): void {
    if (this.size === this.samples.length) {
      const next = new Float64Array(this.samples.length * 2);
      next.set(this.samples);
      this.samples = next;
    }
    this.samples[this.size++] = us;
    this.sorted = undefined;
  }

  /** count is the number of samples recorded. */
  get count(): number {
    return this.size;
  }

  /** percentile returns the sample at or below which p percent of the samples lie (NaN when empty). */
  percentile(p: number): number {
    if (this.size === 0) return Number.NaN;
    this.sorted ??= this.samples.slice(0, this.size).sort();
    const rank = Math.min(this.size - 1, Math.max(0, Math.ceil((p / 100) * this.size) - 1));
    return this.sorted[rank]!;
  }
}
