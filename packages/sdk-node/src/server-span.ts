// The plugin's OpenTelemetry spans: one SERVER span per call it serves, the child of the
// call's `traceparent`; the calls its handler makes carry the span's instead (PROTOCOL.md
// §5.5.2, §5.5.5).
import type { Context, Span, Tracer } from "@opentelemetry/api";
import { type CallEvent, type ErrorInfo } from "@polyproc/protocol";
import { remoteParent, withSpanContext } from "@polyproc/protocol/node";
import type { OtelApi, TelemetryProvider } from "./telemetry-api.js";

/** INSTRUMENTATION_SCOPE names the plugin's tracer. */
export const INSTRUMENTATION_SCOPE = "@polyproc/sdk";

/**
 * PluginTelemetry starts the SERVER span of each call a plugin serves (tracer "@polyproc/sdk",
 * the OpenTelemetry RPC conventions: `rpc.system` "polyproc", `rpc.service` the plugin,
 * `rpc.method` the function; `polyproc.instance`, and `polyproc.caller` for a routed call).
 * With tracing off there is none: the call paths check for undefined once.
 */
export class PluginTelemetry {
  readonly api: OtelApi;
  private readonly tracer: Tracer;

  constructor(provider: TelemetryProvider) {
    this.api = provider.api;
    this.tracer = provider.tracerProvider.getTracer(INSTRUMENTATION_SCOPE);
  }

  /** serverSpan starts the span of one call `plugin`'s instance `instance` serves. */
  serverSpan(event: CallEvent, plugin: string, instance: string): ServerSpan {
    const api = this.api;
    const metadata = event.metadata;
    const parent = remoteParent(api, metadata, api.ROOT_CONTEXT);
    const span = this.tracer.startSpan(`${plugin}/${event.function}`, { kind: api.SpanKind.SERVER }, parent);
    if (span.isRecording()) {
      span.setAttributes({ "rpc.system": "polyproc", "rpc.service": plugin, "rpc.method": event.function, "polyproc.instance": instance });
      const caller = metadata["polyproc-caller"];
      if (caller !== undefined) span.setAttribute("polyproc.caller", caller);
    }
    return new ServerSpan(api, span, parent, withSpanContext(api, span, metadata), event.streaming);
  }
}

/**
 * ServerSpan is the span of one call a plugin serves, and the metadata its handler's calls
 * inherit from: the call's, with the span's `traceparent` and `tracestate`. end() closes it
 * once; later calls are ignored.
 */
export class ServerSpan {
  private items = 0;
  private ended = false;

  constructor(
    private readonly api: OtelApi,
    readonly span: Span,
    private readonly parent: Context,
    /** The metadata the handler's calls inherit from (§5.5.5). */
    readonly metadata: Readonly<Record<string, string>>,
    private readonly streaming: boolean,
  ) {}

  /** item counts one item the stream sent, for `polyproc.stream.items`. */
  item(): void {
    this.items += 1;
  }

  /** run calls `fn` with the span as the active span, so that the spans the handler starts are its children. */
  run<T>(fn: () => T): T {
    return this.api.context.with(this.api.trace.setSpan(this.parent, this.span), fn);
  }

  /** end closes the span: with an error status and `polyproc.error.code` when the call is answered with `error`. */
  end(error?: ErrorInfo): void {
    if (this.ended) return;
    this.ended = true;
    const span = this.span;
    if (span.isRecording()) {
      if (this.streaming) span.setAttribute("polyproc.stream.items", this.items);
      if (error !== undefined) {
        span.setAttribute("polyproc.error.code", error.code);
        span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: error.message });
      }
    }
    span.end();
  }
}
