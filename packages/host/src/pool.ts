import { PluginError, type FunctionInfo, type PlainValue } from "@polyproc/protocol";
import { CallQueue, type QueueExpiry } from "./call-queue.js";
import type { PluginInstance } from "./instance-types.js";
import type { InstanceSlot } from "./instance-slot.js";
import type { ResolvedPluginConfig } from "./plugin-options.js";
import { busyError, callableError, notReadyError } from "./pool-checks.js";
import { cancelledError, closedError, deadlineError, failedError, stoppedError } from "./pool-errors.js";
import { PoolJob, type PoolJobInit } from "./pool-job.js";
import { PoolSupervisor, type SupervisorDeps } from "./pool-supervisor.js";
import { CallRecorder, type PluginStats, type PluginState } from "./stats.js";

/** How soon a pool looks again for room taken by calls it gave up but that are still open (§7.4). */
const LINGER_CHECK_MS = 5;

/** PoolCallOptions are the options of one call through a pool. */
export interface PoolCallOptions {
  /** Absolute deadline on performance.now()'s clock; absent: none. */
  deadline?: number;
  signal?: AbortSignal;
  metadata?: Record<string, string>;
  /** Calls with the same key run on the same instance slot. */
  affinityKey?: string;
  /** Retry once on another instance if the instance ends under the call (§14.1.3). */
  idempotent?: boolean;
}

/**
 * PluginPool runs the calls of one plugin on its instances: each call goes to the ready
 * instance with the fewest calls in flight below its maxConcurrency (or, with an affinity
 * key, to the key's slot); when none can take it, it waits in a bounded queue for up to
 * queue.timeoutMs, then fails with RESOURCE_EXHAUSTED. A call whose instance ends under it
 * is retried once elsewhere when idempotent (§14.1.3). Its PoolSupervisor keeps the
 * instances running.
 */
