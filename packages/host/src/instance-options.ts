import type { PlainValue } from "@polyproc/protocol";
import type { Logger } from "./logger.js";

/** InstanceOptions describes one plugin process: what to run and how to supervise it. */
export interface InstanceOptions {
  /** The plugin's name in the host configuration, `[A-Za-z0-9_-]{1,64}` (§5.4). Required. */
  plugin: string;
  /** The program and its arguments, e.g. `["node", "plugin.js"]`; never run through a shell. Required. */
  command: readonly string[];
  /** The working directory. Default: the host's. */
  cwd?: string;
  /** Variables added to the host's environment; `undefined` removes one. Default: none. */
  env?: Record<string, string | undefined>;
  /** The most calls the host sends the instance at once; the Hello's max_concurrency, if lower, wins. Default: no limit (Infinity). */
  maxConcurrency?: number;
  /** Time from spawn to Welcome before the instance is given up and killed (§4.5.2). Default 10 000 ms. */
  startupTimeoutMs?: number;
  /** Time between heartbeat Pings; 0 sends none (§11). Default 5 000 ms. */
  heartbeatIntervalMs?: number;
  /** Consecutive unanswered Pings after which the instance is hung and killed (§11.4). Default 3. */
  heartbeatMissLimit?: number;
  /** Time between SIGTERM and SIGKILL, and the wait for the exit after the connection closed (§13.3). Default 2 000 ms. */
  killTimeoutMs?: number;
  /** Where the instance's records and the plugin's output go, under `plugin` and `instance` fields. Default: the factory's logger. */
  logger?: Logger;
  /** The plugin's own settings, sent in Welcome (§4.4). Default: null. */
  settings?: PlainValue;
  /** The most calls the plugin may have open toward the host, Welcome.max_calls_in_flight (§5.6); 0: no limit. Default 1 024. */
  maxCallsInFlight?: number;
  /** The most streaming calls the plugin may have open toward the host, Welcome.max_open_streams (§5.6.4); 0: no limit. Default 256. */
  maxOpenStreams?: number;
}

/** ResolvedInstanceOptions are InstanceOptions with every default filled in. */
export type ResolvedInstanceOptions = Required<Omit<InstanceOptions, "cwd" | "env" | "logger" | "settings">> &
  Pick<InstanceOptions, "cwd" | "env" | "settings"> & { logger: Logger };

const PLUGIN_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * resolveInstanceOptions fills in the defaults and checks the options up front, throwing an
 * error that names the option and says what it must be.
 */
export function resolveInstanceOptions(options: InstanceOptions, logger: Logger): ResolvedInstanceOptions {
  if (!PLUGIN_NAME.test(options.plugin)) {
    throw new TypeError(`plugin name ${JSON.stringify(options.plugin)} is invalid: it must match [A-Za-z0-9_-]{1,64}`);
  }
  const command = options.command;
  if (!Array.isArray(command) || command.length === 0 || !command.every((part) => typeof part === "string") || command[0] === "") {
    throw new TypeError(`plugin ${options.plugin}: command must be a non-empty array of strings, the program first (e.g. ["node", "plugin.js"])`);
  }
  const resolved: ResolvedInstanceOptions = {
    ...options,
    command: [...command],
    maxConcurrency: options.maxConcurrency ?? Infinity,
    startupTimeoutMs: options.startupTimeoutMs ?? 10_000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5_000,
    heartbeatMissLimit: options.heartbeatMissLimit ?? 3,
    killTimeoutMs: options.killTimeoutMs ?? 2_000,
    maxCallsInFlight: options.maxCallsInFlight ?? 1_024,
    maxOpenStreams: options.maxOpenStreams ?? 256,
    logger: options.logger ?? logger,
  };
  const name = `plugin ${options.plugin}`;
  requireNumber(name, "maxConcurrency", resolved.maxConcurrency, 1, "at least 1 (or Infinity for no limit)", false);
  requireNumber(name, "startupTimeoutMs", resolved.startupTimeoutMs, 1, "a positive number of milliseconds");
  requireNumber(name, "heartbeatIntervalMs", resolved.heartbeatIntervalMs, 0, "0 (no heartbeat) or a positive number of milliseconds");
  requireNumber(name, "heartbeatMissLimit", resolved.heartbeatMissLimit, 1, "an integer of at least 1");
  requireNumber(name, "killTimeoutMs", resolved.killTimeoutMs, 0, "a number of milliseconds, 0 or more");
  if (!Number.isInteger(resolved.heartbeatMissLimit)) {
    throw new TypeError(`${name}: heartbeatMissLimit must be an integer of at least 1, not ${resolved.heartbeatMissLimit}`);
  }
  return resolved;
}

function requireNumber(name: string, option: string, value: number, min: number, what: string, finite = true): void {
  if (typeof value !== "number" || Number.isNaN(value) || value < min || (finite && !Number.isFinite(value))) {
    throw new TypeError(`${name}: ${option} must be ${what}, not ${String(value)}`);
  }
}
