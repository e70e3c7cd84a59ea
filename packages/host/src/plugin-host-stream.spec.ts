import type { PlainValue } from "@polyproc/protocol";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PluginConfig } from "./plugin-options.js";
import { PluginHost } from "./plugin-host.js";
import { failureOf, fixtureCommand, recordingLogger, type RecordingLogger } from "./test-support.test-fixture.js";

let host: PluginHost | undefined;
let logger: RecordingLogger;

async function start(plugin: Partial<PluginConfig> = {}): Promise<PluginHost> {
  logger = recordingLogger();
  host = await PluginHost.start({ logger, plugins: [{ name: "math", command: fixtureCommand("sdk-plugin.ts"), heartbeat: { intervalMs: 0 }, ...plugin }] });
  return host;
}

/** readAll reads a stream to its end: its items, and the error that ended it, if any. */
async function readAll(stream: AsyncIterable<PlainValue>): Promise<{ items: PlainValue[]; error: unknown }> {
  const items: PlainValue[] = [];
  try {
    for await (const item of stream) items.push(item);
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}

/** cancelSeen resolves with the reason the plugin's `ticks` handler saw its signal abort with. */
async function cancelSeen(key: string): Promise<string> {
  const entry = await logger.waitFor((candidate) => candidate.msg === "stream cancel seen" && candidate.fields["key"] === key);
  return String(entry.fields["reason"]);
}

describe("PluginHost.stream with a plugin written with @polyproc/sdk", () => {
  let started: PluginHost;
  let sharedLogger: RecordingLogger;

  beforeAll(async () => {
    started = await start();
    sharedLogger = logger;
  });

  afterAll(async () => {
    await started.close({ graceMs: 0 });
    host = undefined;
  });

  beforeEach(() => {
    logger = sharedLogger;
  });

  it("yields every item in order, many times the window, and counts the stream as one call", async () => {
    const before = started.stats().plugins["math"]!;
    const items: PlainValue[] = [];
    for await (const item of started.stream("math", "count", { n: 300 }, { window: 8 })) {
      items.push(item);
      if (items.length === 1) expect(started.stats().plugins["math"]!.inFlight).toBe(1);
    }
    expect(items).toEqual(Array.from({ length: 300 }, (_, index) => index));
    expect(started.stats().plugins["math"]).toMatchObject({ calls: before.calls + 1, errors: before.errors, inFlight: 0 });
  });

  it("holds a slow consumer's producer back: it never runs more than the window ahead of what was read (§10.2)", async () => {
    const window = 4;
    let read = 0;
    for await (const item of started.stream("math", "ticks", { key: "slow" }, { window })) {
      expect(item).toBe(read);
      read += 1;
      const report = (await started.call("math", "produced", { key: "slow" })) as { produced: number };
      expect(report.produced).toBeGreaterThanOrEqual(read);
      expect(report.produced).toBeLessThanOrEqual(read + window);
      if (read === 20) break;
    }
    expect(await cancelSeen("slow")).toContain("cancelled by caller");
  });

  it("throws the plugin's error after the items sent before it", async () => {
    const { items, error } = await readAll(started.stream("math", "ticks", { n: 10, failAfter: 3 }));
    expect(items).toEqual([0, 1, 2]);
    expect(error).toMatchObject({ name: "PluginError", code: "DATA_LOSS", message: "ticks failed after 3 items", remote: true, originPlugin: "math" });
  });

  it("fails with DEADLINE_EXCEEDED when the deadline passes mid-stream, and cancels the handler (§6.5)", async () => {
    const { items, error } = await readAll(started.stream("math", "ticks", { key: "late", delayMs: 60_000 }, { timeoutMs: 300 }));
    expect(items).toEqual([0]);
    // The host's timer and the plugin's (§6.2) fire at about the same time: whichever answer
    // comes first settles the stream, so the error may be local or the plugin's.
    expect(error).toMatchObject({ code: "DEADLINE_EXCEEDED" });
    expect(await cancelSeen("late")).toContain("deadline");
  });

  it("fails with CANCELLED when the caller's signal aborts, and cancels the handler (§7)", async () => {
    const controller = new AbortController();
    const stream = started.stream("math", "ticks", { key: "stop", delayMs: 60_000 }, { signal: controller.signal });
    expect(await stream.next()).toEqual({ done: false, value: 0 });
    const next = stream.next();
    controller.abort(new Error("user pressed stop"));
    const error = await failureOf(next);
    expect(error.code).toBe("CANCELLED");
    expect(error.message).toContain("user pressed stop");
    expect(await cancelSeen("stop")).toContain("cancelled by caller");
  });

  it("refuses to stream a plain function, and to call a streaming one, with UNIMPLEMENTED pointing to the other method", async () => {
    const streamed = await failureOf(started.stream("math", "add", { a: 1, b: 2 }).next());
    expect(streamed.code).toBe("UNIMPLEMENTED");
    expect(streamed.message).toContain('call it with host.call("math", "add", args)');
    const called = await failureOf(started.call("math", "count", { n: 1 }));
    expect(called.code).toBe("UNIMPLEMENTED");
    expect(called.message).toContain('read its items with host.stream("math", "count", args)');
  });
});

describe("PluginHost.stream, each test with a host of its own", () => {
  afterEach(async () => {
    await host?.close({ graceMs: 0 });
    host = undefined;
  });

  it("cancels the stream on the plugin when the consumer breaks out of the loop, and frees its place (§10.4)", async () => {
    const started = await start({ maxConcurrency: 1 });
    const read: PlainValue[] = [];
    for await (const item of started.stream("math", "ticks", { key: "left" })) {
      read.push(item);
      if (read.length === 3) break;
    }
    expect(read).toEqual([0, 1, 2]);
    expect(await cancelSeen("left")).toContain("cancelled by caller");
    // The one place is free again once the plugin's StreamEnd arrives: this call runs there.
    expect(await started.call("math", "produced", { key: "left" })).toMatchObject({ cancelled: true });
    expect(started.stats().plugins["math"]).toMatchObject({ calls: 2, errors: { CANCELLED: 1 }, inFlight: 0 });
  });

  it("ends with UNAVAILABLE naming the exit code and stderr when the producing instance crashes mid-stream (§14.1.2)", async () => {
    const started = await start({ restart: { baseMs: 10_000, maxMs: 10_000 } });
    const { items, error } = await readAll(started.stream("math", "ticks", { n: 10, crashAfter: 2 }));
    expect(items).toEqual([0, 1]);
    expect(error).toMatchObject({ code: "UNAVAILABLE", remote: false, retryable: true, details: { exit_code: 7 } });
    expect((error as Error).message).toContain("code 7");
    expect((error as Error).message).toContain("ticks: crashing after 2 items");
  });

  it("lets a stream in flight finish during close, within the grace (§13.1.2)", async () => {
    const started = await start();
    const stream = started.stream("math", "ticks", { n: 40 }, { window: 4 });
    const first = await stream.next();
    expect(first).toEqual({ done: false, value: 0 });
    const closed = started.close({ graceMs: 10_000 });
    const rest = await readAll(stream);
    await closed;
    expect(rest.error).toBeUndefined();
    expect(rest.items).toEqual(Array.from({ length: 39 }, (_, index) => index + 1));
  });
});
