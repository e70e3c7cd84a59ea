// A fixture plugin written with the Node SDK that traces its calls into its own tracer
// provider and answers with the spans it recorded (`spans`), for the host's tracing tests.
// Its functions: add({a, b}); fail() fails OUT_OF_RANGE; count({n}) streams 0..n-1;
// relay({target, fn, args}) calls another plugin with ctx.call; askHost({fn, args}) calls a
// host function with ctx.host.call; hold() waits for its Cancel; crash() exits 3; metadata()
// answers the call's metadata; spans() the spans ended so far (and forgets them).
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { context } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { PluginError, definePlugin, type PlainValue } from "@polyproc/sdk";

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

interface Target {
  target: string;
  fn: string;
  args?: PlainValue;
}

const plugin = definePlugin({ name: "traced", version: "1.0.0" });

plugin
  .fn("add", ({ a, b }: { a: number; b: number }) => a + b)
  .fn("fail", () => {
    throw new PluginError("OUT_OF_RANGE", "fail always fails");
  })
  .stream("count", async function* ({ n }: { n: number }) {
    for (let i = 0; i < n; i++) yield i;
  })
  .fn("relay", ({ target, fn, args }: Target, ctx) => ctx.call(target, fn, args ?? null))
  .fn("askHost", ({ fn, args }: Omit<Target, "target">, ctx) => ctx.host.call(fn, args ?? null))
  .fn(
    "hold",
    (_args: unknown, ctx) =>
      new Promise((_resolve, reject) => {
        ctx.signal.addEventListener("abort", () => reject(new PluginError("CANCELLED", "hold was cancelled")));
      }),
  )
  .fn("crash", () => process.exit(3))
  .fn("metadata", (_args: unknown, ctx) => ctx.metadata)
  .fn("spans", () => {
    const spans = exporter
      .getFinishedSpans()
      .filter((span) => !span.name.endsWith("/spans"))
      .map((span) => ({
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

await plugin.serve({ telemetry: process.env["TRACED_TELEMETRY"] === "off" ? false : { tracerProvider } });
