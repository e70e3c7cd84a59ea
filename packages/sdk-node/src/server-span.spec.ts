// The plugin's SERVER spans, in a real plugin process against a fake host: their parents,
// attributes and status, and the trace context the handler's calls carry (PROTOCOL.md
// §5.5.2, §5.5.5).

import { formatTraceparent, parseTraceparent, type CallEvent, type CallId, type PeerEvent, type PlainValue } from "@polyproc/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeHost, fixturePath } from "../test-fixtures/fake-host.js";

const fixture = fixturePath("traced-plugin.ts");
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT = "00f067aa0ba902b7";
const traceparent = formatTraceparent({ traceId: TRACE, spanId: PARENT, traceFlags: 1 });
const SERVER = 1; // SpanKind.SERVER
const ERROR = 2; // SpanStatusCode.ERROR

interface SpanRecord {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  status: number;
  attributes: Record<string, PlainValue>;
}

async function valueOf(host: FakeHost, id: CallId): Promise<PlainValue> {
  const answer = await host.answer(id);
  if (answer.type !== "result") throw new Error(`expected a result, got ${JSON.stringify(answer)}`);
  return answer.value;
}

async function spans(host: FakeHost): Promise<SpanRecord[]> {
  return (await valueOf(host, host.call("spans"))) as unknown as SpanRecord[];
}

/** named finds the one span of that name among `spans`. */
function named(spans: SpanRecord[], name: string): SpanRecord {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) throw new Error(`expected one span named ${name}, got ${JSON.stringify(spans)}`);
  return found[0] as SpanRecord;
}

function outgoing(host: FakeHost, fn: string): Promise<CallEvent> {
  return host.next((event: PeerEvent) => event.type === "call" && event.function === fn) as Promise<CallEvent>;
}

describe("tracing in a plugin (telemetry on)", () => {
  let host: FakeHost;

  beforeAll(async () => {
    host = await FakeHost.start(fixture, { welcome: { pluginName: "traced", instanceId: "traced-1" } });
    await host.hello;
    await spans(host);
  });
  afterAll(() => host.kill());

  it("makes a SERVER span per call, the child of the call's traceparent, with the RPC attributes", async () => {
    const appSpanId = await valueOf(host, host.call("work", null, { metadata: { traceparent, "polyproc-caller": "front" } }));
    const recorded = await spans(host);
    const server = named(recorded, "traced/work");
    expect(server).toMatchObject({
      name: "traced/work",
      kind: SERVER,
      traceId: TRACE,
      parentSpanId: PARENT,
      attributes: { "rpc.system": "polyproc", "rpc.service": "traced", "rpc.method": "work", "polyproc.instance": "traced-1", "polyproc.caller": "front" },
    });
    // The handler runs in the span's context: the application's span is its child.
    expect(named(recorded, "app-work")).toMatchObject({ spanId: appSpanId, traceId: TRACE, parentSpanId: server.spanId });
  });

  it("starts a trace for a call without a valid traceparent", async () => {
    await valueOf(host, host.call("work", null, { metadata: { traceparent: "00-abc-def-01" } }));
    const server = named(await spans(host), "traced/work");
    expect(server.parentSpanId).toBeNull();
    expect(server.traceId).not.toBe(TRACE);
  });

  it("sends the SERVER span's traceparent on the handler's calls, to plugins and to the host, instead of the incoming one", async () => {
    const relayed = host.call("relay", { target: "peer", fn: "lookup" }, { metadata: { traceparent, tracestate: "vendor=1" } });
    const call = await outgoing(host, "lookup");
    host.peer.result(call.id, 7);
    host.flush();
    await valueOf(host, relayed);
    const asked = host.call("askHost", { fn: "greet" }, { metadata: { traceparent } });
    const hostCall = await outgoing(host, "greet");
    host.peer.result(hostCall.id, null);
    host.flush();
    await valueOf(host, asked);
    const recorded = await spans(host);
    const relay = named(recorded, "traced/relay");
    expect(parseTraceparent(call.metadata["traceparent"])).toEqual({ traceId: TRACE, spanId: relay.spanId, traceFlags: 1 });
    expect(call.metadata["tracestate"]).toBe("vendor=1");
    expect(parseTraceparent(hostCall.metadata["traceparent"])).toEqual({ traceId: TRACE, spanId: named(recorded, "traced/askHost").spanId, traceFlags: 1 });
    expect(relay.spanId).not.toBe(PARENT);
  });

  it("keeps the incoming traceparent in ctx.metadata", async () => {
    expect(await valueOf(host, host.call("metadata", null, { metadata: { traceparent } }))).toEqual({ traceparent });
    await spans(host);
  });

  it("marks a failed call's span with the error status and polyproc.error.code", async () => {
    const answer = await host.answer(host.call("fail", null, { metadata: { traceparent } }));
    expect(answer).toMatchObject({ type: "error", error: { code: "OUT_OF_RANGE" } });
    expect(named(await spans(host), "traced/fail")).toMatchObject({ status: ERROR, attributes: { "polyproc.error.code": "OUT_OF_RANGE" } });
  });

  it("ends a stream's span when the stream ends, counting its items, with the items' spans inside it", async () => {
    const id = host.call("count", { n: 3 }, { streaming: true, initialCredit: 10, metadata: { traceparent } });
    expect(await host.answer(id)).toMatchObject({ type: "end" });
    const recorded = await spans(host);
    const server = named(recorded, "traced/count");
    expect(server).toMatchObject({ parentSpanId: PARENT, attributes: { "polyproc.stream.items": 3 } });
    const items = recorded.filter((span) => span.name === "app-item");
    expect(items.map((span) => span.parentSpanId)).toEqual([server.spanId, server.spanId, server.spanId]);
  });
});

describe("tracing in a plugin (telemetry: false)", () => {
  let host: FakeHost;

  beforeAll(async () => {
    host = await FakeHost.start(fixture, { env: { TRACED_TELEMETRY: "off" } });
    await host.hello;
  });
  afterAll(() => host.kill());

  it("makes no span and passes the incoming traceparent on unchanged", async () => {
    const relayed = host.call("relay", { target: "peer", fn: "lookup" }, { metadata: { traceparent } });
    const call = await outgoing(host, "lookup");
    expect(call.metadata["traceparent"]).toBe(traceparent);
    host.peer.result(call.id, 7);
    host.flush();
    await valueOf(host, relayed);
    await valueOf(host, host.call("work", null, { metadata: { traceparent } }));
    // Only the application's own span, a root: the call had none to be its parent.
    expect(await spans(host)).toMatchObject([{ name: "app-work", parentSpanId: null }]);
  });
});
