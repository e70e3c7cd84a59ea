import { PluginError } from "@polyproc/protocol";
import { describe, expect, it } from "vitest";
import { FakeFactory, nextEvent, useFakeHosts } from "./fake-instance.test-fixture.js";
import { affinitySlot } from "./pool.js";

const start = useFakeHosts();

/** later keeps a call whose outcome the test does not await from being an unhandled rejection. */
function later<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

function loads(factory: FakeFactory): number[] {
  return factory.instances.map((instance) => instance.inFlight);
}

describe("dispatch", () => {
  it("sends each call to the ready instance with the fewest calls in flight", async () => {
    const { host, factory } = await start({ instances: 3 });
    const made = new Map<number, Promise<unknown>>();
    const call = (n: number) => made.set(n, later(host.call("kv", "echo", n)));
    [1, 2, 3].forEach(call);
    expect(loads(factory)).toEqual([1, 1, 1]);
    call(4);
    call(5);
    const busiest = factory.callWith(4).instance;
    expect(factory.callWith(5).instance).not.toBe(busiest);
    // Two instances have 2 calls and one has 1: it gets the next call.
    const idle = factory.instances.find((instance) => instance.inFlight === 1)!;
    call(6);
    expect(factory.callWith(6).instance).toBe(idle);
    // Once the busiest's two calls are answered, it has the fewest.
    const answered = busiest.pending.map((pending) => made.get(pending.args as number));
    for (const pending of [...busiest.pending]) pending.resolve("done");
    await Promise.all(answered);
    call(7);
    expect(factory.callWith(7).instance).toBe(busiest);
  });

  it("never gives an instance more calls than its maxConcurrency, the lower of the host's and the Hello's", async () => {
    const factory = new FakeFactory((init) => ({ maxConcurrency: init.slot === 0 ? 1 : 100 }));
    const { host } = await start({ instances: 2, maxConcurrency: 3, queue: { size: 10, timeoutMs: 5_000 } }, factory);
    expect(factory.instances.map((instance) => instance.maxConcurrency)).toEqual([1, 3]);
    const calls = [1, 2, 3, 4, 5, 6].map((n) => later(host.call("kv", "echo", n)));
    expect(loads(factory)).toEqual([1, 3]);
    expect(host.stats().plugins["kv"]!.queued).toBe(2);
    const onSecond = factory.instances[1]!.pending[0]!;
    onSecond.resolve("done");
    await calls[(onSecond.args as number) - 1];
    expect(loads(factory)).toEqual([1, 3]);
    expect(host.stats().plugins["kv"]!.queued).toBe(1);
    expect(factory.calls().map((call) => call.args)).toEqual([1, 2, 3, 4, 5]);
  });

  it("fails a call with RESOURCE_EXHAUSTED at once when every instance is busy and the queue is full", async () => {
    const { host } = await start({ maxConcurrency: 1, queue: { size: 2, timeoutMs: 5_000 } });
    later(host.call("kv", "echo", 1));
    later(host.call("kv", "echo", 2));
    later(host.call("kv", "echo", 3));
    const error = await host.call("kv", "echo", 4).catch((caught: unknown) => caught);
    expect(PluginError.is(error, "RESOURCE_EXHAUSTED")).toBe(true);
    expect((error as PluginError).retryable).toBe(true);
    expect((error as PluginError).message).toContain("the queue is full (queue.size 2)");
  });

  it("fails a queued call with RESOURCE_EXHAUSTED when no instance frees up within queue.timeoutMs", async () => {
    const { host, factory } = await start({ maxConcurrency: 1, queue: { size: 5, timeoutMs: 30 } });
    later(host.call("kv", "echo", 1));
    const error = await host.call("kv", "echo", 2).catch((caught: unknown) => caught);
    expect(PluginError.is(error, "RESOURCE_EXHAUSTED")).toBe(true);
    expect((error as PluginError).message).toContain("queue.timeoutMs (30 ms)");
    expect(factory.calls()).toHaveLength(1);
    expect(host.stats().plugins["kv"]!.queued).toBe(0);
  });

  it("fails a queued call with DEADLINE_EXCEEDED when its deadline comes before the queue timeout", async () => {
    const { host, factory } = await start({ maxConcurrency: 1, queue: { size: 5, timeoutMs: 5_000 } });
    later(host.call("kv", "echo", 1));
    const error = await host.call("kv", "echo", 2, { timeoutMs: 20 }).catch((caught: unknown) => caught);
    expect(PluginError.is(error, "DEADLINE_EXCEEDED")).toBe(true);
    expect((error as PluginError).message).toContain("queue");
    expect(factory.calls()).toHaveLength(1);
  });

  it("takes a call out of the queue with CANCELLED when its signal aborts; the plugin never sees it", async () => {
    const { host, factory } = await start({ maxConcurrency: 1 });
    const first = later(host.call("kv", "echo", 1));
    const controller = new AbortController();
    const second = host.call("kv", "echo", 2, { signal: controller.signal });
    controller.abort("user left");
    const error = await second.catch((caught: unknown) => caught);
    expect(PluginError.is(error, "CANCELLED")).toBe(true);
    expect((error as PluginError).message).toContain("user left");
    factory.instances[0]!.pending[0]!.resolve("one");
    await first;
    expect(factory.calls().map((call) => call.args)).toEqual([1]);
  });

  it("counts a cancelled call until its late answer (§7.4), then runs the queued call in its place", async () => {
    const { host, factory } = await start({ maxConcurrency: 1 });
    const controller = new AbortController();
    const first = later(host.call("kv", "echo", 1, { signal: controller.signal }));
    const second = later(host.call("kv", "echo", 2));
    controller.abort();
    expect((await first.catch((caught: unknown) => caught)) as PluginError).toMatchObject({ code: "CANCELLED" });
    const instance = factory.instances[0]!;
    expect(instance.inFlight).toBe(1);
    expect(host.stats().plugins["kv"]!.queued).toBe(1);
    instance.answerCancelled();
    const run = await factory.callNumber(1);
    expect(run.args).toBe(2);
    run.resolve("two");
    expect(await second).toBe("two");
  });

  it("passes deadline, metadata and signal on to the instance", async () => {
    const { host, factory } = await start();
    const controller = new AbortController();
    const before = performance.now();
    later(host.call("kv", "echo", "x", { timeoutMs: 1_000, metadata: { traceparent: "00-abc" }, signal: controller.signal }));
    const { options } = factory.calls()[0]!;
    expect(options.deadline).toBeGreaterThanOrEqual(before + 1_000);
    expect(options.deadline).toBeLessThanOrEqual(performance.now() + 1_000);
    expect(options.metadata).toEqual({ traceparent: "00-abc" });
    expect(options.signal).toBe(controller.signal);
  });
});

