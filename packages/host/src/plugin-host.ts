import { DEFAULT_INITIAL_CREDIT, PluginError, type PlainValue } from "@polyproc/protocol";
import { StreamReader } from "@polyproc/protocol/node";
import { checkCallOptions, checkStreamOptions, type CallOptions, type StreamOptions } from "./call-options.js";
import { HostEventEmitter, type HostEventName, type HostEvents } from "./host-events.js";
import type { HostFunctionHandler, HostFunctionOptions } from "./host-function-types.js";
import { HostFunctionTable } from "./host-functions.js";
import { HostTelemetry } from "./host-telemetry.js";
import type { CallService } from "./inbound-calls.js";
import { PluginCalls } from "./plugin-calls.js";
import { quietLogger, type Logger } from "./logger.js";
import type { HostWireTap } from "./connection-router.js";
import type { PluginConfig, PluginHostOptions } from "./plugin-options.js";
import { LiveOperations } from "./live-operations.js";
import { closedError, unknownPluginError } from "./pool-errors.js";
import { PluginPool } from "./pool.js";
import { PubsubBroker, type MessageHandler, type PublishOptions, type SubscribeOptions, type Subscription } from "./pubsub-broker.js";
import type { ProcessInstances } from "./process-instances.js";
import { resolvePluginConfigs } from "./resolve-options.js";
import type { HostStats } from "./stats.js";
import { telemetryProviders } from "./telemetry-api.js";
import { TracedTarget } from "./traced-target.js";

/** FunctionDescription is one function of one plugin, as PluginHost.functions lists it. */
export interface FunctionDescription {
  plugin: string;
  name: string;
  description: string;
  /** The JSON Schema of the arguments, parsed; undefined when the plugin gave none. */
  params: unknown;
  /** The JSON Schema of the result (a streaming function: of one item), parsed; undefined when none. */
  result: unknown;
  streaming: boolean;
  idempotent: boolean;
}

/** StopOptions are the options of PluginHost.stop, restart and close. */
export interface StopOptions {
  /** How long instances may take to finish their calls after Shutdown (§13). Default: each plugin's graceMs. */
  graceMs?: number;
}

/**
 * PluginHost launches plugin processes, keeps them healthy and calls their functions. Start
 * one with PluginHost.start; every call it makes settles, whatever the plugins do.
 */
