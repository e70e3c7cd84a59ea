// Plugins added, removed and replaced while the host runs: host.load, host.unload and
// host.reload (blue/green), keeping the routing table and the permissions in step.
import { PluginError } from "@polyproc/protocol";
import type { HostEventEmitter } from "./host-events.js";
import { Grants } from "./permissions.js";
import type { PluginCalls } from "./plugin-calls.js";
import type { PluginConfig, PluginDefaults, ResolvedPluginConfig } from "./plugin-options.js";
import { unknownPluginError } from "./pool-errors.js";
import { type PoolDeps, PluginPool } from "./pool.js";
import type { PluginPubsubConfig, PubsubBroker } from "./pubsub-broker.js";
import { resolveLoadedConfig } from "./resolve-options.js";

/** LiveDeps are the host's tables and services that live operations change and use. */
export interface LiveDeps {
  /** The routing table: host.call, host.stream and routed calls find plugins here. */
  pools: Map<string, PluginPool>;
  calls: PluginCalls;
  pubsub: PubsubBroker;
  /** The host's options, the defaults of every loaded config. */
  defaults: PluginDefaults;
  /** What each new pool gets; its logger is the host's (a child per plugin is made). */
  supervisor: PoolDeps;
  events: HostEventEmitter;
}

/** The permissions of one plugin, as calls and pub/sub hold them. */
interface Registration {
  grants: Grants | undefined;
  pubsub: PluginPubsubConfig | undefined;
}

/**
 * LiveOperations loads, unloads and reloads plugins of a running host. One operation at a
 * time per plugin name; each reports its phases as events (LoadEvent, UnloadEvent, ReloadEvent).
 */
