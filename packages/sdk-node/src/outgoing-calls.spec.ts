// The plugin's own calls against a host Peer in memory: the frames they send, the answers
// they get, deadlines, cancellation and streams (PROTOCOL.md §5.4, §5.5, §6, §7, §10).

import { PluginError, type CallEvent, type CallId, type PlainValue } from "@polyproc/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { PeerPair } from "../test-fixtures/peer-pair.js";
import { OutgoingCalls, type AnswerEvent, type CallParent } from "./outgoing-calls.js";

/** Parent is a handler's call, as the calls made in its context see it. */
class Parent implements CallParent {
  abortReason: unknown;
  readonly #listeners = new Set<(reason: unknown) => void>();
  constructor(
    readonly deadline: number | undefined,
    readonly inherited: Record<string, string> = {},
  ) {}
  onAbort(listener: (reason: unknown) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  abort(reason: PluginError): void {
    this.abortReason = reason;
    for (const listener of this.#listeners) listener(reason);
  }
  get listening(): number {
    return this.#listeners.size;
  }
}

let pair: PeerPair;
let calls: OutgoingCalls;

function open(init: Parameters<PeerPair["welcome"]>[0] = {}): void {
  pair.welcome(init);
  calls.welcomed(pair.plugin.capabilities, []);
}

/** incoming is the host's view of the plugin's last Call. */
function incoming(): CallEvent {
  return pair.hostEvent("call");
}

function answer(id: CallId, value: PlainValue): void {
  pair.host.result(id, value);
  pair.toPlugin();
}

function rejection(promise: Promise<unknown>): Promise<PluginError> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => {
      if (!PluginError.is(error)) throw error;
      return error;
    },
  );
}

beforeEach(() => {
  pair = new PeerPair();
  calls = new OutgoingCalls({ peer: pair.plugin, flush: () => pair.toHost() });
  pair.onPluginEvent = (event) => {
    if (event.type === "result" || event.type === "error" || event.type === "item" || event.type === "end") calls.receive(event as AnswerEvent);
  };
});

describe("calls to host functions and to other plugins", () => {
  it("sends a host call with an empty target and resolves with its value (§5.4.5)", async () => {
    open();
    const result = calls.call("", "greet", { name: "ada" }, {}, undefined);
    expect(incoming()).toMatchObject({ function: "greet", target: "", args: { name: "ada" }, metadata: {}, streaming: false });
    expect(incoming().deadline).toBeUndefined();
    answer(incoming().id, { hello: "ada" });
    await expect(result).resolves.toEqual({ hello: "ada" });
    expect(calls.open).toBe(0);
  });

  it("routes a call to another plugin and rejects with its error, remote and with its origin (§5.4, §8.4)", async () => {
    open();
    const result = calls.call("billing", "total", null, {}, undefined);
    expect(incoming()).toMatchObject({ function: "total", target: "billing" });
    pair.host.fail(incoming().id, { code: "NOT_FOUND", message: "no order", originPlugin: "billing", originInstance: "billing-2" });
    pair.toPlugin();
    const error = await rejection(result);
    expect(error).toMatchObject({ code: "NOT_FOUND", message: "no order", remote: true, originPlugin: "billing", originInstance: "billing-2" });
  });

  it("fails FAILED_PRECONDITION naming the capability the host did not negotiate, sending nothing (§16.2)", async () => {
    open({ capabilities: ["streaming"] });
    const host = await rejection(calls.call("", "greet", null, {}, undefined));
    expect(host.code).toBe("FAILED_PRECONDITION");
    expect(host.message).toContain('"host-calls"');
    expect(host.remote).toBe(false);
    const routed = await rejection(calls.call("billing", "total", null, {}, undefined));
    expect(routed.message).toContain('"plugin-calls"');
    expect(pair.hostEvents.filter((event) => event.type === "call")).toHaveLength(0);
  });

  it("fails FAILED_PRECONDITION before the host welcomed the plugin", async () => {
    const error = await rejection(calls.call("", "greet", null, {}, undefined));
    expect(error).toMatchObject({ code: "FAILED_PRECONDITION", message: expect.stringContaining("not connected") });
  });

  it("refuses malformed options and plugin names with INVALID_ARGUMENT, sending nothing", async () => {
    open();
    expect((await rejection(calls.call("", "f", null, { metadata: { "polyproc-hops": "1" } }, undefined))).message).toContain("reserved");
    expect((await rejection(calls.call("", "f", null, { metadata: { Upper: "x" } }, undefined))).message).toContain("lowercase");
    expect((await rejection(calls.call("", "f", null, { timeoutMs: -1 }, undefined))).code).toBe("INVALID_ARGUMENT");
    expect((await rejection(calls.call("no such/plugin", "f", null, {}, undefined))).code).toBe("INVALID_ARGUMENT");
    expect(pair.hostEvents.filter((event) => event.type === "call")).toHaveLength(0);
  });

  it("fails RESOURCE_EXHAUSTED locally beyond Welcome.max_calls_in_flight (§5.6.2)", async () => {
    open({ maxCallsInFlight: 1 });
    const first = calls.call("", "slow", null, {}, undefined);
    const second = await rejection(calls.call("", "slow", null, {}, undefined));
    expect(second).toMatchObject({ code: "RESOURCE_EXHAUSTED", retryable: true, remote: false });
    answer(incoming().id, 1);
    await expect(first).resolves.toBe(1);
  });

  it("fails every open call UNAVAILABLE when the connection ends (§14.2)", async () => {
    open();
    const result = calls.call("", "slow", null, {}, undefined);
    calls.closeAll("the connection to the host was lost");
    expect(await rejection(result)).toMatchObject({ code: "UNAVAILABLE", retryable: true, remote: false });
  });
});