export class PluginHost {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly pools: Map<string, PluginPool>,
    private readonly events: HostEventEmitter,
    private readonly hostFunctions: HostFunctionTable,
    private readonly release: () => Promise<void>,
    private readonly pubsub: PubsubBroker,
    private readonly live: LiveOperations,
  ) {}

  /**
   * PluginHost.start checks the options (a TypeError names the first bad field), starts every
   * instance of every plugin and resolves when all are ready. If one cannot start, it stops
   * the others and rejects with a PluginError naming the plugin, the cause and the stderr tail.
   */
  static async start(options: PluginHostOptions): Promise<PluginHost> {
    const configs = resolvePluginConfigs(options);
    if (options.wireTap !== undefined && typeof options.wireTap !== "function") {
      throw new TypeError("options.wireTap must be a function (connection, direction, bytes) => void, or left out");
    }
    const providers = await telemetryProviders(options.telemetry, "invalid PluginHost options");
    const logger: Logger = options.logger ?? quietLogger;
    const pools = new Map<string, PluginPool>();
    const events = new HostEventEmitter(logger);
    const telemetry = providers === undefined ? undefined : new HostTelemetry(providers);
    const hostFunctions = HostFunctionTable.fromOption(options.hostFunctions, telemetry);
    await hostFunctions.ready();
    const calls = new PluginCalls(hostFunctions, pools, configs);
    const pubsub = PubsubBroker.forConfigs(configs, options.pubsub, logger.child({ pubsub: true }));
    const processes = options.instanceFactory === undefined ? await processInstances(logger, options.wireTap, calls, pubsub) : undefined;
    const factory = options.instanceFactory ?? (processes as ProcessInstances).factory;
    const supervisor = { factory, logger, events, random: options.random, telemetry };
    for (const config of configs) {
      pools.set(config.name, new PluginPool(config, { ...supervisor, logger: logger.child({ plugin: config.name }) }));
    }
    const { plugins: _plugins, ...defaults } = options;
    const live = new LiveOperations({ pools, calls, pubsub, defaults, supervisor, events });
    const release = async () => {
      telemetry?.close();
      await processes?.close();
    };
    telemetry?.observe(pools, events);
    const host = new PluginHost(pools, events, hostFunctions, release, pubsub, live);
    const started = await Promise.allSettled([...pools.values()].map((pool) => pool.start()));
    const failure = started.find((outcome) => outcome.status === "rejected");
    if (failure !== undefined) {
      await host.close({ graceMs: 0 });
      throw failure.reason;
    }
    return host;
  }

  /**
   * call runs `fn` of `plugin` with `args` and resolves with its result. It rejects with a
   * PluginError: NOT_FOUND (no such plugin or function), INVALID_ARGUMENT (bad options),
   * RESOURCE_EXHAUSTED (every instance busy and the queue full or too slow),
   * FAILED_PRECONDITION (the plugin is failed or stopped), DEADLINE_EXCEEDED, CANCELLED,
   * UNAVAILABLE (its instance ended under it, or the host is closed), or the plugin's own error.
   * A streaming function is refused with UNIMPLEMENTED: read it with stream().
   */
  call(plugin: string, fn: string, args: PlainValue = null, options: CallOptions = {}): Promise<PlainValue> {
    const pool = this.pools.get(plugin);
    if (pool === undefined) return Promise.reject(this.unknownPlugin(plugin));
    if (this.closing !== undefined) return Promise.reject(closedError(plugin, fn));
    const invalid = checkCallOptions(options);
    if (invalid !== undefined) return Promise.reject(invalid);
    const telemetry = pool.telemetry;
    if (telemetry !== undefined) return new TracedTarget(telemetry, pool, undefined).call(fn, args, options);
    return pool.call(fn, args, options);
  }

  /**
   * stream runs the streaming function `fn` of `plugin` with `args` and returns its items as
   * an async iterator, for `for await`. The call is sent when the first item is asked for,
   * and counts as a call of its instance until the stream ends. At most `options.window`
   * items (default 32) travel or wait ahead of the consumer: credit is granted as it reads
   * (§10.2, §10.6). Leaving the loop early (break, return, throw) cancels the stream on the
   * plugin (§10.4). Reading throws a PluginError, after the items that came before it: the
   * plugin's error ending the stream, UNIMPLEMENTED for a function that does not stream,
   * DEADLINE_EXCEEDED (the deadline covers the whole stream, §6.5) or CANCELLED (the
   * signal), without the items still buffered; UNAVAILABLE when the instance ends under it;
   * and the other refusals of call().
   */
  stream(plugin: string, fn: string, args: PlainValue = null, options: StreamOptions = {}): AsyncIterableIterator<PlainValue> {
    const invalid = checkStreamOptions(options);
    if (invalid !== undefined) return new StreamReader(DEFAULT_INITIAL_CREDIT, (reader) => reader.finish(invalid));
    const begin = (reader: StreamReader): void => {
      const pool = this.pools.get(plugin);
      if (pool === undefined) return reader.finish(this.unknownPlugin(plugin));
      if (this.closing !== undefined) return reader.finish(closedError(plugin, fn));
      const target = pool.telemetry === undefined ? pool : new TracedTarget(pool.telemetry, pool, undefined);
      target.stream(fn, args, reader, { ...options, signal: reader.signal }).then(
        () => reader.finish(),
        (error: unknown) => reader.finish(error),
      );
    };
    return new StreamReader(options.window ?? DEFAULT_INITIAL_CREDIT, begin, options.signal);
  }

  /**
   * handle registers a host function that plugins call with `ctx.host.call(name, args)`
   * (PROTOCOL.md §5.4.5), and returns the function that removes it. A plugin may call it when
   * its permissions.hostFunctions grant the name: others get PERMISSION_DENIED, and every
   * plugin NOT_FOUND for a name not registered. It is callable at once; Welcome lists it to
   * the instances that start from now on (restarts), so functions every plugin should see
   * from its start belong in PluginHostOptions.hostFunctions. It throws a TypeError for an
   * invalid or taken name.
   */
  handle(name: string, handler: HostFunctionHandler, options: HostFunctionOptions = {}): () => void {
    return this.hostFunctions.add(name, { ...options, handler }, `host.handle("${name}")`);
  }

  /** functions lists every function of every plugin, with its schemas parsed from the Hello's JSON text. */
  functions(): FunctionDescription[] {
    const all: FunctionDescription[] = [];
    for (const pool of this.pools.values()) {
      for (const info of pool.functions ?? []) {
        all.push({
          plugin: pool.name,
          name: info.name,
          description: info.description ?? "",
          params: parseSchema(info.paramsSchema),
          result: parseSchema(info.resultSchema),
          streaming: info.streaming === true,
          idempotent: info.idempotent === true,
        });
      }
    }
    return all;
  }

  /** on adds a listener for one of the host's events and returns a function that removes it. */
  on<E extends HostEventName>(event: E, listener: HostEvents[E]): () => void {
    return this.events.on(event, listener);
  }

  /** stats returns a snapshot of every plugin's numbers and each of its instances'. */
  stats(): HostStats {
    const plugins: HostStats["plugins"] = {};
    for (const [name, pool] of this.pools) plugins[name] = pool.stats();
    return { plugins, pubsub: this.pubsub.stats() };
  }

  /**
   * publish sends `value` on `topic` to every plugin instance subscribed to a matching pattern
   * and to the application's matching subscriptions, once each, in order per subscriber
   * (PROTOCOL.md §12.4). It resolves when every such subscriber's buffer has taken the
   * message: at once with the "drop-oldest" policy (a full buffer drops its oldest message),
   * once there is room with "block". It rejects with INVALID_ARGUMENT for an invalid topic,
   * value or metadata, UNAVAILABLE once the host is closed.
   */
  publish(topic: string, value: PlainValue, options?: PublishOptions): Promise<void> {
    if (this.closing !== undefined) return Promise.reject(new PluginError("UNAVAILABLE", `host.publish("${topic}"): the host is closed`));
    return this.pubsub.publish(topic, value, options);
  }

  /**
   * subscribe calls `handler(value, { topic, metadata })` for every message whose topic
   * matches `pattern` (§12.2), published by the application or by plugins, one at a time in
   * order (the next waits for the promise the handler returns). Messages wait in a buffer of
   * options.bufferSize (default pubsub.bufferSize) whose policy decides what a full one does;
   * Subscription.dropped counts the drops. It throws a TypeError for an invalid pattern.
   */
  subscribe(pattern: string, handler: MessageHandler, options?: SubscribeOptions): Subscription {
    return this.pubsub.subscribe(pattern, handler, options);
  }

  /** plugins lists the configured plugin names. */
  plugins(): string[] {
    return [...this.pools.keys()];
  }

  /**
   * stop takes a plugin out of service: its queued calls fail, calls in flight may finish
   * within the grace, its processes end, and calls fail with FAILED_PRECONDITION until restart.
   */
  stop(name: string, options: StopOptions = {}): Promise<void> {
    const pool = this.pools.get(name);
    if (pool === undefined) return Promise.reject(this.unknownPlugin(name));
    if (this.closing !== undefined) return this.closing;
    return pool.stop(options.graceMs);
  }

  /**
   * restart starts fresh instances of a plugin (the old ones drain their calls) and clears a
   * failed or stopped state; it resolves when the new instances are ready.
   */
  restart(name: string, options: StopOptions = {}): Promise<void> {
    const pool = this.pools.get(name);
    if (pool === undefined) return Promise.reject(this.unknownPlugin(name));
    if (this.closing !== undefined) return Promise.reject(closedError(name, "restart"));
    return pool.restart(options.graceMs);
  }

  /**
   * load adds a plugin, its config checked as start() checks `plugins` (a TypeError names the
   * bad field, or a name in use), and resolves when its instances are ready and calls reach
   * it; it rejects with the startup's PluginError. The `load` event reports its phases.
   */
  load(config: PluginConfig): Promise<void> {
    return this.live.load(config);
  }

  /**
   * unload removes a plugin (its calls get NOT_FOUND at once), stops its instances as stop()
   * does and resolves when every process ended. The `unload` event reports its phases.
   */
  unload(name: string, options: StopOptions = {}): Promise<void> {
    return this.live.unload(name, options.graceMs);
  }

  /**
   * reload replaces a plugin's instances (blue/green, with `config` or the current one)
   * without failing a call: once the new ones are ready they get new and queued calls, and
   * the old ones finish theirs within the grace and stop. If the new ones cannot start, the
   * old ones keep serving and it rejects with the startup's PluginError. See `reload` events.
   */
  reload(name: string, config?: PluginConfig, options: StopOptions = {}): Promise<void> {
    return this.live.reload(name, config, options.graceMs);
  }

  /**
   * close stops every plugin (§13: Shutdown, Goodbye awaited up to the grace, then SIGTERM,
   * then SIGKILL): queued calls fail with UNAVAILABLE, calls in flight may finish within the
   * grace. Calling it again returns the same promise.
   */
  close(options: StopOptions = {}): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([this.live.close(options.graceMs), ...[...this.pools.values()].map((pool) => pool.close(options.graceMs))]);
      this.pubsub.close();
      await this.release();
    })();
    return this.closing;
  }

  private unknownPlugin(name: string): PluginError {
    return unknownPluginError(name, this.pools.keys());
  }
}

// The process layer is loaded only when used, so that a host with its own instanceFactory
// (tests, embedders) does not open a listener or load it.
async function processInstances(logger: Logger, wireTap: HostWireTap | undefined, calls: CallService, pubsub: PubsubBroker): Promise<ProcessInstances> {
  const { startProcessInstances } = await import("./process-instances.js");
  return startProcessInstances(logger, wireTap, calls, pubsub);
}

function parseSchema(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
