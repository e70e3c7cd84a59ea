import { cpuSeconds } from "./cpu-time.js";
import { LatencyRecorder } from "./latency-recorder.js";

/** Done is called once when a call settles: with no argument on success, else with the error. */
export type Done = (error?: unknown) => void;

/** RpcClient is one benchmark target: a way to start one `add` call, and to close. */
export interface RpcClient {
  /** issue starts one call and calls done when it settles. */
  issue(done: Done): void;
  /** close ends the client and whatever processes it started. */
  close(): Promise<void>;
  /** processes are the ids of the processes the client started (servers, plugins), whose CPU time counts with this one's. */
  processes?(): number[];
}

/** OpenOptions are given to every scenario's open function. */
export interface OpenOptions {
  /** Extra node arguments for the processes the scenario starts (e.g. --cpu-prof). */
  nodeArgs: string[];
}

/** LoopOptions configures runClosedLoop. */
export interface LoopOptions {
  /** Calls kept in flight: a new one starts as soon as one settles. */
  inFlight: number;
  /** Time run before measuring, in ms: JIT warm-up, connection pools, buffers. */
  warmupMs: number;
  /** Time measured, in ms. */
  durationMs: number;
  /** A run in which no call settles for this long fails. Default 15 000. */
  stallMs?: number;
}

/** LoopResult is what a closed-loop run measured. */
export interface LoopResult {
  /** Calls that settled inside the measured window. */
  calls: number;
  /** The length of the measured window, in seconds. */
  seconds: number;
  /** Latencies of the calls both started and settled inside the window, in µs. */
  latency: LatencyRecorder;
  /** CPU time this process and the client's used per call in the window, in µs; undefined where it cannot be read. */
  cpuUsPerCall: number | undefined;
}

/**
 * runClosedLoop keeps `inFlight` calls of `client` running for warm-up plus duration, then
 * lets the last ones settle. It rejects with the first call error, or when calls stall.
 */
export function runClosedLoop(client: RpcClient, options: LoopOptions): Promise<LoopResult> {
  return new Promise((resolve, reject) => {
    const latency = new LatencyRecorder();
    const measureStart = performance.now() + options.warmupMs;
    const measureEnd = measureStart + options.durationMs;
    let outstanding = 0;
    let calls = 0;
    let failed = false;
    let lastSettled = performance.now();
    const stallMs = options.stallMs ?? 15_000;
    const pids = client.processes?.() ?? [];
    let cpuAtStart: { at: number; cpu: number | undefined } | undefined;
    let cpuAtEnd: { at: number; cpu: number | undefined } | undefined;
    const cpuTimer = setTimeout(() => (cpuAtStart = { at: performance.now(), cpu: cpuSeconds(pids) }), options.warmupMs);
    const watchdog = setInterval(() => {
      if (performance.now() - lastSettled < stallMs) return;
      fail(new Error(`no call settled for ${stallMs} ms with ${outstanding} in flight; the target is stuck`));
    }, 1_000);

    function fail(error: unknown): void {
      if (failed) return;
      failed = true;
      clearInterval(watchdog);
      clearTimeout(cpuTimer);
      reject(error instanceof Error ? error : new Error(String(error)));
    }

    function start(): void {
      const begun = performance.now();
      outstanding++;
      client.issue((error?: unknown) => {
        outstanding--;
        if (failed) return;
        if (error !== undefined) return fail(error);
        const now = (lastSettled = performance.now());
        if (now >= measureStart && now <= measureEnd) {
          calls++;
          if (begun >= measureStart) latency.record((now - begun) * 1000);
        }
        if (now < measureEnd) start();
        else {
          cpuAtEnd ??= { at: now, cpu: cpuSeconds(pids) };
          if (outstanding === 0) {
            clearInterval(watchdog);
            resolve({ calls, seconds: options.durationMs / 1000, latency, cpuUsPerCall: cpuPerCall(cpuAtStart, cpuAtEnd, options.durationMs, calls) });
          }
        }
      });
    }

    for (let i = 0; i < options.inFlight; i++) start();
  });
}

// The CPU time between the two readings, scaled to the measured window (the readings are
// taken by a timer and by the first call to settle after it), per call measured.
function cpuPerCall(start: { at: number; cpu: number | undefined } | undefined, end: { at: number; cpu: number | undefined }, durationMs: number, calls: number): number | undefined {
  if (start?.cpu === undefined || end.cpu === undefined || calls === 0 || end.at <= start.at) return undefined;
  return ((end.cpu - start.cpu) * 1e6 * (durationMs / (end.at - start.at))) / calls;
}
