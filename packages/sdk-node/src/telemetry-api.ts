// Loading the optional peer dependency @opentelemetry/api: only when the plugin starts
// serving, so that a plugin without it pays nothing and needs nothing.
// The SDK imports it itself, so that it resolves from where the SDK is installed.
import type { TracerProvider } from "@opentelemetry/api";
import { type OtelApi, type ProviderField, loadOtelApi, registeredTracerProvider, telemetryApi } from "@polyproc/protocol/node";

/** TelemetryOptions pass the OpenTelemetry tracer provider the plugin reports to, instead of the API's global one. */
export interface TelemetryOptions {
  /** Where the plugin's spans go. Default: the global tracer provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
}

/**
 * TelemetryOption is ServeOptions.telemetry: `false` turns tracing off, TelemetryOptions
 * choose the provider; left out, the plugin uses the API's global provider when
 * @opentelemetry/api is installed and an SDK is registered with it when serve() is called,
 * and nothing otherwise.
 */
export type TelemetryOption = false | TelemetryOptions;

export type { OtelApi };

/** TelemetryProvider is the API and the tracer provider the plugin reports to. */
export interface TelemetryProvider {
  api: OtelApi;
  tracerProvider: TracerProvider;
}

const SCOPE = "@polyproc/sdk";

const PROVIDERS: readonly ProviderField[] = [{ name: "tracerProvider", method: "getTracer", what: "TracerProvider" }];

let loading: Promise<OtelApi | undefined> | undefined;

/** importOtelApi loads @opentelemetry/api once; it resolves with undefined when the package is not installed. */
export function importOtelApi(): Promise<OtelApi | undefined> {
  loading ??= loadOtelApi(() => import("@opentelemetry/api"));
  return loading;
}

/**
 * telemetryProvider checks the `telemetry` option and resolves with what to report to, or
 * undefined when tracing is off: `false`; left out without @opentelemetry/api installed; or
 * no provider given and no OpenTelemetry SDK registered as the global tracer provider (spans
 * would go nowhere, so the calls pay nothing for them; the incoming `traceparent` passes on
 * unchanged). The global provider is looked for now: register the SDK before serve(). It
 * throws a TypeError for a malformed option, or an option given while the package is
 * missing; `where` begins its message. `importApi` is for tests.
 */
export async function telemetryProvider(option: TelemetryOption | undefined, where: string, importApi = importOtelApi): Promise<TelemetryProvider | undefined> {
  const api = await telemetryApi(option, PROVIDERS, where, importApi);
  if (api === undefined || option === false) return undefined;
  const tracerProvider = option?.tracerProvider ?? registeredTracerProvider(api, SCOPE);
  return tracerProvider === undefined ? undefined : { api, tracerProvider };
}
