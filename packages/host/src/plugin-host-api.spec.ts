import { PluginError } from "@polyproc/protocol";
import { describe, expect, it } from "vitest";
import { FakeFactory, useFakeHosts } from "./fake-instance.test-fixture.js";
import type { PluginConfig, PluginHostOptions } from "./plugin-options.js";
import { PluginHost } from "./plugin-host.js";
import { failureOf as failure } from "./test-support.test-fixture.js";

const start = useFakeHosts();


describe("PluginHost.start options", () => {
  const plugin: PluginConfig = { name: "kv", command: ["node", "kv.js"] };
  const cases: [string, Partial<PluginHostOptions> & { plugins?: unknown }, string][] = [
    ["plugins missing", { plugins: undefined }, "plugins must be an array"],
    ["a bad name", { plugins: [{ ...plugin, name: "k v" }] }, 'plugins[0].name must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -, got "k v"'],
    ["a duplicate name", { plugins: [plugin, plugin] }, "plugins[1].name must be unique"],
    ["an empty command", { plugins: [{ ...plugin, command: [] }] }, 'plugins[0] ("kv").command must be a non-empty array'],
    ["a command string", { plugins: [{ ...plugin, command: "node kv.js" as unknown as string[] }] }, "command must be a non-empty array"],
    ["zero instances", { plugins: [{ ...plugin, instances: 0 }] }, 'plugins[0] ("kv").instances must be an integer >= 1, got 0'],
    ["a fractional maxConcurrency", { plugins: [plugin], maxConcurrency: 1.5 }, "options.maxConcurrency must be an integer >= 1, got 1.5"],
    ["a negative queue size", { plugins: [{ ...plugin, queue: { size: -1 } }] }, "queue.size must be an integer >= 0"],
    ["a zero queue timeout", { plugins: [{ ...plugin, queue: { timeoutMs: 0 } }] }, "queue.timeoutMs must be a finite number of ms > 0"],
    ["a NaN heartbeat", { plugins: [{ ...plugin, heartbeat: { intervalMs: Number.NaN } }] }, "heartbeat.intervalMs must be a finite number"],
    ["maxMs below baseMs", { plugins: [{ ...plugin, restart: { baseMs: 500, maxMs: 100 } }] }, "restart.maxMs must be at least restart.baseMs (500)"],
    ["an env of numbers", { plugins: [{ ...plugin, env: { PORT: 80 as unknown as string } }] }, "env.PORT must be a string"],
    ["a POLYPROC_ variable", { plugins: [{ ...plugin, env: { POLYPROC_TOKEN: "x" } }] }, "env.POLYPROC_TOKEN is set by the host"],
    ["permissions that are not lists", { plugins: [{ ...plugin, permissions: { call: "kv.get" as unknown as string[] } }] }, 'plugins[0].permissions.call must be an array of patterns'],
    ["a permission pattern with a wildcard inside a segment", { plugins: [{ ...plugin, permissions: { publish: ["logs.err*"] } }] }, "plugins[0].permissions.publish[0] must be a pattern"],
    ["settings with a function", { plugins: [{ ...plugin, settings: { f: (() => 1) as unknown as string } }] }, "settings.f"],
  ];

  it.each(cases)("rejects %s with a TypeError naming the field", async (_name, options, message) => {
    const factory = new FakeFactory();
    const error = await PluginHost.start({ plugins: [], instanceFactory: factory.create, ...options } as PluginHostOptions).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain(message);
    expect(factory.instances).toHaveLength(0);
  });

  it("fills in the defaults: the plugin's own, else the host's, else the built-in ones", async () => {
    const { factory } = await start({ queue: { size: 3 }, restart: { baseMs: 7 } }, new FakeFactory(), {
      queue: { timeoutMs: 99 },
      maxConcurrency: 5,
    });
    expect(factory.configs[0]).toMatchObject({
      instances: 1,
      maxConcurrency: 5,
      queue: { size: 3, timeoutMs: 99 },
      restart: { baseMs: 7, maxMs: 30_000, maxRestarts: 5, windowMs: 60_000 },
      heartbeat: { intervalMs: 5_000, missLimit: 3 },
      startupTimeoutMs: 10_000,
      killTimeoutMs: 2_000,
      callTimeoutMs: 60_000,
      settings: null,
    });
  });
});

describe("PluginHost.call", () => {
  it("rejects an unknown plugin with NOT_FOUND naming the plugins", async () => {
    const { host } = await start();
    const error = await failure(host.call("nope", "echo"));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe('no plugin named "nope"; the host runs: kv');
  });

  it("rejects an unknown function with NOT_FOUND listing the plugin's functions", async () => {
    const { host, factory } = await start();
    const error = await failure(host.call("kv", "ehco"));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe('plugin kv has no function "ehco"; it serves: echo, get, put');
    expect(factory.calls()).toHaveLength(0);
  });

  it("rejects a streaming function with UNIMPLEMENTED", async () => {
    const { host } = await start({}, new FakeFactory({ functions: [{ name: "tail", streaming: true }] }));
    expect((await failure(host.call("kv", "tail"))).code).toBe("UNIMPLEMENTED");
  });

  it.each([
    [{ timeoutMs: Number.NaN }, "options.timeoutMs must be a number"],
    [{ metadata: { Trace: "x" } }, 'options.metadata key "Trace" must be lowercase'],
    [{ metadata: { "polyproc-caller": "me" } }, "is reserved for the protocol"],
    [{ metadata: { n: 1 as unknown as string } }, 'options.metadata["n"] must be a string'],
    [{ affinityKey: 7 as unknown as string }, "options.affinityKey must be a string"],
  ])("rejects malformed options %j with INVALID_ARGUMENT", async (options, message) => {
    const { host, factory } = await start();
    const error = await failure(host.call("kv", "echo", null, options));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toContain(message);
    expect(factory.calls()).toHaveLength(0);
  });

  it("fails at once with DEADLINE_EXCEEDED when timeoutMs is 0, and sends nothing", async () => {
    const { host, factory } = await start();
    expect((await failure(host.call("kv", "echo", null, { timeoutMs: 0 }))).code).toBe("DEADLINE_EXCEEDED");
    expect(factory.calls()).toHaveLength(0);
  });

  it("gives a call the plugin's callTimeoutMs as its deadline, and none with Infinity", async () => {
    const { host, factory } = await start({ callTimeoutMs: 2_500 });
    const before = performance.now();
    void host.call("kv", "echo", 1).catch(() => {});
    void host.call("kv", "echo", 2, { timeoutMs: Infinity }).catch(() => {});
    const [first, second] = factory.calls();
    expect(first!.options.deadline! - before).toBeGreaterThanOrEqual(2_500);
    expect(first!.options.deadline! - before).toBeLessThan(2_600);
    expect(second!.options.deadline).toBeUndefined();
  });
});

