import type { PlainValue } from "@polyproc/protocol";
import { describe, expect, it } from "vitest";
import { FakeFactory, useFakeHosts } from "./fake-instance.test-fixture.js";

const start = useFakeHosts();
const functions = [{ name: "echo" }, { name: "tail", streaming: true }];

/** later keeps a call whose outcome the test does not await from being an unhandled rejection. */
function later<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

describe("streams in the pool", () => {
  it("sends the stream to an instance with its window as initial credit, and grants as the consumer reads", async () => {
    const { host, factory } = await start({}, new FakeFactory({ functions }));
    const stream = host.stream("kv", "tail", { from: 1 }, { window: 2, timeoutMs: 1_000, metadata: { traceparent: "00-abc" } });
    expect(factory.calls()).toHaveLength(0);
    const first = stream.next();
    const call = await factory.callNumber(0);
    expect(call).toMatchObject({ fn: "tail", args: { from: 1 }, granted: 2, options: { initialCredit: 2, metadata: { traceparent: "00-abc" } } });
    call.sink!.item("a");
    call.sink!.item("b");
    expect(await first).toEqual({ done: false, value: "a" });
    expect(call.granted).toBe(3);
    expect(await stream.next()).toEqual({ done: false, value: "b" });
    call.resolve(null);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(call.granted).toBe(4);
  });

  it("takes an instance's place until it ends: a call waits in the queue behind it", async () => {
    const { host, factory } = await start({ maxConcurrency: 1 }, new FakeFactory({ functions }));
    const stream = host.stream("kv", "tail");
    const reading = stream.next();
    const open = await factory.callNumber(0);
    const queued = later(host.call("kv", "echo", 1));
    expect(host.stats().plugins["kv"]).toMatchObject({ inFlight: 1, queued: 1 });
    open.sink!.item("only");
    expect(await reading).toEqual({ done: false, value: "only" });
    open.resolve(null);
    const call = await factory.callNumber(1);
    call.resolve("one");
    expect(await queued).toBe("one");
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(host.stats().plugins["kv"]).toMatchObject({ calls: 2, errors: {}, inFlight: 0, queued: 0 });
  });

  it("cancels a stream still in the queue when the consumer leaves, sending nothing", async () => {
    const { host, factory } = await start({ maxConcurrency: 1 }, new FakeFactory({ functions }));
    const holding = later(host.call("kv", "echo", 1));
    const stream = host.stream("kv", "tail");
    const reading = stream.next();
    expect(host.stats().plugins["kv"]!.queued).toBe(1);
    await stream.return!();
    expect(await reading).toEqual({ done: true, value: undefined });
    expect(host.stats().plugins["kv"]!.queued).toBe(0);
    factory.calls()[0]!.resolve("one");
    await holding;
    expect(factory.calls().map((call) => call.fn)).toEqual(["echo"]);
  });

  it("is never retried when its instance ends under it", async () => {
    const { host, factory } = await start({ instances: 2 }, new FakeFactory({ functions }));
    const stream = host.stream("kv", "tail");
    const reading = stream.next();
    const call = await factory.callNumber(0);
    call.instance.crash();
    await expect(reading).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(factory.calls()).toHaveLength(1);
  });

  it.each([
    [{ window: 0 }, "options.window must be an integer from 1"],
    [{ window: 1.5 }, "options.window must be an integer from 1"],
    [{ metadata: { Trace: "x" } }, 'options.metadata key "Trace" must be lowercase'],
  ])("rejects malformed options %j with INVALID_ARGUMENT at the first read", async (options, message) => {
    const { host, factory } = await start({}, new FakeFactory({ functions }));
    const error = await host
      .stream("kv", "tail", null, options)
      .next()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining(message) });
    expect(factory.calls()).toHaveLength(0);
  });

  it("answers an unknown plugin and a closed host at the first read", async () => {
    const { host } = await start({}, new FakeFactory({ functions }));
    await expect(host.stream("nope", "tail").next()).rejects.toMatchObject({ code: "NOT_FOUND", message: 'no plugin named "nope"; the host runs: kv' });
    const stream: AsyncIterator<PlainValue> = host.stream("kv", "tail");
    await host.close({ graceMs: 0 });
    await expect(stream.next()).rejects.toMatchObject({ code: "UNAVAILABLE", message: "call kv.tail failed: the host is closed or closing" });
  });
});
