import { PluginError, type FunctionInfo } from "@polyproc/protocol";
import { CrashLoopBreaker } from "./crash-loop.js";
import type { HostEventEmitter } from "./host-events.js";
import type { ExitInfo, PluginInstance } from "./instance-types.js";
import { InstanceSlot, type TrackedInstance } from "./instance-slot.js";
import type { Logger } from "./logger.js";
import type { InstanceFactory, ResolvedPluginConfig } from "./plugin-options.js";
import { describeExit, withStderr } from "./pool-errors.js";
import type { PluginState } from "./stats.js";

/** SupervisorDeps are what a PoolSupervisor needs from its host. */
export interface SupervisorDeps {
  factory: InstanceFactory;
  logger: Logger;
  events: HostEventEmitter;
  random?: () => number;
  /** The clock, in ms; default performance.now. */
  now?: () => number;
  /** The numbering of instance ids, shared with the pool this one replaces (host.reload); default from 1. */
  instanceCounter?: InstanceCounter;
}

/** InstanceCounter numbers a plugin's instances (`math-1`, `math-2`, …), across the pools host.reload swaps. */
export interface InstanceCounter {
  last: number;
}

/** SupervisorHooks tell the dispatching side of the pool what changed. */
export interface SupervisorHooks {
  /** An instance became ready, or one of its calls stopped counting: queued calls may run now. */
  capacity(): void;
  /** The plugin left the running states (failed, stopped, closed): queued calls must fail. */
  halted(): void;
}

/** The last exit of any instance of the plugin. */
export interface LastExit {
  instance: string;
  exit: ExitInfo;
}

/**
 * PoolSupervisor keeps a plugin's instance slots filled (PROTOCOL.md §14.1.4): it starts the
 * instances, restarts one that exits with exponential backoff and full jitter, and marks the
 * plugin failed when exits come faster than the restart policy allows (a crash loop).
 */
