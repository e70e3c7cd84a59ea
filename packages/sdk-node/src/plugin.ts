// definePlugin and the Plugin it returns: the functions a plugin serves, and serve().

import { argsValidator, type ArgsValidator, type InferOutput, type PlainValue, type SchemaOption, type StandardSchemaV1 } from "@polyproc/protocol";
import type { CallContext } from "./call-context.js";
import { HostAccess, type HostFunctions } from "./host-functions.js";
import { JsonLogger, type Logger, type LogLevel } from "./logger.js";
import type { OutgoingCalls } from "./outgoing-calls.js";
import type { OutgoingCallOptions, OutgoingStreamOptions } from "./outgoing-options.js";
import { routedCall, routedStream } from "./routed-calls.js";
import { servePlugin, type ServeOptions } from "./serve.js";
import { Subscriptions, type PublishOptions, type SubscriptionHandler } from "./subscriptions.js";

/** PluginOptions configures a plugin (definePlugin). */
export interface PluginOptions {
  /** name is the plugin's name, sent in Hello (§4.1); the host's configuration may rename it. */
  name: string;
  /** version is the plugin's version, sent in Hello. */
  version: string;
  /**
   * maxConcurrency is the most calls the plugin runs at once; the SDK answers calls beyond it
   * with RESOURCE_EXHAUSTED, and the host does not send them (§5.6). Default 0: no limit of
   * the plugin's own (the host's pool setting still applies).
   */
  maxConcurrency?: number;
  /** logLevel is the least severe level the plugin's logger writes. Default "info". */
  logLevel?: LogLevel;
  /**
   * debug puts the stack of an error a handler throws into the Error's `details.stack`
   * (§8.1). Default false: stacks never leave the process (they are logged on stderr).
   */
  debug?: boolean;
}

/** FnOptions describes a function (plugin.fn). */
export interface FnOptions<P extends SchemaOption | undefined = SchemaOption | undefined> {
  /** description is for people (FunctionSpec.description). */
  description?: string;
  /**
   * params is the schema of the arguments: any Standard Schema validator (zod, valibot,
   * arktype, ...) or a JSON Schema object. It is sent as JSON Schema in Hello, and arguments
   * are checked against it before the handler runs: failures are INVALID_ARGUMENT naming the
   * path. A Standard Schema's output (defaults, transforms) is what the handler receives.
   */
  params?: P;
  /** result is the schema of the result (for a streaming function, of one item); sent, not checked. */
  result?: SchemaOption;
  /** idempotent: calling twice equals calling once, so the host may retry it (§4.1). Default false. */
  idempotent?: boolean;
  /**
   * streaming: the handler is an async generator (or returns an async iterable) whose items
   * are sent one by one with credit back-pressure (§10): `yield` waits while the caller has
   * granted no credit. Default false.
   */
  streaming?: boolean;
}

/** ArgsOf is the type of a handler's arguments: the output of a Standard Schema, else unknown. */
export type ArgsOf<P> = P extends StandardSchemaV1 ? InferOutput<P> : unknown;

/**
 * Handler is a function's implementation. Its return value (or the value of the promise it
 * returns) is the call's result; what it throws or rejects with becomes the call's error: a
 * PluginError gives its code, anything else INTERNAL with its message (§8.1). A streaming
 * handler returns an async iterable of items instead.
 */
export type Handler<A> = (args: A, ctx: CallContext) => unknown;

/** StreamHandler is a streaming function's implementation: an async generator (or a function returning an async iterable) of its items. */
export type StreamHandler<A> = (args: A, ctx: CallContext) => AsyncIterable<unknown> | Iterable<unknown>;

/** RegisteredFunction is one function of a plugin, as the serve loop runs it. */
export interface RegisteredFunction {
  readonly name: string;
  readonly handler: Handler<never>;
  readonly validate: ArgsValidator | undefined;
  readonly options: FnOptions;
}

const functionName = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

/**
 * Plugin is a plugin being defined: register functions with fn(), then call serve() once.
 * Make one with definePlugin.
 */
