// The host's spans with real plugin processes: the host's CLIENT spans, the plugins' SERVER
// spans (the traced fixture records its own), routed hops and host functions, linked by
// `traceparent` (PROTOCOL.md §5.5.2).
import { trace } from "@opentelemetry/api";
import { formatTraceparent, parseTraceparent } from "@polyproc/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginHost } from "./plugin-host.js";
import { CLIENT, ERROR, SERVER, type SpanRecord, type TestTelemetry, only, startTestTelemetry } from "./telemetry-support.test-fixture.js";
import { failureOf, fixtureCommand } from "./test-support.test-fixture.js";

const command = fixtureCommand("traced-plugin.ts");
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT = "00f067aa0ba902b7";

describe("tracing (telemetry with an SDK)", () => {
  let telemetry: TestTelemetry;
  let host: PluginHost;
  /** The active span's id in the last run of the host function `whoami`. */
  let activeInHostFunction: string | undefined;

  beforeAll(async () => {
    telemetry = startTestTelemetry();
    host = await PluginHost.start({
      heartbeat: { intervalMs: 0 },
      telemetry: telemetry.options,
      plugins: [
        { name: "a", command, permissions: { call: ["b.askHost"] } },
        { name: "b", command, permissions: { hostFunctions: ["whoami"] } },
      ],
      hostFunctions: {
        whoami: {
          handler: async (_args, ctx) => {
            await Promise.resolve();
            activeInHostFunction = trace.getActiveSpan()?.spanContext().spanId;
            return ctx.plugin;
          },
        },
      },
    });
  });
  afterAll(async () => {
    await host.close({ graceMs: 0 });
    await telemetry.close();
  });

  /** pluginSpans returns (and forgets) the spans the plugin's instance recorded, by name. */
  async function pluginSpans(plugin: string): Promise<Map<string, SpanRecord>> {
    const spans = (await host.call(plugin, "spans")) as unknown as SpanRecord[];
    return new Map(spans.map((span) => [span.name, span]));
  }

  it("makes a CLIENT span per host call, whose child is the plugin's SERVER span", async () => {
    await expect(host.call("a", "add", { a: 1, b: 2 })).resolves.toBe(3);
    const client = only(telemetry.spansNamed("a/add"), "a/add span");
    expect(client.kind).toBe(CLIENT);
    expect(client.attributes).toMatchObject({ "rpc.system": "polyproc", "rpc.service": "a", "rpc.method": "add" });
    const server = (await pluginSpans("a")).get("a/add");
    expect(server).toMatchObject({ kind: SERVER, traceId: client.spanContext().traceId, parentSpanId: client.spanContext().spanId });
  });

  it("makes the application's active span, or the traceparent of the call's metadata, the parent", async () => {
    telemetry.exporter.reset();
    const tracer = telemetry.options.tracerProvider.getTracer("app");
    const appSpan = await tracer.startActiveSpan("app", async (span) => {
      await host.call("a", "add", { a: 1, b: 1 });
      span.end();
      return span;
    });
    const traceparent = formatTraceparent({ traceId: TRACE, spanId: PARENT, traceFlags: 1 });
    await host.call("a", "add", { a: 2, b: 2 }, { metadata: { traceparent } });
    const [underApp, underMetadata] = telemetry.spansNamed("a/add");
    expect(underApp?.parentSpanContext?.spanId).toBe(appSpan.spanContext().spanId);
    expect(underApp?.spanContext().traceId).toBe(appSpan.spanContext().traceId);
    expect(underMetadata?.parentSpanContext?.spanId).toBe(PARENT);
    expect(underMetadata?.spanContext().traceId).toBe(TRACE);
    await pluginSpans("a");
  });

  it("links host → a → (routed) b → host function in one trace", async () => {
    telemetry.exporter.reset();
    await expect(host.call("a", "relay", { target: "b", fn: "askHost", args: { fn: "whoami" } })).resolves.toBe("b");
    const call = only(telemetry.spansNamed("a/relay"), "a/relay span");
    const aServer = (await pluginSpans("a")).get("a/relay");
    const hop = only(telemetry.spansNamed("b/askHost"), "routed hop span");
    const bServer = (await pluginSpans("b")).get("b/askHost");
    const hostFunction = only(telemetry.spansNamed("host/whoami"), "host function span");
    const traceId = call.spanContext().traceId;
    expect(aServer).toMatchObject({ traceId, parentSpanId: call.spanContext().spanId });
    expect(hop.kind).toBe(CLIENT);
    expect(hop.spanContext().traceId).toBe(traceId);
    expect(hop.parentSpanContext?.spanId).toBe(aServer?.spanId);
    expect(hop.attributes).toMatchObject({ "rpc.service": "b", "rpc.method": "askHost", "polyproc.caller": "a" });
    expect(bServer).toMatchObject({ traceId, parentSpanId: hop.spanContext().spanId, attributes: { "polyproc.caller": "a" } });
    expect(hostFunction.kind).toBe(SERVER);
    expect(hostFunction.spanContext().traceId).toBe(traceId);
    expect(hostFunction.parentSpanContext?.spanId).toBe(bServer?.spanId);
    expect(hostFunction.attributes).toMatchObject({ "rpc.service": "host", "rpc.method": "whoami", "polyproc.caller": "b" });
    // The handler ran in the host function's span.
    expect(activeInHostFunction).toBe(hostFunction.spanContext().spanId);
  });

  it("marks a failed call with the error status and polyproc.error.code", async () => {
    telemetry.exporter.reset();
    expect((await failureOf(host.call("a", "fail"))).code).toBe("OUT_OF_RANGE");
    const span = only(telemetry.spansNamed("a/fail"), "a/fail span");
    expect(span.status.code).toBe(ERROR);
    expect(span.attributes["polyproc.error.code"]).toBe("OUT_OF_RANGE");
    expect((await pluginSpans("a")).get("a/fail")).toMatchObject({ status: ERROR, attributes: { "polyproc.error.code": "OUT_OF_RANGE" } });
  });

  it("ends a stream's span when the stream ends, with its items counted", async () => {
    telemetry.exporter.reset();
    const stream = host.stream("a", "count", { n: 3 }, { window: 1 });
    expect(await stream.next()).toEqual({ done: false, value: 0 });
    // With a window of one item, the plugin cannot have finished: the span is open.
    expect(telemetry.spansNamed("a/count")).toEqual([]);
    const rest = [];
    for await (const item of stream) rest.push(item);
    expect(rest).toEqual([1, 2]);
    const span = only(telemetry.spansNamed("a/count"), "a/count span");
    expect(span.attributes["polyproc.stream.items"]).toBe(3);
    expect(span.status.code).not.toBe(ERROR);
    await pluginSpans("a");
  });

  it("sends the host span's traceparent to the plugin", async () => {
    telemetry.exporter.reset();
    const metadata = (await host.call("a", "metadata")) as Record<string, string>;
    const span = only(telemetry.spansNamed("a/metadata"), "a/metadata span");
    expect(parseTraceparent(metadata["traceparent"])).toEqual({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, traceFlags: 1 });
    await pluginSpans("a");
  });
});

describe("tracing off (telemetry: false)", () => {
  let telemetry: TestTelemetry;
  let host: PluginHost;

  beforeAll(async () => {
    telemetry = startTestTelemetry();
    host = await PluginHost.start({
      heartbeat: { intervalMs: 0 },
      telemetry: false,
      plugins: [{ name: "a", command, env: { TRACED_TELEMETRY: "off" } }],
    });
  });
  afterAll(async () => {
    await host.close({ graceMs: 0 });
    await telemetry.close();
  });

  it("makes no span, even under an active application span, and passes the traceparent on unchanged", async () => {
    const traceparent = formatTraceparent({ traceId: TRACE, spanId: PARENT, traceFlags: 1 });
    const tracer = telemetry.options.tracerProvider.getTracer("app");
    const metadata = await tracer.startActiveSpan("app", async (span) => {
      const seen = await host.call("a", "metadata", null, { metadata: { traceparent } });
      span.end();
      return seen;
    });
    expect(metadata).toEqual({ traceparent });
    expect(telemetry.exporter.getFinishedSpans().map((span) => span.name)).toEqual(["app"]);
  });
});
