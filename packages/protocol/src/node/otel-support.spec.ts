import * as api from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { loadOtelApi, registeredTracerProvider, telemetryApi, type ProviderField } from "./otel-support.js";

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
