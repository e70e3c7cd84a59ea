// Process tests: the fixture plugin runs as a real process against a fake host that speaks
// through the raw Peer.

import type { ErrorEvent, ItemEvent, PeerEvent, ResultEvent } from "@polyproc/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeHost, fixturePath } from "../test-fixtures/fake-host.js";
import { SDK_VERSION } from "./version.js";

const fixture = fixturePath("fixture-plugin.ts");
const consumed = new Set<PeerEvent>();
async function result(host: FakeHost, fn: string, args: Parameters<FakeHost["call"]>[1] = null): Promise<ResultEvent> {
  const event = await host.answer(host.call(fn, args));
  if (event.type !== "result") throw new Error(`${fn} failed: ${JSON.stringify(event, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`);
  return event;
}

async function failure(host: FakeHost, fn: string, args: Parameters<FakeHost["call"]>[1] = null): Promise<ErrorEvent> {
  const event = await host.answer(host.call(fn, args));
  if (event.type !== "error") throw new Error(`${fn} did not fail: ${event.type}`);
  return event;
}

describe("a plugin serving calls", () => {
  let host: FakeHost;

  beforeAll(async () => {
    host = await FakeHost.start(fixture, { welcome: { settings: { region: "eu" }, pluginName: "fixture-configured" } });
    await host.next((event) => event.type === "hello");
  });

  afterAll(() => host.kill());

  it("says Hello with its functions, schemas and limits (§4.1)", async () => {
    const { hello, functions } = await host.hello;
    expect(hello).toMatchObject({
      token: host.token,
      minProtocol: 1,
      maxProtocol: 1,
      sdkLanguage: "node",
      sdkVersion: SDK_VERSION,
      pluginName: "fixture",
      pluginVersion: "1.2.3",
      maxConcurrency: 8,
      pid: host.child.pid,
      capabilities: expect.arrayContaining(["streaming", "pubsub"]),
    });
    const byName = new Map(functions.map((fn) => [fn.name, fn]));
    expect(byName.get("echo")).toMatchObject({ description: "returns its arguments", paramsSchema: "", resultSchema: "", streaming: false, idempotent: false });
    expect(byName.get("count")).toMatchObject({ streaming: true });
    const total = byName.get("total")!;
    expect(total.idempotent).toBe(true);
    expect(JSON.parse(total.paramsSchema!)).toMatchObject({
      type: "object",
      properties: { items: { type: "array", items: { properties: { price: { type: "number" }, quantity: { type: "integer", default: 1 } } } } },
    });
    expect(JSON.parse(total.resultSchema!)).toMatchObject({ type: "number" });
    expect(JSON.parse(byName.get("square")!.paramsSchema!)).toEqual({ type: "object", properties: { n: { type: "number" } }, required: ["n"] });
  });

  it("removes POLYPROC_* from its environment (§2.4.1)", async () => {
    expect((await result(host, "env")).value).toEqual({ token: null, address: null });
  });

  it("returns what the handler returns, values mapped both ways", async () => {
    const args = { big: 2n ** 60n, bytes: new Uint8Array([1, 2]), list: [1, "two", null, true, 1.5], nested: { "a b": { c: [] } } };
    const { bytes, ...rest } = (await result(host, "echo", args)).value as typeof args;
    expect(rest).toEqual({ big: args.big, list: args.list, nested: args.nested });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...bytes]).toEqual([1, 2]);
  });

  it("gives the handler its instance, settings, metadata and deadline", async () => {
    const id = host.call("context", null, { metadata: { traceparent: "00-abc-def-01" }, deadlineMs: 60_000 });
    const event = await host.answer(id);
    expect(event).toMatchObject({
      type: "result",
      value: { instanceId: "fixture-1", settings: { region: "eu" }, metadata: { traceparent: "00-abc-def-01" }, fn: "context", hasDeadline: true },
    });
  });

  it("answers a thrown PluginError with its code, message, details and flag, and the origin (§8.1)", async () => {
    const event = await failure(host, "fail", { code: "NOT_FOUND", message: "no such order", retryable: true });
    expect(event.error).toEqual({
      code: "NOT_FOUND",
      message: "no such order",
      details: { from: "fixture" },
      retryable: true,
      originPlugin: "fixture-configured",
      originInstance: "fixture-1",
    });
  });

  it("answers any other throw or rejection with INTERNAL and its message, and logs the stack", async () => {
    expect((await failure(host, "throw", { message: "sync boom" })).error).toMatchObject({ code: "INTERNAL", message: "sync boom", retryable: false, originInstance: "fixture-1" });
    expect((await failure(host, "reject", { message: "async boom" })).error).toMatchObject({ code: "INTERNAL", message: "async boom" });
    const line = await host.stderrLine("async boom");
    expect(JSON.parse(line)).toMatchObject({ level: "error", fn: "reject", instance: "fixture-1", error: { name: "TypeError", stack: expect.stringContaining("TypeError: async boom") } });
  });

  it("refuses invalid arguments with INVALID_ARGUMENT naming the path (§5.8.8)", async () => {
    const bad = await failure(host, "total", { items: [{ price: 2 }, { price: "3", quantity: 1 }] });
    expect(bad.error).toMatchObject({ code: "INVALID_ARGUMENT", message: "invalid arguments: args.items[1].price: Invalid input: expected number, received string" });
    expect((await result(host, "total", { items: [{ price: 2 }, { price: 3, quantity: 2 }] })).value).toBe(8);
    expect((await failure(host, "square", { n: "4" })).error.message).toBe("invalid arguments: args.n: expected number, got string");
  });

  it("runs calls concurrently", async () => {
    const ids = [1, 2, 3, 4, 5].map(() => host.call("gather", { n: 5 }));
    const answers = await Promise.all(ids.map((id) => host.answer(id)));
    expect(answers.map((event) => (event as ResultEvent).value)).toEqual([5, 5, 5, 5, 5]);
  });

  it("answers an unknown function with NOT_FOUND (§5.7)", async () => {
    expect((await failure(host, "nope")).error).toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("nope") });
  });

  it("answers INTERNAL naming the path when the result cannot be sent (§5.3.2)", async () => {
    expect((await failure(host, "unsendable")).error).toMatchObject({ code: "INTERNAL", message: expect.stringContaining("Date") });
  });

  it("delivers a Cancel to the handler's signal with the reason (§7.2)", async () => {
    const id = host.call("waitAbort");
    host.peer.cancel(id, "cancelled by caller");
    host.flush();
    const event = await host.answer(id);
    expect(event).toMatchObject({ type: "result", cancelled: true, value: { aborted: true, reason: "CANCELLED: the call was cancelled: cancelled by caller" } });
  });

  it("answers DEADLINE_EXCEEDED when the deadline passes, without waiting for the handler (§6.2)", async () => {
    const started = performance.now();
    const event = await host.answer(host.call("hang", null, { deadlineMs: 100 }));
    expect(event).toMatchObject({ type: "error", error: { code: "DEADLINE_EXCEEDED" } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect((await host.answer(host.call("sleep", { ms: 60_000 }, { deadlineMs: 50 }))).type).toBe("error");
  });

  it("keeps serving after throws, rejections and stray rejected promises", async () => {
    expect((await result(host, "stray")).value).toBe("still here");
    await failure(host, "throw", { message: "again" });
    expect((await result(host, "echo", "alive")).value).toBe("alive");
    expect(host.child.exitCode).toBeNull();
    expect(JSON.parse(await host.stderrLine("unhandled promise rejection"))).toMatchObject({
      level: "error",
      msg: "unhandled promise rejection (the plugin keeps serving): a stray rejection nobody handles",
    });
  });

  it("writes the handler's log lines as JSON on stderr with plugin, instance, function and call", async () => {
    const id = host.call("log");
    await host.answer(id);
    const line = await host.stderrLine("hello from a handler");
    expect(JSON.parse(line)).toEqual({ level: "info", msg: "hello from a handler", time: expect.any(String), plugin: "fixture-configured", instance: "fixture-1", fn: "log", callId: id, answer: 42 });
  });

  it("streams items within the credit granted, then ends (§10)", async () => {
    const id = host.call("count", { n: 5 }, { streaming: true, initialCredit: 1 });
    const items: unknown[] = [];
    for (;;) {
      const event = await host.next((e: PeerEvent) => (e.type === "item" || e.type === "end") && e.id === id && !consumed.has(e));
      consumed.add(event);
      if (event.type === "end") {
        expect(event.error).toBeUndefined();
        break;
      }
      items.push((event as ItemEvent).value);
      host.peer.grant(id, 1);
      host.flush();
    }
    expect(items).toEqual([0, 1, 2, 3, 4]);
    expect(host.events.some((event) => event.type === "close")).toBe(false);
  });

  it("ends a stream with the handler's error after its items", async () => {
    const id = host.call("streamFail", null, { streaming: true });
    const end = await host.answer(id);
    expect(host.events.filter((e) => e.type === "item" && e.id === id).map((e) => (e as ItemEvent).value)).toEqual(["first"]);
    expect(end).toMatchObject({ type: "end", error: { code: "DATA_LOSS", message: "the rest is gone" } });
  });

  it("stops a stream on Cancel with CANCELLED (§10.4)", async () => {
    const id = host.call("countForever", null, { streaming: true, initialCredit: 3 });
    await host.next((e) => e.type === "item" && e.id === id);
    host.peer.cancel(id, "enough");
    host.flush();
    expect(await host.answer(id)).toMatchObject({ type: "end", cancelled: true, error: { code: "CANCELLED" } });
  });
});