describe("PluginHost.functions", () => {
  it("lists every function of every plugin with its schemas parsed", async () => {
    const functions = [
      { name: "add", description: "adds", paramsSchema: '{"type":"object"}', resultSchema: '{"type":"number"}', idempotent: true },
      { name: "tail", streaming: true },
    ];
    const { host } = await start({}, new FakeFactory({ functions }));
    expect(host.functions()).toEqual([
      { plugin: "kv", name: "add", description: "adds", params: { type: "object" }, result: { type: "number" }, streaming: false, idempotent: true },
      { plugin: "kv", name: "tail", description: "", params: undefined, result: undefined, streaming: true, idempotent: false },
    ]);
  });
});

describe("PluginHost.stats", () => {
  it("counts calls, errors by code, latency, in flight, queued, restarts and heartbeat per plugin and instance", async () => {
    const { host, factory } = await start({ instances: 2, maxConcurrency: 1 });
    const done = [1, 2].map((n) => host.call("kv", "echo", n));
    for (const call of factory.calls()) call.resolve("ok");
    await Promise.all(done);
    const failing = host.call("kv", "echo", 3);
    factory.callWith(3).reject(new PluginError("INVALID_ARGUMENT", "bad", { remote: true }));
    await failing.catch(() => {});
    await failure(host.call("kv", "nope"));
    const open = [4, 5, 6].map((n) => host.call("kv", "echo", n).catch(() => {}));
    const stats = host.stats().plugins["kv"]!;
    expect(stats).toMatchObject({ name: "kv", state: "running", calls: 4, errors: { INVALID_ARGUMENT: 1, NOT_FOUND: 1 }, inFlight: 2, queued: 1 });
    expect(stats.restarts).toBe(0);
    expect(stats.heartbeatRttMs).toBe(1.5);
    expect(stats.latencyMs!.p50).toBeGreaterThanOrEqual(0);
    expect(stats.latencyMs!.p99).toBeGreaterThanOrEqual(stats.latencyMs!.p50);
    expect(stats.instances.map((instance) => instance.calls).reduce((sum, calls) => sum + calls)).toBe(3);
    expect(stats.instances.map((instance) => instance.id)).toEqual(["kv-1", "kv-2"]);
    expect(stats.instances.every((instance) => instance.state === "ready" && instance.inFlight === 1 && instance.pid !== undefined)).toBe(true);
    await host.close({ graceMs: 0 });
    await Promise.all(open);
  });
});

describe("PluginHost.close", () => {
  it("lets calls in flight finish within the grace, fails queued calls with UNAVAILABLE, and refuses new calls", async () => {
    const { host, factory } = await start({ maxConcurrency: 1 });
    const inFlight = host.call("kv", "echo", "running");
    const queued = host.call("kv", "echo", "waiting");
    const closing = host.close({ graceMs: 5_000 });
    expect(host.close()).toBe(closing);
    const queuedError = await failure(queued);
    expect(queuedError.code).toBe("UNAVAILABLE");
    expect(queuedError.message).toContain("closed");
    expect((await failure(host.call("kv", "echo", "late"))).code).toBe("UNAVAILABLE");
    factory.callWith("running").resolve("finished");
    expect(await inFlight).toBe("finished");
    await closing;
    expect(factory.instances[0]!.state).toBe("stopped");
  });

  it("settles a call whose plugin never answers when the grace runs out", async () => {
    const { host, factory } = await start();
    const hung = host.call("kv", "echo", "hang");
    await host.close({ graceMs: 10 });
    expect((await failure(hung)).code).toBe("UNAVAILABLE");
    expect(factory.instances[0]!.state).toBe("crashed");
  });

  it("stops restarting: an instance that exits during close is not replaced", async () => {
    const { host, factory } = await start();
    const closing = host.close({ graceMs: 0 });
    factory.instances[0]!.crash();
    await closing;
    expect(factory.instances).toHaveLength(1);
  });
});

describe("PluginHost.on", () => {
  it("keeps calling the other listeners when one throws, and removes a listener with the returned function", async () => {
    const { host, factory } = await start();
    const seen: string[] = [];
    host.on("exit", () => {
      throw new Error("listener bug");
    });
    const off = host.on("exit", (event) => seen.push(`a:${event.instance}`));
    host.on("exit", (event) => seen.push(`b:${event.instance}`));
    factory.instances[0]!.crash();
    off();
    (await factory.nth(1)).crash();
    expect(seen).toEqual(["a:kv-1", "b:kv-1", "b:kv-2"]);
  });
});
