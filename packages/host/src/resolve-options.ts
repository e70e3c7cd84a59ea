import { toValue } from "@polyproc/protocol";
import {
  pluginDefaults,
  type PluginConfig,
  type PluginDefaults,
  type PluginHostOptions,
  type ResolvedPluginConfig,
} from "./plugin-options.js";
import { checkPermissions } from "./permissions.js";
import { checkPubsubOptions, resolvePubsubOptions } from "./pubsub-options.js";

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
// Welcome's limits are uint32 (§4.4).
const MAX_UINT32 = 0xffffffff;

/**
 * resolvePluginConfigs checks PluginHost options up front and fills in the defaults (a
 * plugin's own setting, else the host's, else the built-in one). It throws a TypeError
 * naming the first offending field and what it must be.
 */
export function resolvePluginConfigs(options: PluginHostOptions): ResolvedPluginConfig[] {
  if (typeof options !== "object" || options === null) fail("options", "must be an object", options);
  if (!Array.isArray(options.plugins)) fail("plugins", "must be an array of plugin configs", options.plugins);
  checkDefaults(options, "options");
  const seen = new Set<string>();
  return options.plugins.map((plugin, index) => {
    const field = `plugins[${index}]`;
    if (typeof plugin !== "object" || plugin === null) fail(field, "must be an object", plugin);
    const resolved = resolvePlugin(plugin, options, field);
    if (seen.has(resolved.name)) fail(`${field}.name`, "must be unique: another plugin has it", resolved.name);
    seen.add(resolved.name);
    return resolved;
  });
}

/**
 * resolveLoadedConfig checks and completes the config of one plugin added while the host runs
 * (host.load, host.reload) as resolvePluginConfigs does, with the host's options as defaults.
 * `context` (`host.load`) begins the TypeError's message.
 */
export function resolveLoadedConfig(plugin: PluginConfig, host: PluginDefaults, context: string): ResolvedPluginConfig {
  try {
    if (typeof plugin !== "object" || plugin === null) fail("config", "must be a plugin config object { name, command, ... }", plugin);
    return resolvePlugin(plugin, host, "config");
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const message = error.message.replace(/^invalid PluginHost options: /, "");
    throw new TypeError(`${context}: invalid plugin config: ${message}`, { cause: error });
  }
}

function resolvePlugin(plugin: PluginConfig, host: PluginDefaults, field: string): ResolvedPluginConfig {
  if (typeof plugin.name !== "string" || !NAME.test(plugin.name)) {
    fail(`${field}.name`, "must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -", plugin.name);
  }
  const at = `${field} ("${plugin.name}")`;
  checkCommand(plugin.command, `${at}.command`);
  if (plugin.cwd !== undefined && typeof plugin.cwd !== "string") fail(`${at}.cwd`, "must be a string", plugin.cwd);
  checkEnv(plugin.env, `${at}.env`);
  checkSettings(plugin, at);
  const problem = checkPermissions(plugin.permissions, `${field}.permissions`);
  if (problem !== undefined) throw new TypeError(problem);
  checkDefaults(plugin, at);
  const pick = <K extends keyof PluginDefaults>(key: K) => plugin[key] ?? host[key];
  const resolved: ResolvedPluginConfig = {
    name: plugin.name,
    command: [...plugin.command],
    cwd: plugin.cwd,
    env: { ...plugin.env },
    settings: plugin.settings ?? null,
    permissions: {
      hostFunctions: [...(plugin.permissions?.hostFunctions ?? [])],
      call: [...(plugin.permissions?.call ?? [])],
      publish: [...(plugin.permissions?.publish ?? [])],
      subscribe: [...(plugin.permissions?.subscribe ?? [])],
    },
    instances: pick("instances") ?? pluginDefaults.instances,
    maxConcurrency: pick("maxConcurrency") ?? pluginDefaults.maxConcurrency,
    queue: { ...pluginDefaults.queue, ...host.queue, ...plugin.queue },
    startupTimeoutMs: pick("startupTimeoutMs") ?? pluginDefaults.startupTimeoutMs,
    heartbeat: { ...pluginDefaults.heartbeat, ...host.heartbeat, ...plugin.heartbeat },
    restart: { ...pluginDefaults.restart, ...host.restart, ...plugin.restart },
    killTimeoutMs: pick("killTimeoutMs") ?? pluginDefaults.killTimeoutMs,
    graceMs: pick("graceMs") ?? pluginDefaults.graceMs,
    callTimeoutMs: pick("callTimeoutMs") ?? pluginDefaults.callTimeoutMs,
    maxCallsInFlight: pick("maxCallsInFlight") ?? pluginDefaults.maxCallsInFlight,
    maxOpenStreams: pick("maxOpenStreams") ?? pluginDefaults.maxOpenStreams,
    pubsub: resolvePubsubOptions(host.pubsub, plugin.pubsub),
  };
  if (resolved.restart.maxMs < resolved.restart.baseMs) {
    fail(`${at}.restart.maxMs`, `must be at least restart.baseMs (${resolved.restart.baseMs})`, resolved.restart.maxMs);
  }
  return resolved;
}