export class PluginPool {
  readonly supervisor: PoolSupervisor;
  private readonly queue: CallQueue<PoolJob>;
  private readonly recorder = new CallRecorder();
  private readonly now: () => number;
  private rotor = 0;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly config: ResolvedPluginConfig,
    deps: SupervisorDeps,
  ) {
    this.now = deps.now ?? (() => performance.now());
    this.queue = new CallQueue<PoolJob>({ ...config.queue, now: this.now });
    this.supervisor = new PoolSupervisor(config, deps, {
      capacity: () => this.pump(),
      halted: () => this.failQueued(),
    });
  }

  get name(): string {
    return this.config.name;
  }

  get state(): PluginState {
    return this.supervisor.state;
  }

  /** functions are the plugin's functions from its latest Hello; undefined before one. */
  get functions(): readonly FunctionInfo[] | undefined {
    return this.supervisor.functions;
  }

  /** start starts every instance and resolves when all are ready (see PoolSupervisor.start). */
  start(): Promise<void> {
    return this.supervisor.start();
  }

  /** restart replaces every instance with a fresh one (the old ones drain) and clears a failed state. */
  restart(graceMs = this.config.graceMs): Promise<void> {
    return this.supervisor.start(graceMs);
  }

  /** stop takes the plugin out of service until restart; its instances drain for up to graceMs. */
  stop(graceMs = this.config.graceMs): Promise<void> {
    return this.supervisor.halt("stopped", graceMs);
  }

  /** close stops the plugin for good. */
  close(graceMs = this.config.graceMs): Promise<void> {
    return this.supervisor.halt("closed", graceMs);
  }

  /** call runs one function on an instance (see the class comment). It always settles. */
  call(fn: string, args: PlainValue, options: PoolCallOptions = {}): Promise<PlainValue> {
    return new Promise<PlainValue>((resolve, reject) => {
      const started = this.now();
      const settle = (job: PoolJob, value: PlainValue | undefined, error: unknown) => {
        this.recorder.record(this.now() - job.startedAt, error);
        if (error === undefined) resolve(value as PlainValue);
        else reject(error);
      };
      const refusal = this.refusal(fn);
      const info = this.functions?.find((candidate) => candidate.name === fn);
      const init: PoolJobInit = {
        fn,
        args,
        deadline: options.deadline,
        signal: options.signal,
        metadata: options.metadata,
        slot: options.affinityKey === undefined ? undefined : affinitySlot(options.affinityKey, this.supervisor.slots.length),
        idempotent: options.idempotent === true || info?.idempotent === true,
      };
      const job = new PoolJob(init, started, (expired, why, waited) => this.expired(expired, why, waited), settle);
      if (refusal !== undefined) job.fail(refusal);
      else this.submit(job);
    });
  }

  /** stats returns the plugin's numbers and each slot's. */
  stats(): PluginStats {
    const instances = this.supervisor.slots.map((slot) => slot.stats());
    const rtts = instances.map((instance) => instance.heartbeatRttMs).filter((rtt) => rtt !== undefined);
    return {
      name: this.name,
      state: this.state,
      ...this.recorder.snapshot(),
      inFlight: instances.reduce((sum, instance) => sum + instance.inFlight, 0),
      queued: this.queue.length,
      restarts: instances.reduce((sum, instance) => sum + instance.restarts, 0),
      heartbeatRttMs: rtts.length === 0 ? undefined : Math.max(...rtts),
      instances,
    };
  }

  private refusal(fn: string): PluginError | undefined {
    switch (this.state) {
      case "failed":
        return failedError(this.name, this.supervisor.failure ?? "crash loop", this.supervisor.lastExit?.exit);
      case "stopped":
        return stoppedError(this.name);
      case "closed":
        return closedError(this.name, fn);
      default:
        return callableError(this.name, fn, this.functions);
    }
  }

  private submit(job: PoolJob): void {
    const { fn, signal, deadline } = job.init;
    if (signal?.aborted === true) return job.fail(cancelledError(this.name, fn, signal, "before it was sent"));
    if (deadline !== undefined && deadline <= this.now()) return job.fail(deadlineError(this.name, fn, "before it was sent"));
    const slot = this.pick(job);
    if (slot !== undefined) return this.run(job, slot);
    if (!this.queue.push(job)) return job.fail(this.anyReady(job) ? busyError(this, job, "full") : notReadyError(this, job));
    this.watchLingering();
  }

  private pick(job: PoolJob): InstanceSlot | undefined {
    const slots = this.supervisor.slots;
    if (job.init.slot !== undefined) {
      const slot = slots[job.init.slot];
      return slot?.accepts(job.avoid) === true ? slot : undefined;
    }
    let best: InstanceSlot | undefined;
    // Ties go round-robin, so that sequential calls spread over the instances.
    this.rotor = (this.rotor + 1) % slots.length;
    for (let offset = 0; offset < slots.length; offset++) {
      const slot = slots[(this.rotor + offset) % slots.length] as InstanceSlot;
      if (slot.accepts(job.avoid) && (best === undefined || slot.load < best.load)) best = slot;
    }
    return best;
  }

  private run(job: PoolJob, slot: InstanceSlot): void {
    const tracked = slot.current;
    if (tracked === undefined) return;
    const { fn, args, deadline, metadata, signal } = job.init;
    tracked.dispatched += 1;
    const started = this.now();
    let attempt: Promise<PlainValue>;
    try {
      attempt = tracked.instance.call(fn, args, { deadline, metadata, signal });
    } catch (error) {
      attempt = Promise.reject(error);
    }
    attempt.then(
      (value) => {
        tracked.dispatched -= 1;
        slot.recorder.record(this.now() - started);
        job.succeed(value);
        this.pump();
      },
      (error: unknown) => {
        tracked.dispatched -= 1;
        slot.recorder.record(this.now() - started, error);
        this.attemptFailed(job, tracked.instance, error);
        this.pump();
      },
    );
  }

  /** attemptFailed retries once a call whose instance ended under it, when that is safe (§14.1.3). */
  private attemptFailed(job: PoolJob, instance: PluginInstance, error: unknown): void {
    const retry =
      job.attempt === 1 &&
      job.init.idempotent &&
      PluginError.is(error, "UNAVAILABLE") &&
      !error.remote &&
      this.supervisor.isAlive &&
      job.init.signal?.aborted !== true;
    if (!retry) return job.fail(error);
    job.attempt = 2;
    job.avoid = instance;
    job.firstError = error;
    this.submit(job);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const job = this.queue.take((candidate) => this.pick(candidate) !== undefined);
      if (job === undefined) break;
      const slot = this.pick(job);
      if (slot === undefined) return job.fail(new PluginError("INTERNAL", "the pool lost the instance it picked"));
      this.run(job, slot);
    }
    this.watchLingering();
  }

  /**
   * watchLingering looks again shortly while calls wait and an instance still counts calls
   * this pool has given up (cancelled, deadline passed): they stay open until their answer
   * arrives (§7.4), and no instance event tells when that happens.
   */
  private watchLingering(): void {
    if (this.lingerTimer !== undefined || this.queue.length === 0) return;
    const lingering = this.supervisor.slots.some((slot) => slot.current !== undefined && slot.current.instance.inFlight > slot.current.dispatched);
    if (!lingering) return;
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      this.pump();
    }, LINGER_CHECK_MS);
  }

  private expired(job: PoolJob, why: QueueExpiry, waitedMs: number): void {
    const where = `after ${Math.round(waitedMs)} ms in plugin ${this.name}'s queue`;
    if (why === "aborted") return job.fail(cancelledError(this.name, job.init.fn, job.init.signal, where));
    if (why === "deadline") return job.fail(deadlineError(this.name, job.init.fn, where));
    job.fail(this.anyReady(job) ? busyError(this, job, "timeout") : notReadyError(this, job));
  }

  /** anyReady tells whether an instance the job may run on is ready (if busy). */
  private anyReady(job: PoolJob): boolean {
    const slots = this.supervisor.slots;
    const candidates = job.init.slot === undefined ? slots : slots.filter((slot) => slot.index === job.init.slot);
    return candidates.some((slot) => slot.isReady && slot.current?.instance !== job.avoid);
  }

  private failQueued(): void {
    for (const job of this.queue.drain()) job.fail(this.refusal(job.init.fn) ?? closedError(this.name, job.init.fn));
  }
}

/**
 * affinitySlot maps an affinity key to a slot: FNV-1a over the key's UTF-16 code units,
 * modulo the number of slots. The same key always maps to the same slot of a pool.
 */
export function affinitySlot(key: string, slots: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % slots;
}
