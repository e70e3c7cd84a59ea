// Process tests of the calls a plugin makes: the two-way fixture runs as a real process
// against a fake host that speaks through the raw Peer and plays the host functions and the
// other plugins (PROTOCOL.md §5.4, §5.5.5, §6.4, §7, §10).

import type { CallEvent, CallId, PeerEvent } from "@polyproc/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeHost, fixturePath } from "../test-fixtures/fake-host.js";

const fixture = fixturePath("two-way-plugin.ts");
const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/** outgoing waits for the plugin's Call of `fn` (its calls come as "call" events to the host). */
function outgoing(host: FakeHost, fn: string): Promise<CallEvent> {
  return host.next((event) => event.type === "call" && event.function === fn) as Promise<CallEvent>;
}

function eventFor(host: FakeHost, type: PeerEvent["type"], id: CallId): Promise<PeerEvent> {
  return host.next((event) => event.type === type && "id" in event && event.id === id);
}

describe("a plugin calling the host and other plugins", () => {
  let host: FakeHost;

  beforeAll(async () => {
    host = await FakeHost.start(fixture, {
      welcome: { hostFunctions: [{ name: "started" }, { name: "greet", paramsSchema: '{"type":"object"}' }] },
    });
  });

  afterAll(() => host.kill());

  it("announces host-calls and plugin-calls, and plugin.stream registers a streaming function", async () => {
    const { hello, functions } = await host.hello;
    expect(hello.capabilities).toEqual(expect.arrayContaining(["streaming", "host-calls", "plugin-calls"]));
    expect(functions.find((fn) => fn.name === "count")).toMatchObject({ streaming: true });
  });

  it("calls the host outside handlers once welcomed (plugin.ready, plugin.host.functions)", async () => {
    const call = await outgoing(host, "started");
    expect(call).toMatchObject({ target: "", args: { functions: ["started", "greet"] }, metadata: {}, streaming: false });
    expect(call.deadline).toBeUndefined();
    host.peer.result(call.id, null);
    host.flush();
  });

  it("lists the host functions of the Welcome in the handler's context", async () => {
    const answer = await host.answer(host.call("hostFunctions"));
    expect(answer).toMatchObject({ type: "result", value: [{ name: "started", params: null }, { name: "greet", params: { type: "object" } }] });
  });

  it("calls a host function from a handler and answers with its value (§5.4.5)", async () => {
    const id = host.call("askHost", { fn: "greet", args: { name: "ada" } });
    const call = await outgoing(host, "greet");
    expect(call).toMatchObject({ target: "", args: { name: "ada" } });
    host.peer.result(call.id, { hello: "ada" });
    host.flush();
    expect(await host.answer(id)).toMatchObject({ type: "result", value: { hello: "ada" } });
  });

  it("routes a call with the handler's deadline, hops, chain and trace context, and relays the error unchanged (§5.4, §6.4, §8.1)", async () => {
    const metadata = { "polyproc-hops": "1", "polyproc-chain": "front", "polyproc-caller": "front", traceparent, "x-tenant": "acme" };
    const id = host.call("relay", { target: "peer", fn: "lookup", args: 7 }, { deadlineMs: 3000, metadata });
    const call = await outgoing(host, "lookup");
    expect(call).toMatchObject({ target: "peer", args: 7 });
    expect(call.metadata).toEqual({ "polyproc-hops": "1", "polyproc-chain": "front", traceparent });
    // deadline_ms is at most the handler's time left: the host's deadline lies within 3 s of
    // now, give or take the rounding up to a whole millisecond (§6.1).
    const now = performance.now();
    expect(call.deadline).toBeGreaterThan(now + 1000);
    expect(call.deadline).toBeLessThanOrEqual(now + 3001);
    host.peer.fail(call.id, { code: "NOT_FOUND", message: "no 7", originPlugin: "peer", originInstance: "peer-1" });
    host.flush();
    expect(await host.answer(id)).toMatchObject({ type: "error", error: { code: "NOT_FOUND", message: "no 7", originPlugin: "peer", originInstance: "peer-1" } });
  });

  it("cancels the calls a handler made when its call is cancelled (§7)", async () => {
    const id = host.call("relay", { target: "peer", fn: "slow" });
    const call = await outgoing(host, "slow");
    host.peer.cancel(id, "cancelled by caller");
    host.flush();
    expect(await eventFor(host, "cancel", call.id)).toMatchObject({ reason: "cancelled by caller" });
    expect(await host.answer(id)).toMatchObject({ type: "error", error: { code: "CANCELLED" } });
    host.peer.fail(call.id, { code: "CANCELLED", message: "cancelled" });
    host.flush();
  });

  it("reads another plugin's stream with credit as the handler consumes it; leaving the loop cancels it (§10)", async () => {
    const id = host.call("gather", { target: "logs", fn: "tail", window: 4, take: 6 });
    const call = await outgoing(host, "tail");
    expect(call).toMatchObject({ target: "logs", streaming: true });
    expect(host.peer.creditOf(call.id)).toBe(4);
    for (let i = 0; i < 4; i++) host.peer.item(call.id, i);
    host.flush();
    // The handler reads the 4 items; the plugin grants 2 each time it has read half the window.
    await host.next((event) => event.type === "credit" && event.id === call.id && event.credit === 4);
    const credits = host.events.filter((event) => event.type === "credit" && event.id === call.id);
    expect(credits.map((event) => event.type === "credit" && event.items)).toEqual([2, 2]);
    host.peer.item(call.id, 4);
    host.peer.item(call.id, 5);
    host.flush();
    expect(await eventFor(host, "cancel", call.id)).toMatchObject({ reason: "cancelled by caller" });
    expect(await host.answer(id)).toMatchObject({ type: "result", value: [0, 1, 2, 3, 4, 5] });
    host.peer.endStream(call.id, { code: "CANCELLED", message: "cancelled" });
    host.flush();
  });
});

describe("a plugin whose host offers no calls", () => {
  let host: FakeHost;

  beforeAll(async () => {
    host = await FakeHost.start(fixture, { welcome: { capabilities: ["streaming"] } });
    await host.hello;
  });

  afterAll(() => host.kill());

  it("fails the call FAILED_PRECONDITION naming the capability, sending nothing (§16.2)", async () => {
    const answer = await host.answer(host.call("askHost", { fn: "greet" }));
    expect(answer).toMatchObject({ type: "error", error: { code: "FAILED_PRECONDITION", message: expect.stringContaining('"host-calls"') } });
    const routed = await host.answer(host.call("relay", { target: "peer", fn: "echo" }));
    expect(routed).toMatchObject({ type: "error", error: { code: "FAILED_PRECONDITION", message: expect.stringContaining('"plugin-calls"') } });
    expect(await host.stderrLine("started failed")).toContain("host-calls");
    expect(host.events.some((event) => event.type === "call")).toBe(false);
  });
});
