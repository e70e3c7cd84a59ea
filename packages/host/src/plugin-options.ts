import type { PlainValue } from "@polyproc/protocol";
import type { PluginInstance } from "./instance-types.js";
import type { HostWireTap } from "./connection-router.js";
import type { Logger } from "./logger.js";
import type { HostFunction } from "./host-function-types.js";
import type { PluginPermissions } from "./permissions.js";
import { pubsubDefaults, type PubsubOptions, type ResolvedPubsubOptions } from "./pubsub-options.js";
import type { TelemetryOption } from "./telemetry-api.js";

/** QueueOptions configure a plugin's queue of calls waiting for a free instance. */
export interface QueueOptions {
  /** The most calls that may wait; 0 turns the queue off. Default 1 024. */
  size?: number;
  /** The longest a call waits before it fails with RESOURCE_EXHAUSTED, in ms. Default 5 000. */
  timeoutMs?: number;
}

/** HeartbeatOptions configure the pings that find hung instances (PROTOCOL.md §11). */
export interface HeartbeatOptions {
  /** Ms between pings; 0: no pings. Default 5 000. */
  intervalMs?: number;
  /** Consecutive missed pongs after which the instance is killed as hung. Default 3. */
  missLimit?: number;
}

/** RestartOptions configure what happens when an instance exits unasked. */
export interface RestartOptions {
  /** The ceiling of the first restart delay, in ms (full jitter: the delay is uniform below it). Default 100. */
  baseMs?: number;
  /** The largest ceiling, in ms; the ceiling doubles per restart up to it. Default 30 000. */
  maxMs?: number;
  /** Restarts allowed within windowMs; one more exit marks the plugin failed. Default 5. */
  maxRestarts?: number;
  /** The crash-loop window, in ms; an instance that stayed ready this long restarts from baseMs again. Default 60 000. */
  windowMs?: number;
}

/** PluginDefaults are the settings a plugin may set and the host may give defaults for. */
export interface PluginDefaults {
  /** Processes started for the plugin. Default 1. */
  instances?: number;
  /** Calls one instance runs at once; the plugin's Hello.max_concurrency lowers it. Default 64. */
  maxConcurrency?: number;
  queue?: QueueOptions;
  /** Spawn to Welcome, in ms (§4.5). Default 10 000. */
  startupTimeoutMs?: number;
  heartbeat?: HeartbeatOptions;
  restart?: RestartOptions;
  /** SIGTERM to SIGKILL, in ms (§13.3). Default 2 000. */
  killTimeoutMs?: number;
  /** The Shutdown grace of host.stop and host.restart, in ms (§13.1). Default 5 000. */
  graceMs?: number;
  /** The deadline of a call that gives no timeoutMs, in ms; Infinity: none. Default 60 000. */
  callTimeoutMs?: number;
  /**
   * The most calls one instance may have open toward the host at once (host functions and
   * routed calls), announced in Welcome.max_calls_in_flight; more are answered
   * RESOURCE_EXHAUSTED (PROTOCOL.md §5.6). 0: no limit. Default 1 024.
   */
  maxCallsInFlight?: number;
  /** The most streaming calls one instance may have open toward the host at once (Welcome.max_open_streams, §5.6.4). 0: no limit. Default 256. */
  maxOpenStreams?: number;
  /**
   * Publish/subscribe delivery (PROTOCOL.md §12.4.4): each subscriber's buffer size and
   * policy, and the subscriptions one connection may hold. On PluginHostOptions it also
   * governs the application's own subscriptions. Default { bufferSize: 1024, policy:
   * "drop-oldest", maxSubscriptions: 1024 }.
   */
  pubsub?: PubsubOptions;
}

