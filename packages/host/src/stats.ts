import { PluginError, ProtocolError, type ErrorCode } from "@polyproc/protocol";
import type { InstanceState } from "./instance-types.js";
import type { PubsubStats } from "./pubsub-stats.js";
import { LatencyHistogram, type LatencyPercentiles } from "./latency-histogram.js";

/**
 * PluginState is where a plugin's pool is: `starting` (its instances are being started),
 * `running`, `failed` (crash loop: calls fail fast until host.restart), `stopped` (by
 * host.stop) or `closed` (by host.close).
 */
export type PluginState = "starting" | "running" | "failed" | "stopped" | "closed";

/** CallStats are the numbers of the calls that ended, for a plugin or one instance slot. */
export interface CallStats {
  /** Calls that ended, successful or not. */
  calls: number;
  /** Failed calls by error code. */
  errors: Partial<Record<ErrorCode, number>>;
  /** Latency percentiles in ms (within ~4.5%); undefined before the first call ended. */
  latencyMs: LatencyPercentiles | undefined;
}

/**
 * InstanceStats describe one instance slot of a pool and the process now in it. Call numbers
 * accumulate over every process the slot has held; they count each attempt run there.
 */
export interface InstanceStats extends CallStats {
  /** The id of the slot's current (or last) instance, e.g. `math-3`. */
  id: string;
  /** The slot's index in the pool, 0-based. */
  slot: number;
  state: InstanceState;
  pid: number | undefined;
  /** Calls open on the instance's connection (cancelled ones until answered). */
  inFlight: number;
  /** The times the slot's instance was restarted after an exit. */
  restarts: number;
  /** The last heartbeat round trip in ms, undefined before the first Pong. */
  heartbeatRttMs: number | undefined;
}

/**
 * PluginStats describe one plugin: its calls as the application made them (queue time
 * included, a retried call counted once), and each instance slot.
 */
export interface PluginStats extends CallStats {
  name: string;
  state: PluginState;
  /** Calls running on the plugin's instances. */
  inFlight: number;
  /** Calls waiting in the plugin's queue. */
  queued: number;
  /** Restarts of all its slots. */
  restarts: number;
  /** The largest last heartbeat round trip among its instances, in ms. */
  heartbeatRttMs: number | undefined;
  instances: InstanceStats[];
}

/** HostStats is a snapshot of every plugin's numbers, by plugin name. */
export interface HostStats {
  plugins: Record<string, PluginStats>;
  /** Publish/subscribe: messages published, delivered, dropped from full buffers and refused, in all, per plugin and for the application (§12.4.4). */
  pubsub: PubsubStats;
}

/**
 * errorCodeOf gives the code under which a failure is counted: a PluginError's own code,
 * INVALID_ARGUMENT for arguments that cannot be sent (a ProtocolError, §8.4.3), else INTERNAL.
 */
export function errorCodeOf(error: unknown): ErrorCode {
  if (PluginError.is(error)) return error.code;
  if (ProtocolError.is(error)) return "INVALID_ARGUMENT";
  return "INTERNAL";
}

/** CallRecorder accumulates CallStats: a count, errors by code and a latency histogram. */
export class CallRecorder {
  private calls = 0;
  private readonly errors: Partial<Record<ErrorCode, number>> = {};
  private readonly latency = new LatencyHistogram();

  /** record notes one ended call, its latency in ms and its failure, if it failed. */
  record(latencyMs: number, error?: unknown): void {
    this.calls += 1;
    this.latency.record(latencyMs);
    if (error === undefined) return;
    const code = errorCodeOf(error);
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }

  /** snapshot returns the numbers so far (a copy). */
  snapshot(): CallStats {
    return { calls: this.calls, errors: { ...this.errors }, latencyMs: this.latency.percentiles() };
  }
}
