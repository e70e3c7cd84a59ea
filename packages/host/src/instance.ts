import type { ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { type CloseEvent, type FunctionInfo, type HelloEvent, type PeerEvent, type PlainValue, PluginError } from "@polyproc/protocol";
import type { PeerConnection } from "@polyproc/protocol/node";
import type { ConnectionRouter, HandshakeAwaiter, HandshakeTerms } from "./connection-router.js";
import type { CallService } from "./inbound-calls.js";
import type { PubsubAttach } from "./pubsub-broker.js";
import type { PluginSubscriber } from "./plugin-subscriber.js";
import { type ConnectionHooks, InstanceConnection } from "./instance-connection.js";
import { type InstanceEnd, instanceError, unavailableError } from "./instance-errors.js";
import { type InstanceOptions, type ResolvedInstanceOptions, resolveInstanceOptions } from "./instance-options.js";
import type { ExitInfo, InstanceCallOptions, InstanceEvents, InstanceState, InstanceStreamOptions, PluginInstance, StreamSink } from "./instance-types.js";
import type { Logger } from "./logger.js";
import { type ProcessOutput, readProcessOutput } from "./process-output.js";
import { hasExited, signalProcess, spawnPlugin, terminate, whenExited } from "./spawn.js";
import { newToken } from "./token.js";
import { within } from "./within.js";

/** SHUTDOWN_ANSWER_MARGIN_MS: how long past the Shutdown grace the host waits before it terminates (§1.4, §13.3.1). */
export const SHUTDOWN_ANSWER_MARGIN_MS = 1_000;

/** How long the host waits for the exit status and the end of stderr after the connection ends (§14.1). */
export const EXIT_STATUS_WAIT_MS = 500;

/** InstanceContext is what a ProcessInstance shares with the other instances of its host. */
export interface InstanceContext {
  /** Unique among the host's instances for the host's life, e.g. `math-3` (§4.4). */
  id: string;
  /** Routes the connection that presents this instance's token to it. */
  router: ConnectionRouter;
  /** The Listener's address, POLYPROC_ADDRESS. */
  address: string;
  /** The logger used when the options give none; the instance logs under a child with `plugin` and `instance`. */
  logger: Logger;
  /** Serves the calls the plugin makes (§5.4); without it they are answered NOT_FOUND. */
  calls?: CallService;
  /** Publish/subscribe (§12): a connection that negotiated `pubsub` joins it once welcomed. */
  pubsub?: PubsubAttach;
}

/**
 * ProcessInstance is one plugin process and its connection (PROTOCOL.md §2, §4, §11, §13,
 * §14). Constructing it spawns the process; it becomes `ready` when its Hello passes the
 * checks and it is welcomed, and ends `stopped` (Goodbye, then exit status 0) or `crashed`
 * (any other end; reported as soon as it is certain). The "exit" event follows the last
 * state event, with the ExitInfo. Whatever the process does, every call settles.
 */
export class ProcessInstance implements PluginInstance {
  readonly id: string;
  readonly ready: Promise<void>;
  private readonly options: ResolvedInstanceOptions;
  private readonly log: Logger;
  private readonly router: ConnectionRouter;
  private readonly calls: CallService | undefined;
  private readonly pubsub: PubsubAttach | undefined;
  private subscriber: PluginSubscriber | undefined;
  private readonly token = newToken();
  private readonly child: ChildProcess;
  private readonly output: ProcessOutput;
  private readonly events = new EventEmitter();
  private readonly startupTimer: NodeJS.Timeout;
  private readonly settleReady: { resolve: () => void; reject: (error: PluginError) => void };
  private readonly closed: Promise<void>;
  private connectionClosed: () => void = () => {};
  private currentState: InstanceState = "starting";
  private info: ExitInfo | undefined;
  private declared: FunctionInfo[] = [];
  private concurrency: number;
  private connection: InstanceConnection | undefined;
  private reason: string | undefined;
  private startError: PluginError | undefined;
  private saidGoodbye = false;
  private ending: Promise<ExitInfo> | undefined;
  private stopping: Promise<ExitInfo> | undefined;

  constructor(options: InstanceOptions, context: InstanceContext) {
    this.options = resolveInstanceOptions(options, context.logger);
    this.id = context.id;
    this.router = context.router;
    this.calls = context.calls;
    this.pubsub = context.pubsub;
    this.concurrency = this.options.maxConcurrency;
    this.log = this.options.logger.child({ plugin: this.options.plugin, instance: this.id });
    let settle: typeof this.settleReady | undefined;
    this.ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    this.ready.catch(() => {});
    this.settleReady = settle!;
    this.closed = new Promise<void>((resolve) => (this.connectionClosed = resolve));
    this.router.expect(this.token, this.awaiter());
    try {
      this.child = spawnPlugin({ ...this.options, address: context.address, token: this.token, protocol: this.router.protocolRange });
    } catch (error) {
      this.router.forget(this.token);
      throw error;
    }
    this.output = readProcessOutput(this.child.stdout, this.child.stderr, this.log);
    this.child.on("error", (error) => this.onSpawnError(error));
    this.child.once("exit", () => void this.finish());
    this.startupTimer = setTimeout(() => this.giveUp("startup timeout"), this.options.startupTimeoutMs);
    this.log.debug("started a plugin process", { command: this.options.command, pid: this.child.pid });
  }

  get state(): InstanceState {
    return this.currentState;
  }

  get functions(): readonly FunctionInfo[] {
    return this.declared;
  }

  get maxConcurrency(): number {
    return this.concurrency;
  }

  get inFlight(): number {
    return this.connection?.inFlight ?? 0;
  }

  get heartbeatRttMs(): number | undefined {
    return this.connection?.rttMs;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * exitInfo is how the instance ended; undefined until the "exit" event. The state turns
   * `crashed` as soon as the end is certain, before the exit status is known.
   */
  get exitInfo(): ExitInfo | undefined {
    return this.info;
  }

  call(fn: string, args: PlainValue, options?: InstanceCallOptions): Promise<PlainValue> {
    if (this.currentState !== "ready" || this.connection === undefined) return Promise.reject(this.notReady());
    return this.connection.call(fn, args, options);
  }

  stream(fn: string, args: PlainValue, sink: StreamSink, options?: InstanceStreamOptions): Promise<void> {
    if (this.currentState !== "ready" || this.connection === undefined) return Promise.reject(this.notReady());
    return this.connection.stream(fn, args, sink, options);
  }

  stop(graceMs: number): Promise<ExitInfo> {
    this.stopping ??= this.drain(graceMs);
    return this.stopping;
  }

  kill(reason: string): void {
    this.giveUp(`killed: ${reason}`);
  }

  on<E extends keyof InstanceEvents>(event: E, listener: InstanceEvents[E]): void {
    this.events.on(event, listener);
  }

  private awaiter(): HandshakeAwaiter {
    return {
      welcome: (connection, hello, terms) => this.welcome(connection, hello, terms),
      rejected: (error) => {
        this.startError = error;
        this.reason ??= `rejected: ${error.message}`;
        this.log.error("the plugin's Hello was rejected", { code: error.code, reason: error.message });
        void this.finish();
      },
      broken: (reason) => {
        this.reason ??= `protocol violation: ${reason}`;
        this.log.error("the plugin broke the protocol during its handshake", { reason });
        void this.finish();
      },
    };
  }

  // §4.4: the Hello passed every check; answer with Welcome at once (§4.5.3).
  private welcome(connection: PeerConnection, hello: HelloEvent, terms: HandshakeTerms): (event: PeerEvent) => void {
    clearTimeout(this.startupTimer);
    this.declared = hello.functions;
    const announced = hello.hello.maxConcurrency;
    this.concurrency = announced > 0 ? Math.min(this.options.maxConcurrency, announced) : this.options.maxConcurrency;
    if (hello.hello.pluginName !== this.options.plugin) {
      this.log.warn("the plugin's Hello gives another name than the configuration", { helloPluginName: hello.hello.pluginName });
    }
    connection.peer.welcome({
      protocol: terms.protocol,
      instanceId: this.id,
      heartbeatIntervalMs: Math.ceil(this.options.heartbeatIntervalMs),
      settings: this.options.settings ?? null,
      capabilities: terms.capabilities,
      pluginName: this.options.plugin,
      hostFunctions: this.calls?.hostFunctionsFor(this.options.plugin) ?? [],
      maxCallsInFlight: this.options.maxCallsInFlight,
      maxOpenStreams: this.options.maxOpenStreams,
    });
    connection.flushSoon();
    this.connection = new InstanceConnection(connection, { ...this.options, instanceId: this.id, calls: this.calls }, {
      hung: () => this.giveUp("heartbeat missed"),
      goodbye: (reason) => this.onGoodbye(reason),
      closed: (event) => this.onClose(event),
      capacity: () => this.emit("capacity"),
      pubsub: this.joinPubsub(connection, hello, terms),
    });
    this.log.info("plugin instance ready", { pid: this.child.pid, protocol: terms.protocol, functions: this.declared.length });
    this.setState("ready");
    this.settleReady.resolve();
    return this.connection.handle;
  }

  private onGoodbye(reason: string): void {
    this.saidGoodbye = true;
    this.log.info("the plugin said Goodbye", { reason });
    if (this.currentState === "ready") this.setState("draining");
  }

  // §12.3: a connection that negotiated pubsub starts with its Hello's subscriptions.
  private joinPubsub(connection: PeerConnection, hello: HelloEvent, terms: HandshakeTerms): ConnectionHooks["pubsub"] {
    if (this.pubsub === undefined || !terms.capabilities.includes("pubsub")) return undefined;
    const subscriber = this.pubsub.attach({ plugin: this.options.plugin, instanceId: this.id, connection, subscriptions: hello.hello.subscriptions, logger: this.log });
    this.subscriber = subscriber;
    return (event) => subscriber.receive(event);
  }

  private onClose(event: CloseEvent): void {
    this.connectionClosed();
    this.subscriber?.detach();
    if (!event.clean && event.error !== undefined) this.reason ??= `protocol violation: ${event.error.message}`;
    if (!event.clean) this.log.warn("the connection to the plugin closed", { reason: event.reason });
    void this.finish();
  }

  private onSpawnError(error: Error): void {
    this.log.error("the plugin process failed", { error: error.message });
    this.reason ??= `spawn failed: ${error.message}; check the plugin's command and cwd`;
    if (hasExited(this.child)) void this.finish();
  }

  // Ends the instance at once: startup timeout, heartbeat missed, kill().
  private giveUp(reason: string): void {
    if (this.info !== undefined) return;
    this.reason ??= reason;
    this.log.warn("killing the plugin process", { reason });
    signalProcess(this.child, "SIGKILL");
    void this.finish();
  }

  // §13: Shutdown, wait for the connection to close up to the grace, then terminate.
  private async drain(graceMs: number): Promise<ExitInfo> {
    if (this.currentState === "starting") {
      this.reason ??= "stopped before it was ready";
      this.router.forget(this.token);
      await terminate(this.child, this.options.killTimeoutMs);
    } else if (this.currentState === "ready" || this.currentState === "draining") {
      this.connection?.shutdown(graceMs, "host stopping");
      this.setState("draining");
      // §13.3.1: the margin lets the calls the plugin cancels at the end of the grace be answered.
      if (!(await within(this.closed, graceMs + SHUTDOWN_ANSWER_MARGIN_MS))) {
        this.reason ??= "stopped: the shutdown grace ran out";
        this.log.warn("the plugin did not leave within the shutdown grace; terminating it", { graceMs });
        await terminate(this.child, this.options.killTimeoutMs);
      }
    }
    return this.finish();
  }

  // §14.1: the one way an instance ends, whatever started it; runs once.
  private finish(): Promise<ExitInfo> {
    this.ending ??= this.end();
    return this.ending;
  }

  private async end(): Promise<ExitInfo> {
    clearTimeout(this.startupTimer);
    this.router.forget(this.token);
    // Without a Goodbye the end is a crash whatever the exit status: say so at once, so that
    // no call is sent here while the exit status is awaited.
    const starting = this.currentState === "starting";
    if (!this.saidGoodbye) this.setState("crashed");
    await within(Promise.all([whenExited(this.child), this.output.ended]), EXIT_STATUS_WAIT_MS);
    const end = this.currentEnd();
    this.reason ??= end.reason;
    this.connection?.end(unavailableError(this.options.plugin, this.id, end), end.reason);
    this.subscriber?.detach();
    if (starting) this.settleReady.reject(this.startFailure(end));
    if (!hasExited(this.child) && !(await within(whenExited(this.child), this.options.killTimeoutMs))) {
      this.log.warn("the plugin process did not exit after its connection ended; terminating it");
      await terminate(this.child, this.options.killTimeoutMs);
    }
    await within(this.output.ended, EXIT_STATUS_WAIT_MS);
    const final = this.currentEnd();
    const clean = this.saidGoodbye && final.exitCode === 0;
    this.info = { ...final, reason: clean ? "stopped" : final.reason, clean };
    this.log[clean ? "info" : "warn"](clean ? "plugin instance stopped" : "plugin instance crashed", { ...this.info });
    this.setState(clean ? "stopped" : "crashed");
    this.emit("exit", this.info);
    return this.info;
  }

  private currentEnd(): InstanceEnd {
    const started = this.child.pid !== undefined;
    return {
      exitCode: started ? this.child.exitCode : null,
      signal: this.child.signalCode,
      reason: this.reason ?? (this.connection !== undefined && !hasExited(this.child) ? "connection lost" : "exited"),
      stderrTail: this.output.stderrTail.text(),
    };
  }

  private notReady(): PluginError {
    const { plugin } = this.options;
    const message = `plugin ${plugin} instance ${this.id} is ${this.currentState}, not ready; send the call to a ready instance`;
    return new PluginError("UNAVAILABLE", message, { retryable: true, originPlugin: plugin, originInstance: this.id });
  }

  private startFailure(end: InstanceEnd): PluginError {
    const { plugin } = this.options;
    if (this.startError !== undefined) {
      const message = `plugin ${plugin} instance ${this.id} was rejected: ${this.startError.message}`;
      return instanceError(this.startError.code, plugin, this.id, message, end, false);
    }
    if (end.reason === "startup timeout") {
      const message = `plugin ${plugin} instance ${this.id} did not complete its handshake within ${this.options.startupTimeoutMs} ms of being started (startup timeout), so it was killed`;
      return instanceError("UNAVAILABLE", plugin, this.id, message, end, true);
    }
    return unavailableError(plugin, this.id, end, "before completing its handshake");
  }

  private setState(next: InstanceState): void {
    const previous = this.currentState;
    if (previous === next) return;
    this.currentState = next;
    this.emit("state", next, previous);
  }

  private emit(event: keyof InstanceEvents, ...args: unknown[]): void {
    try {
      this.events.emit(event, ...args);
    } catch (error) {
      this.log.error(`an instance "${event}" listener threw`, { error });
    }
  }
}
