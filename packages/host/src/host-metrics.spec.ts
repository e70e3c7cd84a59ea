// The host's metrics with real plugin processes, read through a MetricReader collected on
// demand: calls by code and kind, their durations, restarts, and the pool gauges.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginHost } from "./plugin-host.js";
import { type TestTelemetry, pointValue, startTestTelemetry } from "./telemetry-support.test-fixture.js";
import { failureOf, fixtureCommand } from "./test-support.test-fixture.js";

const command = fixtureCommand("traced-plugin.ts");

describe("metrics", () => {
  let telemetry: TestTelemetry;
  let host: PluginHost;

  beforeAll(async () => {
    telemetry = startTestTelemetry();
    host = await PluginHost.start({
      heartbeat: { intervalMs: 0 },
      restart: { baseMs: 1 },
      telemetry: telemetry.options,
      plugins: [
        { name: "a", command, permissions: { call: ["b.askHost"] } },
        { name: "b", command, permissions: { hostFunctions: ["hello"] } },
        { name: "single", command, maxConcurrency: 1 },
      ],
      hostFunctions: { hello: { handler: () => "hello" } },
    });
  });
  afterAll(async () => {
    await host.close({ graceMs: 0 });
    await telemetry.close();
  });

  it("counts calls by plugin, function, kind and code, and records their durations in seconds", async () => {
    await host.call("a", "add", { a: 1, b: 2 });
    await host.call("a", "add", { a: 3, b: 4 });
    expect((await failureOf(host.call("a", "fail"))).code).toBe("OUT_OF_RANGE");
    const calls = await telemetry.metric("polyproc.calls");
    const base = { "polyproc.plugin": "a", "polyproc.call.kind": "host" };
    expect(pointValue(calls, { ...base, "polyproc.function": "add", "polyproc.code": "OK" })).toBe(2);
    expect(pointValue(calls, { ...base, "polyproc.function": "fail", "polyproc.code": "OUT_OF_RANGE" })).toBe(1);
    const duration = await telemetry.metric("polyproc.call.duration");
    expect(duration?.descriptor.unit).toBe("s");
    expect(pointValue(duration, { ...base, "polyproc.function": "add", "polyproc.code": "OK" })).toBe(2);
  });

  it("counts routed calls and host function calls under their kinds", async () => {
    await expect(host.call("a", "relay", { target: "b", fn: "askHost", args: { fn: "hello" } })).resolves.toBe("hello");
    const calls = await telemetry.metric("polyproc.calls");
    expect(pointValue(calls, { "polyproc.call.kind": "routed", "polyproc.plugin": "b", "polyproc.function": "askHost", "polyproc.code": "OK" })).toBe(1);
    expect(pointValue(calls, { "polyproc.call.kind": "host_function", "polyproc.plugin": "b", "polyproc.function": "hello", "polyproc.code": "OK" })).toBe(1);
  });

  it("reads the queue length and the calls in flight of each plugin", async () => {
    const controller = new AbortController();
    const holding = failureOf(host.call("single", "hold", null, { signal: controller.signal }));
    const queued = host.call("single", "add", { a: 1, b: 1 });
    const queue = await telemetry.metric("polyproc.queue.length");
    const inFlight = await telemetry.metric("polyproc.calls.in_flight");
    expect(pointValue(queue, { "polyproc.plugin": "single" })).toBe(1);
    expect(pointValue(inFlight, { "polyproc.plugin": "single" })).toBe(1);
    expect(pointValue(queue, { "polyproc.plugin": "a" })).toBe(0);
    controller.abort();
    expect((await holding).code).toBe("CANCELLED");
    await expect(queued).resolves.toBe(2);
  });

  it("counts restarts after a crash", async () => {
    const restarted = new Promise<void>((resolve) => host.on("restart", () => resolve()));
    await failureOf(host.call("b", "crash"));
    await restarted;
    const restarts = await telemetry.metric("polyproc.restarts");
    expect(pointValue(restarts, { "polyproc.plugin": "b" })).toBe(1);
    expect(pointValue(restarts, { "polyproc.plugin": "a" })).toBeUndefined();
  });
});
