import { DEFAULT_INITIAL_CREDIT, PluginError, type FunctionInfo, type PlainValue } from "@polyproc/protocol";
import type { PoolCallOptions, PoolStreamOptions } from "./call-options.js";
import { CallQueue, type QueueExpiry } from "./call-queue.js";
import type { PluginInstance, StreamSink } from "./instance-types.js";
import type { InstanceSlot, TrackedInstance } from "./instance-slot.js";
import type { ResolvedPluginConfig } from "./plugin-options.js";
import { busyError, callableError, notReadyError } from "./pool-checks.js";
import { cancelledError, closedError, deadlineError, failedError, stoppedError } from "./pool-errors.js";
import { type JobOwner, PoolJob, type PoolJobInit } from "./pool-job.js";
import { PoolSupervisor, type SupervisorDeps } from "./pool-supervisor.js";
import { CallRecorder, type PluginStats, type PluginState } from "./stats.js";
import type { HostTelemetry } from "./host-telemetry.js";

/** PoolDeps are what a PluginPool needs from its host: its supervisor's, and the host's telemetry. */
export interface PoolDeps extends SupervisorDeps {
  /** The host's spans and metrics; undefined when telemetry is off. */
  telemetry?: HostTelemetry;
}

/**
 * PluginPool runs the calls of one plugin, streams included, on its instances: each call goes
 * to the ready instance with the fewest calls in flight below its maxConcurrency (or, with an
 * affinity key, to the key's slot); when none can take it, it waits in a bounded queue for up
 * to queue.timeoutMs, then fails with RESOURCE_EXHAUSTED. A call whose instance ends under it
 * is retried once elsewhere when idempotent (§14.1.3). Its PoolSupervisor keeps the
 * instances running.
 */
export class PluginPool {
  readonly supervisor: PoolSupervisor;
  /** The host's spans and metrics; undefined when telemetry is off (the calls' one check). */
  readonly telemetry: HostTelemetry | undefined;
  private readonly queue: CallQueue<PoolJob>;
  private readonly recorder = new CallRecorder();
  private readonly now: () => number;
  private readonly owner: JobOwner;
  private rotor = 0;
  /** The functions `byName` indexes, to rebuild it when a newer Hello changes them. */
  private indexed: readonly FunctionInfo[] | undefined;
  private byName = new Map<string, FunctionInfo>();