export class Plugin {
  readonly options: Readonly<PluginOptions>;
  readonly #functions = new Map<string, RegisteredFunction>();
  #serving = false;
  #logger: Logger;
  #instanceId = "";
  #settings: PlainValue = null;
  #calls: OutgoingCalls | undefined;
  #markReady: () => void = () => undefined;
  /** ready resolves when the host has welcomed the plugin: from then on `host.call`, `call` and `streamFrom` work outside handlers. */
  readonly ready: Promise<void> = new Promise((resolve) => (this.#markReady = resolve));
  /**
   * host calls the host application's functions outside handlers (`plugin.host.call(name,
   * args, options)`, §5.4.5) and lists them (`plugin.host.functions`); in a handler use
   * `ctx.host`, which passes the handler's deadline, cancellation and trace context on.
   */
  readonly host: HostFunctions = new HostAccess(() => this.#calls, undefined);
  /** The plugin's subscriptions and its publishing side (§12); the serve loop connects it. */
  readonly pubsub = new Subscriptions();

  constructor(options: PluginOptions) {
    checkOptions(options);
    this.options = { ...options };
    this.#logger = new JsonLogger({ plugin: options.name }, options.logLevel ?? "info");
  }

  /** name is the plugin's name from its options. */
  get name(): string {
    return this.options.name;
  }

  /**
   * fn registers a function under a name (`[A-Za-z_][A-Za-z0-9_.-]{0,127}`, unique). With a
   * Standard Schema as `params`, the handler's arguments get the schema's output type.
   */
  fn<P extends SchemaOption | undefined = undefined, A = ArgsOf<P>>(name: string, handler: Handler<A>, options?: FnOptions<P>): this {
    if (this.#serving) throw new Error(`plugin.fn("${name}"): functions must be registered before plugin.serve() is called`);
    if (!functionName.test(name)) {
      throw new TypeError(`plugin.fn: "${name}" is not a valid function name: use letters, digits, "_", "." and "-", starting with a letter or "_", at most 128 characters`);
    }
    if (this.#functions.has(name)) throw new Error(`plugin.fn: a function named "${name}" is already registered in plugin "${this.name}"`);
    if (typeof handler !== "function") throw new TypeError(`plugin.fn("${name}"): the handler must be a function, got ${typeof handler}`);
    const fnOptions: FnOptions = { ...options };
    this.#functions.set(name, { name, handler: handler as Handler<never>, validate: argsValidator(fnOptions.params), options: fnOptions });
    return this;
  }

  /**
   * subscribe calls `handler` for each message whose topic matches `pattern` (§12.2: `*` one
   * segment, a last `>` the rest), in order, and returns the function that ends the
   * subscription. Before serve() the pattern goes out in Hello.subscriptions, later in a
   * Subscribe frame. It throws a TypeError for an invalid pattern, a PluginError
   * FAILED_PRECONDITION when the host did not negotiate `pubsub` (§16.2).
   */
  subscribe(pattern: string, handler: SubscriptionHandler): () => void {
    return this.pubsub.add(pattern, handler);
  }

  /**
   * publish sends `value` on `topic` to the host, which forwards it to the subscribers its
   * configuration lets this plugin reach (§12.4). It needs the connection: call it from a
   * handler (or ctx.publish) or once the host has welcomed the plugin. It throws a PluginError
   * INVALID_ARGUMENT for an invalid topic or metadata, FAILED_PRECONDITION without a
   * connection or without the negotiated `pubsub` capability.
   */
  publish(topic: string, value: PlainValue, options?: PublishOptions): void {
    this.pubsub.publish(topic, value, options);
  }

  /**
   * stream registers a streaming function: `handler` is an async generator whose items go out
   * one by one as the caller's credit allows (§10); the same as fn() with `streaming: true`.
   */
  stream<P extends SchemaOption | undefined = undefined, A = ArgsOf<P>>(name: string, handler: StreamHandler<A>, options?: Omit<FnOptions<P>, "streaming">): this {
    return this.fn(name, handler, { ...options, streaming: true } as FnOptions<P>);
  }

  /**
   * call calls `fn` of the plugin `plugin` through the host outside handlers (§5.4); see
   * CallContext.call, which a handler uses instead. It fails FAILED_PRECONDITION before the
   * host has welcomed the plugin (`await plugin.ready`).
   */
  call(plugin: string, fn: string, args: PlainValue = null, options: OutgoingCallOptions = {}): Promise<PlainValue> {
    return routedCall(this.#calls, plugin, fn, args, options, undefined);
  }

  /**
   * streamFrom reads the streaming function `fn` of the plugin `plugin` outside handlers
   * (CallContext.stream in a handler); `plugin.stream` is how a plugin registers its own.
   */
  streamFrom(plugin: string, fn: string, args: PlainValue = null, options: OutgoingStreamOptions = {}): AsyncIterableIterator<PlainValue> {
    return routedStream(this.#calls, plugin, fn, args, options, undefined);
  }

  /** functions lists the registered functions in registration order. */
  get functions(): readonly RegisteredFunction[] {
    return [...this.#functions.values()];
  }

  /** logger is the plugin's logger (JSON lines on stderr), for use outside handlers. */
  get logger(): Logger {
    return this.#logger;
  }

  /** instanceId is the instance id the host gave this process; "" before the handshake. */
  get instanceId(): string {
    return this.#instanceId;
  }

  /** settings are the plugin's settings from the host configuration; null before the handshake. */
  get settings(): PlainValue {
    return this.#settings;
  }

  /**
   * serve connects to the host named by the environment (§2.4), announces the functions
   * and serves calls until the host shuts the plugin down; then it exits the process with 0.
   * Run by hand (no host), it prints how to run the plugin under a host and exits with 2;
   * rejected by the host or cut off from it, it exits with 1 (§14.3). It never returns.
   * `options.telemetry` configures tracing (see ServeOptions).
   */
  serve(options: ServeOptions = {}): Promise<never> {
    if (this.#serving) throw new Error(`plugin.serve() was already called for plugin "${this.name}"`);
    this.#serving = true;
    return servePlugin(this, options, (welcome) => {
      this.#instanceId = welcome.instanceId;
      this.#settings = welcome.settings;
      this.#calls = welcome.calls;
      this.#markReady();
      this.#logger = new JsonLogger({ plugin: welcome.pluginName, instance: welcome.instanceId }, this.options.logLevel ?? "info");
      return this.#logger;
    });
  }
}

function checkOptions(options: PluginOptions): void {
  if (typeof options !== "object" || options === null) throw new TypeError("definePlugin: pass options { name, version }");
  if (typeof options.name !== "string" || options.name === "") throw new TypeError("definePlugin: `name` must be a non-empty string");
  if (typeof options.version !== "string") throw new TypeError("definePlugin: `version` must be a string (for example \"1.0.0\")");
  const max = options.maxConcurrency;
  if (max !== undefined && !(Number.isInteger(max) && max >= 0 && max <= 0xffffffff)) {
    throw new TypeError(`definePlugin: \`maxConcurrency\` must be an integer >= 0 (0: no limit), got ${max}`);
  }
}

/**
 * definePlugin starts the definition of a plugin:
 * `const plugin = definePlugin({ name: "math", version: "1.0.0" });`, then `plugin.fn(...)`
 * for each function and `plugin.serve()`.
 */
export function definePlugin(options: PluginOptions): Plugin {
  return new Plugin(options);
}
