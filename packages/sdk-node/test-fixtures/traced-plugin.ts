// A plugin for the SDK's tracing tests: it serves with its own tracer provider, whose spans
// it keeps in memory and answers with `spans`. TRACED_TELEMETRY=off serves with telemetry off.

import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { PluginError, definePlugin, type PlainValue } from "../src/index.js";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const appTracer = provider.getTracer("app");

const plugin = definePlugin({ name: "traced", version: "1.0.0" });

plugin
  .fn("metadata", (_args: unknown, ctx) => ctx.metadata)
  // A span of the application's own, which should be the child of the call's.
  .fn("work", async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return appTracer.startActiveSpan("app-work", (span) => {
      span.end();
      return span.spanContext().spanId;
    });
  })
  .fn("relay", ({ target, fn, args }: { target: string; fn: string; args?: PlainValue }, ctx) => ctx.call(target, fn, args ?? null))
  .fn("askHost", ({ fn }: { fn: string }, ctx) => ctx.host.call(fn, null))
  .fn("fail", () => {
    throw new PluginError("OUT_OF_RANGE", "fail always fails");
  })
  .stream("count", async function* ({ n }: { n: number }) {
    for (let i = 0; i < n; i++) yield appTracer.startActiveSpan("app-item", (span) => (span.end(), i));
  })
  // The spans that ended so far, oldest first, as plain values (those of `spans` calls left
  // out); they are forgotten then.
  .fn("spans", () => {
    const finished = exporter.getFinishedSpans().filter((span) => span.name !== "traced/spans");
    const spans = finished.map((span) => ({
      name: span.name,
      kind: span.kind,
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      parentSpanId: span.parentSpanContext?.spanId ?? null,
      status: span.status.code,
      attributes: span.attributes as Record<string, PlainValue>,
    }));
    exporter.reset();
    return spans;
  });

await plugin.serve({ telemetry: process.env["TRACED_TELEMETRY"] === "off" ? false : { tracerProvider: provider } });
