// plugin.serve(): from the environment to a served connection (PROTOCOL.md §2.4, §4.1, §18).

import type { Socket } from "node:net";
import { PROTOCOL_VERSION, toJsonSchemaText, type FunctionInfo, type HelloInit } from "@polyproc/protocol";
import { connect } from "@polyproc/protocol/node";
import { directRunHelp } from "./direct-run.js";
import { EnvironmentError, readEnvironment, type PluginEnvironment } from "./environment.js";
import type { Logger } from "./logger.js";
import type { Plugin, RegisteredFunction } from "./plugin.js";
import { PluginServer, type Welcomed } from "./plugin-server.js";
import { PluginTelemetry } from "./server-span.js";
import { telemetryProvider, type TelemetryOption } from "./telemetry-api.js";
import { SDK_LANGUAGE, SDK_VERSION } from "./version.js";

/** Exit statuses of §14.3. */
const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;

/** CAPABILITIES are the optional features this SDK implements (§16.2). */
export const CAPABILITIES = ["streaming", "host-calls", "plugin-calls", "pubsub"];

/** ServeOptions are the options of plugin.serve(). */
export interface ServeOptions {
  /**
   * OpenTelemetry tracing, through the optional peer dependency @opentelemetry/api: a
   * SERVER span per call, the child of the call's `traceparent`, whose context the calls
   * the handler makes carry on. `false` turns it off; `{ tracerProvider }` chooses the
   * provider. Default: the API's global provider when the package is installed and an
   * OpenTelemetry SDK is registered with it before serve() is called; off otherwise (the
   * incoming `traceparent` then passes on unchanged, at no cost). Setting it without the
   * package installed makes serve() reject with a TypeError.
   */
  telemetry?: TelemetryOption;
}

/**
 * servePlugin is plugin.serve(): read and remove the POLYPROC_* variables, connect, send
 * Hello, and hand the connection to a PluginServer, which exits the process in the end.
 */
export async function servePlugin(plugin: Plugin, options: ServeOptions, onWelcome: (welcomed: Welcomed) => Logger): Promise<never> {
  const provider = await telemetryProvider(options.telemetry, "plugin.serve");
  const functions = new Map(plugin.functions.map((fn) => [fn.name, fn]));
  const environment = environmentOrExit(plugin, [...functions.keys()]);
  const specs = await functionSpecs(plugin.functions, plugin.logger);
  const socket = await connectOrExit(plugin.name, environment.address);
  installProcessHandlers(() => plugin.logger);
  const server = new PluginServer({
    hello: helloOf(plugin, environment, specs),
    functions,
    pubsub: plugin.pubsub,
    hostProtocol: environment.hostProtocol,
    debug: plugin.options.debug ?? false,
    logger: plugin.logger,
    telemetry: provider === undefined ? undefined : new PluginTelemetry(provider),
    onWelcome,
    exit,
  });
  server.start(socket);
  return new Promise<never>(() => undefined);
}

function environmentOrExit(plugin: Plugin, functionNames: string[]): PluginEnvironment {
  let environment: PluginEnvironment | undefined;
  try {
    environment = readEnvironment();
  } catch (error) {
    if (error instanceof EnvironmentError) exit(EXIT_USAGE, `${plugin.name}: ${error.message}`);
    throw error;
  }
  if (environment === undefined) exit(EXIT_USAGE, directRunHelp(plugin.name, functionNames));
  return environment;
}

async function connectOrExit(pluginName: string, address: string): Promise<Socket> {
  try {
    return await connect(address);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return exit(EXIT_FAILURE, `${pluginName}: ${reason}; is the host still running? exiting`);
  }
}

/** functionSpecs describes the functions for Hello, their schemas as JSON Schema text (§4.1). */
async function functionSpecs(functions: readonly RegisteredFunction[], logger: Logger): Promise<FunctionInfo[]> {
  return Promise.all(
    functions.map(async ({ name, options }) => {
      const params = await toJsonSchemaText(options.params, "input");
      const result = await toJsonSchemaText(options.result, "output");
      if (params.problem !== undefined) logger.warn(`function ${name}: params schema sent empty: ${params.problem}`, { fn: name });
      if (result.problem !== undefined) logger.warn(`function ${name}: result schema sent empty: ${result.problem}`, { fn: name });
      return {
        name,
        description: options.description ?? "",
        paramsSchema: params.text,
        resultSchema: result.text,
        streaming: options.streaming ?? false,
        idempotent: options.idempotent ?? false,
      };
    }),
  );
}

function helloOf(plugin: Plugin, environment: PluginEnvironment, functions: FunctionInfo[]): HelloInit {
  return {
    token: environment.token,
    minProtocol: PROTOCOL_VERSION,
    maxProtocol: PROTOCOL_VERSION,
    sdkLanguage: SDK_LANGUAGE,
    sdkVersion: SDK_VERSION,
    pluginName: plugin.name,
    pluginVersion: plugin.options.version,
    functions,
    subscriptions: plugin.pubsub.helloPatterns(),
    maxConcurrency: plugin.options.maxConcurrency ?? 0,
    pid: process.pid,
    capabilities: CAPABILITIES,
  };
}

/**
 * installProcessHandlers makes a rejected promise that nobody handles (a handler's stray
 * promise, typically) a logged error instead of the end of the process: one bad call must
 * not take the plugin down. An uncaught exception (a throw in a timer or event callback, out
 * of any handler's promise) still ends the process as Node does, with its stack on stderr.
 */
function installProcessHandlers(logger: () => Logger): void {
  process.on("unhandledRejection", (reason) => {
    logger().error(`unhandled promise rejection (the plugin keeps serving): ${reason instanceof Error ? reason.message : String(reason)}`, { error: reason });
  });
}

/** exit writes a message (if any) on stderr and ends the process with a status. */
function exit(code: number, message?: string): never {
  if (message !== undefined) process.stderr.write(message.endsWith("\n") ? message : `${message}\n`);
  process.exit(code);
}
