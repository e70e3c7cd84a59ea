// OpenTelemetry for the tests of this package: a tracer provider that keeps its spans in
// memory, a meter provider read on demand, and the context manager that makes spans active
// across awaits, all passed to the host through its `telemetry` option.
import { context, type Attributes } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { type DataPoint, type Histogram, MeterProvider, MetricReader, type MetricData } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { PlainValue } from "@polyproc/protocol";
import type { TelemetryOptions } from "./telemetry-api.js";

/** SpanRecord is a span as the traced fixture plugin reports it (its `spans` function). */
export interface SpanRecord {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  status: number;
  attributes: Record<string, PlainValue>;
}

/** SpanKind and SpanStatusCode values, as numbers in SpanRecords and ReadableSpans. */
export const SERVER = 1;
export const CLIENT = 2;
export const ERROR = 2;

/** A MetricReader that collects only when a test asks (collect()). */
class OnDemandReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

/** TestTelemetry is what a test passes as the host's `telemetry` and reads back. */
export interface TestTelemetry {
  options: Required<TelemetryOptions>;
  exporter: InMemorySpanExporter;
  /** spansNamed returns the ended spans of that name, oldest first. */
  spansNamed(name: string): ReadableSpan[];
  /** metric collects the metrics now and returns the one named `name`, if recorded. */
  metric(name: string): Promise<MetricData | undefined>;
  /** close shuts the providers down and disables the context manager. */
  close(): Promise<void>;
}

/** startTestTelemetry makes the providers and enables an AsyncLocalStorage context manager (one per test file). */
export function startTestTelemetry(): TestTelemetry {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  return {
    options: { tracerProvider, meterProvider },
    exporter,
    spansNamed: (name) => exporter.getFinishedSpans().filter((span) => span.name === name),
    metric: async (name) => {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === name);
    },
    close: async () => {
      context.disable();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

/** pointValue is the value of the data point whose attributes include `attributes`: a number, or a histogram's count. */
export function pointValue(metric: MetricData | undefined, attributes: Attributes): number | undefined {
  const points = (metric?.dataPoints ?? []) as DataPoint<number | Histogram>[];
  const point = points.find((candidate) => Object.entries(attributes).every(([key, value]) => candidate.attributes[key] === value));
  if (point === undefined) return undefined;
  return typeof point.value === "number" ? point.value : point.value.count;
}

/** only returns the one element of `items`, failing when there is not exactly one. */
export function only<T>(items: readonly T[], what: string): T {
  if (items.length !== 1) throw new Error(`expected one ${what}, got ${items.length}`);
  return items[0] as T;
}
