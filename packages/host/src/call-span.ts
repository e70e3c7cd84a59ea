import type { Context, Span } from "@opentelemetry/api";
import { errorCodeOf } from "./stats.js";
import type { CallKind, HostTelemetry } from "./host-telemetry.js";

/**
 * CallSpan is the telemetry of one call the host makes or serves: its span, the metadata
 * that carries the span's `traceparent` on, and the clock of its `polyproc.call.duration`.
 * end() closes it once (later calls are ignored): the span with its status, and the call
 * counted under its code.
 */
export class CallSpan {
  private items = 0;
  private ended = false;

  constructor(
    private readonly telemetry: HostTelemetry,
    /** The span; check isRecording() before giving it attributes. */
    readonly span: Span,
    /** The context the span was started in (its parent). */
    private readonly parent: Context,
    /** The metadata to send the call with: the caller's, its `traceparent` (and `tracestate`) the span's (PROTOCOL.md §5.5.2). */
    readonly metadata: Record<string, string> | undefined,
    private readonly kind: CallKind,
    private readonly plugin: string,
    private readonly fn: string,
    private readonly streaming: boolean,
    private readonly startedAt: number,
  ) {}

  /** item counts one item of a stream, for the span's `polyproc.stream.items`. */
  item(): void {
    this.items += 1;
  }

  /** run calls `fn` with the span as the active span, so that the spans `fn` starts are its children. */
  run<T>(fn: () => T): T {
    const api = this.telemetry.api;
    return api.context.with(api.trace.setSpan(this.parent, this.span), fn);
  }

  /** end closes the span, with an error status and `polyproc.error.code` when `error` is given, and records the call. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    const code = error === undefined ? "OK" : errorCodeOf(error);
    const span = this.span;
    if (span.isRecording()) {
      if (this.streaming) span.setAttribute("polyproc.stream.items", this.items);
      if (error !== undefined) {
        span.setAttribute("polyproc.error.code", code);
        span.setStatus({ code: this.telemetry.api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      }
    }
    span.end();
    this.telemetry.record(this.kind, this.plugin, this.fn, code, (performance.now() - this.startedAt) / 1000);
  }
}