describe("affinity", () => {
  it("maps a key to a stable slot", () => {
    expect(affinitySlot("user-1", 4)).toBe(affinitySlot("user-1", 4));
    const slots = new Set(Array.from({ length: 100 }, (_, index) => affinitySlot(`key-${index}`, 4)));
    expect(slots).toEqual(new Set([0, 1, 2, 3]));
  });

  it("runs the calls of one key on the key's instance, even when others are idle", async () => {
    const { host, factory } = await start({ instances: 4, maxConcurrency: 1 });
    const slot = affinitySlot("user-7", 4);
    const first = later(host.call("kv", "get", 1, { affinityKey: "user-7" }));
    const second = later(host.call("kv", "get", 2, { affinityKey: "user-7" }));
    expect(factory.instances[slot]!.received.map((call) => call.args)).toEqual([1]);
    expect(host.stats().plugins["kv"]!.queued).toBe(1);
    factory.instances[slot]!.pending[0]!.resolve("one");
    await first;
    expect(factory.instances[slot]!.received.map((call) => call.args)).toEqual([1, 2]);
    factory.instances[slot]!.pending[0]!.resolve("two");
    expect(await second).toBe("two");
    expect(factory.calls()).toHaveLength(2);
  });

  it("waits for the key's instance to be restarted after a crash", async () => {
    const { host, factory } = await start({ instances: 2 });
    const slot = affinitySlot("tenant-a", 2);
    const restarted = nextEvent(host, "restart");
    factory.instances[slot]!.crash();
    await restarted;
    const call = host.call("kv", "put", "v", { affinityKey: "tenant-a" });
    const replacement = await factory.nth(2);
    expect(replacement.slot).toBe(slot);
    await replacement.ready;
    replacement.pending[0]!.resolve("stored");
    expect(await call).toBe("stored");
    expect(factory.instances[1 - slot]!.received).toHaveLength(0);
  });
});

describe("retry of idempotent calls", () => {
  it("runs a call to a function the Hello declares idempotent again on another instance when its instance dies", async () => {
    const { host, factory } = await start({ instances: 2 });
    const call = host.call("kv", "get", "k");
    const [first] = factory.calls();
    const other = factory.instances.find((instance) => instance !== first!.instance)!;
    first!.instance.crash({ stderrTail: "segfault" });
    const retry = await factory.callNumber(1);
    expect(retry.instance).toBe(other);
    expect(retry.args).toBe("k");
    retry.resolve("value");
    expect(await call).toBe("value");
  });

  it("retries a call that asks for it with idempotent: true", async () => {
    const { host, factory } = await start({ instances: 2 });
    const call = host.call("kv", "put", "k", { idempotent: true });
    const first = factory.calls()[0]!;
    first.instance.crash();
    const retry = await factory.callNumber(1);
    expect(retry.instance).not.toBe(first.instance);
    retry.resolve("ok");
    expect(await call).toBe("ok");
  });

  it("does not retry a call to a function that is not idempotent", async () => {
    const { host, factory } = await start({ instances: 2 });
    const call = host.call("kv", "put", "k");
    factory.calls()[0]!.instance.crash({ stderrTail: "out of memory" });
    const error = await call.catch((caught: unknown) => caught);
    expect(PluginError.is(error, "UNAVAILABLE")).toBe(true);
    expect((error as PluginError).message).toContain("out of memory");
    expect(factory.calls()).toHaveLength(1);
  });

  it("retries only once", async () => {
    const { host, factory } = await start({ instances: 2 });
    const call = host.call("kv", "get", "k");
    factory.calls()[0]!.instance.crash();
    (await factory.callNumber(1)).instance.crash();
    const error = await call.catch((caught: unknown) => caught);
    expect(PluginError.is(error, "UNAVAILABLE")).toBe(true);
    expect(factory.calls()).toHaveLength(2);
  });

  it("does not retry an UNAVAILABLE error that the plugin itself sent", async () => {
    const { host, factory } = await start({ instances: 2 });
    const call = host.call("kv", "get", "k");
    factory.calls()[0]!.reject(new PluginError("UNAVAILABLE", "backend down", { remote: true, retryable: true }));
    const error = await call.catch((caught: unknown) => caught);
    expect((error as PluginError).message).toBe("backend down");
    expect(factory.calls()).toHaveLength(1);
  });
});
