import { PluginError } from "@polyproc/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InstanceState } from "./instance-types.js";
import { type TestHost, exited, startTestHost, stateReached } from "./test-support.test-fixture.js";

let host: TestHost;

beforeEach(async () => {
  host = await startTestHost();
});

afterEach(async () => {
  await host.close();
});

describe("ProcessInstance.stop (§13)", () => {
  it("drains: calls in flight complete, new calls are refused, the plugin says Goodbye and exits 0", async () => {
    const instance = host.start("misbehaving-plugin.ts");
    await instance.ready;
    const states: InstanceState[] = [];
    instance.on("state", (next) => states.push(next));
    const calls = [instance.call("slow", { ms: 300 }), instance.call("slow", { ms: 200 })];
    const stopped = instance.stop(10_000);
    expect(instance.state).toBe("draining");
    await expect(instance.call("add", { a: 1, b: 2 })).rejects.toMatchObject({ code: "UNAVAILABLE", retryable: true });
    await expect(Promise.all(calls)).resolves.toEqual(["done", "done"]);
    expect(await stopped).toMatchObject({ exitCode: 0, signal: null, clean: true, reason: "stopped" });
    expect(states).toEqual(["draining", "stopped"]);
  });

  it("terminates a plugin that does not leave within the grace; its calls fail with UNAVAILABLE", async () => {
    const instance = host.start("misbehaving-plugin.ts", { killTimeoutMs: 1000 });
    await instance.ready;
    const call = instance.call("hang", null).catch((error: unknown) => error);
    await host.logger.waitFor((entry) => entry.msg.startsWith("hanging"));
    const info = await instance.stop(100);
    expect(info).toMatchObject({ signal: "SIGTERM", clean: false, reason: "stopped: the shutdown grace ran out" });
    expect(instance.state).toBe("crashed");
    const error = await call;
    expect(PluginError.is(error, "UNAVAILABLE")).toBe(true);
    expect((error as PluginError).message).toMatch(/was killed by SIGTERM/);
  });

  it("stops an instance that is still starting", async () => {
    const instance = host.start("silent-plugin.ts");
    const states: InstanceState[] = [];
    instance.on("state", (next) => states.push(next));
    const info = await instance.stop(1000);
    expect(info).toMatchObject({ reason: "stopped before it was ready", clean: false });
    await expect(instance.ready).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(states).toEqual(["crashed"]);
  });

  it("returns the same ExitInfo when stopped again or after the end", async () => {
    const instance = host.start("misbehaving-plugin.ts");
    await instance.ready;
    const first = instance.stop(5000);
    const second = instance.stop(5000);
    expect(await second).toBe(await first);
    await stateReached(instance, "stopped");
    expect(await instance.stop(0)).toBe(await first);
    expect(await exited(instance)).toBe(await first);
  });
});

describe("ProcessInstance: a plugin that leaves by itself (§13.2)", () => {
  it("drains and stops cleanly after its Goodbye", async () => {
    const instance = host.start("misbehaving-plugin.ts");
    await instance.ready;
    const states: InstanceState[] = [];
    instance.on("state", (next) => states.push(next));
    await expect(instance.call("leave", null)).resolves.toBe("leaving");
    expect(await exited(instance)).toMatchObject({ exitCode: 0, clean: true, reason: "stopped" });
    expect(states).toEqual(["draining", "stopped"]);
  });

  it("fails the calls it left unanswered with UNAVAILABLE, retryable: they were not run", async () => {
    const instance = host.start("misbehaving-plugin.ts");
    await instance.ready;
    const error = await instance.call("goodbye", null).catch((e: unknown) => e);
    expect(PluginError.is(error, "UNAVAILABLE")).toBe(true);
    expect(error).toMatchObject({ retryable: true, originInstance: instance.id });
    expect((error as PluginError).message).toMatch(/said Goodbye \(leaving without answering\) before answering; the call was not run/);
    expect(await exited(instance)).toMatchObject({ exitCode: 0, clean: true });
  });
});
