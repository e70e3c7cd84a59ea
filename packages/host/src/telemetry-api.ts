// Loading the optional peer dependency @opentelemetry/api: only when the host starts, so that
// an application without it pays nothing and needs nothing.
// The host imports it itself, so that it resolves from where the host is installed.
import type { MeterProvider, TracerProvider } from "@opentelemetry/api";
import { type OtelApi, type ProviderField, loadOtelApi, registeredTracerProvider, telemetryApi } from "@polyproc/protocol/node";

/**
 * TelemetryOptions pass the OpenTelemetry providers the host reports to, instead of the
 * API's global ones (tests, or an application that keeps several).
 */
export interface TelemetryOptions {
  /** Where the host's spans go. Default: the global tracer provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /** Where the host's metrics go. Default: the global meter provider (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider;
}

/**
 * TelemetryOption is PluginHostOptions.telemetry: `false` turns tracing and metrics off,
 * TelemetryOptions choose the providers; left out, the host uses the API's global providers
 * when @opentelemetry/api is installed and an SDK is registered with them when the host
 * starts, and nothing otherwise.
 */
export type TelemetryOption = false | TelemetryOptions;

export type { OtelApi };

/** TelemetryProviders are the API and the providers the host reports to. */
export interface TelemetryProviders {
  api: OtelApi;
  tracerProvider: TracerProvider;
  meterProvider: MeterProvider;
}

const SCOPE = "@polyproc/host";

const PROVIDERS: readonly ProviderField[] = [
  { name: "tracerProvider", method: "getTracer", what: "TracerProvider" },
  { name: "meterProvider", method: "getMeter", what: "MeterProvider" },
];

let loading: Promise<OtelApi | undefined> | undefined;

/** importOtelApi loads @opentelemetry/api once; it resolves with undefined when the package is not installed. */
export function importOtelApi(): Promise<OtelApi | undefined> {
  loading ??= loadOtelApi(() => import("@opentelemetry/api"));
  return loading;
}

/**
 * telemetryProviders checks the `telemetry` option and resolves with what to report to, or
 * undefined when telemetry is off: `false`; left out without @opentelemetry/api installed;
 * or no provider given and no OpenTelemetry SDK registered with the API's globals (spans and
 * metrics would go nowhere, so the calls pay nothing for them). A global provider is looked
 * for now: register the SDK before the host starts. It throws a TypeError for a malformed
 * option, or an option given while the package is missing; `where` begins its message.
 * `importApi` is for tests.
 */
export async function telemetryProviders(option: TelemetryOption | undefined, where: string, importApi = importOtelApi): Promise<TelemetryProviders | undefined> {
  const api = await telemetryApi(option, PROVIDERS, where, importApi);
  if (api === undefined || option === false) return undefined;
  const tracerProvider = option?.tracerProvider ?? registeredTracerProvider(api, SCOPE);
  const meterProvider = option?.meterProvider ?? registeredMeterProvider(api);
  if (tracerProvider === undefined && meterProvider === undefined) return undefined;
  return {
    api,
    tracerProvider: tracerProvider ?? api.trace.getTracerProvider(),
    meterProvider: meterProvider ?? api.metrics.getMeterProvider(),
  };
}

/** registeredMeterProvider is the global meter provider when an SDK was registered as one, else undefined. */
function registeredMeterProvider(api: OtelApi): MeterProvider | undefined {
  const provider = api.metrics.getMeterProvider();
  const noopMeter = api.createNoopMeter().constructor;
  return provider.getMeter(SCOPE) instanceof noopMeter ? undefined : provider;
}
