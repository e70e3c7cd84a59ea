import { type ArgsValidator, argsValidator, type FunctionInfo, isValidFunctionName, toJsonSchemaText } from "@polyproc/protocol";
import type { HostFunction, HostFunctionHandler } from "./host-function-types.js";
import type { HostTelemetry } from "./host-telemetry.js";

/** RegisteredHostFunction is a host function with its argument check and its FunctionSpec. */
export interface RegisteredHostFunction {
  readonly name: string;
  readonly handler: HostFunctionHandler;
  readonly streaming: boolean;
  /** Checks the arguments (§5.8 check 8); undefined without `params`. */
  readonly validate: ArgsValidator | undefined;
  /** The spec plugins see in Welcome.host_functions; its schemas fill in once converted. */
  info: FunctionInfo;
  /** The host's spans and metrics, a SERVER span per call; undefined when telemetry is off. */
  readonly telemetry: HostTelemetry | undefined;
}

/**
 * HostFunctionTable holds the functions the host serves to plugins (PROTOCOL.md §5.4.5),
 * each with its FunctionSpec. Schemas are turned into JSON Schema text in the background;
 * ready() resolves when every conversion so far is done.
 */
export class HostFunctionTable {
  private readonly functions = new Map<string, RegisteredHostFunction>();
  private readonly conversions = new Set<Promise<void>>();

  /** `telemetry` is the host's, which the calls of every function report to; undefined: off. */
  constructor(private readonly telemetry: HostTelemetry | undefined = undefined) {}

  /**
   * fromOption makes the table of PluginHostOptions.hostFunctions (by name: { handler,
   * description?, params?, result? }); a TypeError names the first malformed entry.
   */
  static fromOption(functions: Record<string, HostFunction> | undefined, telemetry: HostTelemetry | undefined): HostFunctionTable {
    const table = new HostFunctionTable(telemetry);
    if (functions === undefined) return table;
    if (typeof functions !== "object" || functions === null || Array.isArray(functions)) {
      throw new TypeError("invalid PluginHost options: hostFunctions must be an object of { handler, description?, params?, ... } by function name");
    }
    for (const [name, fn] of Object.entries(functions)) {
      if (typeof fn !== "object" || fn === null) throw new TypeError(`invalid PluginHost options: hostFunctions.${name} must be an object { handler, description?, params?, result? }`);
      table.add(name, fn, `invalid PluginHost options: hostFunctions.${name}`);
    }
    return table;
  }

  /**
   * add registers a function and returns the function that removes it. It throws a
   * TypeError for an invalid name (§4.1), a name already registered, or a handler that is
   * not a function; `field` names the option in messages.
   */
  add(name: string, fn: HostFunction, field: string): () => void {
    if (typeof name !== "string" || !isValidFunctionName(name)) {
      throw new TypeError(`${field}: ${JSON.stringify(name)} is not a valid function name: it must match [A-Za-z_][A-Za-z0-9_.-]{0,127} (PROTOCOL.md §4.1)`);
    }
    if (this.functions.has(name)) throw new TypeError(`${field}: a host function named "${name}" is already registered; remove it first (handle() returns the remover)`);
    if (typeof fn.handler !== "function") throw new TypeError(`${field}: the handler must be a function (args, ctx) => result`);
    const entry: RegisteredHostFunction = {
      name,
      handler: fn.handler,
      streaming: fn.streaming === true,
      validate: argsValidator(fn.params),
      info: { name, description: fn.description ?? "", streaming: fn.streaming === true, idempotent: fn.idempotent === true },
      telemetry: this.telemetry,
    };
    this.functions.set(name, entry);
    this.convert(entry, fn);
    return () => {
      if (this.functions.get(name) === entry) this.functions.delete(name);
    };
  }

  /** get returns the function named `name`, if registered. */
  get(name: string): RegisteredHostFunction | undefined {
    return this.functions.get(name);
  }

  /** specs lists the FunctionSpecs of the functions `allowed` accepts, by name. */
  specs(allowed: (name: string) => boolean): FunctionInfo[] {
    return [...this.functions.values()].filter((entry) => allowed(entry.name)).map((entry) => ({ ...entry.info }));
  }

  /** names lists the registered names that `allowed` accepts, sorted. */
  names(allowed: (name: string) => boolean): string[] {
    return [...this.functions.keys()].filter(allowed).sort();
  }

  /** ready resolves when every schema given so far has its JSON Schema text. */
  async ready(): Promise<void> {
    await Promise.all([...this.conversions]);
  }

  private convert(entry: RegisteredHostFunction, fn: HostFunction): void {
    const conversion = (async () => {
      const [params, result] = await Promise.all([toJsonSchemaText(fn.params, "input"), toJsonSchemaText(fn.result, "output")]);
      entry.info = { ...entry.info, paramsSchema: params.text, resultSchema: result.text };
    })();
    this.conversions.add(conversion);
    void conversion.finally(() => this.conversions.delete(conversion));
  }
}
