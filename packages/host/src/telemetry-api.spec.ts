import { metrics, trace } from "@opentelemetry/api";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { PluginHost } from "./plugin-host.js";
import { importOtelApi, telemetryProviders } from "./telemetry-api.js";

const missing = () => Promise.resolve(undefined);
const where = "invalid PluginHost options";

describe("telemetryProviders (PluginHostOptions.telemetry)", () => {
  it("is off with false, and off without the package when the option is left out", async () => {
    expect(await telemetryProviders(false, where)).toBeUndefined();
    expect(await telemetryProviders(undefined, where, missing)).toBeUndefined();
  });

  it("is off by default while no SDK is registered with the API's globals: the calls pay nothing", async () => {
    expect(await telemetryProviders(undefined, where)).toBeUndefined();
    expect(await telemetryProviders({}, where)).toBeUndefined();
  });

  it("uses the global providers an SDK was registered as, or those given", async () => {
    const tracerProvider = new BasicTracerProvider();
    const meterProvider = new MeterProvider();
    expect(await telemetryProviders({ tracerProvider, meterProvider }, where)).toMatchObject({ api: await importOtelApi(), tracerProvider, meterProvider });
    trace.setGlobalTracerProvider(tracerProvider);
    try {
      const traced = await telemetryProviders(undefined, where);
      expect(traced?.tracerProvider).toBe(trace.getTracerProvider());
      expect(traced?.meterProvider).toBe(metrics.getMeterProvider());
      metrics.setGlobalMeterProvider(meterProvider);
      expect((await telemetryProviders({ tracerProvider: trace.getTracerProvider() }, where))?.meterProvider).toBe(meterProvider);
    } finally {
      trace.disable();
      metrics.disable();
    }
    expect(await telemetryProviders(undefined, where)).toBeUndefined();
  });

  it("fails when the option is set but @opentelemetry/api is missing, saying how to fix it", async () => {
    await expect(telemetryProviders({}, where, missing)).rejects.toThrow(
      "invalid PluginHost options: telemetry is set, but @opentelemetry/api is not installed: install it (npm install @opentelemetry/api) or leave telemetry out",
    );
  });

  it("refuses a malformed option, before starting anything", async () => {
    await expect(PluginHost.start({ plugins: [], telemetry: true as never })).rejects.toThrow("invalid PluginHost options: telemetry must be false (off) or an object");
    await expect(telemetryProviders({ meterProvider: {} as never }, where)).rejects.toThrow("telemetry.meterProvider must be an OpenTelemetry MeterProvider");
  });
});
