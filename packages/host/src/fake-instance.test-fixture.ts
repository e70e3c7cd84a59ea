import { PluginError, type FunctionInfo, type PlainValue } from "@polyproc/protocol";
import { afterEach } from "vitest";
import type { ExitInfo, InstanceEvents, InstanceState, InstanceStreamOptions, PluginInstance, StreamSink } from "./instance-types.js";
import type { HostEventName, HostEvents } from "./host-events.js";
import type { InstanceFactory, InstanceInit, PluginConfig, PluginHostOptions, ResolvedPluginConfig } from "./plugin-options.js";
import { PluginHost } from "./plugin-host.js";

/**
 * FakeCall is one call a FakeInstance received; the test answers it. A stream's items go to
 * `sink` (the test calls sink.item), `granted` counting the credit (initial plus grants);
 * resolve(null) ends it.
 */
export interface FakeCall {
  fn: string;
  args: PlainValue;
  options: InstanceStreamOptions;
  instance: FakeInstance;
  sink: StreamSink | undefined;
  granted: number;
  resolve(value: PlainValue): void;
  reject(error: unknown): void;
}

/** FakeInstanceOptions shape a FakeInstance. */
export interface FakeInstanceOptions {
  functions?: FunctionInfo[];
  /** The Hello's concurrency; default the plugin's maxConcurrency. */
  maxConcurrency?: number;
  /** Become ready on the next microtask (default true); otherwise call becomeReady(). */
  autoReady?: boolean;
}

/**
 * FakeInstance is a PluginInstance without a process: the test decides when it becomes
 * ready, answers its calls and makes it crash. It follows the interface's contract: calls
 * settle once, an exit fails the open ones with UNAVAILABLE naming the exit and stderr tail.
 */
export class FakeInstance implements PluginInstance {
  readonly ready: Promise<void>;
  readonly pending: FakeCall[] = [];
  readonly received: FakeCall[] = [];
  /** Calls given up by the host (cancel, deadline) whose answer has not come yet. */
  readonly lingering: FakeCall[] = [];
  heartbeatRttMs: number | undefined = 1.5;
  pid: number | undefined;
  stopGrace: number | undefined;
  private current: InstanceState = "starting";
  private readonly listeners: { [E in keyof InstanceEvents]: InstanceEvents[E][] } = { state: [], exit: [], capacity: [] };
  private settleReady!: { resolve: () => void; reject: (error: PluginError) => void };
  private exitInfo: ExitInfo | undefined;
  private stopping: Promise<ExitInfo> | undefined;
  private drained: (() => void) | undefined;
  private readonly onFinish = new Map<FakeCall, () => void>();

  constructor(
    readonly id: string,
    readonly slot: number,
    readonly maxConcurrency: number,
    readonly functions: readonly FunctionInfo[],
    private readonly onCall: (call: FakeCall) => void = () => {},
  ) {
    this.ready = new Promise<void>((resolve, reject) => (this.settleReady = { resolve, reject }));
    this.ready.catch(() => {});
    this.pid = 1000 + Number(id.replace(/\D/g, ""));
  }

  get state(): InstanceState {
    return this.current;
  }

  get inFlight(): number {
    return this.pending.length + this.lingering.length;
  }

  /**
   * answerCancelled delivers the late answers of the calls cancelled by their signal or
   * deadline: until then they count in inFlight, as on a real connection (§7.4).
   */
  answerCancelled(): void {
    const answered = this.lingering.length;
    this.lingering.length = 0;
    for (let n = 0; n < answered; n++) for (const listener of this.listeners.capacity) listener();
  }

  call(fn: string, args: PlainValue, options: InstanceStreamOptions = {}): Promise<PlainValue> {
    return this.open(fn, args, options, undefined);
  }

  async stream(fn: string, args: PlainValue, sink: StreamSink, options: InstanceStreamOptions = {}): Promise<void> {
    await this.open(fn, args, options, sink);
  }

