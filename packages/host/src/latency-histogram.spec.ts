import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "./latency-histogram.js";

function within(actual: number | undefined, expected: number, relative = 0.05): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) - expected) / expected).toBeLessThanOrEqual(relative);
}

describe("LatencyHistogram", () => {
  it("has no percentiles before the first latency", () => {
    const histogram = new LatencyHistogram();
    expect(histogram.percentiles()).toBeUndefined();
    expect(histogram.percentile(0.5)).toBeUndefined();
  });

  it("gives p50, p90 and p99 of a uniform spread within 5%", () => {
    const histogram = new LatencyHistogram();
    for (let ms = 1; ms <= 10_000; ms++) histogram.record(ms / 10); // 0.1 .. 1000 ms
    const { p50, p90, p99 } = histogram.percentiles()!;
    within(p50, 500);
    within(p90, 900);
    within(p99, 990);
    expect(histogram.count).toBe(10_000);
  });

  it("answers the exact value when every latency is the same", () => {
    const histogram = new LatencyHistogram();
    for (let index = 0; index < 100; index++) histogram.record(3.2);
    expect(histogram.percentiles()).toEqual({ p50: 3.2, p90: 3.2, p99: 3.2 });
  });

  it("sees a slow tail: 98 fast calls and 2 slow ones", () => {
    const histogram = new LatencyHistogram();
    for (let index = 0; index < 98; index++) histogram.record(0.2);
    histogram.record(250);
    histogram.record(250);
    within(histogram.percentile(0.5), 0.2);
    within(histogram.percentile(0.9), 0.2);
    within(histogram.percentile(0.99), 250);
  });

  it("keeps zero, sub-microsecond, negative and enormous latencies in range", () => {
    const histogram = new LatencyHistogram();
    histogram.record(0);
    histogram.record(-5);
    histogram.record(0.000_1);
    expect(histogram.percentile(1)).toBeLessThan(0.001);
    histogram.record(1e12);
    expect(histogram.percentile(1)).toBe(1e12);
  });

  it("uses the same memory after a million latencies", () => {
    const histogram = new LatencyHistogram();
    const counts = (histogram as unknown as { counts: Float64Array }).counts;
    for (let index = 0; index < 1_000_000; index++) histogram.record((index % 5_000) / 7);
    expect((histogram as unknown as { counts: Float64Array }).counts).toBe(counts);
    expect(counts.length).toBeLessThan(300);
    expect(histogram.count).toBe(1_000_000);
  });
});
