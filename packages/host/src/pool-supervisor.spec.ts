import { PluginError } from "@polyproc/protocol";
import { describe, expect, it } from "vitest";
import { FakeFactory, nextEvent, useFakeHosts } from "./fake-instance.test-fixture.js";
import type { RestartEvent } from "./host-events.js";
import { PluginHost } from "./plugin-host.js";

const start = useFakeHosts();

describe("restarts", () => {
  it("replaces an instance that exits, in the same slot, and reports exit, restart and states", async () => {
    const { host, factory } = await start({ instances: 2 });
    const states: string[] = [];
    host.on("instance", (event) => states.push(`${event.instance}:${event.previous}->${event.state}`));
    const exited = nextEvent(host, "exit");
    const restarted = nextEvent(host, "restart");
    factory.instances[1]!.crash({ exitCode: 3, stderrTail: "fatal: bad" });
    expect(await exited).toMatchObject({ plugin: "kv", instance: "kv-2", slot: 1, exitCode: 3, stderrTail: "fatal: bad" });
    expect(await restarted).toEqual({ plugin: "kv", instance: "kv-2", slot: 1, attempt: 1, delayMs: 0 });
    const replacement = await factory.nth(2);
    await replacement.ready;
    expect(replacement.slot).toBe(1);
    expect(states).toEqual(["kv-2:ready->crashed", "kv-3:starting->ready"]);
    expect(host.stats().plugins["kv"]!.instances.map((instance) => instance.id)).toEqual(["kv-1", "kv-3"]);
    expect(host.stats().plugins["kv"]!.restarts).toBe(1);
  });

  it("waits longer before each restart of a slot that keeps crashing: exponential backoff with full jitter", async () => {
    const factory = new FakeFactory();
    const restart = { baseMs: 4, maxMs: 20, maxRestarts: 10, windowMs: 60_000 };
    const { host } = await start({ restart }, factory, { random: () => 0.999 });
    const events: RestartEvent[] = [];
    host.on("restart", (event) => events.push(event));
    for (let round = 0; round < 4; round++) {
      const instance = await factory.nth(round);
      await instance.ready;
      instance.crash();
    }
    await factory.nth(4);
    expect(events.map((event) => event.attempt)).toEqual([1, 2, 3, 4]);
    expect(events.map((event) => event.delayMs)).toEqual([3, 7, 15, 19]);
  });

  it("queues calls while the only instance restarts and runs them on the new one", async () => {
    const { host, factory } = await start({}, new FakeFactory(), { random: () => 0.999, restart: { baseMs: 30 } });
    factory.instances[0]!.crash();
    const call = host.call("kv", "echo", "queued");
    const replacement = await factory.nth(1);
    const received = await factory.callNumber(0);
    expect(received.instance).toBe(replacement);
    received.resolve("done");
    expect(await call).toBe("done");
  });
});

describe("crash-loop breaker", () => {
  const restart = { baseMs: 1, maxMs: 1, maxRestarts: 2, windowMs: 60_000 };

  async function crashLoop(host: PluginHost, factory: FakeFactory): Promise<string> {
    const failed = nextEvent(host, "failed");
    for (let round = 0; round < 3; round++) {
      const instance = await factory.nth(round);
      await instance.ready;
      instance.crash({ exitCode: 7, stderrTail: `crash ${round}` });
    }
    return (await failed).reason;
  }

  it("marks the plugin failed after maxRestarts restarts within the window; calls then fail fast naming the last exit", async () => {
    const { host, factory } = await start({ restart });
    const reason = await crashLoop(host, factory);
    expect(reason).toContain("3 exits within 60000 ms");
    expect(reason).toContain("kv-3 exited with code 7");
    expect(reason).toContain("crash 2");
    expect(factory.instances).toHaveLength(3);
    const error = await host.call("kv", "echo", 1).catch((caught: unknown) => caught);
    expect(PluginError.is(error, "FAILED_PRECONDITION")).toBe(true);
    expect((error as PluginError).message).toContain("kv-3 exited with code 7");
    expect((error as PluginError).message).toContain('host.restart("kv")');
    expect((error as PluginError).details).toEqual({ exit_code: 7, signal: null, stderr_tail: "crash 2" });
    expect(host.stats().plugins["kv"]!.state).toBe("failed");
  });

  it("fails the calls waiting in the queue when the plugin is marked failed", async () => {
    const { host, factory } = await start({ restart: { ...restart, maxRestarts: 0 } });
    factory.instances[0]!.crash();
    const error = await host.call("kv", "echo", 1).catch((caught: unknown) => caught);
    expect(PluginError.is(error, "FAILED_PRECONDITION")).toBe(true);
  });

  it("fails a call that waited for a restart, then crashed the new instance, with UNAVAILABLE, and marks the plugin failed", async () => {
    const { host, factory } = await start({ restart: { baseMs: 50, maxMs: 50, maxRestarts: 1, windowMs: 60_000 } }, new FakeFactory(), {
      random: () => 0.5,
    });
    const failed = nextEvent(host, "failed");
    factory.instances[0]!.crash();
    const call = host.call("kv", "echo", 1);
    const second = await factory.nth(1);
    const received = await factory.callNumber(0);
    expect(received.instance).toBe(second);
    second.crash({ stderrTail: "again" });
    const error = await call.catch((caught: unknown) => caught);
    expect(PluginError.is(error, "UNAVAILABLE")).toBe(true);
    expect((await failed).reason).toContain("again");
    expect(factory.instances).toHaveLength(2);
  });

  it("host.restart clears the failed state and starts fresh instances", async () => {
    const { host, factory } = await start({ instances: 2, restart });
    await crashLoop(host, factory);
    await host.restart("kv");
    expect(host.stats().plugins["kv"]!.state).toBe("running");
    const fresh = factory.instances.slice(-2);
    expect(fresh.map((instance) => instance.state)).toEqual(["ready", "ready"]);
    const call = host.call("kv", "echo", "again");
    (await factory.callNumber(0)).resolve("back");
    expect(await call).toBe("back");
    // The breaker starts counting afresh: two more crashes are restarts, not a crash loop.
    const restarted = nextEvent(host, "restart");
    fresh[0]!.crash();
    expect((await restarted).attempt).toBe(1);
  });
});

