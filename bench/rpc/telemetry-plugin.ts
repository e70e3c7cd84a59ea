// The plugin of the telemetry scenarios (telemetry.ts): add-plugin.ts's `add`, served with
// the tracing BENCH_TELEMETRY names: "off" (telemetry: false), "api" (the default: the API's
// global provider, no SDK registered) or "sdk" (spans recorded, exported to nowhere).
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { definePlugin, type ServeOptions } from "@polyproc/sdk";
import { noopSpanExporter } from "./telemetry-exporter.js";

const plugin = definePlugin({ name: "bench", version: "1.0.0" });
plugin.fn("add", ({ a, b }: { a: number; b: number }) => a + b);

const mode = process.env["BENCH_TELEMETRY"];
let options: ServeOptions = {};
if (mode === "off") options = { telemetry: false };
if (mode === "sdk") {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  options = { telemetry: { tracerProvider: new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(noopSpanExporter)] }) } };
}
await plugin.serve(options);