export class LiveOperations {
  /** The operation in progress, by plugin name. */
  private readonly busy = new Map<string, string>();
  /** Pools still starting, which close must stop too. */
  private readonly starting = new Set<PluginPool>();
  /** Old pools draining after an unload or a reload, which close must wait for. */
  private readonly retiring = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly deps: LiveDeps) {}

  /**
   * load starts a new plugin and adds it to the routing table once its instances are ready.
   * It rejects with a TypeError for an invalid config or a name in use, and with the
   * startup's PluginError (the plugin's permissions withdrawn, its instances stopped).
   */
  async load(config: PluginConfig): Promise<void> {
    const resolved = resolveLoadedConfig(config, this.deps.defaults, "host.load");
    const name = resolved.name;
    if (this.deps.pools.has(name) || this.busy.has(name)) {
      throw new TypeError(`host.load: a plugin named "${name}" is already loaded; choose another name, or replace it with host.reload("${name}", config)`);
    }
    this.claim(name, "load");
    this.deps.events.emit("load", { plugin: name, phase: "starting" });
    const previous = this.register(resolved, "host.load(config).permissions");
    const pool = this.newPool(resolved);
    try {
      await this.startPool(pool, "host.load");
    } catch (error) {
      this.restore(name, previous);
      this.deps.events.emit("load", { plugin: name, phase: "failed", reason: PluginError.from(error).message });
      throw error;
    } finally {
      this.busy.delete(name);
    }
    this.deps.pools.set(name, pool);
    this.deps.events.emit("load", { plugin: name, phase: "ready" });
  }

  /**
   * unload removes a plugin: from now on calls to it get NOT_FOUND; its queued calls fail,
   * those in flight may finish within the grace (§13), and it resolves once every process
   * ended. Its permissions go with its last process.
   */
  async unload(name: string, graceMs?: number): Promise<void> {
    const pool = this.deps.pools.get(name);
    if (pool === undefined) throw unknownPluginError(name, this.deps.pools.keys());
    this.claim(name, "unload");
    this.deps.pools.delete(name);
    this.deps.events.emit("unload", { plugin: name, phase: "draining" });
    try {
      await this.retire(pool, graceMs);
    } finally {
      this.restore(name, { grants: undefined, pubsub: undefined });
      this.busy.delete(name);
    }
    this.deps.events.emit("unload", { plugin: name, phase: "unloaded" });
  }

  /**
   * reload replaces a plugin's instances without failing a call (blue/green): it starts new
   * ones (with `config`, or the current config), and once they are ready sends new calls and
   * the queued ones to them, while the old instances finish the calls they hold within the
   * grace and stop. If the new instances cannot start, the old ones keep serving (their
   * permissions restored) and it rejects with the startup error.
   */
  async reload(name: string, config?: PluginConfig, graceMs?: number): Promise<void> {
    const old = this.deps.pools.get(name);
    if (old === undefined) throw unknownPluginError(name, this.deps.pools.keys());
    const resolved = config === undefined ? old.config : resolveLoadedConfig(config, this.deps.defaults, `host.reload("${name}")`);
    if (resolved.name !== name) {
      throw new TypeError(`host.reload("${name}"): the config is named "${resolved.name}"; it must keep the name "${name}" (add a new plugin with host.load)`);
    }
    this.claim(name, "reload");
    this.deps.events.emit("reload", { plugin: name, phase: "starting" });
    const previous = config === undefined ? undefined : this.register(resolved, `host.reload("${name}", config).permissions`);
    const pool = this.newPool(resolved, old);
    try {
      await this.startPool(pool, `host.reload("${name}")`);
    } catch (error) {
      if (previous !== undefined) this.restore(name, previous);
      this.busy.delete(name);
      this.deps.events.emit("reload", { plugin: name, phase: "failed", reason: PluginError.from(error).message });
      throw error;
    }
    // The switch: one synchronous step, so that no call finds the plugin between the pools.
    this.deps.pools.set(name, pool);
    old.handOver(pool);
    this.deps.events.emit("reload", { plugin: name, phase: "switched" });
    try {
      await this.retire(old, graceMs);
    } finally {
      this.busy.delete(name);
    }
    this.deps.events.emit("reload", { plugin: name, phase: "done" });
  }

  /** close refuses further operations, stops the pools still starting and waits for those draining. */
  async close(graceMs?: number): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...[...this.starting].map((pool) => pool.close(graceMs)), ...this.retiring]);
  }

  /** retire stops a pool taken out of the routing table (§13: Shutdown, the grace, then signals). */
  private async retire(pool: PluginPool, graceMs: number | undefined): Promise<void> {
    const closing = pool.close(graceMs);
    this.retiring.add(closing);
    try {
      await closing;
    } finally {
      this.retiring.delete(closing);
    }
  }

  private claim(name: string, operation: string): void {
    if (this.closed) throw new PluginError("UNAVAILABLE", `host.${operation}("${name}"): the host is closed`);
    const running = this.busy.get(name);
    if (running !== undefined) {
      throw new PluginError("FAILED_PRECONDITION", `host.${operation}("${name}"): a ${running} of "${name}" is in progress; wait for it to settle and try again`);
    }
    this.busy.set(name, operation);
  }

  private newPool(config: ResolvedPluginConfig, replaces?: PluginPool): PluginPool {
    const deps = this.deps.supervisor;
    return new PluginPool(config, { ...deps, logger: deps.logger.child({ plugin: config.name }), instanceCounter: replaces?.supervisor.counter });
  }

  /** startPool starts a pool's instances; on failure (or a host closed meanwhile) it stops them before rejecting. */
  private async startPool(pool: PluginPool, operation: string): Promise<void> {
    this.starting.add(pool);
    try {
      await pool.start();
      if (this.closed) throw new PluginError("UNAVAILABLE", `${operation}: the host closed while ${pool.name} started`);
    } catch (error) {
      await pool.close(0);
      const cause = PluginError.from(error);
      const keeps = operation.startsWith("host.reload") ? "; the running instances keep serving" : "";
      throw new PluginError(cause.code, `${operation}: ${cause.message}${keeps}`, { details: cause.details, cause, retryable: cause.retryable });
    } finally {
      this.starting.delete(pool);
    }
  }

  /** register gives a plugin its permissions for calls and pub/sub, and returns those it had. */
  private register(config: ResolvedPluginConfig, field: string): Registration {
    const grants = new Grants(config.name, config.permissions, field);
    return {
      grants: this.deps.calls.setGrants(config.name, grants),
      pubsub: this.deps.pubsub.setPlugin(config.name, { name: config.name, grants, pubsub: config.pubsub }),
    };
  }

  private restore(name: string, registration: Registration): void {
    this.deps.calls.setGrants(name, registration.grants);
    this.deps.pubsub.setPlugin(name, registration.pubsub);
  }
}