describe("deadlines and cancellation", () => {
  it("sends timeoutMs as deadline_ms, and when it passes fails DEADLINE_EXCEEDED and sends Cancel 'deadline' (§6.3)", async () => {
    open();
    const before = performance.now();
    const result = calls.call("", "slow", null, { timeoutMs: 40 }, undefined);
    const after = performance.now();
    const deadline = incoming().deadline!;
    // deadline_ms is whole milliseconds, rounded up (§6.1): up to 1 ms past the exact deadline.
    expect(deadline).toBeLessThanOrEqual(after + 41);
    expect(deadline).toBeGreaterThanOrEqual(before + 39);
    const error = await rejection(result);
    expect(error).toMatchObject({ code: "DEADLINE_EXCEEDED", remote: false });
    expect(pair.hostEvent("cancel")).toMatchObject({ id: incoming().id, reason: "deadline" });
    // The late answer is discarded, and frees the call (§7.4).
    answer(incoming().id, "late");
    expect(calls.open).toBe(0);
  });

  it("aborting the signal fails CANCELLED and sends Cancel; an aborted signal sends nothing (§7.4)", async () => {
    open();
    const controller = new AbortController();
    const result = calls.call("", "slow", null, { signal: controller.signal }, undefined);
    controller.abort();
    expect(await rejection(result)).toMatchObject({ code: "CANCELLED", remote: false });
    expect(pair.hostEvent("cancel")).toMatchObject({ id: incoming().id, reason: "cancelled by caller" });
    const sent = pair.hostEvents.length;
    expect((await rejection(calls.call("", "slow", null, { signal: controller.signal }, undefined))).code).toBe("CANCELLED");
    expect(pair.hostEvents).toHaveLength(sent);
  });

  it("in a handler's context carries at most its remaining deadline and its hops, chain and trace context (§5.5.5, §6.4)", () => {
    open();
    const parent = new Parent(performance.now() + 500, {
      "polyproc-hops": "2",
      "polyproc-chain": "a,b",
      "polyproc-caller": "b",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      tracestate: "vendor=1",
      "x-tenant": "acme",
    });
    void calls.call("peer", "echo", null, { timeoutMs: 60_000, metadata: { "x-own": "1" } }, parent);
    expect(incoming().deadline! - performance.now()).toBeLessThanOrEqual(501);
    expect(incoming().metadata).toEqual({
      "polyproc-hops": "2",
      "polyproc-chain": "a,b",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      tracestate: "vendor=1",
      "x-own": "1",
    });
    void calls.call("", "greet", null, { timeoutMs: 100 }, parent);
    expect(incoming().deadline! - performance.now()).toBeLessThanOrEqual(101);
  });

  it("is cancelled when the handler's call is, passing the reason down the chain (§7)", async () => {
    open();
    const parent = new Parent(undefined);
    const result = calls.call("peer", "slow", null, {}, parent);
    parent.abort(new PluginError("CANCELLED", "the call was cancelled: shutdown", { details: { reason: "shutdown" } }));
    expect(await rejection(result)).toMatchObject({ code: "CANCELLED", remote: false });
    expect(pair.hostEvent("cancel")).toMatchObject({ id: incoming().id, reason: "shutdown" });
    expect(parent.listening).toBe(0);
  });

  it("fails DEADLINE_EXCEEDED with Cancel 'deadline' when the handler's deadline passes first", async () => {
    open();
    const parent = new Parent(undefined);
    const result = calls.call("peer", "slow", null, {}, parent);
    parent.abort(new PluginError("DEADLINE_EXCEEDED", "the deadline of the call to relay passed"));
    expect(await rejection(result)).toMatchObject({ code: "DEADLINE_EXCEEDED" });
    expect(pair.hostEvent("cancel").reason).toBe("deadline");
  });

  it("stops listening to the handler's call once answered", async () => {
    open();
    const parent = new Parent(undefined);
    const result = calls.call("", "greet", null, {}, parent);
    expect(parent.listening).toBe(1);
    answer(incoming().id, 1);
    await result;
    expect(parent.listening).toBe(0);
  });
});