  constructor(
    readonly config: ResolvedPluginConfig,
    deps: PoolDeps,
  ) {
    this.telemetry = deps.telemetry;
    this.now = deps.now ?? (() => performance.now());
    this.queue = new CallQueue<PoolJob>({ ...config.queue, now: this.now });
    this.supervisor = new PoolSupervisor(config, deps, {
      capacity: () => this.pump(),
      halted: () => this.failQueued(),
    });
    this.owner = {
      expired: (job, why, waitedMs) => this.expired(job, why, waitedMs),
      settled: (job, error, now) => this.recorder.record((now ?? this.now()) - job.startedAt, error),
    };
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

  /**
   * call runs one function on an instance (see the class comment). It always settles. Its
   * deadline is options.timeoutMs (default: the plugin's callTimeoutMs) from now.
   */
  call(fn: string, args: PlainValue, options: PoolCallOptions = {}): Promise<PlainValue> {
    const idempotent = options.idempotent === true || this.info(fn)?.idempotent === true;
    return this.enqueue(fn, args, options, { idempotent, stream: undefined });
  }

  /**
   * stream runs one streaming function (§10) like a call: it takes an instance's place in
   * dispatch, the concurrency limits, the queue and the stats until its end. Its items go to
   * `sink`; the promise settles at its end. It is never retried: items may have been read.
   */
  async stream(fn: string, args: PlainValue, sink: StreamSink, options: PoolStreamOptions = {}): Promise<void> {
    const stream = { sink, initialCredit: options.window ?? DEFAULT_INITIAL_CREDIT };
    await this.enqueue(fn, args, options, { idempotent: false, stream });
  }

  private enqueue(fn: string, args: PlainValue, options: PoolStreamOptions, mode: Pick<PoolJobInit, "idempotent" | "stream">): Promise<PlainValue> {
    const started = this.now();
    const timeoutMs = options.timeoutMs ?? this.config.callTimeoutMs;
    const init: PoolJobInit = {
      fn,
      args,
      deadline: timeoutMs === Infinity ? undefined : started + timeoutMs,
      signal: options.signal,
      metadata: options.metadata,
      slot: options.affinityKey === undefined ? undefined : affinitySlot(options.affinityKey, this.supervisor.slots.length),
      affinityKey: options.affinityKey,
      ...mode,
    };
    return new Promise<PlainValue>((resolve, reject) => {
      const job = new PoolJob(init, started, this.owner, resolve, reject);
      const refusal = this.refusal(fn, init.stream !== undefined);
      if (refusal !== undefined) job.fail(refusal, started);
      else this.submit(job, started);
    });
  }

  /**
   * handOver moves the calls waiting in this pool's queue to `successor` (host.reload: the
   * pool of the new instances), where they keep their place, deadline and signal. Calls
   * running on this pool's instances stay with them.
   */
  handOver(successor: PluginPool): void {
    for (const job of this.queue.drain()) successor.adopt(job);
  }

  private adopt(job: PoolJob): void {
    job.transfer(this.owner);
    const key = job.init.affinityKey;
    job.init.slot = key === undefined ? undefined : affinitySlot(key, this.supervisor.slots.length);
    const now = this.now();
    const refusal = this.refusal(job.init.fn, job.init.stream !== undefined);
    if (refusal !== undefined) job.fail(refusal, now);
    else this.submit(job, now);
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

  private refusal(fn: string, streaming: boolean): PluginError | undefined {
    switch (this.state) {
      case "failed":
        return failedError(this.name, this.supervisor.failure ?? "crash loop", this.supervisor.lastExit?.exit);
      case "stopped":
        return stoppedError(this.name);
      case "closed":
        return closedError(this.name, fn);
      default: {
        const info = this.info(fn);
        return info !== undefined && (info.streaming === true) === streaming ? undefined : callableError(this.name, fn, this.functions, streaming);
      }
    }
  }

  /** info is the function's description from the latest Hello, if the plugin has it. */
  private info(fn: string): FunctionInfo | undefined {
    const functions = this.functions;
    if (functions !== this.indexed) {
      this.indexed = functions;
      this.byName = new Map(functions?.map((info) => [info.name, info]));
    }
    return this.byName.get(fn);
  }

  /** submit runs a job, or queues it when no instance can take it; `now` is the pool clock. */
  private submit(job: PoolJob, now: number): void {
    const { fn, signal, deadline } = job.init;
    if (signal?.aborted === true) return job.fail(cancelledError(this.name, fn, signal, "before it was sent"), now);
    if (deadline !== undefined && deadline <= now) return job.fail(deadlineError(this.name, fn, "before it was sent"), now);
    const slot = this.pick(job);
    if (slot !== undefined) return this.run(job, slot, now);
    if (!this.queue.push(job)) job.fail(this.anyReady(job) ? busyError(this, job, "full") : notReadyError(this, job), now);
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

  private run(job: PoolJob, slot: InstanceSlot, now: number): void {
    const tracked = slot.current;
    if (tracked === undefined) return;
    tracked.dispatched += 1;
    job.slot = slot;
    job.sentAt = now;
    const { fn, args, stream, deadline, metadata, signal } = job.init;
    let attempt: Promise<PlainValue>;
    try {
      if (stream === undefined) attempt = tracked.instance.call(fn, args, job.init);
      else attempt = tracked.instance.stream(fn, args, stream.sink, { deadline, metadata, signal, initialCredit: stream.initialCredit }).then(() => null);
    } catch (error) {
      attempt = Promise.reject(error);
    }
    attempt.then(
      (value) => this.attemptDone(job, tracked, value, undefined),
      (error: unknown) => this.attemptDone(job, tracked, undefined, error),
    );
  }

  /** attemptDone takes the outcome of one attempt: it settles the job or retries it, then runs waiting calls. */
  private attemptDone(job: PoolJob, tracked: TrackedInstance, value: PlainValue | undefined, error: unknown): void {
    const now = this.now();
    tracked.dispatched -= 1;
    (job.slot as InstanceSlot).recorder.record(now - job.sentAt, error);
    if (error === undefined) job.succeed(value as PlainValue, now);
    else this.attemptFailed(job, tracked.instance, error, now);
    if (this.queue.length > 0) this.pump();
  }

  /** attemptFailed retries once a call whose instance ended under it, when that is safe (§14.1.3). */
  private attemptFailed(job: PoolJob, instance: PluginInstance, error: unknown, now: number): void {
    const retry =
      job.attempt === 1 &&
      job.init.idempotent &&
      PluginError.is(error, "UNAVAILABLE") &&
      !error.remote &&
      this.supervisor.isAlive &&
      job.init.signal?.aborted !== true;
    if (!retry) return job.fail(error, now);
    job.attempt = 2;
    job.avoid = instance;
    job.firstError = error;
    this.submit(job, now);
  }

  /**
   * pump runs waiting calls while instances can take them. It runs when capacity frees up:
   * an attempt settled, an instance became ready, or the late answer of a call given up
   * arrived (§7.4; the supervisor forwards the instance's "capacity" event).
   */
  private pump(): void {
    if (this.queue.length === 0) return;
    const now = this.now();
    while (this.queue.length > 0) {
      const job = this.queue.take((candidate) => this.pick(candidate) !== undefined);
      if (job === undefined) break;
      const slot = this.pick(job);
      if (slot === undefined) return job.fail(new PluginError("INTERNAL", "the pool lost the instance it picked"), now);
      this.run(job, slot, now);
    }
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
    for (const job of this.queue.drain()) job.fail(this.refusal(job.init.fn, job.init.stream !== undefined) ?? closedError(this.name, job.init.fn));
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
