// The host's OpenTelemetry spans and metrics (§5.5.2 for the trace context), built only when
// @opentelemetry/api is there and telemetry is not turned off.
import type { Attributes, BatchObservableCallback, Context, Counter, Histogram, Meter, Observable, ObservableGauge, SpanKind, Tracer } from "@opentelemetry/api";
import { remoteParent, withSpanContext } from "@polyproc/protocol/node";
import { CallSpan } from "./call-span.js";
import type { HostEventEmitter } from "./host-events.js";
import type { Caller } from "./inbound-calls.js";
import type { PluginStats } from "./stats.js";
import type { OtelApi, TelemetryProviders } from "./telemetry-api.js";

/** INSTRUMENTATION_SCOPE names the host's tracer and meter. */
export const INSTRUMENTATION_SCOPE = "@polyproc/host";

/** CallKind is `polyproc.call.kind`: a call of the application to a plugin, a plugin's call routed to another, or a plugin's call to a host function. */
export type CallKind = "host" | "routed" | "host_function";

/** Seconds: from 100 µs (a call on an idle machine) to 10 s. */
const DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** StatsSource is what the gauges read: the host's pools, by plugin name. */
export type StatsSource = ReadonlyMap<string, { stats(): PluginStats }>;

/**
 * HostTelemetry starts the host's spans (tracer "@polyproc/host", following the OpenTelemetry
 * RPC conventions: `rpc.system` "polyproc", `rpc.service` the plugin, `rpc.method` the
 * function) and keeps its metrics (meter "@polyproc/host"): `polyproc.calls`,
 * `polyproc.call.duration`, `polyproc.restarts`, and the gauges `polyproc.queue.length` and
 * `polyproc.calls.in_flight` read from the pools' stats. Where the host has none, telemetry
 * is off and no HostTelemetry exists: the call paths check for undefined once.
 */
export class HostTelemetry {
  /** api is the loaded @opentelemetry/api. */
  readonly api: OtelApi;
  private readonly tracer: Tracer;
  private readonly meter: Meter;
  private readonly calls: Counter;
  private readonly duration: Histogram;
  private readonly restarts: Counter;
  private readonly queue: ObservableGauge;
  private readonly inFlight: ObservableGauge;
  private stopObserving: (() => void) | undefined;

  constructor(providers: TelemetryProviders) {
    this.api = providers.api;
    this.tracer = providers.tracerProvider.getTracer(INSTRUMENTATION_SCOPE);
    const meter = providers.meterProvider.getMeter(INSTRUMENTATION_SCOPE);
    this.meter = meter;
    this.calls = meter.createCounter("polyproc.calls", { description: "Calls that ended, by plugin, function, kind and code (OK or the error code)", unit: "{call}" });
    this.duration = meter.createHistogram("polyproc.call.duration", {
      description: "How long calls took, queue time included",
      unit: "s",
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.restarts = meter.createCounter("polyproc.restarts", { description: "Restarts of plugin instances after an exit", unit: "{restart}" });
    this.queue = meter.createObservableGauge("polyproc.queue.length", { description: "Calls waiting in a plugin's queue", unit: "{call}" });
    this.inFlight = meter.createObservableGauge("polyproc.calls.in_flight", { description: "Calls running on a plugin's instances", unit: "{call}" });
  }

  /**
   * observe starts the metrics that follow the host: the gauges read every pool in `pools`
   * (the live routing table) when collected, and `polyproc.restarts` counts the host's
   * restart events. close() stops them.
   */
  observe(pools: StatsSource, events: HostEventEmitter): void {
    const stopListening = events.on("restart", (event) => this.restarts.add(1, { "polyproc.plugin": event.plugin }));
    const observe: BatchObservableCallback = (result) => {
      for (const [name, pool] of pools) {
        const stats = pool.stats();
        result.observe(this.queue, stats.queued, { "polyproc.plugin": name });
        result.observe(this.inFlight, stats.inFlight, { "polyproc.plugin": name });
      }
    };
    const observables: Observable[] = [this.queue, this.inFlight];
    this.meter.addBatchObservableCallback(observe, observables);
    this.stopObserving = () => {
      stopListening();
      this.meter.removeBatchObservableCallback(observe, observables);
    };
  }

  /**
   * hostCall starts the CLIENT span of a call the application makes (host.call, host.stream):
   * its parent is the `traceparent` in the call's metadata when valid, else the active span.
   */
  hostCall(plugin: string, fn: string, metadata: Record<string, string> | undefined, streaming: boolean): CallSpan {
    const parent = remoteParent(this.api, metadata, this.api.context.active());
    return this.start("host", plugin, fn, this.api.SpanKind.CLIENT, parent, metadata, streaming, undefined);
  }

  /**
   * routedHop starts the CLIENT span of one hop of a plugin's call to another (§5.4): its
   * parent is the calling plugin's `traceparent`, if valid (else it starts a trace).
   */
  routedHop(caller: Caller, plugin: string, fn: string, metadata: Record<string, string> | undefined, streaming: boolean): CallSpan {
    const parent = remoteParent(this.api, metadata, this.api.ROOT_CONTEXT);
    return this.start("routed", plugin, fn, this.api.SpanKind.CLIENT, parent, metadata, streaming, caller);
  }

  /** hostFunction starts the SERVER span of a plugin's call to a host function (§5.4.5), the child of its `traceparent`. */
  hostFunction(caller: Caller, fn: string, metadata: Record<string, string>, streaming: boolean): CallSpan {
    const parent = remoteParent(this.api, metadata, this.api.ROOT_CONTEXT);
    return this.start("host_function", caller.plugin, fn, this.api.SpanKind.SERVER, parent, metadata, streaming, caller);
  }

  /** record counts one ended call under its code and records its duration in seconds. */
  record(kind: CallKind, plugin: string, fn: string, code: string, seconds: number): void {
    const attributes: Attributes = { "polyproc.plugin": plugin, "polyproc.function": fn, "polyproc.call.kind": kind, "polyproc.code": code };
    this.calls.add(1, attributes);
    this.duration.record(seconds, attributes);
  }

  /** close stops what observe started (host.close). */
  close(): void {
    this.stopObserving?.();
    this.stopObserving = undefined;
  }

  private start(kind: CallKind, plugin: string, fn: string, spanKind: SpanKind, parent: Context, metadata: Record<string, string> | undefined, streaming: boolean, caller: Caller | undefined): CallSpan {
    const service = kind === "host_function" ? "host" : plugin;
    const span = this.tracer.startSpan(`${service}/${fn}`, { kind: spanKind }, parent);
    if (span.isRecording()) {
      span.setAttributes({ "rpc.system": "polyproc", "rpc.service": service, "rpc.method": fn });
      if (caller !== undefined) span.setAttributes({ "polyproc.caller": caller.plugin, "polyproc.caller.instance": caller.instance });
    }
    return new CallSpan(this, span, parent, withSpanContext(this.api, span, metadata), kind, plugin, fn, streaming, performance.now());
  }
}
