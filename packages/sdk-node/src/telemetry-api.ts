// Loading the optional peer dependency @opentelemetry/api: only when the plugin starts
// serving, so that a plugin without it pays nothing and needs nothing.
// Each package imports it itself, so that it resolves from where that package is installed.
import type * as OtelApiModule from "@opentelemetry/api";
import type { TracerProvider } from "@opentelemetry/api";

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

/** OtelApi is the module @opentelemetry/api. */
export type OtelApi = typeof OtelApiModule;

/** TelemetryProvider is the API and the tracer provider the plugin reports to. */
export interface TelemetryProvider {
  api: OtelApi;
  tracerProvider: TracerProvider;
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
 * telemetryProvider checks the `telemetry` option and resolves with what to report to, or
 * undefined when tracing is off: `false`; left out without @opentelemetry/api installed; or
 * no provider given and no OpenTelemetry SDK registered as the global tracer provider (spans
 * would go nowhere, so the calls pay nothing for them; the incoming `traceparent` passes on
 * unchanged). The global provider is looked for now: register the SDK before serve(). It
 * throws a TypeError for a malformed option, or an option given while the package is
 * missing; `where` begins its message. `importApi` is for tests.
 */
export async function telemetryProvider(option: TelemetryOption | undefined, where: string, importApi = importOtelApi): Promise<TelemetryProvider | undefined> {
  if (option === false) return undefined;
  if (option !== undefined) checkOption(option, where);
  const api = await importApi();
  if (api === undefined) {
    if (option === undefined) return undefined;
    throw new TypeError(`${where}: telemetry is set, but ${PACKAGE} is not installed: install it (npm install ${PACKAGE}) or leave telemetry out`);
  }
  const tracerProvider = option?.tracerProvider ?? registeredTracerProvider(api);
  return tracerProvider === undefined ? undefined : { api, tracerProvider };
}

/** registeredTracerProvider is the global tracer provider when an SDK was registered as one, else undefined. */
function registeredTracerProvider(api: OtelApi): TracerProvider | undefined {
  const provider = api.trace.getTracerProvider();
  // The global is a proxy that hands out no-op tracers until an SDK is set behind it.
  if (provider instanceof api.ProxyTracerProvider && provider.getDelegateTracer("@polyproc/sdk") === undefined) return undefined;
  return provider;
}

function checkOption(option: TelemetryOptions, where: string): void {
  if (typeof option !== "object" || option === null || Array.isArray(option)) {
    throw new TypeError(`${where}: telemetry must be false (off) or an object { tracerProvider? }, got ${String(option)}`);
  }
  const { tracerProvider } = option;
  if (tracerProvider !== undefined && typeof tracerProvider?.getTracer !== "function") {
    throw new TypeError(`${where}: telemetry.tracerProvider must be an OpenTelemetry TracerProvider (with getTracer), or left out for the global one`);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && error instanceof Error && error.message.includes(PACKAGE);
}
