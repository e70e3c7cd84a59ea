// definePlugin and the Plugin it returns: the functions a plugin serves, and serve().

import type { PlainValue } from "@polyproc/protocol";
import { argsValidator, type ArgsValidator } from "./args-validator.js";
import type { CallContext } from "./call-context.js";
import { JsonLogger, type Logger, type LogLevel } from "./logger.js";
import type { SchemaOption } from "./schema-json.js";
import { servePlugin } from "./serve.js";
import type { InferOutput, StandardSchemaV1 } from "./standard-schema.js";

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
   */
  serve(): Promise<never> {
    if (this.#serving) throw new Error(`plugin.serve() was already called for plugin "${this.name}"`);
    this.#serving = true;
    return servePlugin(this, (welcome) => {
      this.#instanceId = welcome.instanceId;
      this.#settings = welcome.settings;
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
