import { setTimeout as delay } from "node:timers/promises";
import { PluginError } from "@polyproc/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { PluginHost } from "./plugin-host.js";
import { failureOf, fixtureCommand } from "./test-support.test-fixture.js";

const poolCommand = fixtureCommand("pool-plugin.ts");
const twoWayCommand = fixtureCommand("two-way-plugin.ts");
let host: PluginHost | undefined;

afterEach(async () => {
  await host?.close({ graceMs: 0 });
  host = undefined;
});

async function startHost(): Promise<PluginHost> {
  host = await PluginHost.start({ heartbeat: { intervalMs: 0 }, plugins: [{ name: "pool", command: poolCommand }] });
  return host;
}

/** record logs the live-operation events and the instance states, in the order they come. */
function record(target: PluginHost): string[] {
  const log: string[] = [];
  const phase = (event: string) => (e: { plugin: string; phase: string }) => void log.push(`${event} ${e.plugin} ${e.phase}`);
  target.on("load", phase("load"));
  target.on("unload", phase("unload"));
  target.on("reload", phase("reload"));
  target.on("instance", (e) => log.push(`instance ${e.instance} ${e.state}`));
  return log;
}

function pidsOf(target: PluginHost, plugin: string): number[] {
  return (target.stats().plugins[plugin]?.instances ?? []).map((instance) => instance.pid as number);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

interface LoadResult {
  sent: number;
  failures: unknown[];
  /** The pids that answered the calls sent after the switch. */
  pidsAfterSwitch: Set<number>;
}

/**
 * steadyLoad calls pool.hold at about `rate` calls per second, at most `maxInFlight` at once,
 * until `done()` says so; calls are paced by the clock, not synchronised with it.
 */
async function steadyLoad(target: PluginHost, switched: () => boolean, done: (sent: number) => boolean, rate = 1_000, maxInFlight = 32): Promise<LoadResult> {
  const result: LoadResult = { sent: 0, failures: [], pidsAfterSwitch: new Set() };
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  while (!done(result.sent)) {
    const due = Math.floor(((performance.now() - started) * rate) / 1_000);
    while (result.sent < due && inFlight.size < maxInFlight) {
      const after = switched();
      result.sent += 1;
      const call: Promise<void> = target.call("pool", "hold", { ms: 2 }).then(
        (pid) => void (after && result.pidsAfterSwitch.add(pid as number)),
        (error: unknown) => void result.failures.push(error),
      );
      inFlight.add(call);
      void call.finally(() => inFlight.delete(call));
    }
    await (inFlight.size >= maxInFlight ? Promise.race(inFlight) : delay(1));
  }
  await Promise.all(inFlight);
  return result;
}

describe("PluginHost live operations", () => {
  it("loads a plugin, which answers calls once load resolves, reporting starting then ready", async () => {
    const started = await startHost();
    const log = record(started);
    await started.load({ name: "late", command: poolCommand, instances: 2 });
    expect(started.plugins()).toEqual(["pool", "late"]);
    expect(await started.call("late", "pid")).toBeTypeOf("number");
    expect(log[0]).toBe("load late starting");
    expect(log.at(-1)).toBe("load late ready");
    expect(log.filter((line) => line.endsWith(" ready") && line.startsWith("instance late-"))).toHaveLength(2);
  });

  it("refuses an invalid config or a name in use with a TypeError naming the field", async () => {
    const started = await startHost();
    const invalid = await started.load({ name: "bad", command: [] }).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(TypeError);
    expect((invalid as TypeError).message).toContain('host.load: invalid plugin config: config ("bad").command must be a non-empty array');
    const taken = await started.load({ name: "pool", command: poolCommand }).catch((error: unknown) => error);
    expect(taken).toBeInstanceOf(TypeError);
    expect((taken as TypeError).message).toContain('a plugin named "pool" is already loaded');
    const badPermissions = await started.load({ name: "p", command: poolCommand, permissions: { call: ["a..b"] } }).catch((error: unknown) => error);
    expect(badPermissions).toBeInstanceOf(TypeError);
    expect(started.plugins()).toEqual(["pool"]);
  });

  it("rejects a load whose instances cannot start, leaving nothing behind", async () => {
    const started = await startHost();
    const log = record(started);
    const error = await failureOf(started.load({ name: "broken", command: ["node", "-e", "process.stderr.write('no luck'); process.exit(7)"] }));
    expect(error.message).toContain("host.load: plugin broken could not start");
    expect(error.message).toContain("no luck");
    expect(log.filter((line) => line.startsWith("load"))).toEqual(["load broken starting", "load broken failed"]);
    expect((await failureOf(started.call("broken", "pid"))).code).toBe("NOT_FOUND");
    await started.load({ name: "broken", command: poolCommand });
    expect(await started.call("broken", "pid")).toBeTypeOf("number");
  });

  it("unloads a plugin: calls then get NOT_FOUND and its processes are gone", async () => {
    const started = await startHost();
    await started.load({ name: "late", command: poolCommand, instances: 2 });
    const pids = pidsOf(started, "late");
    expect(pids.every(isRunning)).toBe(true);
    const log = record(started);
    const held = started.call("late", "hold", { ms: 50 });
    await started.unload("late", { graceMs: 10_000 });
    expect(pids.includes((await held) as number)).toBe(true);
    expect(pids.some(isRunning)).toBe(false);
    const error = await failureOf(started.call("late", "pid"));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toContain("the host runs: pool");
    expect(started.plugins()).toEqual(["pool"]);
    expect(log[0]).toBe("unload late draining");
    expect(log.at(-1)).toBe("unload late unloaded");
    expect((await failureOf(started.unload("late"))).code).toBe("NOT_FOUND");
  });

  it("reloads under a steady load of calls without failing one; the pids change", async () => {
    host = await PluginHost.start({ heartbeat: { intervalMs: 0 }, plugins: [{ name: "pool", command: poolCommand, instances: 2 }] });
    const started = host;
    const log = record(started);
    const before = pidsOf(started, "pool");
    let switched = false;
    let reloaded = false;
    started.on("reload", (e) => void (switched ||= e.phase === "switched"));
    let warm: () => void = () => {};
    const warmedUp = new Promise<void>((resolve) => (warm = resolve));
    const load = steadyLoad(
      started,
      () => switched,
      (sent) => {
        if (sent >= 200) warm();
        return reloaded && sent >= 2_000;
      },
    );
    await warmedUp;
    await started.reload("pool", undefined, { graceMs: 10_000 });
    reloaded = true;
    const { sent, failures, pidsAfterSwitch } = await load;
    const after = pidsOf(started, "pool");
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(2_000);
    expect(after).toHaveLength(2);
    expect(after.some((pid) => before.includes(pid))).toBe(false);
    expect([...pidsAfterSwitch].every((pid) => after.includes(pid))).toBe(true);
    expect(before.some(isRunning)).toBe(false);
    const phases = log.filter((line) => line.startsWith("reload"));
    expect(phases).toEqual(["reload pool starting", "reload pool switched", "reload pool done"]);
    // The new instances are ready before the switch; the old ones stop after it.
    const at = (line: string) => log.indexOf(line);
    expect(at("instance pool-3 ready")).toBeLessThan(at("reload pool switched"));
    expect(at("instance pool-4 ready")).toBeLessThan(at("reload pool switched"));
    expect(at("instance pool-1 stopped")).toBeGreaterThan(at("reload pool switched"));
    expect(at("instance pool-2 stopped")).toBeLessThan(at("reload pool done"));
  });

  it("keeps the old instances serving when the new ones cannot start, and rejects with the startup error", async () => {
    const started = await startHost();
    const log = record(started);
    const [pid] = pidsOf(started, "pool");
    const error = await failureOf(started.reload("pool", { name: "pool", command: ["node", "-e", "process.stderr.write('bad build'); process.exit(9)"] }));
    expect(error).toBeInstanceOf(PluginError);
    expect(error.message).toContain('host.reload("pool"): plugin pool could not start');
    expect(error.message).toContain("bad build");
    expect(error.message).toContain("the running instances keep serving");
    expect(await started.call("pool", "pid")).toBe(pid);
    expect(log.filter((line) => line.startsWith("reload"))).toEqual(["reload pool starting", `reload pool failed`]);
    const renamed = await started.reload("pool", { name: "other", command: poolCommand }).catch((e: unknown) => e);
    expect(renamed).toBeInstanceOf(TypeError);
    expect((renamed as TypeError).message).toContain('it must keep the name "pool"');
  });

  it("keeps routing and permissions in step with load, unload and reload", async () => {
    host = await PluginHost.start({
      heartbeat: { intervalMs: 0 },
      plugins: [
        { name: "pool", command: poolCommand },
        { name: "caller", command: twoWayCommand, permissions: { call: ["late.pid"] } },
      ],
    });
    const started = host;
    const route = (from: string, target: string) => started.call(from, "route", { target, fn: "pid" });
    expect((await failureOf(route("caller", "late"))).code).toBe("NOT_FOUND");
    await started.load({ name: "late", command: poolCommand });
    expect(await route("caller", "late")).toBeTypeOf("number");
    await started.load({ name: "extra", command: twoWayCommand, permissions: { call: ["pool.pid"] } });
    expect(await route("extra", "pool")).toBeTypeOf("number");
    const denied = await failureOf(route("extra", "late"));
    expect(denied.code).toBe("PERMISSION_DENIED");
    expect(denied.message).toContain("host.load(config).permissions.call");
    await started.reload("extra", { name: "extra", command: twoWayCommand, permissions: { call: ["late.pid"] } });
    expect(await route("extra", "late")).toBeTypeOf("number");
    expect((await failureOf(route("extra", "pool"))).code).toBe("PERMISSION_DENIED");
    await started.unload("late");
    expect((await failureOf(route("caller", "late"))).code).toBe("NOT_FOUND");
  });

  it("runs one operation at a time per plugin, and none once the host is closed", async () => {
    const started = await startHost();
    const reloading = started.reload("pool");
    const busy = await failureOf(started.unload("pool"));
    expect(busy.code).toBe("FAILED_PRECONDITION");
    expect(busy.message).toContain("a reload of \"pool\" is in progress");
    await reloading;
    await started.close({ graceMs: 0 });
    expect((await failureOf(started.load({ name: "late", command: poolCommand }))).code).toBe("UNAVAILABLE");
  });
});
