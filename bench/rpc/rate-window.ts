import { setTimeout as delay } from "node:timers/promises";
import { cpuSeconds } from "./cpu-time.js";

/** RateTiming is how long a rate measurement warms up, then measures, in ms. */
export interface RateTiming {
  warmupMs: number;
  durationMs: number;
}

/**
 * RateTarget is one throughput benchmark target (a stream, a fan-out): it measures a rate
 * per second for one setting (a stream's window; ignored where it means nothing), and closes.
 */
export interface RateTarget {
  measure(setting: number, timing: RateTiming): Promise<RateResult>;
  /** close ends the target and whatever processes it started. */
  close(): Promise<void>;
}

/** RateResult is what one rate measurement found. */
export interface RateResult {
  /** Events (items, deliveries) per second in the measured window. */
  perSec: number;
  /** CPU time of every process of the target per event, in µs (cpu-time.ts); undefined where it cannot be read. */
  cpuUsPerEvent?: number;
  /** Anything else the target reports, by name (dropped messages, messages published/s). */
  extra?: Record<string, number>;
}

/** Measured is what measureRate found: the rate, and the CPU time per event. */
export interface Measured {
  perSec: number;
  /** The CPU time of this process and of `pids` between the readings, per event, in µs; undefined where it cannot be read. */
  cpuUsPerEvent: number | undefined;
}

/**
 * measureRate lets `running` warm up for `warmupMs`, reads `count`, waits `durationMs`
 * and reads it again, and returns the events per second between the two readings (each
 * reading timed at the middle of its own wait, since reading may take a round trip) and
 * the CPU time per event of this process and the processes `pids`. It rejects at once if
 * `running` settles first: the work being measured must not end.
 */
export async function measureRate(count: () => number | Promise<number>, timing: RateTiming, running: Promise<unknown>, pids: readonly number[] = []): Promise<Measured> {
  const ended = running.then(
    () => Promise.reject(new Error("the work being measured ended before the measurement did")),
    (error: unknown) => Promise.reject(error instanceof Error ? error : new Error(String(error))),
  );
  const measured = (async () => {
    await delay(timing.warmupMs);
    const cpuBefore = cpuSeconds(pids);
    const first = await timedRead(count);
    await delay(timing.durationMs);
    const last = await timedRead(count);
    const cpuAfter = cpuSeconds(pids);
    const events = last.value - first.value;
    const cpuUsPerEvent = cpuBefore === undefined || cpuAfter === undefined || events <= 0 ? undefined : ((cpuAfter - cpuBefore) * 1e6) / events;
    return { perSec: (events * 1000) / (last.at - first.at), cpuUsPerEvent };
  })();
  return Promise.race([measured, ended]);
}

async function timedRead(count: () => number | Promise<number>): Promise<{ value: number; at: number }> {
  const before = performance.now();
  const value = await count();
  return { value, at: (before + performance.now()) / 2 };
}