function checkCommand(command: unknown, field: string): asserts command is string[] {
  if (!Array.isArray(command) || command.length === 0) {
    fail(field, 'must be a non-empty array: the program and its arguments, e.g. ["node", "plugin.js"]', command);
  }
  command.forEach((part: unknown, index) => {
    if (typeof part !== "string" || (index === 0 && part === "")) fail(`${field}[${index}]`, "must be a non-empty string", part);
  });
}

function checkEnv(env: unknown, field: string): void {
  if (env === undefined) return;
  if (typeof env !== "object" || env === null || Array.isArray(env)) fail(field, "must be an object of strings", env);
  for (const [key, value] of Object.entries(env)) {
    if (typeof value !== "string") fail(`${field}.${key}`, "must be a string", value);
    if (key.startsWith("POLYPROC_")) fail(`${field}.${key}`, "is set by the host for each instance; remove it", value);
  }
}

function checkSettings(plugin: PluginConfig, at: string): void {
  if (plugin.settings === undefined) return;
  try {
    toValue(plugin.settings, `${at}.settings`);
  } catch (error) {
    throw new TypeError(`invalid PluginHost options: ${(error as Error).message}`, { cause: error });
  }
}

function checkDefaults(source: PluginDefaults, at: string): void {
  integer(source.instances, `${at}.instances`, 1);
  integer(source.maxConcurrency, `${at}.maxConcurrency`, 1);
  integer(source.maxCallsInFlight, `${at}.maxCallsInFlight`, 0, MAX_UINT32);
  integer(source.maxOpenStreams, `${at}.maxOpenStreams`, 0, MAX_UINT32);
  const pubsubProblem = checkPubsubOptions(source.pubsub, `${at}.pubsub`);
  if (pubsubProblem !== undefined) throw new TypeError(`invalid PluginHost options: ${pubsubProblem}`);
  duration(source.startupTimeoutMs, `${at}.startupTimeoutMs`, false);
  duration(source.killTimeoutMs, `${at}.killTimeoutMs`, true);
  duration(source.graceMs, `${at}.graceMs`, true);
  if (source.callTimeoutMs !== Infinity) duration(source.callTimeoutMs, `${at}.callTimeoutMs`, false);
  if (object(source.queue, `${at}.queue`)) {
    integer(source.queue.size, `${at}.queue.size`, 0);
    duration(source.queue.timeoutMs, `${at}.queue.timeoutMs`, false);
  }
  if (object(source.heartbeat, `${at}.heartbeat`)) {
    duration(source.heartbeat.intervalMs, `${at}.heartbeat.intervalMs`, true);
    integer(source.heartbeat.missLimit, `${at}.heartbeat.missLimit`, 1);
  }
  if (object(source.restart, `${at}.restart`)) {
    duration(source.restart.baseMs, `${at}.restart.baseMs`, false);
    duration(source.restart.maxMs, `${at}.restart.maxMs`, false);
    integer(source.restart.maxRestarts, `${at}.restart.maxRestarts`, 0);
    duration(source.restart.windowMs, `${at}.restart.windowMs`, false);
  }
}

function object(value: unknown, field: string): value is object {
  if (value === undefined) return false;
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(field, "must be an object", value);
  return true;
}

function integer(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(field, max === Number.MAX_SAFE_INTEGER ? `must be an integer >= ${min}` : `must be an integer from ${min} to ${max}`, value);
  }
}

function duration(value: unknown, field: string, zeroAllowed: boolean): void {
  if (value === undefined) return;
  const ok = typeof value === "number" && Number.isFinite(value) && (zeroAllowed ? value >= 0 : value > 0);
  if (!ok) fail(field, `must be a finite number of ms ${zeroAllowed ? ">= 0" : "> 0"}`, value);
}

function fail(field: string, rule: string, value: unknown): never {
  throw new TypeError(`invalid PluginHost options: ${field} ${rule}, got ${show(value)}`);
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
