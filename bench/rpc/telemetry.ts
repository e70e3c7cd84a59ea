// The telemetry scenarios: host → plugin calls (as in polyproc.ts) with OpenTelemetry off,
// with @opentelemetry/api loaded but no SDK registered (the default wherever the package is
// installed), and with an SDK recording every span and metric (spans batched to an exporter
// that drops them). Host and plugin run in the same mode; the rates compare within one run.
import { fileURLToPath } from "node:url";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { PluginHost, type PluginHostOptions } from "@polyproc/host";
import { type OpenOptions, type RpcClient, runClosedLoop } from "./closed-loop.js";
import { ADD_ARGS } from "./frame-sizes.js";
import { pluginPids } from "./polyproc.js";
import type { Row } from "./report.js";
import { repoRoot, tsNodeArgs } from "./server-process.js";
import { noopSpanExporter } from "./telemetry-exporter.js";

const pluginPath = fileURLToPath(new URL("./telemetry-plugin.ts", import.meta.url));

/** TelemetryMode is how much OpenTelemetry a scenario runs: none, the API alone, or an SDK. */
export type TelemetryMode = "off" | "api" | "sdk";

/** A MetricReader nobody collects: the SDK aggregates every measurement, nothing exports. */
class IdleReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** telemetryFamilies are the scenarios `--only telemetry` runs: otel-off, otel-api and otel-sdk. */
export const telemetryFamilies = (["off", "api", "sdk"] as const).map((mode) => ({
  scenario: `otel-${mode}`,
  group: "telemetry",
  instances: 1,
  open: (options: OpenOptions) => openTelemetry(mode, options),
}));

/** WARMUP_MS is how long each scenario runs before it is measured, so that the first of the three is not the one that warms this process up. */
const WARMUP_MS = 1_000;

/**
 * openTelemetry starts a PluginHost running one instance of telemetry-plugin.ts (1 024
 * calls at once, as in polyproc.ts), both in `mode`, and runs calls for WARMUP_MS. With
 * "sdk" it registers an AsyncLocalStorage context manager for the scenario's time, as an
 * SDK setup does.
 */
export async function openTelemetry(mode: TelemetryMode, options: OpenOptions): Promise<RpcClient> {
  let telemetry: PluginHostOptions["telemetry"];
  let release = (): Promise<unknown> => Promise.resolve();
  if (mode === "off") telemetry = false;
  if (mode === "sdk") {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(noopSpanExporter)] });
    const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
    telemetry = { tracerProvider, meterProvider };
    release = () => {
      context.disable();
      return Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    };
  }
  const command = [process.execPath, ...options.nodeArgs, ...tsNodeArgs, pluginPath];
  const host = await PluginHost.start({
    telemetry,
    plugins: [{ name: "bench", command, cwd: repoRoot, env: { BENCH_TELEMETRY: mode }, maxConcurrency: 1024 }],
  });
  const client: RpcClient = {
    issue(done) {
      host.call("bench", "add", ADD_ARGS).then(() => done(), done);
    },
    close: async () => {
      await host.close();
      await release();
    },
    processes: () => pluginPids(host),
  };
  await runClosedLoop(client, { inFlight: 100, warmupMs: 0, durationMs: WARMUP_MS });
  return client;
}

/**
 * formatTelemetryRatios compares otel-api and otel-sdk with otel-off at each number in
 * flight: the call rate, and the CPU time per call of the host and the plugin together
 * (steadier on a shared machine), where measured.
 */
export function formatTelemetryRatios(rows: Row[]): string[] {
  const lines: string[] = [];
  for (const off of rows.filter((row) => row.scenario === "otel-off")) {
    for (const scenario of ["otel-api", "otel-sdk"]) {
      const row = rows.find((candidate) => candidate.scenario === scenario && candidate.inFlight === off.inFlight);
      if (row === undefined) continue;
      const rate = percent(row.callsPerSec / off.callsPerSec);
      const cpu = row.cpuUsPerCall !== undefined && off.cpuUsPerCall !== undefined ? `, CPU per call ${percent(row.cpuUsPerCall / off.cpuUsPerCall)}` : "";
      lines.push(`${scenario} / otel-off at ${off.inFlight} in flight: calls/s ${rate}${cpu}`);
    }
  }
  return lines;
}

function percent(ratio: number): string {
  return `${(100 * ratio).toLocaleString("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 })}%`;
}