describe("start, stop and restart", () => {
  it("rejects PluginHost.start when an instance ends before it is ready, naming it and its stderr tail", async () => {
    const factory = new FakeFactory({ autoReady: false });
    const starting = PluginHost.start({ plugins: [{ name: "kv", command: ["x"], instances: 2 }], instanceFactory: factory.create });
    const instance = await factory.nth(1);
    instance.crash({ stderrTail: "cannot find module" });
    const error = await starting.catch((caught: unknown) => caught);
    expect(PluginError.is(error)).toBe(true);
    expect((error as PluginError).message).toContain("plugin kv could not start");
    expect((error as PluginError).message).toContain("cannot find module");
    expect(factory.instances[0]!.state).toBe("stopped");
  });

  it("host.restart drains the old instances (their calls finish) while new calls go to the new ones", async () => {
    const { host, factory } = await start();
    const old = factory.instances[0]!;
    const oldExit = nextEvent(host, "exit", (event) => event.instance === old.id);
    const inFlight = host.call("kv", "echo", "old");
    const restarting = host.restart("kv");
    const queued = host.call("kv", "echo", "new");
    expect(old.state).toBe("draining");
    const fresh = await factory.nth(1);
    await restarting;
    (await factory.callNumber(1)).resolve("new done");
    expect(factory.callWith("new").instance).toBe(fresh);
    expect(await queued).toBe("new done");
    factory.callWith("old").resolve("old done");
    expect(await inFlight).toBe("old done");
    expect(await oldExit).toMatchObject({ clean: true, reason: "stopped" });
    expect(factory.instances).toHaveLength(2);
  });

  it("host.restart called twice at once: both resolve when the latest instances are ready", async () => {
    const { host, factory } = await start();
    const first = host.restart("kv");
    const second = host.restart("kv");
    await Promise.all([first, second]);
    expect(factory.instances.map((instance) => instance.state)).toEqual(["stopped", "stopped", "ready"]);
    expect(host.stats().plugins["kv"]).toMatchObject({ state: "running", instances: [{ id: "kv-3", state: "ready" }] });
  });

  it("host.stop drains the instances, fails calls with FAILED_PRECONDITION until restart, and starts no replacement", async () => {
    const { host, factory } = await start({ graceMs: 1_234 });
    const exits: string[] = [];
    host.on("exit", (event) => exits.push(event.instance));
    await host.stop("kv");
    expect(factory.instances[0]!.stopGrace).toBe(1_234);
    expect(factory.instances[0]!.state).toBe("stopped");
    expect(exits).toEqual(["kv-1"]);
    const error = await host.call("kv", "echo", 1).catch((caught: unknown) => caught);
    expect(PluginError.is(error, "FAILED_PRECONDITION")).toBe(true);
    expect((error as PluginError).message).toContain("stopped");
    expect(factory.instances).toHaveLength(1);
    await host.restart("kv");
    const call = host.call("kv", "echo", 2);
    (await factory.callNumber(0)).resolve("ok");
    expect(await call).toBe("ok");
  });
});
