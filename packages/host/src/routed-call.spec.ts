import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginHost } from "./plugin-host.js";
import { failureOf, fixtureCommand } from "./test-support.test-fixture.js";

const command = fixtureCommand("two-way-plugin.ts");

describe("plugin-to-plugin calls (PROTOCOL.md §5.4)", () => {
  let host: PluginHost;

  beforeAll(async () => {
    host = await PluginHost.start({
      heartbeat: { intervalMs: 0 },
      plugins: [
        { name: "a", command, permissions: { call: ["b.*", "a.relay", "nobody.echo", "fragile.*", "single.*"] } },
        { name: "b", command, permissions: { call: ["a.relay", "b.relay"] } },
        { name: "fragile", command, restart: { maxRestarts: 0 } },
        { name: "single", command, maxConcurrency: 1, queue: { size: 0 } },
      ],
    });
  });
  afterAll(() => host.close({ graceMs: 0 }));

  it("routes a permitted call and answers its value", async () => {
    await expect(host.call("a", "route", { target: "b", fn: "echo", args: { x: [1, 2] } })).resolves.toEqual({ x: [1, 2] });
  });

  it("sets the reserved metadata, keeps traceparent and drops malformed keys (§5.4.7, §5.5)", async () => {
    const metadata = { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "polyproc-caller": "forged", "x.y": "kept", "Upper": "dropped" };
    const seen = await host.call("a", "route", { target: "b", fn: "metadata", metadata });
    expect(seen).toEqual({
      traceparent: metadata.traceparent,
      "x.y": "kept",
      "polyproc-caller": "a",
      "polyproc-hops": "1",
      "polyproc-chain": "a",
    });
  });

  it("1: answers PERMISSION_DENIED without the grant, even for a plugin that does not exist", async () => {
    const denied = await failureOf(host.call("b", "route", { target: "b", fn: "echo" }));
    expect(denied.code).toBe("PERMISSION_DENIED");
    expect(denied.message).toContain('"b.echo"');
    expect(denied.message).toContain("plugins[1].permissions.call");
    expect((await failureOf(host.call("b", "route", { target: "ghost", fn: "echo" }))).code).toBe("PERMISSION_DENIED");
  });

  it("2: answers NOT_FOUND for a plugin or function that does not exist", async () => {
    const plugin = await failureOf(host.call("a", "route", { target: "nobody", fn: "echo" }));
    expect([plugin.code, plugin.message]).toEqual(["NOT_FOUND", expect.stringContaining('"nobody"')]);
    const fn = await failureOf(host.call("a", "route", { target: "b", fn: "missing" }));
    expect([fn.code, fn.message]).toEqual(["NOT_FOUND", expect.stringContaining('"missing"')]);
  });

  it("4: answers INVALID_ARGUMENT for a malformed polyproc-hops", async () => {
    const failure = await failureOf(host.call("a", "route", { target: "b", fn: "echo", metadata: { "polyproc-hops": "x1" } }));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.message).toContain("polyproc-hops");
  });

  it("5: lets a cycle run up to 8 hops and names the chain of a deeper one", async () => {
    await expect(host.call("a", "relay", { path: ["b", "a", "b", "a", "b", "a", "b", "a"], args: "deep" })).resolves.toBe("deep");
    const failure = await failureOf(host.call("a", "relay", { path: ["b", "a", "b", "a", "b", "a", "b", "a", "b"], args: "too deep" }));
    expect(failure.code).toBe("FAILED_PRECONDITION");
    expect(failure.message).toBe("call chain too deep: a → b → a → b → a → b → a → b → a → b (limit 8 hops)");
  });

  it("6: answers UNIMPLEMENTED when the call's mode is not the function's", async () => {
    expect((await failureOf(host.call("a", "route", { target: "b", fn: "count", args: { n: 1 } }))).code).toBe("UNIMPLEMENTED");
  });

  it("7: answers the pool's RESOURCE_EXHAUSTED when the target is busy and cannot queue", async () => {
    const holding = failureOf(host.call("a", "route", { target: "single", fn: "hold", cancelAfterMs: 300 }));
    await expect(host.call("a", "route", { target: "single", fn: "lastCancel" })).rejects.toMatchObject({ code: "RESOURCE_EXHAUSTED" });
    expect((await holding).code).toBe("CANCELLED");
  });

  it("carries at most the caller's time left as the deadline (§6.4)", async () => {
    const seen = (await host.call("a", "route", { target: "b", fn: "deadline", timeoutMs: 1_000 })) as { remainingMs: number };
    expect(seen.remainingMs).toBeGreaterThan(0);
    expect(seen.remainingMs).toBeLessThanOrEqual(1_000);
  });

  it("relays the caller's Cancel to the target (§5.4.3)", async () => {
    const failure = await failureOf(host.call("a", "route", { target: "b", fn: "hold", cancelAfterMs: 50 }));
    expect(failure.code).toBe("CANCELLED");
    await expect(host.call("b", "lastCancel")).resolves.toBe("cancelled by caller");
  });

  it("relays a stream with credit one for one (§5.4.3, §10.2)", async () => {
    await expect(host.call("a", "routeStream", { target: "b", fn: "count", args: { n: 10 }, window: 2, grant: true })).resolves.toEqual({
      items: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    });
    const before = (await host.call("b", "sent")) as number;
    const starved = await host.call("a", "routeStream", { target: "b", fn: "count", args: { n: 10 }, window: 3, grant: false, timeoutMs: 200 });
    expect(starved).toEqual({ items: [0, 1, 2], error: "DEADLINE_EXCEEDED" });
    // The target was granted no more than the caller granted: it sent exactly the window.
    await expect(host.call("b", "sent")).resolves.toBe(before + 3);
  });

  it("fails the routed call with UNAVAILABLE when the target's instance exits", async () => {
    const failure = await failureOf(host.call("a", "route", { target: "fragile", fn: "crash" }));
    expect(failure.code).toBe("UNAVAILABLE");
    expect(failure.originPlugin).toBe("fragile");
  });

  it("3: answers FAILED_PRECONDITION for a target marked failed", async () => {
    if (host.stats().plugins["fragile"]?.state !== "failed") await new Promise<void>((resolve) => host.on("failed", () => resolve()));
    const failure = await failureOf(host.call("a", "route", { target: "fragile", fn: "echo" }));
    expect(failure.code).toBe("FAILED_PRECONDITION");
  });

  it("cancels the forwarded calls of a caller that disconnects (§5.4.4)", async () => {
    const routed = failureOf(host.call("a", "route", { target: "b", fn: "hold" }));
    const crash = failureOf(host.call("a", "crash"));
    expect((await crash).code).toBe("UNAVAILABLE");
    expect((await routed).code).toBe("UNAVAILABLE");
    await expect(host.call("b", "lastCancel")).resolves.toBe("caller disconnected");
  });
});