/** PluginConfig describes one plugin: how to start it, and its settings. */
export interface PluginConfig extends PluginDefaults {
  /** The plugin's name in the host: `[A-Za-z0-9_-]{1,64}` (PROTOCOL.md §5.4). */
  name: string;
  /** The program and its arguments, run without a shell: `["node", "math.js"]`. */
  command: string[];
  /** The working directory. Default: the host's. */
  cwd?: string;
  /** Variables added to the host's environment for the plugin. */
  env?: Record<string, string>;
  /** The plugin's own settings, sent in Welcome (§4.4). Default null. */
  settings?: PlainValue;
  /** What the plugin may call, publish and subscribe to; everything else is denied. Default: nothing. */
  permissions?: PluginPermissions;
}

/** ResolvedPluginConfig is a PluginConfig with every default filled in, as instances get it. */
export interface ResolvedPluginConfig {
  name: string;
  command: string[];
  cwd: string | undefined;
  env: Record<string, string>;
  settings: PlainValue;
  permissions: Required<PluginPermissions>;
  instances: number;
  maxConcurrency: number;
  queue: Required<QueueOptions>;
  startupTimeoutMs: number;
  heartbeat: Required<HeartbeatOptions>;
  restart: Required<RestartOptions>;
  killTimeoutMs: number;
  graceMs: number;
  callTimeoutMs: number;
  maxCallsInFlight: number;
  maxOpenStreams: number;
  pubsub: ResolvedPubsubOptions;
}

/** InstanceInit is what a factory learns about the instance it makes. */
export interface InstanceInit {
  /** The instance id, unique for the host's life: `math-3`. */
  id: string;
  /** The slot of the pool the instance fills, 0-based. */
  slot: number;
  /** A logger already carrying the plugin and instance fields. */
  logger: Logger;
}

/**
 * InstanceFactory makes (and starts) one instance of a plugin. The default spawns a process;
 * tests pass fakes.
 */
export type InstanceFactory = (plugin: ResolvedPluginConfig, init: InstanceInit) => PluginInstance;

/** PluginHostOptions configure PluginHost.start; the PluginDefaults apply to every plugin that does not set its own. */
export interface PluginHostOptions extends PluginDefaults {
  plugins: PluginConfig[];
  /** Where the host logs, plugin output included. Default: quietLogger (nothing). */
  logger?: Logger;
  /** Makes instances; default: plugin processes. For tests and embedding. */
  instanceFactory?: InstanceFactory;
  /** A source of numbers in [0, 1) for restart jitter; default Math.random. */
  random?: () => number;
  /**
   * A debugging aid: receives the raw bytes of every plugin connection as they are read
   * ("in") and written ("out"), with the connection's number (from 1, in accept order).
   * Decode them with FrameDecoder to see the frames. The bytes include each Hello's token:
   * never log them in production.
   */
  wireTap?: HostWireTap;
  /**
   * Host functions plugins may call (PROTOCOL.md §5.4.5), by name: registered before the
   * plugins start, so that each plugin's Welcome lists those its permissions.hostFunctions
   * grant. host.handle() adds more later.
   */
  hostFunctions?: Record<string, HostFunction>;
  /**
   * OpenTelemetry tracing and metrics, through the optional peer dependency
   * @opentelemetry/api: `false` turns them off; `{ tracerProvider?, meterProvider? }` chooses
   * the providers. Default: the API's global providers when the package is installed and an
   * OpenTelemetry SDK is registered with them before start(); off otherwise, at no cost to
   * the calls. Setting it without the package installed fails start() with a TypeError.
   */
  telemetry?: TelemetryOption;
}

/** The built-in defaults of PluginDefaults. */
export const pluginDefaults = {
  instances: 1,
  maxConcurrency: 64,
  queue: { size: 1024, timeoutMs: 5_000 },
  startupTimeoutMs: 10_000,
  heartbeat: { intervalMs: 5_000, missLimit: 3 },
  restart: { baseMs: 100, maxMs: 30_000, maxRestarts: 5, windowMs: 60_000 },
  killTimeoutMs: 2_000,
  graceMs: 5_000,
  callTimeoutMs: 60_000,
  maxCallsInFlight: 1_024,
  maxOpenStreams: 256,
  pubsub: pubsubDefaults,
} as const satisfies Required<PluginDefaults>;
