import { trace } from "@opentelemetry/api";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { importOtelApi, telemetryProvider } from "./telemetry-api.js";

const missing = () => Promise.resolve(undefined);

describe("telemetryProvider (the serve option `telemetry`)", () => {
  it("is off with false, and off without the package when the option is left out", async () => {
    expect(await telemetryProvider(false, "plugin.serve")).toBeUndefined();
    expect(await telemetryProvider(undefined, "plugin.serve", missing)).toBeUndefined();
  });

  it("is off by default while no SDK is registered as the global tracer provider", async () => {
    expect(await telemetryProvider(undefined, "plugin.serve")).toBeUndefined();
    expect(await telemetryProvider({}, "plugin.serve")).toBeUndefined();
  });

  it("uses the global provider an SDK was registered as, or the one given", async () => {
    const tracerProvider = new BasicTracerProvider();
    expect(await telemetryProvider({ tracerProvider }, "plugin.serve")).toEqual({ api: await importOtelApi(), tracerProvider });
    trace.setGlobalTracerProvider(tracerProvider);
    try {
      expect((await telemetryProvider(undefined, "plugin.serve"))?.tracerProvider).toBe(trace.getTracerProvider());
    } finally {
      trace.disable();
    }
  });

  it("fails when the option is set but @opentelemetry/api is missing, saying how to fix it", async () => {
    await expect(telemetryProvider({}, "plugin.serve", missing)).rejects.toThrow(
      "plugin.serve: telemetry is set, but @opentelemetry/api is not installed: install it (npm install @opentelemetry/api) or leave telemetry out",
    );
  });

  it("refuses a malformed option", async () => {
    await expect(telemetryProvider("on" as never, "plugin.serve")).rejects.toThrow("telemetry must be false (off) or an object");
    await expect(telemetryProvider({ tracerProvider: {} as never }, "plugin.serve")).rejects.toThrow("telemetry.tracerProvider must be an OpenTelemetry TracerProvider");
  });
});