describe("streams from other plugins", () => {
  it("sends the window as initial credit and grants what the consumer read once it is half the window (§10.6)", async () => {
    open();
    const reader = calls.stream("logs", "tail", { file: "a" }, { window: 4 }, undefined);
    const first = reader.next();
    expect(incoming()).toMatchObject({ function: "tail", target: "logs", streaming: true });
    const id = incoming().id;
    for (let i = 0; i < 4; i++) pair.host.item(id, i);
    pair.toPlugin();
    expect(await first).toEqual({ done: false, value: 0 });
    expect(pair.hostEvents.some((event) => event.type === "credit")).toBe(false);
    expect(await reader.next()).toEqual({ done: false, value: 1 });
    expect(pair.hostEvent("credit")).toMatchObject({ id, items: 2 });
    pair.host.endStream(id, { code: "ABORTED", message: "failed at 4" });
    pair.toPlugin();
    expect(await reader.next()).toEqual({ done: false, value: 2 });
    expect(await reader.next()).toEqual({ done: false, value: 3 });
    const error = await rejection(reader.next());
    expect(error).toMatchObject({ code: "ABORTED", remote: true });
  });

  it("cancels the stream when the consumer leaves the loop (§10.4)", async () => {
    open();
    const seen: PlainValue[] = [];
    const reading = (async () => {
      for await (const item of calls.stream("logs", "tail", null, {}, undefined)) {
        seen.push(item);
        break;
      }
    })();
    await Promise.resolve();
    pair.host.item(incoming().id, "first");
    pair.toPlugin();
    await reading;
    expect(seen).toEqual(["first"]);
    expect(pair.hostEvent("cancel")).toMatchObject({ id: incoming().id, reason: "cancelled by caller" });
    pair.host.endStream(incoming().id, { code: "CANCELLED", message: "cancelled" });
    pair.toPlugin();
    expect(calls.open).toBe(0);
  });

  it("refuses a bad window at the first next(), sending nothing", async () => {
    open();
    const error = await rejection(calls.stream("logs", "tail", null, { window: 0 }, undefined).next());
    expect(error.message).toContain("window");
    expect(pair.hostEvents.filter((event) => event.type === "call")).toHaveLength(0);
  });
});