  private open(fn: string, args: PlainValue, options: InstanceStreamOptions, sink: StreamSink | undefined): Promise<PlainValue> {
    if (this.current !== "ready") return Promise.reject(new PluginError("UNAVAILABLE", `${this.id} is ${this.current}`, { retryable: true }));
    if (this.inFlight >= this.maxConcurrency) throw new Error(`${this.id}: more calls than maxConcurrency ${this.maxConcurrency}`);
    return new Promise<PlainValue>((resolve, reject) => {
      const call: FakeCall = {
        fn,
        args,
        options,
        instance: this,
        sink,
        granted: options.initialCredit ?? 32,
        resolve: (value) => this.finish(call, () => resolve(value)),
        reject: (error) => this.finish(call, () => reject(error)),
      };
      this.pending.push(call);
      this.received.push(call);
      sink?.opened((items) => {
        if (this.pending.includes(call)) call.granted += items;
      });
      this.onCall(call);
      const giveUp = (error: PluginError) => {
        if (this.pending.includes(call)) this.lingering.push(call);
        call.reject(error);
      };
      options.signal?.addEventListener("abort", () => giveUp(new PluginError("CANCELLED", "cancelled by the signal")), { once: true });
      if (options.deadline !== undefined) {
        const timer = setTimeout(() => giveUp(new PluginError("DEADLINE_EXCEEDED", "deadline")), options.deadline - performance.now());
        this.onFinish.set(call, () => clearTimeout(timer));
      }
    });
  }

  private finish(call: FakeCall, settle: () => void): void {
    const index = this.pending.indexOf(call);
    if (index < 0) return;
    this.pending.splice(index, 1);
    this.onFinish.get(call)?.();
    this.onFinish.delete(call);
    settle();
    if (this.pending.length === 0) this.drained?.();
  }

  /** becomeReady welcomes the instance. */
  becomeReady(): void {
    if (this.current !== "starting") return;
    this.setState("ready");
    this.settleReady.resolve();
  }

  /** crash ends the instance as a crash: open calls fail with local UNAVAILABLE. */
  crash(exit: Partial<ExitInfo> = {}): void {
    if (this.exitInfo !== undefined) return;
    const info: ExitInfo = { exitCode: 1, signal: null, stderrTail: "boom", reason: "exited", clean: false, ...exit };
    this.end(info, "crashed");
  }

  stop(graceMs: number): Promise<ExitInfo> {
    this.stopGrace = graceMs;
    this.stopping ??= (async () => {
      let drained = true;
      if (this.current === "ready") {
        this.setState("draining");
        if (this.pending.length > 0) {
          let timer: ReturnType<typeof setTimeout> | undefined;
          drained = await Promise.race([
            new Promise<boolean>((resolve) => (this.drained = () => resolve(true))),
            new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
          ]);
          clearTimeout(timer);
        }
      }
      if (drained) this.end({ exitCode: 0, signal: null, stderrTail: "", reason: "stopped", clean: true }, "stopped");
      else this.end({ exitCode: null, signal: "SIGTERM", stderrTail: "", reason: "stopped: the shutdown grace ran out", clean: false }, "crashed");
      return this.exitInfo as ExitInfo;
    })();
    return this.stopping;
  }

  kill(reason: string): void {
    this.crash({ exitCode: null, signal: "SIGKILL", reason: `killed: ${reason}` });
  }

  on<E extends keyof InstanceEvents>(event: E, listener: InstanceEvents[E]): void {
    this.listeners[event].push(listener);
  }

  private end(info: ExitInfo, state: "stopped" | "crashed"): void {
    if (this.exitInfo !== undefined) return;
    this.exitInfo = info;
    this.lingering.length = 0;
    const error = new PluginError("UNAVAILABLE", `${this.id} exited with code ${info.exitCode}: ${info.stderrTail}`, { retryable: true });
    for (const call of [...this.pending]) call.reject(error);
    const wasStarting = this.current === "starting";
    this.setState(state);
    if (wasStarting) this.settleReady.reject(new PluginError("UNAVAILABLE", `${this.id} ended before it was ready: ${info.stderrTail}`));
    for (const listener of this.listeners.exit) listener(info);
  }

  private setState(next: InstanceState): void {
    const previous = this.current;
    this.current = next;
    for (const listener of this.listeners.state) listener(next, previous);
  }
}

/** FakeHost is a PluginHost over a FakeFactory. */
export interface FakeHost {
  host: PluginHost;
  factory: FakeFactory;
}

