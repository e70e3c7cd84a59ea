import type { PlainValue } from "@polyproc/protocol";
import type { PoolCallOptions, PoolStreamOptions } from "./call-options.js";
import type { CallSpan } from "./call-span.js";
import type { HostTelemetry } from "./host-telemetry.js";
import type { Caller } from "./inbound-calls.js";
import type { StreamSink } from "./instance-types.js";
import type { PluginPool } from "./pool.js";

/** CallTarget runs calls of one plugin: its PluginPool, or a TracedTarget in front of it. */
export type CallTarget = Pick<PluginPool, "call" | "stream">;

/**
 * TracedTarget runs calls through a pool inside a CallSpan each: a CLIENT span per call the
 * application makes or, given the calling plugin, per routed hop (§5.4). The call goes out
 * with the span's `traceparent`; the span ends when the call settles, a stream's when it
 * ends, with its items counted.
 */
export class TracedTarget implements CallTarget {
  constructor(
    private readonly telemetry: HostTelemetry,
    private readonly pool: PluginPool,
    /** The calling plugin of a routed hop; undefined for the application's calls. */
    private readonly caller: Caller | undefined,
  ) {}

  call(fn: string, args: PlainValue, options: PoolCallOptions = {}): Promise<PlainValue> {
    const span = this.start(fn, options.metadata, false);
    return this.pool.call(fn, args, withMetadata(options, span)).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        span.end(error);
        throw error;
      },
    );
  }

  async stream(fn: string, args: PlainValue, sink: StreamSink, options: PoolStreamOptions = {}): Promise<void> {
    const span = this.start(fn, options.metadata, true);
    const counting: StreamSink = {
      opened: (grant) => sink.opened(grant),
      item: (value) => {
        span.item();
        sink.item(value);
      },
    };
    try {
      await this.pool.stream(fn, args, counting, withMetadata(options, span));
    } catch (error) {
      span.end(error);
      throw error;
    }
    span.end();
  }

  private start(fn: string, metadata: Record<string, string> | undefined, streaming: boolean): CallSpan {
    const plugin = this.pool.name;
    if (this.caller === undefined) return this.telemetry.hostCall(plugin, fn, metadata, streaming);
    return this.telemetry.routedHop(this.caller, plugin, fn, metadata, streaming);
  }
}

function withMetadata<O extends { metadata?: Record<string, string> }>(options: O, span: CallSpan): O {
  return span.metadata === options.metadata ? options : { ...options, metadata: span.metadata };
}
