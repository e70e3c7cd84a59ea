// Loading the optional peer dependency @opentelemetry/api: only when the host starts, so that
// an application without it pays nothing and needs nothing.
// Each package imports it itself, so that it resolves from where that package is installed.
import type * as OtelApiModule from "@opentelemetry/api";
import type { MeterProvider, TracerProvider } from "@opentelemetry/api";

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

/** OtelApi is the module @opentelemetry/api. */
export type OtelApi = typeof OtelApiModule;

/** TelemetryProviders are the API and the providers the host reports to. */
export interface TelemetryProviders {
  api: OtelApi;
  tracerProvider: TracerProvider;
  meterProvider: MeterProvider;
}

const PACKAGE = "@opentelemetry/api";

let loading: Promise<OtelApi | undefined> | undefined;

/** importOtelApi loads @opentelemetry/api once; it resolves with undefined when the package is not installed. */
export function importOtelApi(): Promise<OtelApi | undefined> {
  loading ??= import("@opentelemetry/api").then(
    (api) => api,
    (error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    },
  );
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
  if (option === false) return undefined;
  if (option !== undefined) checkOption(option, where);
  const api = await importApi();
  if (api === undefined) {
    if (option === undefined) return undefined;
    throw new TypeError(`${where}: telemetry is set, but ${PACKAGE} is not installed: install it (npm install ${PACKAGE}) or leave telemetry out`);
  }
  const tracerProvider = option?.tracerProvider ?? registeredTracerProvider(api);
  const meterProvider = option?.meterProvider ?? registeredMeterProvider(api);
  if (tracerProvider === undefined && meterProvider === undefined) return undefined;
  return {
    api,
    tracerProvider: tracerProvider ?? api.trace.getTracerProvider(),
    meterProvider: meterProvider ?? api.metrics.getMeterProvider(),
  };
}

/** registeredTracerProvider is the global tracer provider when an SDK was registered as one, else undefined. */
function registeredTracerProvider(api: OtelApi): TracerProvider | undefined {
  const provider = api.trace.getTracerProvider();
  // The global is a proxy that hands out no-op tracers until an SDK is set behind it.
  if (provider instanceof api.ProxyTracerProvider && provider.getDelegateTracer("@polyproc/host") === undefined) return undefined;
  return provider;
}

/** registeredMeterProvider is the global meter provider when an SDK was registered as one, else undefined. */
function registeredMeterProvider(api: OtelApi): MeterProvider | undefined {
  const provider = api.metrics.getMeterProvider();
  const noopMeter = api.createNoopMeter().constructor;
  return provider.getMeter("@polyproc/host") instanceof noopMeter ? undefined : provider;
}

function checkOption(option: TelemetryOptions, where: string): void {
  if (typeof option !== "object" || option === null || Array.isArray(option)) {
    throw new TypeError(`${where}: telemetry must be false (off) or an object { tracerProvider?, meterProvider? }, got ${String(option)}`);
  }
  const { tracerProvider, meterProvider } = option;
  if (tracerProvider !== undefined && typeof tracerProvider?.getTracer !== "function") {
    throw new TypeError(`${where}: telemetry.tracerProvider must be an OpenTelemetry TracerProvider (with getTracer), or left out for the global one`);
  }
  if (meterProvider !== undefined && typeof meterProvider?.getMeter !== "function") {
    throw new TypeError(`${where}: telemetry.meterProvider must be an OpenTelemetry MeterProvider (with getMeter), or left out for the global one`);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && error instanceof Error && error.message.includes(PACKAGE);
}