/**
 * startFakeHost starts a PluginHost with one plugin, "kv", whose instances are FakeInstances
 * (restart delays 0: the jitter draws 0 unless `random` says otherwise).
 */
export async function startFakeHost(
  plugin: Partial<PluginConfig> = {},
  factory = new FakeFactory(),
  host: Partial<PluginHostOptions> = {},
): Promise<FakeHost> {
  const started = await PluginHost.start({
    plugins: [{ name: "kv", command: ["fake-kv"], ...plugin }],
    instanceFactory: factory.create,
    random: () => 0,
    ...host,
  });
  return { host: started, factory };
}

/** nextEvent resolves with the next event of that name that `accept` accepts. */
export function nextEvent<E extends HostEventName>(
  host: PluginHost,
  event: E,
  accept: (payload: Parameters<HostEvents[E]>[0]) => boolean = () => true,
): Promise<Parameters<HostEvents[E]>[0]> {
  return new Promise((resolve) => {
    const off = host.on(event, ((payload: Parameters<HostEvents[E]>[0]) => {
      if (!accept(payload)) return;
      off();
      resolve(payload);
    }) as HostEvents[E]);
  });
}

/**
 * FakeFactory makes FakeInstances and lets a test wait for the n-th one (0-based), e.g. the
 * instance that replaces a crashed one.
 */
export class FakeFactory {
  readonly instances: FakeInstance[] = [];
  readonly configs: ResolvedPluginConfig[] = [];
  /** Every call received by any instance, in the order received. */
  readonly received: FakeCall[] = [];
  private readonly waiters = new Map<number, ((instance: FakeInstance) => void)[]>();
  private readonly callWaiters = new Map<number, ((call: FakeCall) => void)[]>();

  constructor(private readonly options: FakeInstanceOptions | ((init: InstanceInit) => FakeInstanceOptions) = {}) {}

  readonly create: InstanceFactory = (plugin, init) => {
    const options = typeof this.options === "function" ? this.options(init) : this.options;
    const functions = options.functions ?? [{ name: "echo" }, { name: "put", idempotent: false }, { name: "get", idempotent: true }];
    const concurrency = Math.min(plugin.maxConcurrency, options.maxConcurrency ?? Infinity);
    const instance = new FakeInstance(init.id, init.slot, concurrency, functions, (call) => this.onCall(call));
    this.configs.push(plugin);
    this.instances.push(instance);
    if (options.autoReady !== false) queueMicrotask(() => instance.becomeReady());
    for (const resolve of this.waiters.get(this.instances.length - 1) ?? []) resolve(instance);
    return instance;
  };

  /** nth resolves with the n-th instance made (0-based), at once if it exists. */
  nth(index: number): Promise<FakeInstance> {
    const existing = this.instances[index];
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise((resolve) => this.waiters.set(index, [...(this.waiters.get(index) ?? []), resolve]));
  }

  /** callNumber resolves with the n-th call received by any instance (0-based), at once if it arrived. */
  callNumber(index: number): Promise<FakeCall> {
    const existing = this.received[index];
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise((resolve) => this.callWaiters.set(index, [...(this.callWaiters.get(index) ?? []), resolve]));
  }

  private onCall(call: FakeCall): void {
    this.received.push(call);
    for (const resolve of this.callWaiters.get(this.received.length - 1) ?? []) resolve(call);
  }

  /** calls returns every call received by any instance, in the order received. */
  calls(): FakeCall[] {
    return this.received;
  }

  /** callWith returns the call received with these args (compared as JSON). */
  callWith(args: PlainValue): FakeCall {
    const call = this.received.find((received) => JSON.stringify(received.args) === JSON.stringify(args));
    if (call === undefined) throw new Error(`no call received with args ${JSON.stringify(args)}`);
    return call;
  }
}

/** useFakeHosts returns startFakeHost, closing the host it started after each test. */
export function useFakeHosts(): typeof startFakeHost {
  let running: FakeHost | undefined;
  afterEach(async () => {
    await running?.host.close({ graceMs: 0 });
    running = undefined;
  });
  return async (...args) => (running = await startFakeHost(...args));
}
