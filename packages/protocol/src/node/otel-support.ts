// What the host and the Node SDK share of their OpenTelemetry support: loading the optional
// peer dependency @opentelemetry/api, checking the `telemetry` option, telling whether an
// SDK was registered with the API's global tracer provider, and the trace context calls carry. Each package passes its own
// import of the API, so that it resolves from where that package is installed.
import type * as OtelApiModule from "@opentelemetry/api";
import type { Context, Span, TracerProvider } from "@opentelemetry/api";
import { formatTraceparent, parseTraceparent } from "../trace-context.js";

/** OtelApi is the module @opentelemetry/api. */
export type OtelApi = typeof OtelApiModule;

/** OTEL_API_PACKAGE is the name of the optional peer dependency. */
export const OTEL_API_PACKAGE = "@opentelemetry/api";

/**
 * loadOtelApi runs `load` (the caller's `import("@opentelemetry/api")`) and resolves with the
 * module, or with undefined when the package is not installed; other failures reject.
 */
export function loadOtelApi(load: () => Promise<OtelApi>): Promise<OtelApi | undefined> {
  return load().then(
    (api) => api,
    (error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    },
  );
}

/**
 * registeredTracerProvider is the API's global tracer provider when an SDK was registered as
 * it, else undefined: the global is a proxy that hands out no-op tracers until an SDK is set
 * behind it. `scope` names the tracer asked for.
 */
export function registeredTracerProvider(api: OtelApi, scope: string): TracerProvider | undefined {
  const provider = api.trace.getTracerProvider();
  if (provider instanceof api.ProxyTracerProvider && provider.getDelegateTracer(scope) === undefined) return undefined;
  return provider;
}

/** ProviderField names a provider of the `telemetry` option and the method that makes one its own. */
export interface ProviderField {
  name: "tracerProvider" | "meterProvider";
  method: "getTracer" | "getMeter";
  what: string;
}

/**
 * telemetryApi checks a `telemetry` option (false, or an object of the providers `fields`
 * names) and loads the API for it with `importApi`. It resolves with undefined when the
 * option is false, or left out while the package is not installed; it throws a TypeError,
 * beginning with `where`, for a malformed option or for one given while the package is
 * missing.
 */
export async function telemetryApi(option: unknown, fields: readonly ProviderField[], where: string, importApi: () => Promise<OtelApi | undefined>): Promise<OtelApi | undefined> {
  if (option === false) return undefined;
  if (option !== undefined) checkTelemetryOption(option, fields, where);
  const api = await importApi();
  if (api === undefined && option !== undefined) throw missingApiError(where);
  return api;
}

function checkTelemetryOption(option: unknown, fields: readonly ProviderField[], where: string): void {
  const shape = `{ ${fields.map((field) => `${field.name}?`).join(", ")} }`;
  if (typeof option !== "object" || option === null || Array.isArray(option)) {
    throw new TypeError(`${where}: telemetry must be false (off) or an object ${shape}, got ${String(option)}`);
  }
  for (const { name, method, what } of fields) {
    const provider = (option as Record<string, unknown>)[name];
    if (provider !== undefined && typeof (provider as Record<string, unknown> | null)?.[method] !== "function") {
      throw new TypeError(`${where}: telemetry.${name} must be an OpenTelemetry ${what} (with ${method}), or left out for the global one`);
    }
  }
}

/**
 * remoteParent is `base` with the span of the metadata's `traceparent` (and `tracestate`)
 * as its remote parent when the header is valid (PROTOCOL.md §5.5.2), else `base` itself.
 */
export function remoteParent(api: OtelApi, metadata: Readonly<Record<string, string>> | undefined, base: Context): Context {
  const parsed = parseTraceparent(metadata?.["traceparent"]);
  if (parsed === undefined) return base;
  const state = metadata?.["tracestate"];
  const traceState = state === undefined ? undefined : api.createTraceState(state);
  return api.trace.setSpanContext(base, { ...parsed, isRemote: true, traceState });
}

/**
 * withSpanContext is `metadata` with the `traceparent` and `tracestate` of `span`, for the
 * call it is sent with (§5.5.2); `metadata` itself when they are there already (a span that
 * does not record keeps its parent's ids) or when the span has no valid context.
 */
export function withSpanContext<M extends Readonly<Record<string, string>> | undefined>(api: OtelApi, span: Span, metadata: M): M | Record<string, string> {
  const context = span.spanContext();
  if (!api.trace.isSpanContextValid(context)) return metadata;
  const traceparent = formatTraceparent(context);
  if (metadata?.["traceparent"] === traceparent) return metadata;
  const out: Record<string, string> = { ...metadata, traceparent };
  const state = context.traceState?.serialize();
  if (state === undefined || state === "") delete out["tracestate"];
  else out["tracestate"] = state;
  return out;
}

function missingApiError(where: string): TypeError {
  return new TypeError(`${where}: telemetry is set, but ${OTEL_API_PACKAGE} is not installed: install it (npm install ${OTEL_API_PACKAGE}) or leave telemetry out`);
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && error instanceof Error && error.message.includes(OTEL_API_PACKAGE);
}
