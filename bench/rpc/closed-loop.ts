import { LatencyRecorder } from "./latency-recorder.js";

/** Done is called once when a call settles: with no argument on success, else with the error. */
export type Done = (error?: unknown) => void;

/** RpcClient is one benchmark target: a way to start one `add` call, and to close. */
export interface RpcClient {
  /** issue starts one call and calls done when it settles. */
  issue(done: Done): void;
  /** close ends the client and whatever processes it started. */
  close(): Promise<void>;
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
    const watchdog = setInterval(() => {
      if (performance.now() - lastSettled < stallMs) return;
      fail(new Error(`no call settled for ${stallMs} ms with ${outstanding} in flight; the target is stuck`));
    }, 1_000);

    function fail(error: unknown): void {
      if (failed) return;
      failed = true;
      clearInterval(watchdog);
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
        else if (outstanding === 0) {
          clearInterval(watchdog);
          resolve({ calls, seconds: options.durationMs / 1000, latency });
        }
      });
    }

    for (let i = 0; i < options.inFlight; i++) start();
  });
}
