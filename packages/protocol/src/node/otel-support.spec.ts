import * as api from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { loadOtelApi, registeredTracerProvider, remoteParent, telemetryApi, withSpanContext, type ProviderField } from "./otel-support.js";

const fields: readonly ProviderField[] = [
  { name: "tracerProvider", method: "getTracer", what: "TracerProvider" },
  { name: "meterProvider", method: "getMeter", what: "MeterProvider" },
];

function notFound(specifier: string): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/index.js`), { code: "ERR_MODULE_NOT_FOUND" });
}

describe("loadOtelApi", () => {
  it("resolves with the module the loader imports", async () => {
    expect(await loadOtelApi(() => Promise.resolve(api))).toBe(api);
  });

  it("resolves with undefined when @opentelemetry/api is not installed", async () => {
    expect(await loadOtelApi(() => Promise.reject(notFound("@opentelemetry/api")))).toBeUndefined();
  });

  it("rejects with any other failure, a missing dependency of the API included", async () => {
    await expect(loadOtelApi(() => Promise.reject(notFound("some-other-package")))).rejects.toThrow(/some-other-package/);
    await expect(loadOtelApi(() => Promise.reject(new SyntaxError("bad module")))).rejects.toThrow("bad module");
  });
});

describe("registeredTracerProvider", () => {
  it("is undefined while no SDK is registered, and the global provider once one is", () => {
    expect(registeredTracerProvider(api, "scope")).toBeUndefined();
    const tracer = {} as api.Tracer;
    const provider: api.TracerProvider = { getTracer: () => tracer };
    api.trace.setGlobalTracerProvider(provider);
    try {
      expect(registeredTracerProvider(api, "scope")).toBe(api.trace.getTracerProvider());
    } finally {
      api.trace.disable();
    }
    expect(registeredTracerProvider(api, "scope")).toBeUndefined();
  });
});

describe("telemetryApi", () => {
  const where = "invalid options";
  const installed = () => Promise.resolve(api);
  const missing = () => Promise.resolve(undefined);

  it("is off with false, and off when the option is left out and the package missing", async () => {
    expect(await telemetryApi(false, fields, where, installed)).toBeUndefined();
    expect(await telemetryApi(undefined, fields, where, missing)).toBeUndefined();
  });

  it("loads the API for an object of providers, or of none, or for no option", async () => {
    expect(await telemetryApi({}, fields, where, installed)).toBe(api);
    expect(await telemetryApi({ tracerProvider: { getTracer: () => undefined } }, fields, where, installed)).toBe(api);
    expect(await telemetryApi(undefined, fields, where, installed)).toBe(api);
  });

  it("names what is wrong with the option and what is expected", async () => {
    await expect(telemetryApi(true, fields, where, installed)).rejects.toThrow("invalid options: telemetry must be false (off) or an object { tracerProvider?, meterProvider? }, got true");
    await expect(telemetryApi([], fields, where, installed)).rejects.toThrow(TypeError);
    await expect(telemetryApi({ meterProvider: {} }, fields, where, installed)).rejects.toThrow(
      "invalid options: telemetry.meterProvider must be an OpenTelemetry MeterProvider (with getMeter), or left out for the global one",
    );
  });

  it("says how to fix an option given while the package is missing", async () => {
    await expect(telemetryApi({}, fields, where, missing)).rejects.toThrow(
      "invalid options: telemetry is set, but @opentelemetry/api is not installed: install it (npm install @opentelemetry/api) or leave telemetry out",
    );
  });
});

describe("remoteParent and withSpanContext (§5.5.2)", () => {
  const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  it("makes a valid traceparent the remote parent, and leaves the base for an invalid one", () => {
    const parent = api.trace.getSpanContext(remoteParent(api, { traceparent, tracestate: "k=v" }, api.ROOT_CONTEXT));
    expect(parent).toMatchObject({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1, isRemote: true });
    expect(parent?.traceState?.get("k")).toBe("v");
    expect(remoteParent(api, { traceparent: "00-bad" }, api.ROOT_CONTEXT)).toBe(api.ROOT_CONTEXT);
    expect(remoteParent(api, undefined, api.ROOT_CONTEXT)).toBe(api.ROOT_CONTEXT);
  });

  it("puts a span's context in the metadata, keeping the metadata when it carries it already or the span has none", () => {
    const span = api.trace.wrapSpanContext({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "b7ad6b7169203331", traceFlags: 1 });
    expect(withSpanContext(api, span, { app: "x", traceparent, tracestate: "old=1" })).toEqual({ app: "x", traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01" });
    const same = { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01" };
    expect(withSpanContext(api, span, same)).toBe(same);
    const metadata = { app: "x" };
    expect(withSpanContext(api, api.trace.wrapSpanContext(api.INVALID_SPAN_CONTEXT), metadata)).toBe(metadata);
  });
});