export class PoolSupervisor {
  state: PluginState = "starting";
  /** Why the plugin is failed, while it is. */
  failure: string | undefined;
  lastExit: LastExit | undefined;
  /** The functions of the last instance that became ready; undefined before any did. */
  functions: readonly FunctionInfo[] | undefined;
  readonly slots: InstanceSlot[];
  private readonly breaker: CrashLoopBreaker;
  private readonly stopping = new Set<Promise<unknown>>();
  private readonly now: () => number;
  /** The numbering of this plugin's instance ids. */
  readonly counter: InstanceCounter;
  private generation = 0;
  private launched: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: ResolvedPluginConfig,
    private readonly deps: SupervisorDeps,
    private readonly hooks: SupervisorHooks,
  ) {
    this.now = deps.now ?? (() => performance.now());
    this.counter = deps.instanceCounter ?? { last: 0 };
    this.breaker = new CrashLoopBreaker(config.restart);
    this.slots = Array.from({ length: config.instances }, (_, index) => new InstanceSlot(index, config.restart, deps.random));
  }

  /** isAlive tells whether calls may be dispatched or queued (starting or running). */
  get isAlive(): boolean {
    return this.state === "starting" || this.state === "running";
  }

  /**
   * launch fills every slot with a fresh instance, retiring (draining) the instances there,
   * and resolves when all new ones are ready. If one ends before it is ready, the plugin is
   * marked failed and launch rejects with a PluginError naming it and its stderr tail.
   */
  private async launch(graceMs = this.config.graceMs): Promise<void> {
    const generation = ++this.generation;
    this.state = "starting";
    this.failure = undefined;
    this.breaker.reset();
    const fresh = this.slots.map((slot) => {
      slot.cancelRestart();
      slot.backoff.reset();
      if (slot.current !== undefined) this.retire(slot.current, graceMs);
      return this.fill(slot);
    });
    try {
      await Promise.all(fresh);
    } catch (error) {
      // A later launch replaced these instances: its outcome is this one's.
      if (generation !== this.generation && this.isAlive) return this.launched;
      const cause = PluginError.from(error);
      const message = `plugin ${this.config.name} could not start: ${cause.message}`;
      if (this.isAlive) this.markFailed(message);
      throw new PluginError(cause.code, message, { details: cause.details, cause, retryable: cause.retryable });
    }
    if (generation !== this.generation) return this.launched;
    if (this.state !== "starting") return;
    this.state = "running";
    this.hooks.capacity();
  }

  /** start runs launch and remembers it, so that a launch replaced by a later one can await that one. */
  start(graceMs?: number): Promise<void> {
    this.launched = this.launch(graceMs);
    return this.launched;
  }

  /**
   * halt takes the plugin out of service (`stopped` by host.stop, `closed` by host.close):
   * no more restarts, queued calls fail, and every instance drains for up to graceMs (§13).
   * It resolves when every process has ended.
   */
  async halt(state: "stopped" | "closed", graceMs: number): Promise<void> {
    if (this.state !== "closed") this.state = state;
    this.hooks.halted();
    for (const slot of this.slots) {
      slot.cancelRestart();
      if (slot.current !== undefined) this.retire(slot.current, graceMs);
    }
    await Promise.all([...this.stopping]);
  }

  /**
   * fill starts an instance in a slot and returns its `ready`. A factory that throws (a
   * command that cannot be spawned at all) cannot be helped by restarts: the plugin is failed.
   */
  private fill(slot: InstanceSlot): Promise<void> {
    const id = `${this.config.name}-${++this.counter.last}`;
    const logger = this.deps.logger.child({ instance: id });
    let instance: PluginInstance;
    try {
      instance = this.deps.factory(this.config, { id, slot: slot.index, logger });
    } catch (error) {
      const message = `instance ${id} could not be started: ${error instanceof Error ? error.message : String(error)}`;
      if (this.state === "running") this.markFailed(message);
      return Promise.reject(new PluginError("FAILED_PRECONDITION", message, { cause: error }));
    }
    const tracked: TrackedInstance = { instance, dispatched: 0, readyAt: undefined, stopping: false };
    slot.current = tracked;
    instance.ready.catch(() => {}); // its failure arrives as an exit; launch awaits it separately
    instance.on("state", (state, previous) => {
      this.deps.events.emit("instance", { plugin: this.config.name, instance: id, slot: slot.index, state, previous });
      if (state !== "ready") return;
      tracked.readyAt = this.now();
      this.functions = instance.functions;
      if (slot.current === tracked) this.hooks.capacity();
    });
    instance.on("capacity", () => {
      if (slot.current === tracked) this.hooks.capacity();
    });
    instance.on("exit", (exit) => this.onExit(slot, tracked, exit));
    return instance.ready;
  }

  private retire(tracked: TrackedInstance, graceMs: number): void {
    if (tracked.stopping || tracked.instance.state === "stopped" || tracked.instance.state === "crashed") return;
    tracked.stopping = true;
    const stopped = tracked.instance.stop(graceMs).catch((error: unknown) => {
      this.deps.logger.error("stopping an instance failed", { instance: tracked.instance.id, error });
    });
    this.stopping.add(stopped);
    void stopped.finally(() => this.stopping.delete(stopped));
  }

  private onExit(slot: InstanceSlot, tracked: TrackedInstance, exit: ExitInfo): void {
    const id = tracked.instance.id;
    this.deps.events.emit("exit", { ...exit, plugin: this.config.name, instance: id, slot: slot.index });
    this.lastExit = { instance: id, exit };
    if (tracked.stopping || slot.current !== tracked || !this.isAlive) return;
    // An instance that never became ready while the plugin starts fails launch() instead.
    if (this.state === "starting" && tracked.readyAt === undefined) return;
    const log = { exitCode: exit.exitCode, signal: exit.signal, reason: exit.reason, stderrTail: exit.stderrTail };
    this.deps.logger.warn(`instance ${id} ended unexpectedly`, log);
    if (this.breaker.recordExit(this.now())) {
      const window = this.config.restart.windowMs;
      const count = this.config.restart.maxRestarts + 1;
      this.markFailed(withStderr(`${count} exits within ${window} ms (restart.maxRestarts is ${count - 1}); the last: ${describeExit(id, exit)}`, exit));
      return;
    }
    if (tracked.readyAt !== undefined && this.now() - tracked.readyAt >= this.config.restart.windowMs) slot.backoff.reset();
    this.scheduleRestart(slot, id);
  }

  private scheduleRestart(slot: InstanceSlot, exited: string): void {
    const delayMs = slot.backoff.next();
    slot.restarts += 1;
    this.deps.logger.info(`restarting ${exited} in ${delayMs} ms`, { slot: slot.index, attempt: slot.backoff.attempt });
    this.deps.events.emit("restart", {
      plugin: this.config.name,
      instance: exited,
      slot: slot.index,
      attempt: slot.backoff.attempt,
      delayMs,
    });
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      if (this.isAlive) this.fill(slot).catch(() => {}); // an exit or markFailed reports it
    }, delayMs);
  }

  private markFailed(reason: string): void {
    this.state = "failed";
    this.failure = reason;
    this.deps.logger.error(`plugin ${this.config.name} is marked failed`, { reason });
    this.hooks.halted();
    for (const slot of this.slots) {
      slot.cancelRestart();
      if (slot.current !== undefined) this.retire(slot.current, this.config.graceMs);
    }
    this.deps.events.emit("failed", { plugin: this.config.name, reason });
  }
}
