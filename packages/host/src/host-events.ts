import type { ExitInfo, InstanceState } from "./instance-types.js";
import type { Logger } from "./logger.js";

/** InstanceEvent reports an instance's change of state (starting → ready → draining → stopped | crashed). */
export interface InstanceEvent {
  plugin: string;
  /** The instance id, e.g. `math-3`. */
  instance: string;
  /** The pool slot it fills, 0-based. */
  slot: number;
  state: InstanceState;
  previous: InstanceState;
}

/** ExitEvent reports that an instance's process ended, and how (§14.1). */
export interface ExitEvent extends ExitInfo {
  plugin: string;
  instance: string;
  slot: number;
}

/** RestartEvent reports that an exited instance will be replaced after `delayMs`. */
export interface RestartEvent {
  plugin: string;
  /** The instance that exited. */
  instance: string;
  slot: number;
  /** 1 for the slot's first restart since it last ran steadily (see RestartOptions.windowMs). */
  attempt: number;
  delayMs: number;
}

/** FailedEvent reports that a plugin was marked failed by the crash-loop breaker. */
export interface FailedEvent {
  plugin: string;
  /** Why, with the last exit and its stderr tail. */
  reason: string;
}

/**
 * LoadEvent reports the progress of host.load: `starting` (the plugin's instances are being
 * started), then `ready` (they are, and calls reach them) or `failed` (they could not start
 * and were stopped; `reason` says why).
 */
export interface LoadEvent {
  plugin: string;
  phase: "starting" | "ready" | "failed";
  reason?: string;
}

/**
 * UnloadEvent reports the progress of host.unload: `draining` (the plugin is gone from the
 * host's tables, its instances finish their calls) then `unloaded` (every process ended).
 */
export interface UnloadEvent {
  plugin: string;
  phase: "draining" | "unloaded";
}

/**
 * ReloadEvent reports the progress of host.reload: `starting` (new instances start while the
 * old ones serve), then either `switched` (new calls go to the new instances, the old ones
 * drain) and `done` (the old processes ended), or `failed` (the new instances could not
 * start and were stopped; the old ones keep serving; `reason` says why).
 */
export interface ReloadEvent {
  plugin: string;
  phase: "starting" | "switched" | "done" | "failed";
  reason?: string;
}

/** HostEvents maps each event name of PluginHost.on to its listener. */
export interface HostEvents {
  instance: (event: InstanceEvent) => void;
  exit: (event: ExitEvent) => void;
  restart: (event: RestartEvent) => void;
  failed: (event: FailedEvent) => void;
  load: (event: LoadEvent) => void;
  unload: (event: UnloadEvent) => void;
  reload: (event: ReloadEvent) => void;
}

/** HostEventName is one of the names PluginHost.on takes. */
export type HostEventName = keyof HostEvents;

/**
 * HostEventEmitter keeps the listeners of the host's events. A listener that throws is
 * logged and does not keep the others from running.
 */
export class HostEventEmitter {
  private readonly listeners = new Map<HostEventName, Set<(event: never) => void>>();

  constructor(private readonly logger: Logger) {}

  /** on adds a listener and returns a function that removes it. */
  on<E extends HostEventName>(event: E, listener: HostEvents[E]): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** emit calls the listeners of one event in the order they were added. */
  emit<E extends HostEventName>(event: E, payload: Parameters<HostEvents[E]>[0]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as (payload: Parameters<HostEvents[E]>[0]) => void)(payload);
      } catch (error) {
        this.logger.error("a host event listener threw", { event, error });
      }
    }
  }
}
