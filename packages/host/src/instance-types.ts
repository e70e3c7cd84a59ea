import type { StreamSink } from "@polyproc/protocol/node";
import type { FunctionInfo, PlainValue } from "@polyproc/protocol";
import type { CancelSignal } from "./call-signal.js";

/**
 * InstanceState is where one plugin process is in its life: `starting` (spawned, no Welcome
 * sent yet), `ready` (welcomed, takes calls), `draining` (Shutdown sent, finishing its calls),
 * then `stopped` (left cleanly after Goodbye) or `crashed` (any other end).
 */
export type InstanceState = "starting" | "ready" | "draining" | "stopped" | "crashed";

/** ExitInfo describes how an instance's process ended (§14.1). */
export interface ExitInfo {
  /** The exit status, or null when a signal ended it. */
  exitCode: number | null;
  signal: string | null;
  /** The last stderr lines, joined with newlines. */
  stderrTail: string;
  /** Why the host considers it ended: "exited", "startup timeout", "heartbeat missed", "protocol violation: ...", "stopped". */
  reason: string;
  /** true after Goodbye and exit status 0 (§13.3.4). */
  clean: boolean;
}

/** InstanceCallOptions are the per-call options an instance takes. */
export interface InstanceCallOptions {
  /** Absolute deadline on performance.now()'s clock; absent: none. */
  deadline?: number;
  metadata?: Record<string, string>;
  signal?: CancelSignal;
}

/** InstanceStreamOptions are the options of a streaming call on an instance. */
export interface InstanceStreamOptions extends InstanceCallOptions {
  /** The credit sent with the Call: the items the plugin may send before the first grant (§10.2). Default 32 (§10.6). */
  initialCredit?: number;
}

/** StreamSink receives the items of a streaming call (§10); @polyproc/protocol defines it. */
export type { StreamSink };

/** InstanceEvents are what an instance reports to its pool. */
export interface InstanceEvents {
  state: (state: InstanceState, previous: InstanceState) => void;
  exit: (info: ExitInfo) => void;
  /**
   * capacity: a call stopped counting in inFlight because its answer arrived, the late answer
   * of a call given up (cancelled, past its deadline; §7.4) included. Emitted after the call
   * settled, so that a pool can run a waiting call in its place.
   */
  capacity: () => void;
}

/**
 * PluginInstance is one plugin process and its connection, as the pool sees it. The pool
 * owns dispatch, queueing, retries and restarts; the instance owns one process.
 */
export interface PluginInstance {
  /** Unique for the host's life, e.g. `math-3`. */
  readonly id: string;
  readonly state: InstanceState;
  /** The functions of the plugin's Hello (empty before it). */
  readonly functions: readonly FunctionInfo[];
  /** The calls this instance takes at once: the lower of the host's setting and the Hello's (0 in Hello: the host's). */
  readonly maxConcurrency: number;
  /** Calls open on the connection, cancelled ones included until their answer (§5.6). */
  readonly inFlight: number;
  /** The last heartbeat round-trip time in ms, or undefined before the first Pong. */
  readonly heartbeatRttMs: number | undefined;
  readonly pid: number | undefined;
  /**
   * call runs one function. It settles exactly once: with the value, or with a PluginError
   * (remote as the plugin sent it; local DEADLINE_EXCEEDED, CANCELLED, or UNAVAILABLE naming
   * the exit code or signal and the stderr tail when the instance ends).
   */
  call(fn: string, args: PlainValue, options?: InstanceCallOptions): Promise<PlainValue>;
  /**
   * stream runs one streaming function (§10), its items going to `sink`. It counts as a call
   * in inFlight and settles exactly once, as call does: resolved when the stream ends
   * normally, rejected with the PluginError that ends it (the plugin's StreamEnd error;
   * local DEADLINE_EXCEEDED or CANCELLED, after which further items are dropped; UNAVAILABLE
   * when the instance ends).
   */
  stream(fn: string, args: PlainValue, sink: StreamSink, options?: InstanceStreamOptions): Promise<void>;
  /** ready resolves when the instance is welcomed; rejects with a PluginError if it ends first. */
  readonly ready: Promise<void>;
  /** stop drains the instance: Shutdown, wait for Goodbye up to graceMs, then SIGTERM, then SIGKILL (§13). */
  stop(graceMs: number): Promise<ExitInfo>;
  /** kill ends the process at once (SIGKILL) and fails its calls. */
  kill(reason: string): void;
  on<E extends keyof InstanceEvents>(event: E, listener: InstanceEvents[E]): void;
}

